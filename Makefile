# Two commands do everything: `make run` serves the demo, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := $(BIN)/flask --app coalition

.PHONY: install run demo-reset test test-postgres bench lint translations clean vnu

# The W3C Nu validator (npm's vnu-jar, run by tests/test_html_validity.py on Java): put
# into .tools/ (not in git) by `make test` when java and npm are here.
VNU_VERSION := 26.9.27
VNU_DIR := .tools/node_modules/vnu-jar
# axe-core, the accessibility checker the browser tests run on the main pages (npm too).
AXE_VERSION := 4.11.0
AXE_DIR := .tools/node_modules/axe-core

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
	@# The worker runs in a thread beside the server: queued mail shows on this console.
	COALITION_WORKER_THREAD=1 WORKER_INTERVAL=1 $(FLASK) run --host 127.0.0.1 --port 5000

## Empty the local database and load the demo afresh (make run keeps changes between runs)
demo-reset: install
	COALITION_DEMO=1 $(FLASK) demo --reset

## Run the whole test suite (SQLite; browser and HTML-validator tests skip, saying why,
## without Chromium, or without Java and the validator)
test: install vnu
	$(BIN)/ruff check .
	$(BIN)/pytest

## The suite against PostgreSQL: make test-postgres PG=postgresql://postgres@127.0.0.1:5432
PG ?= postgresql://postgres@127.0.0.1:5432
test-postgres: install vnu
	$(BIN)/python scripts/with_postgres_database.py "$(PG)" -- $(BIN)/pytest

## Pages and API lists under load beside a floor page: make bench [SCALE=10] [BENCH_DATABASE=postgresql://…] [BENCH_ARGS="--rounds 1 --seconds 4"]
SCALE ?= 1
bench: install
	$(BIN)/python scripts/bench.py --scale $(SCALE) $(if $(BENCH_DATABASE),--database $(BENCH_DATABASE)) $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Re-extract the messages and update the catalogs (then translate, then compile)
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* __pycache__" --no-location --sort-output -o coalition/translations/messages.pot .
	$(BIN)/pybabel update -i coalition/translations/messages.pot -d coalition/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d coalition/translations

## Install vnu.jar into .tools/ if Java and npm are here (else the HTML test skips)
vnu:
	@if grep -qs '"version": "$(VNU_VERSION)"' $(VNU_DIR)/package.json; then :; \
	elif command -v java >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then \
	  echo "== installing vnu-jar $(VNU_VERSION) into .tools/ (W3C Nu validator)"; \
	  npm install --silent --no-audit --no-fund --prefix .tools vnu-jar@$(VNU_VERSION) \
	    || echo "== npm could not install vnu-jar: the HTML validation test will skip"; \
	else echo "== no java or npm: the HTML validation test will skip"; fi
	@if grep -qs '"version": "$(AXE_VERSION)"' $(AXE_DIR)/package.json; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "== installing axe-core $(AXE_VERSION) into .tools/ (accessibility checks)"; \
	  npm install --silent --no-audit --no-fund --prefix .tools axe-core@$(AXE_VERSION) \
	    || echo "== npm could not install axe-core: the accessibility check will skip"; \
	else echo "== no npm: the accessibility check will skip"; fi

clean:
	rm -rf $(VENV) instance .pytest_cache .tools
