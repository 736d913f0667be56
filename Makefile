# The two commands: `make run` serves Hunar on http://127.0.0.1:5000, `make test` runs the whole suite.
# Both need only Python 3.11: they make .venv and install the pinned requirements on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench audit clean

run: $(VENV)/.runtime
	$(BIN)/python app.py

test: $(VENV)/.dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/photos.py
	$(BIN)/python bench/startup.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# Known vulnerabilities in the pinned requirements (needs PyPI's JSON API or OSV; --strict fails when a
# dependency could not be checked, so an unreachable service never passes as "no vulnerabilities").
audit: $(VENV)/.dev
	$(BIN)/pip-audit --strict --desc on -r requirements.txt -r requirements-dev.txt

clean:
	rm -rf $(VENV) .pytest_cache
