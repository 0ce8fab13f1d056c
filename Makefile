# Two commands for a newcomer: `make run` (set up and start on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench setup setup-test vendor browser node-test clean

run: setup
	$(BIN)/facilitation serve --host $(HOST) --port $(PORT)

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Our server beside a bare Flask-SocketIO server, same run; servers on core 0, load generator on core 1.
# BENCH_ARGS e.g. "-n 500 --scenarios join,fanout --database-url postgresql+psycopg://postgres@127.0.0.1/test".
bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.suite $(BENCH_ARGS)

setup: $(VENV)/.installed vendor

setup-test: setup $(VENV)/.installed-test browser node-test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Browser libraries come from the npm registry (pinned in package-lock.json), never a CDN.
vendor: static/vendor/.installed

static/vendor/.installed: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js static/vendor/
	touch $@

# The tests' Node packages too (package.json's devDependencies: axe-core, and oidc-provider, the OpenID
# provider the staff sign-in is tested against); `make run` installs none of them.
node-test: node_modules/.installed-test

node_modules/.installed-test: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser of its own),
# and poppler-utils (pdftoppm, pdftotext) to read the record page printed to PDF.
browser:
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; fi; }

clean:
	rm -rf $(VENV) node_modules static/vendor
