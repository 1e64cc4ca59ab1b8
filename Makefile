# Clean Asia Platform — the two commands a newcomer needs:
#   make run    install, migrate, load reference and demonstration data, serve on 127.0.0.1:$(PORT)
#   make test   install what the tests need (PostgreSQL, Chromium) and run every check and test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SCALE ?= 1

.PHONY: run test install install-dev messages serve demo-reset lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: $(BIN)/python requirements/base.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-base requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

messages: install
	$(BIN)/python scripts/compile_messages.py

run: install messages
	$(BIN)/cleanasia migrate --noinput
	$(BIN)/cleanasia load_reference
	$(BIN)/cleanasia seed_demo --scale $(SCALE)
	$(BIN)/cleanasia collectstatic --noinput --verbosity 0
	@echo "Serving the Clean Asia Platform on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/gunicorn cleanasia.wsgi --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - --log-level warning

test: install-dev messages
	bash scripts/test-all

lint: install-dev
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/lint-imports
