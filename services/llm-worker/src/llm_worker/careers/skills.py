"""The skills the offline provider knows by name: aliases (Korean and English), study topics, hours, certifications.

A skill is found in a text by any alias, as whole words (so `java` is not found in `javascript`, `뷰` not in
`리뷰`); a Korean alias may carry a particle (`파이썬을`). Skills outside this table still count when a
posting names them the way tools are named (FastAPI, gRPC, S3, Node.js): see posting.py.
"""

import dataclasses
import functools
import re


@dataclasses.dataclass(frozen=True)
class Skill:
    name: str
    aliases: tuple[str, ...]  # lower case, found anywhere in a text
    topics: tuple[str, ...] = ()  # what to study first
    hours: int = 20  # a first, honest estimate of the study it takes
    certification: str | None = None


_STACK_ONLY = {"go": "golang"}  # too short to look for in prose; a stack item named so still counts

# name | other aliases | what to study first | hours | a certification that shows it
_TABLE = """
Python | 파이썬 | data model and typing; asyncio; packaging and testing with pytest | 40
Java | 자바 | collections and generics; concurrency; JVM memory and GC | 60 | Oracle Certified Professional: Java SE
JavaScript | 자바스크립트; es6 | closures and the event loop; promises and async/await; modules | 40
TypeScript | 타입스크립트 | type narrowing; generics; strict compiler options | 30
Kotlin | 코틀린 | null safety; coroutines; Kotlin with Spring | 40
Go | golang; go언어; go 언어 | goroutines and channels; interfaces; the standard library's net/http | 40
C++ | cpp | RAII and smart pointers; the STL; move semantics | 60
C# | asp.net; dotnet; 닷넷 | LINQ; async/await; ASP.NET Core | 50
Rust | 러스트 | ownership and borrowing; traits; async Rust | 60
Swift | 스위프트 | optionals; protocols; SwiftUI | 40
SQL |  | joins and subqueries; indexes and query plans; transactions and isolation | 30 | SQLD
PHP |  | Composer; Laravel basics; PHP 8 types | 30
Ruby | 루비; rails; ruby on rails | Rails conventions; ActiveRecord; RSpec | 40
Django | 장고 | ORM and migrations; Django REST framework; middleware and auth | 30
Flask | 플라스크 | blueprints and the app factory; SQLAlchemy; testing a Flask app | 20
FastAPI | fast api | Pydantic models; dependency injection; async endpoints | 20
Spring | 스프링; spring boot; springboot; 스프링부트; 스프링 부트 | beans and DI; Spring MVC; Spring Data JPA | 60
JPA | hibernate; 하이버네이트 | entity mapping; the N+1 problem; fetch strategies | 30
Node.js | nodejs | the event loop; streams; Express or NestJS | 40
NestJS | nest.js | modules and providers; guards and pipes; TypeORM | 30
React | 리액트; react.js; reactjs | hooks; state management; rendering performance | 40
Vue | vue.js; vuejs; vue3; 뷰js | the composition API; Pinia; Vue Router | 30
Angular | 앵귤러 | components and modules; RxJS; dependency injection | 40
Next.js | nextjs | server-side rendering; the app router; data fetching | 30
Android | 안드로이드 | activity and fragment lifecycles; Jetpack Compose; Room | 60
iOS |  | UIKit and SwiftUI; app lifecycle; Core Data | 60
Flutter | 플러터; dart | widgets and state; async Dart; platform channels | 40
HTML/CSS | html; css; scss | semantic HTML; flexbox and grid; accessibility | 20
PostgreSQL | postgres; 포스트그레스 | indexes and EXPLAIN; transactions and locks; JSONB | 30
MySQL | mariadb | InnoDB indexes; replication; query tuning | 30
Oracle DB | oracle; 오라클 | PL/SQL; execution plans; partitioning | 40
MongoDB | 몽고db; 몽고디비; mongo | document modelling; aggregation pipeline; indexes | 25
Redis | 레디스 | data structures; caching patterns; persistence and eviction | 15
Elasticsearch | elastic search; 엘라스틱서치; opensearch | analyzers; queries and aggregations; index design | 30
Kafka | 카프카 | topics, partitions and consumer groups; delivery semantics; Kafka Streams | 30
RabbitMQ | 래빗mq | exchanges and bindings; acknowledgements; dead-lettering | 15
Spark | 스파크; pyspark | RDDs and DataFrames; partitioning; Spark SQL | 40
Hadoop | 하둡; hdfs | HDFS; MapReduce; YARN | 40
Airflow | 에어플로우 | DAGs and operators; scheduling; backfills | 20
Pandas | 판다스 | indexing; group-by; joins | 15
TensorFlow | 텐서플로우; 텐서플로; keras | tensors and layers; training loops; model serving | 50
PyTorch | 파이토치 | tensors and autograd; training loops; data loaders | 50
Machine learning | 머신러닝; 머신 러닝; 기계학습; scikit-learn; sklearn | supervised learning; metrics | 80 | ADsP
Deep learning | 딥러닝; 딥 러닝 | neural network basics; CNNs and transformers; fine-tuning | 80
NLP | 자연어처리; 자연어 처리; natural language processing | tokenisation; embeddings; transformers | 60
Computer vision | 컴퓨터 비전; 컴퓨터비전; opencv | image processing; CNNs; detection and segmentation | 60
LLM | 대규모 언어 모델; large language model; 프롬프트 엔지니어링; rag | prompting; RAG; evaluation | 30
Data analysis | 데이터 분석; 데이터분석; data analytics | descriptive statistics; SQL; visualisation | 40 | ADsP
Statistics | 통계 | hypothesis testing; regression; A/B tests | 40
Tableau | 태블로; power bi | dashboards; calculated fields; data sources | 15
Excel | 엑셀 | pivot tables; lookups; charts | 10 | 컴퓨터활용능력 (Computer Specialist in Spreadsheet)
AWS | amazon web services; 아마존 웹 서비스; ec2; s3 | EC2, S3 and IAM; VPC; RDS | 40 | AWS Solutions Architect
GCP | google cloud; 구글 클라우드 | Compute Engine and GKE; IAM; BigQuery | 40 | Google Cloud Associate Cloud Engineer
Azure | 애저; 애져 | App Service and AKS; Azure AD; storage | 40 | Microsoft Azure Fundamentals (AZ-900)
Docker | 도커; dockerfile; docker-compose; docker compose | images and layers; Compose; networking and volumes | 15
Kubernetes | k8s; 쿠버네티스; eks; gke | pods and deployments; services; Helm | 40 | CKA (Kubernetes Administrator)
Terraform | 테라폼 | providers and state; modules; plan and apply | 20 | HashiCorp Terraform Associate
Linux | 리눅스; ubuntu; centos; unix | shell and processes; permissions; networking | 30 | 리눅스마스터 2급 / LPIC-1
Nginx | 엔진엑스 | reverse proxying; load balancing; TLS | 10
CI/CD | cicd; jenkins; 젠킨스; github actions; gitlab ci; argocd | pipelines; tests in CI; deployment strategies | 15
Git | 깃; github; gitlab | branching and merging; rebase; code review flow | 10
REST API | restful; rest apis; api 설계 | resource design; status codes and errors; versioning | 15
GraphQL | 그래프큐엘 | schemas and resolvers; N+1 and dataloaders; pagination | 20
gRPC | protobuf; protocol buffers | protocol buffers; streaming RPCs; deadlines | 15
MSA | microservices; microservice; 마이크로서비스; 마이크로 서비스 | service boundaries; messaging; observability | 40
TDD/unit testing | tdd; test-driven; 테스트 주도; 단위 테스트; unit test; 테스트 코드 | unit tests; test doubles | 20
Agile | 애자일; scrum; 스크럼; kanban; 칸반 | sprints and ceremonies; user stories; retrospectives | 10
Figma | 피그마 | components and variants; auto layout; prototyping | 15
Collaboration | 협업; collaborated; collaborate; collaborating; teamwork; 팀워크 | code review; writing; pairing | 10
Communication | 커뮤니케이션; 의사소통; 소통 | presenting work; writing documents; stakeholder updates | 10
Leadership | 리더십; mentoring; 멘토링; team lead; tech lead | mentoring; planning and delegation; feedback | 20
English | 영어; toeic; 토익; opic | technical reading; business writing; speaking | 60 | TOEIC Speaking / OPIc
"""


