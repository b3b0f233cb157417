# Two commands: `make run` and `make test`. Everything else is a step they take.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := wsgi.py

.PHONY: run test install translations db standards demo messages lint format bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed translations

# Compiled catalogues are build output (not committed): rebuilt whenever a .po file changes.
translations: $(BIN)/.installed $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $* 2>&1 | grep -v "^compiling" || true

db: install
	$(BIN)/flask db upgrade

standards: db
	$(BIN)/flask standards load

# Demo data only on the embedded default (no DATABASE_URL); `flask demo` refuses production anyway.
demo: standards
	@if [ -z "$$DATABASE_URL" ]; then $(BIN)/flask demo; fi

run: demo
	@echo "Bekwaam runs at http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The whole suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set (CI sets it).
test: install
	$(BIN)/ruff check .
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		$(BIN)/pytest -p no:cacheprovider; \
	fi

# Realistic data at scale on a scratch database; prints timings and query counts (see scripts/bench.py).
bench: install
	$(BIN)/python scripts/bench.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache test-artifacts

messages: install
	$(BIN)/pybabel extract -F babel.cfg -o translations/messages.pot --no-location --sort-output app templates templates/_macros
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l nl --width 120
