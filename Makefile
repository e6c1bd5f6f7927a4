# One entry point for development tasks. `make test` is the quick loop; `make check` is
# everything, heavy groups included, and is what CI (.ci/run) runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME := $(VENV)/.runtime
#: The runtime dependencies at the versions tested (written by `make lock`, pip-tools).
LOCK := requirements.lock
#: The port of `make run` (`make run PORT=8080`).
PORT ?= 8000

.PHONY: check-python run run-install lock test check lint typecheck unit suite bench docs case-studies install clean mutation

## Development: the runtime dependencies as locked, plus the development tools.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e ".[dev]"
	touch $(STAMP) $(RUNTIME)

install: $(STAMP)

## Running only: the runtime dependencies at the locked versions, then minilat itself
## without resolving anything again (no test or lint tools).
$(RUNTIME): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(RUNTIME)

run-install: $(RUNTIME)

## The main job: the observatory on the bundled data and the embedded SQLite store.
run: $(RUNTIME)
	$(BIN)/minilat serve --port $(PORT)

## Another supported Python (PY=python3.12): the locked runtime install in a fresh
## environment, then the dataset validated and a command run (CI does this for 3.12).
PY ?= python3.12
CHECK_VENV := /tmp/minilat-check-$(notdir $(PY))
check-python:
	rm -rf $(CHECK_VENV)
	$(PY) -m venv $(CHECK_VENV)
	$(CHECK_VENV)/bin/python -m pip install --quiet -r $(LOCK)
	$(CHECK_VENV)/bin/python -m pip install --quiet --no-deps .
	cd /tmp && XDG_CACHE_HOME=$(CHECK_VENV)/cache $(CHECK_VENV)/bin/minilat validate >/dev/null
	cd /tmp && XDG_CACHE_HOME=$(CHECK_VENV)/cache $(CHECK_VENV)/bin/minilat members quad --json >/dev/null
	@echo "ok: minilat installs and runs on $$($(CHECK_VENV)/bin/python --version)"

## Re-pin the runtime dependencies (after changing them in pyproject.toml), then test.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file=$(LOCK) pyproject.toml

lint: $(STAMP)
	$(BIN)/ruff check --no-cache src tests benchmarks scripts
	$(BIN)/ruff format --check --no-cache src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

## The suite without its heavy groups (`-m "not heavy"`: Spark, PostgreSQL, the browser,
## the reverse proxies, load and memory, benchmarks end to end; tests/conftest.py).
unit: $(STAMP)
	$(BIN)/pytest -q -n 2 -m "not heavy"

## The whole suite, every heavy group included (doctests too: testpaths is src and tests).
suite: $(STAMP)
	$(BIN)/pytest -q -n 2

## The quick loop: lint, types, the suite without its heavy groups, the bundled dataset.
test: lint typecheck unit
	$(BIN)/minilat validate

## Everything, as CI runs it: lint, types, the whole suite, the bundled dataset.
check: lint typecheck suite
	$(BIN)/minilat validate

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_network.py
	$(BIN)/python benchmarks/bench_coalition.py --repeats 5
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_serving.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_panels.py
	$(BIN)/python benchmarks/bench_whatif.py --repeats 3
	$(BIN)/python benchmarks/bench_monitor.py
	$(BIN)/python benchmarks/bench_life.py --repeats 3

## Mutation testing of the core modules (slow, not in CI; scores in docs/testing.md).
## One group: make mutation GROUPS=model
GROUPS ?=
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py $(GROUPS)

## Regenerate the generated parts of the docs: the CLI reference and the case studies.
docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py
	$(BIN)/python scripts/codebook.py
	$(BIN)/python scripts/benchmarks_doc.py

## The date the committed case studies describe; override with AS_OF=YYYY-MM-DD.
AS_OF ?= 2026-11-28
case-studies: $(STAMP)
	for c in IND GBR EST; do \
	  $(BIN)/minilat report country $$c --as-of $(AS_OF) --out docs/case-studies/$$c.md; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
