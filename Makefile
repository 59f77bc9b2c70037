# The README's two commands: `make run` (set up and serve with the Thanh Hóa data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LOAD_DB ?= sqlite,postgres
export DEBUG ?= 1
export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test scaleout fuzz load setup setup-dev frontend messages migrate lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

frontend:
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the admin map widget falls back to plain latitude/longitude inputs"; fi

messages:
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

migrate:
	$(BIN)/python manage.py migrate --no-input -v0

run: setup frontend messages migrate
	$(BIN)/python manage.py load_thanhhoa
	$(BIN)/python manage.py load_glossary
	$(BIN)/python manage.py load_report_forms
	$(BIN)/python manage.py load_registry_samples
	$(BIN)/python manage.py load_guide
	$(BIN)/python manage.py load_kiosk_locations
	$(BIN)/python manage.py load_key_sites
	$(BIN)/python manage.py load_contests
	$(BIN)/python manage.py load_markets
	$(BIN)/python manage.py load_plan
	$(BIN)/python manage.py render_guide_audio
	$(BIN)/python manage.py create_demo_admin
	@echo "Portal:      http://$(HOST):$(PORT)/vi/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: setup-dev
	$(BIN)/ruff check .

test: setup-dev frontend messages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The production stack as processes (tests/stack.py), each also a step of .ci/run:
# two gunicorn app servers and a run_huey worker on PostgreSQL and Redis (skips, saying why, without them);
scaleout: setup-dev frontend messages
	$(BIN)/python -m pytest -m stack tests/scaleout -s -q
# schemathesis over the OpenAPI document against gunicorn (DEBUG off) with a partner key and a trip token;
fuzz: setup-dev frontend messages
	$(BIN)/python tests/fuzz_live_api.py --examples 25
# a short load test of the public pages and the API with the page cache off (wrk; fails on any error).
load: setup-dev frontend messages
	$(BIN)/pip install --quiet -e ".[bench,dev]"
	$(BIN)/python bench/web.py --db $(LOAD_DB) --sizes real --page-cache 0 --duration 2 --warmup 0 \
		--fail-on-errors

clean:
	rm -rf $(VENV) var node_modules
