# synthreview — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.DEFAULT_GOAL := help
.PHONY: help install run test test-app test-browser lint fix bench chromium clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

run: install ## Start the app on http://localhost:8501 (Adult sample, on-disk DuckDB file)
	$(PY) -m streamlit run app.py --server.port $(PORT)

chromium: ## Install Debian's Chromium for the browser tests when it is missing
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# Two pytest-xdist workers (one on a 1-core machine). The browser tests are one xdist group
# (tests/conftest.py): they run one after another on one worker, the rest on the other
test: install chromium lint ## Lint, then the whole suite: core, AppTest pages, Playwright journeys
	$(PY) -m pytest -n auto --maxprocesses 2 --dist loadgroup

test-app: install ## Only the AppTest page tests
	$(PY) -m pytest tests/app

test-browser: install chromium ## Only the Playwright journeys in headless Chromium
	$(PY) -m pytest tests/browser

lint: install ## Ruff
	$(PY) -m ruff check .

fix: install ## Ruff with fixes
	$(PY) -m ruff check --fix .

bench: install ## Time load, schema, each generator and the evaluation on Adult; prints the figures
	$(PY) -m bench.run

clean: ## Remove the virtualenv and caches (keeps data/)
	rm -rf $(VENV) .pytest_cache .ruff_cache
