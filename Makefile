# The two commands a newcomer needs: `make run` and `make test`.
# Both set up everything first: a virtualenv, Python and npm packages, built assets.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Tests run on every core; set PYTEST_ARGS= (empty) to run them in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run test setup assets db serve clean

# Links in the demo's emails and set-up message point where `make run` serves, unless
# BASE_URL says otherwise (make run PORT=5055 prints a link to port 5055).
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: setup db
	$(FLASK) demo-data --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed portal/static/.built

db: setup
	$(FLASK) db upgrade

# Production-style serving: the schema is prepared once, before workers start.
serve: export BASE_URL ?= http://$(HOST):$(PORT)
serve: setup
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn wsgi:app

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

assets/node_modules/.installed: assets/package.json assets/package-lock.json
	cd assets && npm ci --no-audit --no-fund --loglevel=error
	touch $@

portal/static/.built: assets/node_modules/.installed assets/build.mjs $(wildcard assets/scss/*.scss assets/js/* assets/images/*)
	cd assets && npm run --silent build
	touch $@

assets: portal/static/.built

clean:
	rm -rf $(VENV) assets/node_modules portal/static instance/*.sqlite3
