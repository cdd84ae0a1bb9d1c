"""The words of `make seed-careers`: roles with their skills (named in English, as Korean postings name them too),
companies, schools, certificates and sentences, in Korean and English, from which résumés and postings are made."""

import dataclasses
import functools


@dataclasses.dataclass(frozen=True)
class Role:
    """A line of work: its names, teams, the skills a posting asks for and prefers, and what people did in it."""

    ko: str
    en: str
    teams_ko: tuple[str, ...]
    teams_en: tuple[str, ...]
    required: tuple[str, ...]
    preferred: tuple[str, ...]
    duties_ko: tuple[str, ...]
    duties_en: tuple[str, ...]
    projects: tuple[str, ...]

    @functools.cached_property
    def stack(self) -> tuple[str, ...]:
        """What a résumé in this line lists as its technology stack."""
        return tuple(dict.fromkeys(self.required + self.preferred + EXTRA_TECH))


ROLES = (
    Role(
        "백엔드 개발자", "Backend Engineer",
        ("결제플랫폼팀", "커머스서버팀", "회원플랫폼팀", "광고서버개발팀", "검색서비스팀"),
        ("Payments Platform", "Commerce Backend", "Identity Platform", "Ads Serving", "Search Services"),
        ("Java", "Spring Boot", "JPA", "MySQL", "Kotlin", "Python", "PostgreSQL", "REST API"),
        ("Kafka", "Redis", "Kubernetes", "AWS", "Docker", "gRPC", "Elasticsearch", "MSA"),
        ("주문·결제 API를 설계하고 개발했습니다", "레거시 모놀리스를 도메인별 마이크로서비스로 분리했습니다",
         "Kafka 기반 이벤트 파이프라인을 구축해 정산 배치를 실시간 처리로 전환했습니다",
         "슬로우 쿼리를 분석하고 인덱스를 재설계해 평균 응답 시간을 320ms에서 45ms로 줄였습니다",
         "Redis 캐시를 도입해 DB 부하를 60% 낮췄습니다", "장애 대응 온콜을 맡아 대응 절차를 문서화했습니다",
         "신규 입사자 온보딩과 코드 리뷰 문화를 정착시켰습니다",
         "초당 1만 건의 트래픽을 처리하는 쿠폰 발급 시스템을 개발했습니다"),
        ("Designed and built the order and payment APIs", "Split a legacy monolith into domain microservices",
         "Built a Kafka event pipeline that turned nightly settlement batches into real-time processing",
         "Cut average response time from 320 ms to 45 ms by analysing slow queries and redesigning indexes",
         "Introduced a Redis cache that lowered database load by 60%", "Took part in the on-call rotation and "
         "wrote the incident runbooks", "Mentored new hires and set up the team's code review practice",
         "Built a coupon service that handles 10,000 requests per second"),
        ("사내 결제 게이트웨이", "실시간 재고 동기화 시스템", "Order Service Migration", "Rate Limiter Library"),
    ),
    Role(
        "프론트엔드 개발자", "Frontend Engineer",
        ("웹프론트팀", "디자인시스템팀", "커머스웹팀", "어드민개발팀"),
        ("Web Platform", "Design System", "Storefront", "Back Office"),
        ("JavaScript", "TypeScript", "React", "HTML", "CSS", "Next.js", "Git"),
        ("Vue.js", "GraphQL", "Jest", "Webpack", "Storybook", "Web Performance", "Accessibility"),
        ("React와 TypeScript로 커머스 웹의 상품 상세 페이지를 개발했습니다",
         "사내 디자인 시스템 컴포넌트 40여 개를 만들고 Storybook으로 문서화했습니다",
         "번들 크기를 35% 줄이고 LCP를 2.8초에서 1.6초로 개선했습니다", "레거시 jQuery 화면을 React로 이전했습니다",
         "웹 접근성 점검을 주도했습니다", "A/B 테스트 도구를 연동해 전환율 실험을 운영했습니다"),
        ("Built the product detail pages of the storefront in React and TypeScript",
         "Created some forty design-system components and documented them in Storybook",
         "Shrank the bundle by 35% and brought LCP down from 2.8 s to 1.6 s", "Moved legacy jQuery screens to React",
         "Led the web accessibility review", "Wired an A/B testing tool in and ran conversion experiments"),
        ("디자인 시스템 구축", "관리자 대시보드 리뉴얼", "Checkout Redesign", "Realtime Chat Widget"),
    ),
    Role(
        "데이터 엔지니어", "Data Engineer",
        ("데이터플랫폼팀", "데이터엔지니어링팀", "로그플랫폼팀"),
        ("Data Platform", "Data Engineering", "Logging Platform"),
        ("Python", "SQL", "Spark", "Airflow", "Hadoop", "Kafka"),
        ("AWS", "BigQuery", "dbt", "Kubernetes", "Flink", "Scala", "Data Modeling"),
        ("Airflow로 일 200개 배치 파이프라인을 운영했습니다",
         "Spark 잡을 튜닝해 일 배치 시간을 4시간에서 50분으로 줄였습니다",
         "사내 데이터 웨어하우스를 BigQuery로 이전했습니다", "로그 수집 파이프라인을 Kafka와 Flink로 재구축했습니다",
         "데이터 품질 검증 체계를 만들었습니다"),
        ("Ran 200 daily batch pipelines on Airflow", "Tuned Spark jobs so the daily batch went from 4 hours to 50 "
         "minutes", "Migrated the company data warehouse to BigQuery", "Rebuilt log ingestion on Kafka and Flink",
         "Set up data quality checks"),
        ("실시간 로그 파이프라인", "데이터 카탈로그 구축", "Lakehouse Migration", "Feature Store"),
    ),
    Role(
        "머신러닝 엔지니어", "Machine Learning Engineer",
        ("AI연구팀", "추천시스템팀", "검색랭킹팀", "MLOps팀"),
        ("AI Research", "Recommendations", "Search Ranking", "MLOps"),
        ("Python", "PyTorch", "Machine Learning", "SQL", "Deep Learning"),
        ("TensorFlow", "MLOps", "Kubernetes", "LLM", "Spark", "Recommender Systems", "NLP"),
        ("추천 모델을 개발해 클릭률을 12% 높였습니다", "모델 학습·배포 파이프라인을 자동화했습니다",
         "LLM 기반 상담 요약 기능을 개발했습니다", "검색 랭킹 모델을 개선했습니다",
         "오프라인 평가 지표 체계를 만들었습니다"),
        ("Built a recommendation model that raised click-through by 12%", "Automated model training and deployment",
         "Built an LLM-based summary of support chats", "Improved the search ranking model",
         "Set up the offline evaluation metrics"),
        ("개인화 추천 엔진", "상품 이미지 분류 모델", "LLM Support Assistant", "Ranking Model v2"),
    ),
    Role(
        "iOS 개발자", "iOS Engineer",
        ("모바일앱팀", "iOS개발팀"),
        ("Mobile Apps", "iOS Team"),
        ("Swift", "iOS", "UIKit", "Git"),
        ("SwiftUI", "RxSwift", "Combine", "CI/CD", "Objective-C"),
        ("SwiftUI로 앱의 주요 화면을 재작성했습니다", "앱 크래시율을 1.2%에서 0.1%로 낮췄습니다",
         "모듈화로 빌드 시간을 40% 단축했습니다", "앱스토어 출시 자동화를 구축했습니다"),
        ("Rewrote the app's main screens in SwiftUI", "Brought the crash rate down from 1.2% to 0.1%",
         "Cut build time by 40% by modularising the app", "Automated App Store releases"),
        ("쇼핑 앱 리뉴얼", "위젯 기능 출시", "Offline Mode", "Payment SDK"),
    ),
    Role(
        "안드로이드 개발자", "Android Engineer",
        ("모바일앱팀", "안드로이드개발팀"),
        ("Mobile Apps", "Android Team"),
        ("Kotlin", "Android", "Java", "Git"),
        ("Jetpack Compose", "Coroutines", "MVVM", "CI/CD", "Firebase"),
        ("Jetpack Compose로 주문 화면을 개발했습니다", "ANR 비율을 절반으로 줄였습니다",
         "멀티 모듈 구조로 전환했습니다", "푸시 알림 시스템을 개선했습니다"),
        ("Built the order screens with Jetpack Compose", "Halved the ANR rate",
         "Moved the app to a multi-module structure", "Improved the push notification system"),
        ("배달 앱 주문 화면", "오프라인 캐시", "Compose Migration", "Wear OS App"),
    ),
    Role(
        "DevOps 엔지니어", "Site Reliability Engineer",
        ("인프라팀", "SRE팀", "클라우드플랫폼팀"),
        ("Infrastructure", "SRE", "Cloud Platform"),
        ("Linux", "AWS", "Kubernetes", "Docker", "Terraform"),
        ("Prometheus", "Grafana", "Ansible", "Go", "Python", "ArgoCD", "Istio"),
        ("온프레미스 서버를 AWS로 이전했습니다", "Terraform으로 인프라를 코드화했습니다",
         "쿠버네티스 클러스터 30개를 운영했습니다",
         "모니터링과 알림 체계를 재설계해 장애 탐지 시간을 10분에서 1분으로 줄였습니다",
         "배포 파이프라인을 ArgoCD로 전환했습니다"),
        ("Moved on-premise servers to AWS", "Put the infrastructure in Terraform", "Ran 30 Kubernetes clusters",
         "Redesigned monitoring and alerting, cutting detection time from 10 minutes to 1",
         "Moved deployments to ArgoCD"),
        ("멀티 리전 이중화", "비용 최적화 프로젝트", "GitOps Rollout", "Chaos Testing"),
    ),
    Role(
        "서비스 기획자", "Product Manager",
        ("서비스기획팀", "프로덕트팀", "전략기획팀"),
        ("Product", "Growth", "Strategy"),
        ("Product Planning", "Data Analysis", "SQL", "Jira", "Figma"),
        ("A/B Testing", "Amplitude", "GA4", "Agile", "PRD Writing", "User Interviews"),
        ("신규 구독 상품을 기획해 출시 3개월 만에 가입자 5만 명을 모았습니다", "사용자 인터뷰 30회를 진행했습니다",
         "온보딩 퍼널을 개선해 가입 전환율을 18% 높였습니다", "분기별 로드맵을 수립하고 운영했습니다",
         "개발·디자인 조직과 협업해 스프린트를 운영했습니다"),
        ("Launched a subscription product that reached 50,000 members in three months",
         "Ran 30 user interviews", "Reworked the onboarding funnel, raising sign-up conversion by 18%",
         "Set and ran the quarterly roadmap", "Ran sprints with engineering and design"),
        ("구독 서비스 출시", "회원 등급제 개편", "Onboarding Revamp", "Pricing Experiment"),
    ),
    Role(
        "UX 디자이너", "Product Designer",
        ("UX디자인팀", "브랜드디자인팀"),
        ("Product Design", "Brand Design"),
        ("Figma", "UX Research", "Prototyping", "UI Design"),
        ("Design Systems", "Adobe XD", "Usability Testing", "Motion Design", "HTML/CSS"),
        ("앱 전면 리디자인을 이끌었습니다", "디자인 시스템을 구축했습니다", "사용성 테스트를 정기적으로 진행했습니다",
         "결제 화면 개선으로 이탈률을 22% 줄였습니다"),
        ("Led the app's full redesign", "Built the design system", "Ran regular usability tests",
         "Reduced checkout drop-off by 22% with a new payment screen"),
        ("앱 리디자인", "접근성 가이드", "Design Tokens", "Checkout Flow"),
    ),
    Role(
        "퍼포먼스 마케터", "Growth Marketer",
        ("마케팅팀", "그로스팀", "브랜드마케팅팀"),
        ("Marketing", "Growth", "Brand Marketing"),
        ("Performance Marketing", "Google Ads", "GA4", "Data Analysis", "SQL"),
        ("Meta Ads", "CRM", "SEO", "Braze", "Looker Studio"),
        ("월 광고비 3억 원 규모의 캠페인을 운영했습니다", "ROAS를 180%에서 310%로 개선했습니다",
         "CRM 자동화 캠페인을 설계했습니다", "SEO 개선으로 자연 유입을 2배로 늘렸습니다"),
        ("Ran campaigns with a monthly budget of $250,000", "Raised ROAS from 180% to 310%",
         "Designed automated CRM campaigns", "Doubled organic traffic through SEO work"),
        ("앱 설치 캠페인", "리텐션 CRM", "SEO Overhaul", "Referral Program"),
    ),
)  # fmt: skip

