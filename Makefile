# Two entry points on a fresh machine: `make plan` and `make test`. Each creates .venv when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := backbone
WORKFLOWS := .github/workflows
# Which Python a virtualenv runs on: its version and the installation it was made from. A .venv made by another
# Python (another version, or one since removed) is rebuilt, not reused.
WHICH_PYTHON := import sys; print(sys.version.split()[0], sys.base_prefix)
PYTHON_ID := $(shell $(PYTHON) -c '$(WHICH_PYTHON)' 2>/dev/null)
VENV_ID := $(shell test -x $(BIN)/python && $(BIN)/python -c '$(WHICH_PYTHON)' 2>/dev/null)
ifneq ($(PYTHON_ID),$(VENV_ID))
REBUILD := rebuild-venv
endif

.PHONY: plan test lint typecheck unit workflows dist bench clean rebuild-venv mutate

$(STAMP): pyproject.toml $(REBUILD)
	@if [ -e $(VENV) ] && [ "$(PYTHON_ID)" != "$(VENV_ID)" ]; then \
		echo "$(VENV) was made by another Python ($(or $(VENV_ID),gone)); rebuilding it with $(PYTHON_ID)"; \
		rm -rf $(VENV); fi
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

# The GitHub workflows: no security finding at medium or above (zizmor, offline), and valid against GitHub's
# workflow schema; the example pipelines against GitLab's and Azure DevOps' (schemas bundled with check-jsonschema,
# so no network).
workflows: $(STAMP)
	$(BIN)/zizmor --offline --min-severity medium $(WORKFLOWS) examples/ci/github-sharded.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)/*.yml examples/ci/github-sharded.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.gitlab-ci examples/ci/gitlab-ci.yml
	# the Azure schema's patterns are not Unicode-mode ECMAScript: checked as the non-Unicode dialect
	$(BIN)/check-jsonschema --builtin-schema vendor.azure-pipelines --regex-variant nonunicode 		examples/ci/azure-pipelines.yml

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck workflows unit

# The sdist and the wheel, in dist/ (what the release workflow attaches to a GitHub release).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .

bench: $(STAMP)
	$(BIN)/python -m benchmarks.plan_speed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist build mutants mutate.log

# Mutation testing (docs/testing.md): mutmut over the pack's rules and inventory, the reports, the loader and the
# pricing, each mutant against the tests that reach it; the last line is the score, and the run fails under 90 %.
MUTATE_MIN ?= 90
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	rm -rf mutants
	BACKBONE_FUZZ_EXAMPLES=$${BACKBONE_FUZZ_EXAMPLES:-30} $(BIN)/mutmut run --max-children $${MUTATE_CHILDREN:-2} > mutate.log 2>&1 || (tail -40 mutate.log; exit 2)
	$(BIN)/python -m benchmarks.mutation_score --min $(MUTATE_MIN)
