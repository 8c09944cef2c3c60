# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := HUB_ENV=development

.PHONY: run test install install-test test-servers lint bench clean

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

## make run: install, migrate, load the demo partnership and data, serve on 127.0.0.1:5000
run: install
	$(DEV_ENV) $(BIN)/hub db upgrade
	$(DEV_ENV) $(BIN)/hub partnership load hub/partnership/data/worcestershire-demo.yaml
	$(DEV_ENV) $(BIN)/hub demo seed
	$(DEV_ENV) $(BIN)/hub serve --host 127.0.0.1 --port 5000

## make test: install with the test extras and run the whole suite (SQLite, and PostgreSQL/Redis when they answer)
test: install-test test-servers
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