COMPANIES = (
    "네이버", "카카오", "라인플러스", "쿠팡", "우아한형제들", "비바리퍼블리카", "당근마켓", "삼성전자", "LG전자",
    "SK하이닉스", "현대자동차", "크래프톤", "넥슨코리아", "엔씨소프트", "야놀자", "직방", "무신사", "리디", "컬리",
    "하이퍼커넥트", "뱅크샐러드", "센드버드", "몰로코", "카카오뱅크", "네이버웹툰", "쏘카", "오늘의집", "여기어때",
    "Google", "Amazon", "Microsoft", "Stripe", "Datadog", "Shopify", "Atlassian", "Spotify", "Grab", "Sea Group",
    "Booking.com", "Airbnb", "Netflix", "Mercari", "Rakuten", "GitLab", "Canva", "Zalando",
)  # fmt: skip
RANKS_KO = ("사원", "주임", "대리", "선임", "책임", "과장", "팀장", "인턴")
RANKS_EN = ("Engineer", "Senior Engineer", "Staff Engineer", "Lead", "Manager", "Intern", "Associate")

SCHOOLS_KO = ("서울대학교", "연세대학교", "고려대학교", "한양대학교", "성균관대학교", "KAIST", "포항공과대학교",
              "중앙대학교", "경희대학교", "부산대학교", "경북대학교", "인하대학교", "숭실대학교", "건국대학교",
              "한국폴리텍대학", "서울디지털고등학교")  # fmt: skip
