"""Small résumés and postings, Korean and English, each with the faults and strengths the tests look for."""

NOW = "2024-06-01T09:00:00+00:00"

KOREAN_RESUME = {
    "title": "백엔드 개발자 이력서",
    "name": "김하늘",
    "email": "sky@example.com",
    "phone": "010-1234-5678",
    "self_introduction": "사용자에게 빠른 서비스를 만드는 백엔드 개발자입니다. "
    "Python과 Django로 주문 시스템을 운영했습니다.",
    "experiences": [
        {
            "job_title": "백엔드 개발자",
            "department": "주문플랫폼팀",
            "position": "선임",
            "job_description": "Python과 Django로 주문 API를 개발하여 응답 시간을 40% 단축했습니다. "
            "결제 모듈 개편에 참여했습니다.",
            "employment_status": False,
            "start_date": "2019-03-01",
            "end_date": "2021-02-28",
        },
        {
            "job_title": "서버 개발자",
            "department": "커머스팀",
            "job_description": "주문 관련 업무를 담당했습니다. 배치 작업을 관리하고 장애에 대응했습니다.",
            "employment_status": True,
            "start_date": "2022-01-01",
            "end_date": None,
        },
        {
            "job_title": "프리랜서 개발자",
            "job_description": "쇼핑몰 외주 개발",
            "employment_status": False,
            "start_date": "2022-03-01",
            "end_date": "2022-09-30",
        },
    ],
    "educations": [
        {
            "organ": "한국대학교",
            "department": "컴퓨터공학과",
            "degree_level": "3",
            "score": "3.8/4.5",
            "start_date": "2013-03-01",
            "end_date": "2019-02-28",
        }
    ],
    "projects": [
        {
            "title": "사내 배포 자동화",
            "description": "Jenkins 파이프라인을 만들어 배포 시간을 30분에서 5분으로 줄였습니다.",
            "start_date": "2020-05-01",
            "end_date": "2020-08-31",
        }
    ],
    "activities": [],
    "qualifications": [],
    "technology_stacks": [{"name": "Python"}, {"name": "Django"}, {"name": "MySQL"}],
}
KOREAN_POSTING = {
    "title": "백엔드 엔지니어",
    "company": "한빛커머스",
    "qualification": "Python, Django 3년 이상 경험\n- AWS 기반 서비스 운영 경험\n- 대용량 트래픽 처리 경험",
    "prefer": "Kubernetes, CI/CD 파이프라인 구축 경험, Redis",
    "end_date": None,
    "url": None,
}

ENGLISH_RESUME = {
    "title": "Backend Engineer",
    "name": "Alex Kim",
    "email": "alex@example.com",
    "self_introduction": "I am a backend engineer who likes reliable systems.",
    "experiences": [
        {
            "job_title": "Software Engineer",
            "department": "Payments",
            "job_description": "Responsible for the payment API. Worked on internal tools with Java and Spring.",
            "employment_status": False,
            "start_date": "2016-01-01",
            "end_date": "2018-06-30",
        },
        {
            "job_title": "Senior Engineer",
            "department": "Platform",
            "job_description": "Led the migration to Kubernetes, cutting deploy time from 40 to 6 minutes and cloud "
            "cost by 25%.",
            "employment_status": True,
            "start_date": "2019-09-01",
        },
    ],
    "projects": [{"title": "Search service", "description": "Elasticsearch", "start_date": "2020-01-01"}],
    "technology_stacks": [{"name": "Java"}, {"name": "Spring"}, {"name": "Kubernetes"}, {"name": "PostgreSQL"}],
}
ENGLISH_POSTING = {
    "title": "Backend",
    "company": "Acme",
    "qualification": "3+ years with Java and Spring. Experience with AWS and PostgreSQL.",
    "prefer": "Kafka, Terraform; Kubernetes",
}
