# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := HUB_ENV=development

# Front-end assets come from npm (pinned: govuk-frontend-jinja 4.1's macros target 6.3.0) and
# are copied into hub/static/vendor (git-ignored); the app serves them itself at run time.
GOVUK_FRONTEND := 6.3.0
AXE_CORE := 4.14.1
FRONTEND_BUILD := build/frontend
VENDOR := hub/static/vendor

.PHONY: run test install install-test frontend browser test-servers lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENDOR)/.govuk-frontend-$(GOVUK_FRONTEND):
	mkdir -p $(FRONTEND_BUILD)
	test -f $(FRONTEND_BUILD)/package.json || echo '{"private": true}' > $(FRONTEND_BUILD)/package.json
	cd $(FRONTEND_BUILD) && npm install --no-audit --no-fund --silent govuk-frontend@$(GOVUK_FRONTEND) axe-core@$(AXE_CORE)
	rm -rf $(VENDOR)/govuk-frontend
	mkdir -p $(VENDOR)/govuk-frontend
	cp $(FRONTEND_BUILD)/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
	   $(FRONTEND_BUILD)/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(VENDOR)/govuk-frontend/
	cp -r $(FRONTEND_BUILD)/node_modules/govuk-frontend/dist/govuk/assets $(VENDOR)/govuk-frontend/assets
	touch $@

## make frontend: GOV.UK Frontend into hub/static/vendor (axe-core stays in build/ for the browser tests)
frontend: $(VENDOR)/.govuk-frontend-$(GOVUK_FRONTEND)

## make browser: Debian's Chromium for the browser tests (installed when missing and we are root)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'apt-get install chromium' as root (browser tests will be skipped)"; fi; \
	fi

## make run: install, migrate, load the demo partnership and data, serve on 127.0.0.1:5000
run: install frontend
	$(DEV_ENV) $(BIN)/hub db upgrade
	$(DEV_ENV) $(BIN)/hub partnership load hub/partnership/data/worcestershire-demo.yaml
	$(DEV_ENV) $(BIN)/hub demo seed
	$(DEV_ENV) $(BIN)/hub serve --host 127.0.0.1 --port 5000

## make test: install with the test extras and run the whole suite (SQLite, and PostgreSQL/Redis when they answer)
test: install-test frontend browser test-servers
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

## the IMAP tests run a private dovecot (Debian's dovecot-imapd): installed here when missing and we are root;
## otherwise those tests skip (with CI=true they fail)
test-servers:
	@if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing dovecot-imapd for the IMAP tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dovecot-imapd >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dovecot-imapd >/dev/null; }; \
	else echo "dovecot-imapd is not installed: the IMAP tests will be skipped"; fi

bench: install-test
	@ls bench/*.py

clean:
	rm -rf $(VENV) instance .pytest_cache