SCHOOLS_EN = ("University of Washington", "University of Toronto", "Georgia Institute of Technology",
              "University of Texas at Austin", "National University of Singapore", "University of Melbourne",
              "Technical University of Munich", "Seoul National University", "Boston University",
              "Lincoln High School")  # fmt: skip
MAJORS_KO = ("컴퓨터공학과", "소프트웨어학부", "전자공학과", "산업공학과", "통계학과", "경영학과", "시각디자인학과",
             "수학과", "정보시스템학과", "미디어커뮤니케이션학과")  # fmt: skip
MAJORS_EN = (
    "Computer Science",
    "Software Engineering",
    "Electrical Engineering",
    "Industrial Engineering",
    "Statistics",
    "Business Administration",
    "Visual Design",
    "Mathematics",
    "Information Systems",
)

QUALIFICATIONS = (  # (Korean title, English title, organ, score kind)
    ("정보처리기사", "Engineer Information Processing", "한국산업인력공단", ""),
    ("SQLD", "SQL Developer (SQLD)", "한국데이터산업진흥원", ""),
    ("ADsP", "Data Analytics Semi-Professional", "한국데이터산업진흥원", ""),
    ("리눅스마스터 2급", "Linux Master Level 2", "한국정보통신진흥협회", ""),
    ("정보보안기사", "Information Security Engineer", "한국인터넷진흥원", ""),
    ("빅데이터분석기사", "Big Data Analysis Engineer", "한국데이터산업진흥원", ""),
    ("TOEIC", "TOEIC", "ETS", "toeic"),
    ("TOEIC Speaking", "TOEIC Speaking", "ETS", "level"),
    ("OPIc", "OPIc", "ACTFL", "opic"),
    ("JLPT N2", "JLPT N2", "일본국제교류기금", ""),
    ("AWS Certified Solutions Architect - Associate", "AWS Certified Solutions Architect - Associate",
     "Amazon Web Services", ""),
    ("CKA", "Certified Kubernetes Administrator", "The Linux Foundation", ""),
    ("컴퓨터활용능력 1급", "Computer Literacy Level 1", "대한상공회의소", ""),
    ("구글 애널리틱스 자격증", "Google Analytics Certification", "Google", ""),
)  # fmt: skip
OPIC_GRADES = ("IM1", "IM2", "IM3", "IH", "AL")

