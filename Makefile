# Kinerja — two commands from a fresh clone: `make demo` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
PORT   ?= 8000
BIN    := $(VENV)/bin
DEMO_DB ?= sqlite:///$(CURDIR)/instance/demo.db

.PHONY: install translations translations-update demo serve test lint browser system-packages js-packages bench loadtest clean worker

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations

# After changing UI strings: refresh the English catalogue, then translate the new entries.
translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations

install: $(VENV)/.installed translations

demo: install system-packages
	mkdir -p instance
	KINERJA_DEMO=1 DATABASE_URL=$(DEMO_DB) $(BIN)/flask --app wsgi db upgrade
	KINERJA_DEMO=1 DATABASE_URL=$(DEMO_DB) $(BIN)/flask --app wsgi tenants onboard tenants/*.toml
	KINERJA_DEMO=1 DATABASE_URL=$(DEMO_DB) $(BIN)/flask --app wsgi demo seed
	@echo "Kinerja demo on http://127.0.0.1:$(PORT)/  (accounts: see README.md)"
	KINERJA_DEMO=1 DATABASE_URL=$(DEMO_DB) PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Debian packages the project needs beyond Python: Chromium for the browser tests
# (Playwright drives it; it never downloads a browser), Pango and fonts for
# WeasyPrint's PDFs, poppler-utils (pdftotext/pdftoppm) to read PDFs back in tests,
# and wrk for `make bench`.
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation wrk
SYSTEM_COMMANDS := chromium pdftotext pdftoppm wrk

system-packages:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2 || missing="$$missing pango"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "missing:$$missing — install Debian's packages: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; fi

# Test-only JavaScript from the npm registry, pinned by package-lock.json: axe-core, which the
# browser tests inject into every page they open (tests/browser.py). Needs Node.js and npm.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing — install Debian's nodejs and npm (sudo apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

js-packages: node_modules/.package-lock.json

browser: system-packages js-packages

# The background-job worker (needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker);
# without Redis the web process runs jobs itself and no worker is needed.
worker: install
	$(BIN)/flask --app wsgi worker

lint: $(VENV)/.installed
	$(BIN)/ruff check app plugins tests bench
	$(BIN)/lint-imports

# Tests run in parallel (pytest-xdist), one process per core, each on its own database.
test: install system-packages js-packages lint
	$(BIN)/pytest -n auto

bench: install system-packages
	$(BIN)/python -m bench.run

# Mixed traffic against a private PostgreSQL (Debian's postgresql package) restarted halfway;
# LOADTEST_SECONDS, LOADTEST_CLIENTS, LOADTEST_OUTAGE shorten or stretch it (bench/loadtest.py).
loadtest: install
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) instance/demo.db .pytest_cache node_modules
