# Two commands for a new machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint typecheck layers contracts pytest test-db test-faults openapi bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/charter serve $(ARGS)

test: $(STAMP) check pytest

check: lint typecheck layers contracts

lint: $(STAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

typecheck: $(STAMP)
	$(BIN)/mypy app

layers: $(STAMP)
	$(BIN)/lint-imports

contracts: $(STAMP)
	$(BIN)/charter openapi --check

pytest: $(STAMP)
	$(BIN)/pytest -q

# Integration and API tests against a separately run server (DATABASE_URL or CHARTER_TEST_DATABASE_URL).
test-db: $(STAMP)
	$(BIN)/pytest -q tests/integration tests/api

# Fault tests: their own PostgreSQL stopped, killed and restarted under load, charter serve
# killed and restarted (a few minutes; not part of `make test`).
test-faults: $(STAMP)
	timeout 600 $(BIN)/pytest -q -s -m faults tests/faults

openapi: $(STAMP)
	$(BIN)/charter openapi

bench: $(STAMP)
	$(BIN)/python -m bench.run $(ARGS)

clean:
	rm -rf $(VENV) .charter .pytest_cache .mypy_cache .ruff_cache
