# Tinget — two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY311      ?= $(shell pyenv root 2>/dev/null)/versions/3.11.7/bin/python
PY310      ?= $(shell pyenv root 2>/dev/null)/versions/3.10.13/bin/python
VENV       := .venv
VENV_RASA  := .venv-rasa
BIN        := $(VENV)/bin
UV         := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
STAMP_APP  := $(VENV)/.installed
STAMP_RASA := $(VENV_RASA)/.installed
PORT       ?= 5000
export RASA_TELEMETRY_ENABLED := false
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install run test test-fast lint security lock train db demo eval bench clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

$(STAMP_APP): requirements/app.lock pyproject.toml | $(UV)
	@echo "== Installing the app environment (Python 3.11) into $(VENV)"
	test -x $(BIN)/python || $(UV) venv -q -p $(PY311) $(VENV)
	$(UV) pip install -q -p $(BIN)/python --find-links /opt/wheels -r requirements/app.lock
	$(UV) pip install -q -p $(BIN)/python --no-deps -e .
	$(BIN)/python -m suggester.native.build  # faster e5 engine where the CPU has AVX-512 VNNI (never fails)
	touch $@

$(STAMP_RASA): requirements/rasa.lock | $(UV)
	@echo "== Installing the Rasa environment (Python 3.10, rasa 3.6.21) into $(VENV_RASA)"
	test -x $(VENV_RASA)/bin/python || $(UV) venv -q -p $(PY310) $(VENV_RASA)
	$(UV) pip install -q -p $(VENV_RASA)/bin/python -r requirements/rasa.lock
	touch $@

node_modules/.installed: package-lock.json
	@echo "== Installing axe-core for the accessibility tests (npm ci)"
	npm ci --no-audit --no-fund --silent
	touch $@

MO_FILES := $(patsubst %.po,%.mo,$(wildcard web/translations/*/LC_MESSAGES/messages.po))
%.mo: %.po $(STAMP_APP)
	$(BIN)/pybabel compile -i $< -o $@

install: $(STAMP_APP) $(STAMP_RASA) node_modules/.installed $(MO_FILES) ## Create both virtualenvs and test tools from lock files (skipped when up to date)

lock: | $(UV) ## Re-lock requirements/*.in into requirements/*.lock
	$(UV) pip compile -q --python $(PY311) --find-links /opt/wheels requirements/app.in -o requirements/app.lock
	$(UV) pip compile -q --python $(PY310) requirements/rasa.in -o requirements/rasa.lock

train: install ## Train the Rasa model if training data or config changed (and only then)
	$(BIN)/tinget bot train

db: install ## Create or migrate the database (SQLite by default, DATABASE_URL for Postgres)
	$(BIN)/tinget db upgrade

demo: db ## Load the demo municipality, its KB and demo users (prints the logins)
	$(BIN)/tinget demo load

run: install train demo ## Install, train what is missing, start everything, print the URLs
	@mkdir -p instance
	TINGET_PORT=$(PORT) $(BIN)/honcho -f Procfile start

test: install train ## Install, then run the whole test suite
	$(BIN)/pytest -q

test-fast: install ## Tests that need no Rasa model or browser
	$(BIN)/pytest -q -m "not rasa and not browser and not scale"

lint: install ## Ruff
	$(BIN)/ruff check .

security: install ## bandit + pip-audit (skipped with the reason printed when no vulnerability DB is reachable)
	$(BIN)/python bin/security-check

eval: install train ## The intent evaluation on the shared dev set
	$(BIN)/tinget eval intents ../shared/eval-data/municipal/intents-dev.jsonl --predictions instance/eval-intents.jsonl --json

bench: install train ## All benchmarks (slow; never part of make test)
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || true; done

clean: ## Remove both virtualenvs and instance data
	rm -rf $(VENV) $(VENV_RASA) instance .rasa
