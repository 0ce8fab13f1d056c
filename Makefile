# Two commands for a newcomer: `make run` (set up and start on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Every install is held to the versions deployments get (`make lock` refreshes them).
CONSTRAINTS := requirements/constraints.txt

.PHONY: run test bench setup setup-test vendor lock browser node-test clean

run: setup
	$(BIN)/facilitation serve --host $(HOST) --port $(PORT)

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Our server beside a bare Flask-SocketIO server, same run; servers on core 0, load generator on core 1.
# BENCH_ARGS e.g. "-n 500 --scenarios join,fanout --database-url postgresql+psycopg://postgres@127.0.0.1/test".
bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks.suite $(BENCH_ARGS)

# Running needs Python only: the socket.io browser bundle is committed in static/vendor.
setup: $(VENV)/.installed

setup-test: setup $(VENV)/.installed-test browser node-test

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(CONSTRAINTS) $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[bench]'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

$(VENV)/.installed-lock: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[lock]'
	touch $@

# The newest versions pyproject.toml allows, pinned for deployments, CI and `make setup`; commit the result.
lock: $(VENV)/.installed-lock
	CUSTOM_COMPILE_COMMAND='make lock' $(BIN)/pip-compile --quiet --upgrade --all-extras --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file $(CONSTRAINTS) pyproject.toml

# The tests' Node packages (package.json's devDependencies: axe-core, and oidc-provider, the OpenID
# provider the staff sign-in is tested against) and socket.io-client for `make vendor`; `make run`
# needs none of them. From the npm registry, pinned in package-lock.json, never a CDN.
node-test: node_modules/.installed-test

node_modules/.installed-test: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Refreshes the committed socket.io bundle, its licence and version from package-lock.json's
# socket.io-client (tests/test_vendor.py checks they agree); commit the result.
vendor: node_modules/.installed-test
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js static/vendor/
	cp node_modules/socket.io-client/LICENSE static/vendor/socket.io-client.LICENSE
	node -p 'JSON.stringify({"socket.io-client": require("./node_modules/socket.io-client/package.json").version}, null, 1)' \
	  > static/vendor/versions.json

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser of its own),
# poppler-utils (pdftoppm, pdftotext) to read the record page printed to PDF, and Debian's nginx for
# tests/e2e/test_nginx_deploy.py (it runs deploy/nginx/facilitation.conf from a temporary folder of its own).
browser:
	@{ command -v chromium && command -v pdftotext && test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils nginx >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils nginx >/dev/null; fi; }

# The committed bundle in static/vendor stays.
clean:
	rm -rf $(VENV) node_modules build dist
