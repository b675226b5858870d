# Balise — two commands on a fresh machine with Python 3.11 and make:
#   make run    set everything up and serve Balise at http://127.0.0.1:8000
#   make test   run the whole test suite
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) -m django
DEV_ENV := BALISE_DEV=1 DJANGO_SETTINGS_MODULE=balise.site.settings
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run setup-demo test test-fast test-browser messages lint bench worker serve clean

$(VENV)/.installed: pyproject.toml package.json
	@command -v $(PYTHON) >/dev/null || { echo "Balise needs Python 3.11+ as '$(PYTHON)' (set PYTHON=...)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund || npm install --silent --no-audit --no-fund; \
	  else echo "npm not found: browser accessibility tests (axe-core) will be skipped"; fi
	touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	$(PY) -m balise.i18n.compile_messages

setup-demo: install
	$(DEV_ENV) $(MANAGE) migrate --noinput -v 0
	$(DEV_ENV) $(MANAGE) space_import
	$(DEV_ENV) $(MANAGE) content_import
	$(DEV_ENV) $(MANAGE) demo_accounts
	$(DEV_ENV) $(MANAGE) demo_profile
	$(DEV_ENV) $(MANAGE) demo_campaigns
	$(DEV_ENV) $(MANAGE) demo_certification

run: setup-demo
	@echo "Balise is running at http://$(HOST):$(PORT)/ and the FWB space at http://fwb.localhost:$(PORT)/ (demo logins in README.md; Ctrl+C to stop)"
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# A production-like start: gunicorn + WhiteNoise, and the task worker. See docs/operating.md.
serve: install
	$(PY) -m django collectstatic --noinput -v 0 --settings=balise.site.settings
	$(VENV)/bin/gunicorn balise.site.wsgi -c python:balise.site.gunicorn_config --preload --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}

worker: install
	$(PY) -m django db_worker --settings=balise.site.settings

test: install
	$(VENV)/bin/ruff check src tests bench
	$(PY) -m balise content check content
	PYTHONPATH=src $(VENV)/bin/lint-imports
	BALISE_TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

test-browser: install
	BALISE_TESTING=1 $(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests bench
	PYTHONPATH=src $(VENV)/bin/lint-imports

bench: install
	$(PY) bench/bench_positioning.py
	$(PY) bench/bench_certification.py

clean:
	rm -rf $(VENV) node_modules staticfiles var