def _skill(row: str) -> Skill:
    name, aliases, topics, hours, certification = ([*(part.strip() for part in row.split("|")), "", ""])[:5]
    names = (name.lower(), *(a.strip() for a in aliases.split(";")))
    found = tuple(dict.fromkeys(a for a in names if a and a not in _STACK_ONLY))
    return Skill(
        name, found, tuple(t.strip() for t in topics.split(";") if t.strip()), int(hours), certification or None
    )


SKILLS = tuple(_skill(row) for row in _TABLE.strip().splitlines())


_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]|[\uac00-\ud7a3]+")


def tokens(text: str) -> list[str]:
    """Words of a lower-cased text: Latin (with + # . - inside, as in c++, node.js) and Hangul runs apart."""
    return _TOKEN.findall(text)


def _is_hangul(word: str) -> bool:
    return "\uac00" <= word[0] <= "\ud7a3"


@dataclasses.dataclass(frozen=True)
class _Index:
    words: dict[str, Skill]  # one-word aliases
    phrases: dict[str, list[tuple[tuple[str, ...], Skill]]]  # first word -> (the other words, skill), longest first


@functools.cache
def _index() -> _Index:
    """Each alias as its words (so "CI/CD" and "ci cd" are one alias), by its first word."""
    words: dict[str, Skill] = {}
    phrases: dict[str, list] = {}
    for skill in SKILLS:
        for alias in skill.aliases:
            first, *rest = tokens(alias)
            if rest:
                phrases.setdefault(first, []).append((tuple(rest), skill))
            else:
                words.setdefault(first, skill)
    for entries in phrases.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return _Index(words, phrases)


