# InsidersFeed: `make run` serves the site with demo content, `make test` runs the suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# Django 6.1 needs Python 3.12 or newer: take the first interpreter on PATH (or under pyenv) that is.
PYTHON_CANDIDATES := python3.13 python3.12 python3.14 python3 python \
	$(wildcard $(HOME)/.pyenv/versions/3.1[234]*/bin/python3)
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	command -v "$$p"; break; fi; done)

export SITE_URL HOST PORT

.PHONY: help run test lint format setup lock chromium bench soak live-soak clean

help:
	@echo "make run    set up and serve the site with demo content at $(SITE_URL)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make soak   60 s of mixed load on gunicorn: zero 5xx, zero socket errors, flat memory"
	@echo "make live-soak  60 s of readers on a live page while an update is posted every 5 s"
	@echo "make bench  benchmark the hot paths against a bare Django view (PostgreSQL)"

$(VENV)/.installed: requirements.lock requirements-test.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: no Python 3.12+ found (tried: $(PYTHON_CANDIDATES))." >&2; \
		echo "Install Python 3.12 or newer, or run: make PYTHON=/path/to/python3.13 ..." >&2; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.lock
	touch $@

# The test suite's checkers from npm: the Nu Html Checker (run with Java) and axe-core.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "warning: npm not found; HTML validation and axe checks will be skipped" >&2; fi

.secret-key: | $(VENV)/.installed
	$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

setup: $(VENV)/.installed .secret-key
	DJANGO_SECRET_KEY="$$(cat .secret-key)" $(MANAGE) migrate --no-input
	DJANGO_SECRET_KEY="$$(cat .secret-key)" $(MANAGE) collectstatic --no-input --verbosity 0

run: setup
	DJANGO_SECRET_KEY="$$(cat .secret-key)" $(MANAGE) load_demo_content
	@DJANGO_SECRET_KEY="$$(cat .secret-key)" $(MANAGE) ensure_admin
	@echo "Serving $(SITE_URL) with a task worker beside it (Ctrl-C stops both)"
	@export DJANGO_SECRET_KEY="$$(cat .secret-key)"; \
	setsid $(MANAGE) run_worker --no-reload & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker; trap - EXIT' EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c gunicorn.conf.py insidersfeed.wsgi

# Browser tests need Debian's Chromium; install it where we can (root with apt), else they skip loudly.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| echo "warning: could not install chromium; browser tests will be skipped" >&2; fi

test: $(VENV)/.installed node_modules/.installed chromium
	DJANGO_SECRET_KEY=test-only-secret-key-not-for-production $(VENV)/bin/pytest $(PYTEST_ARGS)

# 60 s of mixed reader traffic at 64 connections against real gunicorn (needs wrk).
soak: $(VENV)/.installed
	@command -v wrk >/dev/null || { echo "error: wrk not found: apt-get install wrk" >&2; exit 1; }
	$(PY) bench/soak.py --duration 60 --connections 64
# 64 connections on the demo's live page while an update is posted every 5 s: zero errors, and
# every one of the 20 requests after each commit shows the new update (needs wrk).
live-soak: $(VENV)/.installed
	@command -v wrk >/dev/null || { echo "error: wrk not found: apt-get install wrk" >&2; exit 1; }
	$(PY) bench/live.py --duration 60 --connections 64
# Throughput and latency of the hot paths as ratios to a bare Django view (needs PostgreSQL).
bench: $(VENV)/.installed
	@for tool in wrk varnishd nginx; do command -v $$tool >/dev/null || MISSING="$$MISSING $$tool"; done; \
	if [ -n "$$MISSING" ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk varnish varnish-modules nginx >/dev/null; fi
	$(PY) bench/run.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-pin every dependency from pyproject.toml (needs the registry).
lock: $(VENV)/.installed
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet "$$(pwd)"
	.lock-venv/bin/pip freeze --exclude insidersfeed > requirements.lock
	.lock-venv/bin/pip install --quiet "$$(pwd)[test]"
	.lock-venv/bin/pip freeze --exclude insidersfeed > requirements-test.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