ACTIVITIES_KO = (
    ("교내 알고리즘 동아리 회장", "매주 스터디를 운영하고 교내 프로그래밍 대회를 두 차례 주최했습니다."),
    ("오픈소스 컨트리뷰션 아카데미 참여", "오픈소스 프로젝트에 버그 수정과 문서 개선 PR을 보내 병합되었습니다."),
    ("해커톤 대상 수상", "48시간 동안 팀원 4명과 지역 소상공인 예약 서비스를 만들어 대상을 받았습니다."),
    ("IT 연합 동아리 운영진", "200명 규모 동아리의 세미나와 프로젝트 매칭을 운영했습니다."),
    ("코딩 교육 봉사", "지역 아동센터에서 한 학기 동안 스크래치와 파이썬을 가르쳤습니다."),
    ("기술 블로그 운영", "백엔드 개발 경험을 정리한 글 80편을 썼고 월 방문자 1만 명을 모았습니다."),
    ("교환학생", "미국에서 한 학기 동안 소프트웨어 공학 수업을 듣고 팀 프로젝트를 진행했습니다."),
)  # fmt: skip
ACTIVITIES_EN = (
    ("President, university algorithms club", "Ran weekly study sessions and organised two campus programming "
     "contests."),
    ("Google Developer Student Club lead", "Organised workshops for 120 members and a study jam on cloud basics."),
    ("Hackathon winner", "Built a booking service for local shops with a team of four in 48 hours; won first "
     "prize."),
    ("Open source contributor", "Fixed bugs and improved the documentation of a popular Python library; 12 pull "
     "requests merged."),
    ("Volunteer coding tutor", "Taught Scratch and Python to middle school students for a semester."),
    ("Tech blog author", "Wrote 60 posts on backend development, read by 8,000 people a month."),
)  # fmt: skip

