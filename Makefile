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

.PHONY: run test test-tools setup assets db serve clean

# Links in the demo's emails and set-up message point where `make run` serves, unless
# BASE_URL says otherwise (make run PORT=5055 prints a link to port 5055).
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: setup db
	$(FLASK) demo-data --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

test: test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What the tests need from the system besides Python, checked before they run: pdftotext
# reads the PDFs back (report and subject access figures; without it those checks would
# skip), and WeasyPrint needs HarfBuzz's subset library (without it WeasyPrint warns on
# import, which the suite's filterwarnings=error turns into failures). A missing one
# stops make test with the command that installs it.
test-tools: setup
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "make test needs pdftotext to read the PDFs back: sudo apt-get install poppler-utils" >&2; exit 1; }
	@$(BIN)/python -W error::DeprecationWarning -c "import weasyprint" || { \
	  echo "make test needs HarfBuzz's subset library for PDFs (WeasyPrint): sudo apt-get install libharfbuzz-subset0" >&2; exit 1; }

setup: $(VENV)/.installed portal/static/.built

db: setup
	$(FLASK) db upgrade

# Production-style serving: the schema is prepared once, before workers start.
# gunicorn needs a real SECRET_KEY: the one in the environment, or else one made once
# for this machine in instance/secret_key (readable by its owner only).
serve: export BASE_URL ?= http://$(HOST):$(PORT)
serve: setup instance/secret_key
	SECRET_KEY="$${SECRET_KEY:-$$(cat instance/secret_key)}" GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn wsgi:app

instance/secret_key:
	mkdir -p instance
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))' > $@

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
