# The two commands: `make run` (the whole stack) and `make test` (every test).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGES := shared/pyproject.toml services/gateway/pyproject.toml services/llm-worker/pyproject.toml services/payments/pyproject.toml \
            services/notifier/pyproject.toml
LOCAL := shared services/gateway services/llm-worker services/payments services/notifier
UV_VERSION := 0.13.9

.PHONY: run test test-unit test-integration test-e2e test-security fuzz install services migrate topology bench bench-micro lint fmt \
        definitions redrive clean help .env seed seed-studio explain-studio bench-catalog bench-studio bench-notifier bench-generations \
        seed-careers explain-careers bench-careers bench-careers-cpu seed-classroom bench-classroom-ws bench-classroom-activity \
        lock eval eval-openai eval-careers

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

run: install services-console .env migrate topology  ## bring the whole stack up (Ctrl-C stops it)
	@set -a; source .env; set +a; deploy/scripts/banner.sh
	exec $(VENV)/bin/honcho --procfile deploy/Procfile --app-root . start

test: install services  ## unit, integration and end-to-end tests against the real services; the API suites again with FAST_PATHS=0
	$(VENV)/bin/pytest
	@# the fast paths and the plain ones must answer alike (services/gateway/src/gateway/fastpaths/README.md)
	FAST_PATHS=0 $(VENV)/bin/pytest services/gateway/tests tests/e2e/test_jobs_e2e.py

test-unit: install  ## fast tests, no I/O
	$(VENV)/bin/pytest -m unit

test-integration: install services  ## real Postgres, RabbitMQ and Redis
	$(VENV)/bin/pytest -m integration

test-e2e: install services  ## processes started, HTTP in, result out
	$(VENV)/bin/pytest -m e2e

test-security: install services  ## black-box attacks on the running stack: each a 4xx problem+json that changes nothing (part of make test)
	$(VENV)/bin/pytest tests/e2e/security

fuzz: install services  ## schemathesis over the whole OpenAPI document, signed in, on a stack of its own (SEED=, EXAMPLES=)
	$(PY) tests/fuzz/fuzz.py

bench: install services  ## measure POST /api/jobs and end-to-end jobs/s; replaces its rows and section in docs/benchmarks.md
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.run

bench-micro: install services  ## CPU per operation in-process (POST, webhook event, worker job): steadier than wrk; same page
	$(PY) -m bench.micro

seed: install services migrate  ## load 1,000,000 exams and 1,000,000 courses, users and registrations (COPY)
	$(PY) -m bench.seed_catalog

seed-studio: install services  ## the studio at benchmark size in bench_studio: 10,000 styles, 100,000 generations, likes, comments, follows (COPY)
	$(PY) -m bench.seed_studio

seed-careers: install services  ## résumés and postings at benchmark size in bench_careers: 100,000 résumés with their sections, 100,000 postings, 3,000 users (COPY)
	$(PY) -m bench.seed_careers

seed-classroom: install services migrate  ## a demo classroom on the dev database (make run's): an instructor and a learner (their passwords printed), two lectures of tasks and steps, a WAITING session (its code printed); run again, it changes nothing
	$(PY) -m bench.seed_classroom

explain-studio: install services  ## EXPLAIN ANALYZE of the feed, search, profile and comment reads on bench_studio (no load)
	$(PY) -m bench.studio_plans

bench-catalog: install services  ## catalog reads at concurrency 16 on the seeded data; replaces its rows and section in docs/benchmarks.md
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.catalog

bench-studio: install services  ## studio feed, search, styles, profile and comment reads at concurrency 16 on bench_studio (seeds it once); same page
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.studio

explain-careers: install services  ## EXPLAIN ANALYZE of the résumé and job posting reads on bench_careers (no load)
	$(PY) -m bench.careers_plans

bench-careers: install services  ## résumé and posting reads at concurrency 16 on bench_careers (seeds it once), AI feedback POST -> completed and feedbacks/s; same page
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.careers

