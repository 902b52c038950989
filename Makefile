# Two commands do everything: `make run` serves the demo, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := $(BIN)/flask --app coalition

.PHONY: install run test test-postgres lint translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Serve the app on SQLite with all states and the demo at http://127.0.0.1:5000
run: install
	$(FLASK) db upgrade
	$(FLASK) seed
	COALITION_DEMO=1 $(FLASK) demo
	@echo
	@echo "Coalition is at http://127.0.0.1:5000 — log in at http://127.0.0.1:5000/login with a demo account above."
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

## Run the whole test suite (SQLite; browser tests skip, saying why, without Chromium)
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

## The suite against PostgreSQL: make test-postgres PG=postgresql://postgres@127.0.0.1:5432
PG ?= postgresql://postgres@127.0.0.1:5432
test-postgres: install
	$(BIN)/python scripts/with_postgres_database.py "$(PG)" -- $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Re-extract the messages and update the catalogs (then translate, then compile)
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o coalition/translations/messages.pot .
	$(BIN)/pybabel update -i coalition/translations/messages.pot -d coalition/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d coalition/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
