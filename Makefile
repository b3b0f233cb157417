# Two commands: `make run` and `make test`. Everything else is a step they take.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := wsgi.py

.PHONY: run test install install-dev system-deps-runtime system-deps-test browser translations db standards demo \
	messages lint format bench clean

# Debian packages (scripts/system-deps.sh): only dpkg-query when they are there, apt-get when they are not.
system-deps-runtime:
	@scripts/system-deps.sh runtime
system-deps-test:
	@scripts/system-deps.sh test

# The app alone for `make run`; the dev extra (pytest, ruff, Playwright) on top of it for `make test`.
$(BIN)/.installed-runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@
$(BIN)/.installed-dev: $(BIN)/.installed-runtime
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The independent credential verifier's Node packages, pinned by its lock file.
tests/interop/node_modules/.installed: tests/interop/package-lock.json
	cd tests/interop && npm ci --no-audit --no-fund --silent
	touch $@

# Browser tests drive Debian's /usr/bin/chromium (or CHROMIUM_PATH). Where the distribution has none (Ubuntu
# ships Chromium as a snap only), they drive Playwright's own build, downloaded once into ~/.cache/ms-playwright.
NO_CHROMIUM = [ -z "$$CHROMIUM_PATH" ] && [ ! -x /usr/bin/chromium ]
PLAYWRIGHT_CHROMIUM = $(BIN)/python -c 'from playwright.sync_api import sync_playwright as p; \
	pw = p().start(); print(pw.chromium.executable_path); pw.stop()'
browser: $(BIN)/.installed-dev
	@if $(NO_CHROMIUM); then $(BIN)/playwright install chromium; fi

install: system-deps-runtime $(BIN)/.installed-runtime translations
install-dev: system-deps-test $(BIN)/.installed-dev translations tests/interop/node_modules/.installed browser

# Compiled catalogues are build output (not committed): rebuilt whenever a .po file changes.
translations: $(BIN)/.installed-runtime $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $* 2>&1 | grep -v "^compiling" || true

db: install
	$(BIN)/flask db upgrade

standards: db
	$(BIN)/flask standards load
	$(BIN)/flask crosswalks load

# Demo data only on the embedded default (no DATABASE_URL); `flask demo` refuses production anyway.
demo: standards
	@if [ -z "$$DATABASE_URL" ]; then $(BIN)/flask demo; fi

run: demo
	@echo "Bekwaam runs at http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The whole suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Every tool the
# suite reads its output back with is installed above, so none of those tests may skip (CI adds REQUIRE_REDIS
# and REQUIRE_SHARED, for what only its machine has).
TEST_ENV = REQUIRE_BROWSER=1 REQUIRE_PDFTOTEXT=1 REQUIRE_INTEROP=1 \
	$$(if $(NO_CHROMIUM); then echo "CHROMIUM_PATH=$$($(PLAYWRIGHT_CHROMIUM))"; fi)
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy app
	$(BIN)/python scripts/check-catalogue.py $(BABEL_KEYWORDS)
	env -u TEST_DATABASE_URL $(TEST_ENV) $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		env $(TEST_ENV) $(BIN)/pytest -p no:cacheprovider; \
	fi

# Realistic data at scale on a scratch database; prints timings and query counts (see scripts/bench.py).
bench: install
	$(BIN)/python scripts/bench.py

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache test-artifacts

# pybabel's default keywords (_, gettext, ngettext, pgettext, N_ ...) and the lazy ones forms and models use.
# N_ marks the message ids services raise (app.domain): translated where they are shown.
BABEL_KEYWORDS = -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k N_
messages: $(BIN)/.installed-runtime
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) -o translations/messages.pot --no-location --sort-output \
		app templates templates/_macros
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l nl --width 120
