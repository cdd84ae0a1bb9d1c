"""The sample lectures `make seed-classroom` writes: two smartphone lessons, each a list of tasks of ordered steps,
as an instructor would write them for older learners (what to tap, where it is, what to say aloud)."""

KAKAO = "com.kakao.talk"
TAXI = "com.ubercab"


def _step(title: str, action: str, hint: str, guide: str, voice: str, **target) -> dict:
    return {
        "title": title,
        "target_action": action,
        "target_element_hint": hint,
        "guide_text": guide,
        "voice_guide_text": voice,
        **target,
    }


KAKAO_PHOTO = {
    "title": "카카오톡으로 사진 보내기",
    "description": "가족 대화방에 앨범의 사진을 골라 보내는 법을 한 단계씩 배웁니다. 천천히 따라 하세요.",
    "tasks": [
        {
            "title": "대화방 열기",
            "description": "사진을 보낼 사람의 대화방을 엽니다.",
            "subtasks": [
                _step(
                    "카카오톡 열기",
                    "CLICK",
                    "홈 화면의 노란 말풍선 아이콘 '카카오톡'",
                    "홈 화면에서 노란색 말풍선 모양의 '카카오톡'을 한 번 누르세요.",
                    "노란 말풍선 그림을 한 번 눌러 주세요.",
                    target_package=KAKAO,
                    target_text="카카오톡",
                ),
                _step(
                    "채팅 탭으로 가기",
                    "CLICK",
                    "화면 아래쪽 두 번째 말풍선 모양 탭",
                    "아래쪽에 있는 말풍선 모양의 '채팅'을 누르세요.",
                    "화면 맨 아래, 왼쪽에서 두 번째 말풍선을 눌러 주세요.",
                    target_package=KAKAO,
                    target_view_id="com.kakao.talk:id/tab_chat",
                ),
                _step(
                    "가족 대화방 열기",
                    "CLICK",
                    "대화 목록에서 '우리 가족' 대화방",
                    "목록에서 '우리 가족'을 찾아 누르세요. 안 보이면 화면을 위로 밀어 보세요.",
                    "우리 가족이라고 쓰인 줄을 눌러 주세요.",
                    target_package=KAKAO,
                    target_text="우리 가족",
                ),
            ],
        },
        {
            "title": "사진 고르기",
            "description": "입력창 옆의 + 버튼으로 앨범을 열고 보낼 사진을 고릅니다.",
            "subtasks": [
                _step(
                    "+ 버튼 누르기",
                    "CLICK",
                    "글자 입력창 왼쪽의 '+' 버튼",
                    "글자를 쓰는 칸 왼쪽의 + 버튼을 누르세요.",
                    "글 쓰는 칸 왼쪽, 더하기 모양을 눌러 주세요.",
                    target_package=KAKAO,
                    target_view_id="com.kakao.talk:id/media_send_button",
                ),
                _step(
                    "앨범 열기",
                    "CLICK",
                    "아래에 열린 메뉴의 '앨범'",
                    "아래에 나온 메뉴에서 '앨범'을 누르세요.",
                    "앨범이라고 쓰인 그림을 눌러 주세요.",
                    target_package=KAKAO,
                    target_text="앨범",
                ),
                _step(
                    "보낼 사진 찾기",
                    "SCROLL",
                    "사진 목록 전체",
                    "보낼 사진이 보일 때까지 화면을 손가락으로 천천히 위로 밀어 올리세요.",
                    "사진이 보일 때까지 화면을 위로 천천히 밀어 주세요.",
                    target_package=KAKAO,
                ),
                _step(
                    "사진 고르기",
                    "CLICK",
                    "사진 오른쪽 위의 동그라미",
                    "보낼 사진 오른쪽 위의 작은 동그라미를 누르세요. 숫자 1이 나타나면 고른 것입니다.",
                    "사진 오른쪽 위 동그라미를 눌러 주세요. 숫자가 나오면 잘하셨어요.",
                    target_package=KAKAO,
                ),
            ],
        },
        {
            "title": "보내고 확인하기",
            "subtasks": [
                _step(
                    "전송 누르기",
                    "CLICK",
                    "화면 오른쪽 아래의 노란 '전송' 버튼",
                    "오른쪽 아래의 노란색 '전송'을 누르세요.",
                    "오른쪽 아래 노란 전송 버튼을 눌러 주세요.",
                    target_package=KAKAO,
                    target_text="전송",
                ),
                _step(
                    "보낸 사진 확인하기",
                    "WAIT",
                    "대화방 맨 아래의 방금 보낸 사진",
                    "대화방 맨 아래에 사진이 나타날 때까지 잠시 기다리세요.",
                    "사진이 올라갈 때까지 잠깐 기다려 주세요.",
                    target_package=KAKAO,
                ),
                _step(
                    "대화방 나가기",
                    "BACK",
                    "휴대폰의 뒤로 가기 버튼",
                    "휴대폰 아래쪽의 뒤로 가기 버튼을 눌러 대화 목록으로 돌아가세요.",
                    "뒤로 가기 버튼을 눌러 주세요.",
                ),
            ],
        },
    ],
}