INTRODUCTIONS_KO = (
    "문제를 끝까지 파고들어 원인을 찾는 개발자입니다. 서비스의 숫자로 성과를 설명하는 습관을 가지고 있으며, "
    "동료와 지식을 나누는 일을 좋아합니다.",
    "사용자의 불편을 데이터로 확인하고 작은 개선을 빠르게 반복하는 것을 중요하게 생각합니다. "
    "새로운 기술을 배우는 데 주저하지 않고, 배운 것을 팀에 공유합니다.",
    "안정적인 시스템을 만드는 데 관심이 많습니다. 장애를 겪으며 모니터링과 테스트의 중요성을 배웠고, "
    "재발하지 않도록 구조를 바꾸는 데 힘써 왔습니다.",
    "비전공자로 시작해 꾸준한 학습으로 개발자가 되었습니다. 부트캠프 수료 후 세 개의 팀 프로젝트를 "
    "진행하며 협업과 코드 리뷰의 가치를 배웠습니다.",
    "기획과 개발 사이에서 소통하는 역할을 즐깁니다. 요구사항을 명확히 정리하고 일정 안에 결과를 내는 것을 "
    "가장 중요하게 여깁니다.",
)  # fmt: skip
INTRODUCTIONS_EN = (
    "An engineer who digs into a problem until the root cause is found, explains results with the service's "
    "numbers, and enjoys sharing what I learn with the team.",
    "I look for users' pain points in data and ship small improvements quickly. I am not afraid of new "
    "technology and I write down what I learn for others.",
    "I care about reliable systems. Outages taught me the value of monitoring and tests, and I have worked to "
    "change designs so that the same failure cannot happen twice.",
    "I came to software from another field and got here by steady practice: after a bootcamp I built three team "
    "projects and learned how much code review and clear writing matter.",
)  # fmt: skip

SURNAMES_KO = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN_KO = ("민준", "서연", "도윤", "지우", "하준", "서윤", "예준", "하은", "지호", "수아", "현우", "지민",
            "준서", "채원", "유진", "지훈", "다은", "승현", "예린", "태윤")  # fmt: skip
NAMES_EN = ("Emma Johnson", "Liam Smith", "Olivia Brown", "Noah Davis", "Ava Wilson", "Ethan Moore", "Mia Taylor",
            "Lucas Anderson", "Sophia Thomas", "Daniel Lee", "Grace Kim", "Ryan Park", "Chloe Nguyen",
            "James Martin")  # fmt: skip
ADDRESSES_KO = ("서울특별시 강남구 테헤란로", "서울특별시 마포구 월드컵북로", "경기도 성남시 분당구 판교역로",
                "서울특별시 관악구 관악로", "부산광역시 해운대구 센텀중앙로", "대전광역시 유성구 대학로",
                "인천광역시 연수구 송도과학로")  # fmt: skip
ADDRESSES_EN = ("Seattle, WA", "Austin, TX", "Toronto, ON", "Singapore", "Berlin", "London", "Sydney, NSW")

TITLE_FORMS_KO = ("{role} 이력서", "{company} 지원용 {role} 이력서", "{year} 상반기 공채 - {role}",
                  "{year} 하반기 {role} 지원", "경력 {years}년차 {role}", "신입 {role} 포트폴리오 이력서",
                  "{role} ({skill} 중심)", "[최종] {company} {role}")  # fmt: skip
TITLE_FORMS_EN = ("{role} Resume", "{role} - {company} application", "{role}, {years} years", "Resume {year}: {role}",
                  "Junior {role}", "{role} ({skill} focus)", "Senior {role} CV")  # fmt: skip
POSTING_TITLES_KO = ("{role}", "{role} 경력 {years}년 이상", "신입 {role} 채용", "{skill} {role}",
                     "{role} (전문연구요원 가능)")  # fmt: skip
POSTING_TITLES_EN = ("{role}", "Senior {role}", "{role}, {skill}", "Junior {role}", "{role} (Remote)")
REQUIRED_KO = ("{skill} 실무 경험 {years}년 이상", "{skill} 기반 서비스 개발 경험", "{skill}에 대한 깊은 이해")
REQUIRED_EN = ("{years}+ years of hands-on {skill}", "Shipped production services with {skill}",
               "Deep understanding of {skill}")  # fmt: skip
PREFERRED_KO = ("{skill} 운영 경험", "{skill} 사용 경험자 우대", "{skill} 관련 오픈소스 기여 경험")
PREFERRED_EN = ("Experience running {skill}", "Familiarity with {skill}", "Open source work around {skill}")
EXTRA_TECH = ("Git", "GitHub Actions", "Jira", "Slack", "Notion", "Linux", "Docker", "Confluence", "Postman")
