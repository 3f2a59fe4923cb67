# Shine — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup run test lint typecheck unit integration e2e down snapshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/python -m infra.face_models
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

## Provision Kafka + Postgres under var/, migrate, create topics, run the edge and every consumer.
run: setup
	$(BIN)/shine run

## Lint, type-check, then every test against real Kafka and Postgres started by the test session.
test: setup lint typecheck
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q tests/unit

integration: setup
	$(BIN)/pytest -q tests/integration

e2e: setup
	$(BIN)/pytest -q tests/e2e

snapshots: setup
	$(BIN)/python -m schemas.snapshots

bench: setup
	$(BIN)/python -m bench.analysis
	$(BIN)/python -m bench.recommendations
	$(BIN)/python -m bench.discovery

down: setup
	$(BIN)/shine down

clean: down
	$(BIN)/python -c "from pathlib import Path; from infra.postgres_home import remove_home; remove_home(Path('var'))"
	rm -rf var $(VENV)
