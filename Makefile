# Two entry points on a fresh machine: `make plan` and `make test`. Each creates .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := backbone

.PHONY: plan test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

plan: $(STAMP)
	$(BIN)/backbone plan

lint: $(STAMP)
	$(BIN)/ruff check $(PACKAGES) tests benchmarks __main__.py conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy $(PACKAGES)

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks.plan_speed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
