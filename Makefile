# Lambda Lab: the two commands.
#   make lab    set up .venv if needed, open JupyterLab on lesson 00
#   make test   set up .venv if needed, run every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Lessons run their worker processes from here; keep pytest's output readable.
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: lab test setup lint format unit notebooks release student-bundle bench clean

setup:
	@$(PYTHON) tools/setup_env.py

lab: setup
	$(BIN)/jupyter lab notebooks/00-start-here.ipynb

test: setup lint unit release-check notebooks
	@echo "make test: every check passed."

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit:
	$(BIN)/python -m pytest -q tests

release-check:
	$(BIN)/python -m lambdalab.release --check

# Solutions: every exercise check must pass. Student notebooks: every cell must run
# and every check must say "not yet" (LAMBDALAB_CHECKS tells lambdalab.checks which).
notebooks:
	cd solutions && LAMBDALAB_CHECKS=must-pass ../$(BIN)/python -m pytest -q --nbval-lax -p no:cacheprovider .
	cd notebooks && LAMBDALAB_CHECKS=must-fail ../$(BIN)/python -m pytest -q --nbval-lax -p no:cacheprovider .

release: setup
	$(BIN)/python -m lambdalab.release

student-bundle: setup
	$(BIN)/python -m lambdalab.release --bundle

bench: setup
	$(BIN)/python bench/engine.py

clean:
	rm -rf build dist *.egg-info test-artifacts
