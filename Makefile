# The README's two commands: `make run` (set up and serve with the Thanh Hóa data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= 1
export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test setup setup-dev frontend messages migrate lint clean

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
	$(BIN)/python manage.py create_demo_admin
	@echo "Portal:      http://$(HOST):$(PORT)/vi/"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: setup-dev
	$(BIN)/ruff check .

test: setup-dev frontend messages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var node_modules
