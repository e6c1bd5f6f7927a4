# One entry point for development tasks; CI calls `make test` too.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## The main job: compile the bundled dataset into SQLite and summarise it.
run: $(STAMP)
	$(BIN)/minilat build
	$(BIN)/minilat groupings

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q src tests

## Everything CI checks: lint, types, the test suite, the bundled dataset.
test: lint typecheck unit
	$(BIN)/minilat validate

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_network.py
	$(BIN)/python benchmarks/bench_coalition.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
