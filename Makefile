# saferhub: the two commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# The PostgreSQL that CI provides (trust auth). Override to point at your own.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install lint demo worker test syscheck test-sqlite test-postgres bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/test.txt package.json package-lock.json
	@command -v $(PYTHON) >/dev/null || { echo "saferhub needs $(PYTHON) (Python 3.11) on PATH; install it or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	@command -v npm >/dev/null || { echo "saferhub needs Node.js and npm for the GOV.UK Design System assets (apt-get install nodejs npm)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements/test.txt
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python -m saferhub.frontend node_modules
	touch $@

# ruff (lint and format) over the code and tests; mypy --strict on the typed layers (pyproject.toml).
lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy src/saferhub/domain src/saferhub/rendering

# The demo serves the app with the job worker (`saferhub worker`) beside it, and stops both on Ctrl-C.
demo: install
	$(BIN)/saferhub migrate --noinput
	$(BIN)/saferhub demo $(DEMO_ARGS)

# The job worker alone (imports started from /data/), for a server started some other way.
worker: install
	$(BIN)/saferhub migrate --noinput
	$(BIN)/saferhub worker

# The two databases' suites run side by side (one core each), each with its own SAFERHUB_HOME;
# their outputs are shown one after the other. `make test-sqlite` / `make test-postgres` run one.
test: install syscheck
	@if $(BIN)/python -m saferhub.dbcheck "$(TEST_POSTGRES_URL)"; then \
	  echo "== test suites on SQLite and on PostgreSQL ($(TEST_POSTGRES_URL)), side by side =="; \
	  mkdir -p var; \
	  $(MAKE) --no-print-directory test-postgres > var/test-postgres.log 2>&1 & pg=$$!; \
	  $(MAKE) --no-print-directory test-sqlite; sqlite=$$?; \
	  wait $$pg; postgres=$$?; \
	  cat var/test-postgres.log; \
	  echo "== SQLite: $$( [ $$sqlite = 0 ] && echo passed || echo FAILED ); PostgreSQL: $$( [ $$postgres = 0 ] && echo passed || echo FAILED ) =="; \
	  [ $$sqlite = 0 ] && [ $$postgres = 0 ]; \
	else \
	  echo "== PostgreSQL not reachable at $(TEST_POSTGRES_URL): the suite runs on SQLite only. Set TEST_POSTGRES_URL to run it on yours. =="; \
	  if [ -n "$$CI" ]; then echo "CI expects PostgreSQL: failing."; exit 1; fi; \
	  $(MAKE) --no-print-directory test-sqlite; \
	fi

syscheck: install
	@$(BIN)/python -m saferhub.syscheck

test-sqlite: install
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL SAFERHUB_HOME=$(CURDIR)/var/test-home-sqlite $(BIN)/pytest

test-postgres: install
	@echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL)) =="
	DATABASE_URL="$(TEST_POSTGRES_URL)" SAFERHUB_HOME=$(CURDIR)/var/test-home-postgres $(BIN)/pytest

bench: install
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements/bench.txt
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/report_formats.py
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3 build
