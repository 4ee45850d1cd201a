# Two entry points on a fresh machine: `make plan` and `make test`. Each creates .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := backbone

.PHONY: plan test lint typecheck unit bench clean mutate

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

# Mutation testing (docs/testing.md): mutmut over the pack's rules and inventory, the reports, the loader and the
# pricing, each mutant against the tests that reach it; the last line is the score, and the run fails under 90 %.
MUTATE_MIN ?= 90
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children $${MUTATE_CHILDREN:-2} > mutate.log 2>&1 || (tail -40 mutate.log; exit 2)
	$(BIN)/python -m benchmarks.mutation_score --min $(MUTATE_MIN)
