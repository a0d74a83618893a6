# Lambda Lab: the two commands.
#   make lab    set up .venv if needed, open JupyterLab on lesson 00
#   make test   set up .venv if needed, run every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Lessons run their worker processes from here; keep pytest's output readable.
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: lab test setup lint format unit release-check notebooks solutions-nbval mistakes grading browser release student-bundle bench bench-mistakes clean

setup:
	@$(PYTHON) tools/setup_env.py

# Served from the course folder, so the lessons' links to ../assets and ../README work.
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb

test: setup lint unit release-check notebooks mistakes grading browser
	@echo "make test: every check passed."

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit:
	$(BIN)/python -m pytest -q tests --ignore=tests/grading --ignore=tests/browser \
		--ignore=tests/mistakes

# The student kit (make student-bundle) has no solutions/ and no tests/grading/: those
# steps say so and pass.
release-check:
	@if [ -d solutions ]; then $(BIN)/python -m lambdalab.release --check; \
	else echo "release-check: no solutions/ (student kit): skipped"; fi

# Student notebooks: every cell must run and every check must say "not yet"
# (LAMBDALAB_CHECKS tells lambdalab.checks which). The solutions' side (every check must
# pass) runs in `make mistakes`: each solved lesson twice in one kernel, must-pass.
# `make solutions-nbval` is the old single nbval run of solutions/, for a quick look.
notebooks:
	cd notebooks && LAMBDALAB_CHECKS=must-fail ../$(BIN)/python -m pytest -q --nbval-lax -p no:cacheprovider .

solutions-nbval:
	cd solutions && LAMBDALAB_CHECKS=must-pass ../$(BIN)/python -m pytest -q --nbval-lax -p no:cacheprovider .

# Typical wrong answers at every exercise, each walked through its lesson in one kernel
# (tests/mistakes/): the check names the cause, the right answer then passes, and the
# rest of the lesson runs. And every solved lesson Run All twice in one kernel with
# LAMBDALAB_CHECKS=must-pass, then its exercises re-run last first. One lesson per worker.
mistakes:
	@if [ -d solutions ]; then $(BIN)/python -m pytest -q -n 2 --dist loadfile tests/mistakes; \
	else echo "mistakes: no solutions/ (student kit): skipped"; fi

# The instructors' grader against its fixture set (docs/grading.md).
grading:
	@if [ -d tests/grading ]; then $(BIN)/python -m pytest -q tests/grading; \
	else echo "grading: no tests/grading/ (student kit): skipped"; fi

# JupyterLab in headless Chromium: lesson 00 and the pricing calculator (screenshots in
# test-artifacts/). Without Chromium it is skipped with a loud message, except in CI.
browser:
	$(BIN)/python -m pytest -q -rs tests/browser

release: setup
	$(BIN)/python -m lambdalab.release

student-bundle: setup
	$(BIN)/python -m lambdalab.release --bundle

bench: setup
	$(BIN)/python bench/engine.py

# Seconds from a check cell with a wrong answer to its feedback, every case of the suite.
bench-mistakes: setup
	$(BIN)/python bench/mistakes.py

clean:
	rm -rf build dist *.egg-info test-artifacts