TAXI_BOOKING = {
    "title": "Book a taxi in an app",
    "description": "Call a taxi to your door with a ride-hailing app: where to go, which ride, and meeting the driver.",
    "tasks": [
        {
            "title": "Say where you are going",
            "subtasks": [
                _step(
                    "Open the taxi app",
                    "CLICK",
                    "The black 'Uber' icon on the home screen",
                    "Find the black square icon that says Uber on your home screen and tap it once.",
                    "Tap the black Uber icon once.",
                    target_package=TAXI,
                    target_text="Uber",
                ),
                _step(
                    "Tap 'Where to?'",
                    "CLICK",
                    "The grey search box near the top",
                    "Tap the grey box that says 'Where to?'.",
                    "Tap the box that asks where to.",
                    target_package=TAXI,
                    target_text="Where to?",
                ),
                _step(
                    "Type the address",
                    "INPUT",
                    "The text field with the blinking cursor",
                    "Type the first words of the address, for example 'City Hospital'.",
                    "Type where you want to go.",
                    target_package=TAXI,
                    target_view_id="com.ubercab:id/destination_input",
                ),
                _step(
                    "Pick the right place",
                    "CLICK",
                    "The first suggestion under the search box",
                    "Check the address under each name and tap the right one.",
                    "Tap the place you want.",
                    target_package=TAXI,
                ),
            ],
        },
        {
            "title": "Choose a ride and confirm",
            "subtasks": [
                _step(
                    "Look at the rides",
                    "SCROLL",
                    "The list of ride types at the bottom",
                    "Slide the list at the bottom up to see every kind of ride and its price.",
                    "Slide the list up to see the prices.",
                    target_package=TAXI,
                ),
                _step(
                    "Choose a standard car",
                    "CLICK",
                    "The 'UberX' row",
                    "Tap 'UberX', the everyday car, then tap the big black button at the bottom.",
                    "Tap UberX, then the big black button.",
                    target_package=TAXI,
                    target_text="UberX",
                ),
                _step(
                    "Put the pin at your door",
                    "SWIPE",
                    "The map with the pickup pin",
                    "Move the map with one finger until the pin sits on your front door.",
                    "Move the map until the pin is at your door.",
                    target_package=TAXI,
                ),
                _step(
                    "Confirm the pickup",
                    "CLICK",
                    "The 'Confirm pickup' button",
                    "Tap 'Confirm pickup'. The app now looks for a driver.",
                    "Tap confirm pickup.",
                    target_package=TAXI,
                    target_text="Confirm pickup",
                ),
            ],
        },
        {
            "title": "Meet your driver",
            "subtasks": [
                _step(
                    "Note the car",
                    "WAIT",
                    "The driver card at the bottom: car, colour and plate number",
                    "Wait for the driver's card. Write down the car's colour and plate number.",
                    "Wait, then read the car's plate number.",
                    target_package=TAXI,
                ),
                _step(
                    "Call the driver if you need to",
                    "CLICK",
                    "The phone icon on the driver card",
                    "If you cannot find the car, tap the phone icon to call the driver.",
                    "Tap the phone to call your driver.",
                    target_package=TAXI,
                ),
                _step(
                    "Go back to the home screen",
                    "HOME",
                    "The phone's home button",
                    "Press the home button. The app keeps tracking your ride.",
                    "Press the home button.",
                ),
            ],
        },
    ],
}

LECTURES = (KAKAO_PHOTO, TAXI_BOOKING)
