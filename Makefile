# make run  — create .venv, install redact, install the pkuseg model, mask samples/ into out/
# make test — install the test dependencies too, then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup install clean

run: setup
	rm -rf out
	$(BIN)/redact run samples/ -o out/

test: setup $(VENV)/.test-installed
	$(BIN)/python -m pytest -q

setup: $(STAMP)
	$(BIN)/redact setup

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip wheel setuptools numpy
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) out .pytest_cache
