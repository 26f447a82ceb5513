# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
export PLF_TEST_POSTGRES_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

NODE_STAMP := node_modules/.installed

.PHONY: run test lint typecheck bench venv clean cards playground package fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

venv: $(STAMP)

## make run: install, migrate the configured database, load the demo borough if empty, serve.
run: $(STAMP)
	$(BIN)/plf migrate
	$(BIN)/plf demo --if-empty --history
	$(BIN)/plf serve

## make test: everything CI runs: ruff, mypy, and pytest on SQLite and PostgreSQL (and Chromium for the feedback page).
test: $(DEV_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	scripts/ensure_postgres.sh
	scripts/ensure_chromium.sh
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

## make fuzz: 10,000 generated activities and card submissions per database against the running bot.
fuzz: $(DEV_STAMP)
	scripts/ensure_postgres.sh
	FUZZ_EXAMPLES=10000 $(BIN)/pytest -q -s -p no:cacheprovider tests/e2e/test_fuzz.py

## make bench: benchmarks that print figures and ratios.
bench: $(DEV_STAMP)
	scripts/ensure_postgres.sh
	$(BIN)/python bench/import_cases.py
	$(BIN)/python bench/submit.py
	$(BIN)/python bench/event_loop.py
	$(BIN)/python bench/shared_limits.py
	$(BIN)/python bench/layered.py
	$(BIN)/python bench/timetable.py
	$(BIN)/python bench/report.py

## make package: the Teams app package (appPackage.zip), its manifest validated offline (app id from MICROSOFT_APP_ID).
package: $(STAMP) $(NODE_STAMP)
	$(BIN)/plf package --out appPackage.zip

## make cards: every card the bot can send, as JSON, an HTML gallery and PNG screenshots (var/cards).
cards: $(STAMP) $(NODE_STAMP)
	scripts/ensure_chromium.sh
	$(BIN)/plf cards

## make playground: the bot and the Microsoft 365 Agents Playground, as a demo person (AS=email).
playground: $(STAMP) $(NODE_STAMP)
	scripts/playground.sh

clean:
	rm -rf $(VENV) var node_modules .mypy_cache .ruff_cache .pytest_cache
