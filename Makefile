# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    create .venv, install the bot, run it (SQLite by default)
#   make test   create .venv, install dev tools, run lint, types and all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check lint types pytest lock clean bench

run: $(VENV)/.runtime
	$(BIN)/python -m bot

check: $(VENV)/.runtime
	$(BIN)/python -m bot check

test: $(VENV)/.dev lint types pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.dev
	$(BIN)/mypy

pytest: $(VENV)/.dev
	$(BIN)/python -m pytest

# Benchmarks: the real bot against the fake Discord under Discord's rate limits (about 6 min).
# Options go through ARGS, e.g. make bench ARGS="--servers 2000 --only fanout"; several processes on one
# token (about 20 min): make bench ARGS="--processes 2 --backend postgresql --postgres URL".
bench: $(VENV)/.dev
	$(BIN)/python -m bench $(ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements/runtime.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/runtime.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt requirements/runtime.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(VENV)/.runtime $@

# Re-pin the whole dependency tree after editing pyproject.toml.
lock: $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements/runtime.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
