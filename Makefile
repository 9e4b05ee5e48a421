# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make run    create .venv, install the bot (the `hearth` command), run it (SQLite by default)
#   make test   create .venv, install dev tools, run lint, types and all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check demo lint types pytest lock clean bench

run: $(VENV)/.runtime
	$(BIN)/hearth run

check: $(VENV)/.runtime
	$(BIN)/hearth check

demo: $(VENV)/.runtime
	$(BIN)/hearth demo

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

# The pinned tree first, then Hearth itself in editable mode (no deps: they are all pinned above).
$(VENV)/.runtime: requirements/runtime.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements/dev.txt requirements/runtime.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.runtime $@

# Re-pin the whole dependency tree after editing pyproject.toml.
lock: $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements/runtime.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build *.egg-info
