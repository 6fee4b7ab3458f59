# Two commands: `make run` serves the demo site, `make test` runs the whole suite.
# Both set up everything they need first (virtualenv, dependencies, database).
# `make test-fast` is the loop while working: the suite without the tests
# marked browser, servers or slow (pyproject.toml), in about 5 minutes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
ENV_FILE := data/env

# `make run` is a loopback demo over plain HTTP: production settings with the
# HTTPS-only switches off unless the environment says otherwise.
RUN_ENV := DJANGO_SETTINGS_MODULE=newsroom.settings.production \
	SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false}

.PHONY: run test test-fast lint format setup clean check-python bench bench-day bench-follow loadtest explain

# BASE_URL, the address every absolute link uses, is the one served here
# unless the environment names another (a tunnel, a proxy in front).
run: $(VENV)/.runtime $(ENV_FILE)
	@set -a; . ./$(ENV_FILE); set +a; export $(RUN_ENV); \
	export BASE_URL=$${BASE_URL:-http://$${HOST:-127.0.0.1}:$${PORT:-8000}}; \
	$(MANAGE) migrate --no-input && \
	$(MANAGE) set_site_url && \
	$(MANAGE) collectstatic --no-input --verbosity 0 && \
	$(MANAGE) load_demo && \
	$(MANAGE) schedule_digests && \
	echo "" && \
	echo "Serving http://$${HOST:-127.0.0.1}:$${PORT:-8000}/  (admin: /admin/; BASE_URL $$BASE_URL)" && \
	echo "Plain HTTP on loopback (SECURE_SSL_REDIRECT=$$SECURE_SSL_REDIRECT): a local demo, not a deployment." && \
	echo "Demo logins: reporter / $$DEMO_REPORTER_PASSWORD    editor / $$DEMO_EDITOR_PASSWORD" && \
	echo "The background worker runs beside the site; mail it sends is printed here." && \
	echo "" && \
	exec $(BIN)/honcho start --procfile Procfile

test: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -m "not browser and not servers and not slow" $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: $(VENV)/.dev

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		echo "Python 3.12 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
		echo "Install it (pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 ..."; \
		exit 1; }

$(VENV)/.runtime: requirements.txt | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Secrets for the local demo, made once and kept out of git.
$(ENV_FILE): | $(VENV)/.runtime
	@mkdir -p data
	@$(BIN)/python -c 'import secrets; t = secrets.token_urlsafe; \
		print(f"SECRET_KEY={t(50)}\nDEMO_REPORTER_PASSWORD={t(12)}\nDEMO_EDITOR_PASSWORD={t(12)}")' > $@
	@echo "Wrote $@ (secret key and demo passwords for this checkout)."

clean:
	rm -rf $(VENV) data static

# Benchmark: synthetic sites (BENCH_SIZES, default "1000 20000 100000") under
# wrk, or locust where wrk is not installed, then the newsroom day; writes
# bench/results.md and fails when a figure misses its target by over 10 %.
bench: $(VENV)/.dev
	$(BIN)/python -m bench.run

# The newsroom day alone: readers while an editor publishes, once per way of
# invalidating the page cache (BENCH_DAY_SIZE 20000, BENCH_DAY_SECONDS 120,
# BENCH_DAY_SPEEDUP 10); fails when the hit ratio misses its target.
bench-day: $(VENV)/.dev
	$(BIN)/python -m bench.day

# Publishing a correction to 10,000 followers is as fast as to none (within
# 10 %), and the worker then sends every mail; writes bench/follow.md.
bench-follow: $(VENV)/.dev
	$(BIN)/python -m bench.follow

# Load test: readers and editors at once (locust) against gunicorn; SQLite, or
# PostgreSQL when DATABASE_URL names a server. Writes bench/loadtest.md and
# fails on any failed request or lost write. LOADTEST_SECONDS (60),
# LOADTEST_USERS (32), LOADTEST_EDITORS (3), LOADTEST_STORIES (500).
loadtest: $(VENV)/.dev
	$(BIN)/python -m bench.loadtest

# Query plans of every reader page on the PostgreSQL database of DATABASE_URL
# (build a site there first with generate_load); writes bench/explain.md.
explain: $(VENV)/.runtime
	$(BIN)/python -m bench.explain