bench-careers-cpu: install services  ## the gateway's CPU per AI résumé feedback in-process (POST, result webhook), best of 5: for comparing two builds; prints only
	$(PY) -m bench.careers_feedback_cpu

bench-generations: install services  ## a style trained, 30 generations at 512x512 timed POST -> completed, and the render alone; same page
	$(PY) -m bench.generations

bench-notifier: install services  ## push fan-out: 2,000 SSE clients, p50/p99 publish -> receipt, memory per connection; same page
	$(PY) -m bench.notifier

bench-classroom-ws: install services  ## 500 learners on one live session's socket: next-step -> the last learner's step_changed p50/p99, memory per connection; same page
	$(PY) -m bench.classroom_ws

bench-classroom-activity: install services  ## learners' activity: POST /api/logs/batch of 100 events flat out, events/s from POST to stored, the consumer's lag; two rounds; same page
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.classroom_activity

eval: install  ## the offline provider on the hand-written guideline set (eval/): checklist recall/precision, key facts, time; same page
	$(PY) -m eval.run --provider local

eval-openai: install  ## the same with the openai provider (needs OPENAI_API_KEY); its own rows and section
	$(PY) -m eval.run --provider openai

eval-careers: install  ## résumé feedback, interview, study guide, help analysis: properties held per task and language (offline; openai too with OPENAI_API_KEY); same page
	$(PY) -m eval.properties.run

install: $(STAMP)  ## create the virtualenv: exactly what requirements.lock pins, then the five packages
$(STAMP): requirements.lock $(PACKAGES) requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	@echo "installing the packages into $(VENV) (log: $(VENV)/install.log)"
	@$(PY) -m pip install -q --upgrade pip > $(VENV)/install.log 2>&1
	@# the lock first (exact versions, hashes checked), so a fresh machine gets what CI tested
	@$(PY) -m pip install -q -r requirements.lock >> $(VENV)/install.log 2>&1 \
		|| (tail -40 $(VENV)/install.log; exit 1)
	@# then our packages, resolving nothing again; compat mode puts each src/ folder on sys.path,
	@# so the repo's shared/ folder cannot shadow the package
	@$(PY) -m pip install -q --no-deps --config-settings editable_mode=compat $(addprefix -e ,$(LOCAL)) \
		>> $(VENV)/install.log 2>&1 || (tail -40 $(VENV)/install.log; exit 1)
	touch $(STAMP)

lock:  ## re-resolve requirements.lock from the five pyproject.toml files and requirements-dev.txt (UPGRADE=1: newest allowed)
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(PY) -m pip install -q uv==$(UV_VERSION)
	@# pins already in the lock are kept while the bounds allow them, so CI keeps testing what passed
	{ printf -- '-e ./%s\n' $(LOCAL); echo '-r requirements-dev.txt'; } \
		| $(VENV)/bin/uv pip compile - --python $(PY) --generate-hashes --custom-compile-command "make lock" \
			$(addprefix --no-emit-package ,platform-shared gateway llm-worker payments notifier) \
			$(if $(UPGRADE),--upgrade) -o requirements.lock

services:  ## start PostgreSQL, RabbitMQ and Redis if they are stopped
	@deploy/scripts/ensure-services.sh

services-console:
	@deploy/scripts/ensure-services.sh --management

.env:  # phony: adds any generated secret an older .env lacks, never changes one it has
	@$(PY) deploy/scripts/make_env.py .env

migrate: install services .env  ## create the databases if needed (gateway, payments) and migrate them to head
	$(PY) -m gateway.migrate --create-database
	$(PY) -m payments.migrate --create-database

topology: install services  ## declare exchanges, queues and bindings on RabbitMQ
	$(PY) -m shared.amqp.topology declare

definitions: install  ## export the topology to deploy/rabbitmq/definitions.json
	$(PY) -m shared.amqp.topology export deploy/rabbitmq/definitions.json

redrive: install  ## move dead-lettered messages back to work: make redrive QUEUE=llm-worker.jobs
	$(PY) -m shared.amqp.redrive $(QUEUE)

lint: install  ## ruff and the layering contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
