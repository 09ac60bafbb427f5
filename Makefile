# The one entry point: make install | run | test | bench | messages
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test system-deps lint bench messages clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint constraints.txt --editable ".[dev]"
	touch $(STAMP)

run: install
	if command -v msgfmt >/dev/null; then DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv >/dev/null; fi
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo --users
	@echo "Mở http://127.0.0.1:8000 — tài khoản mẫu ở trên, mật khẩu: demo-matkhau (hoặc DEMO_PASSWORD)"
	@# A worker for background jobs (large workbook imports) beside the server, stopped with it:
	@# RQ's when REDIS_URL is set (the queue is in Redis), the database's otherwise.
	if [ -n "$$REDIS_URL" ]; then \
	  DJANGO_DEBUG=1 $(PY) manage.py rqworker --job-class django_tasks_rq.Job default & \
	else \
	  DJANGO_DEBUG=1 $(PY) manage.py db_worker --no-reload & \
	fi; worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Chromium and gettext come from Debian: installed here as root, otherwise a stop, before any test.
system-deps:
	@scripts/system-deps

test: system-deps lint
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-not-secret} $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-not-secret} $(PY) manage.py compilemessages --ignore=.venv
	@if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- 'locale/*.mo'; then \
	  echo "locale: a committed .mo was older than its .po; commit the compiled catalogue."; exit 1; fi
	@# timed: make bench reports the last run per database (.bench/make-test-*.txt)
	@started=$$(date +%s); $(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS); status=$$?; \
	  case "$${DATABASE_URL:-}" in postgres*) vendor=postgresql;; *) vendor=sqlite;; esac; \
	  if [ $$status = 0 ]; then mkdir -p .bench; \
	    echo "$$(( $$(date +%s) - started )) $$(date -u +%Y-%m-%dT%H:%MZ)" > .bench/make-test-$$vendor.txt; fi; \
	  exit $$status

# National data built once (.bench/ or <db>_bench_* on PostgreSQL), then one table with budgets;
# fails if any budget fails. Then the workbook's memory benchmarks (pytest, tests/perf).
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk sqlite3 >/dev/null; } \
	  || { echo "make bench needs wrk: sudo apt-get install -y wrk sqlite3"; exit 1; }
	$(PY) -m tests.perf.bench
	$(PY) -m pytest tests/perf -m bench -p no:cacheprovider -s $(PYTEST_ARGS)

# Only English is extracted: our msgids are Vietnamese already. locale/vi holds, by hand,
# Vietnamese for third-party apps that ship none (django-import-export).
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --locale=en --ignore=.venv --ignore=tests --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