def _same(word: str, alias_word: str) -> bool:
    """A text's word is an alias's word, or (in Korean) that word with a particle."""
    return word == alias_word or (_is_hangul(word) and word.startswith(alias_word))


def _skill_at(index: _Index, words: list[str], start: int) -> Skill | None:
    word = words[start]
    for rest, skill in index.phrases.get(word, ()):
        following = words[start + 1 : start + 1 + len(rest)]
        if len(following) == len(rest) and all(map(_same, following, rest)):
            return skill
    if not _is_hangul(word):
        return index.words.get(word)
    return next((index.words[word[:n]] for n in range(len(word), 0, -1) if word[:n] in index.words), None)


def find_skills(text: str) -> list[Skill]:
    """The known skills `text` names, each once, in the order it names them (a word at a time: one regex of
    every alias costs milliseconds on a résumé)."""
    index = _index()
    words = tokens(text.lower())
    found: dict[str, Skill] = {}
    for start in range(len(words)):
        skill = _skill_at(index, words, start)
        if skill is not None:
            found.setdefault(skill.name, skill)
    return list(found.values())


def cased_skills(text: str) -> list[Skill]:
    """The skills too short to look for in prose (Go) that `text` writes exactly as their name: how a posting's
    line names them ("Go 또는 Java", "Go or Rust")."""
    return [
        skill
        for key in _STACK_ONLY
        if (skill := skill_named(key)) and re.search(rf"(?<![A-Za-z0-9]){re.escape(skill.name)}(?![A-Za-z0-9+#])", text)
    ]


def skill_named(name: str) -> Skill | None:
    """The known skill a stack item (a whole name) is, if any."""
    key = name.strip().lower()
    found = find_skills(_STACK_ONLY.get(key, key))
    return found[0] if found else None


def by_name(name: str) -> Skill | None:
    return next((skill for skill in SKILLS if skill.name == name), None)
