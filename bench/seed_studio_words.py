"""The words `make seed-studio` builds names, descriptions, tags and comments from, in Korean and English."""

import random

# (Korean, English) pairs; tags take both
MEDIUMS = [
    ("수채화", "watercolor"), ("유화", "oil painting"), ("수묵화", "ink wash"), ("연필 스케치", "pencil sketch"),
    ("파스텔", "pastel"), ("픽셀 아트", "pixel art"), ("애니메이션", "anime"), ("일러스트", "illustration"),
    ("판화", "woodcut"), ("콜라주", "collage"), ("아크릴", "acrylic"), ("디지털 페인팅", "digital painting"),
    ("민화", "folk painting"), ("크레용", "crayon"), ("펜화", "pen and ink"), ("과슈", "gouache"),
    ("사진풍", "photographic"), ("로우폴리", "low poly"), ("네온", "neon"), ("빈티지 포스터", "vintage poster"),
]  # fmt: skip
SUBJECTS = [
    ("항구", "harbour"), ("고양이", "cats"), ("숲", "forest"), ("도시 야경", "city lights"), ("바다", "sea"),
    ("꽃", "flowers"), ("인물", "portraits"), ("산", "mountains"), ("정원", "garden"), ("골목", "alleys"),
    ("한옥", "hanok houses"), ("강아지", "dogs"), ("우주", "space"), ("카페", "cafe"),
    ("비 오는 거리", "rainy streets"), ("눈 덮인 마을", "snowy village"), ("사막", "desert"),
    ("기차역", "train station"), ("바닷가 마을", "seaside town"), ("새", "birds"), ("음식", "food"),
    ("로봇", "robots"), ("용", "dragons"), ("지하철", "subway"), ("등대", "lighthouse"),
]  # fmt: skip
MOODS = [
    ("몽환적인", "dreamy"), ("따뜻한", "warm"), ("차분한", "calm"), ("빈티지", "vintage"), ("선명한", "vivid"),
    ("어두운", "moody"), ("귀여운", "cute"), ("고요한", "quiet"), ("화사한", "bright"), ("쓸쓸한", "lonely"),
    ("레트로", "retro"), ("미니멀", "minimal"), ("환상적인", "fantastic"), ("부드러운", "soft"), ("강렬한", "bold"),
]  # fmt: skip
SERIES_KO = ["", "", " 시리즈", " 컬렉션", " 스타일", " 연작"]
SERIES_EN = ["", "", " Series", " Collection", " Style", " Studies"]
SURNAMES = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "han", "shin", "seo", "kwon"]
GIVEN = [
    "minji", "seoyeon", "jiwoo", "haneul", "yuna", "doyun", "jimin", "sora", "eunji", "taeyang", "hajun", "nari",
    "bora", "dahye", "junho", "somin", "yejin", "hyun", "sujin", "areum", "ian", "mia", "noah", "luna", "leo", "ella",
]  # fmt: skip
HANDLES = ["", "_art", ".studio", "draws", "_ink", "paints", ".works", "_illust", "atelier", "_lab"]
COMMENTS = [
    "분위기가 정말 좋아요!", "색감이 너무 예뻐요", "이 스타일 최고예요", "배경 디테일 대박",
    "저도 이렇게 만들어 보고 싶어요",
    "Love the colours", "This is beautiful", "The light here is amazing", "Great texture", "So calm, I love it",
    "프롬프트 공유 가능할까요?", "작가님 스타일 팬이에요", "Which tags did you use?", "Wallpaper material!",
]  # fmt: skip
PROMPTS = ["sunset", "night", "rain", "snow", "spring", "autumn", "morning", "fog", "stars", "river", "boats", "street"]


def style_text(rng: random.Random) -> tuple[str, str, list[str]]:
    """(name, description, tags): half Korean, half English; tags in both languages."""
    (medium_ko, medium_en), (subject_ko, subject_en), (mood_ko, mood_en) = (
        rng.choice(MEDIUMS),
        rng.choice(SUBJECTS),
        rng.choice(MOODS),
    )
    number = rng.randrange(1, 60)
    tags = [medium_ko, medium_en, subject_ko, subject_en]
    if rng.random() < 0.6:
        tags += [mood_ko, mood_en]
    if rng.random() < 0.5:
        name = f"{mood_ko} {medium_ko} {subject_ko}{rng.choice(SERIES_KO)}"
        if rng.random() < 0.3:
            name += f" {number}"
        description = (
            f"{subject_ko} 그림을 {mood_ko} {medium_ko} 느낌으로 그려 주는 스타일입니다. "
            f"{medium_ko} 특유의 질감과 색감을 {number * 3}장의 작품으로 학습했어요."
        )
    else:
        name = f"{mood_en.title()} {medium_en.title()} {subject_en.title()}{rng.choice(SERIES_EN)}"
        if rng.random() < 0.3:
            name += f" No. {number}"
        description = (
            f"A {mood_en} {medium_en} look for {subject_en}, trained on {number * 3} of my own pieces. "
            f"Works best with soft light and simple prompts."
        )
    return name[:100], description, tags


def artist_username(rng: random.Random, taken: set[str]) -> str:
    """A romanised Korean or English handle (ASCII: usernames are), unique among `taken`."""
    base = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(HANDLES)}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name
