# Lambda Lab: the two commands.
#   make lab    set up .venv if needed, open JupyterLab on lesson 00
#   make test   set up .venv if needed, run every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Lessons run their worker processes from here; keep pytest's output readable.
export PYTHONDONTWRITEBYTECODE := 1
# Two test processes, one test file each (pytest-xdist): the machines we run on have two
# cores. `make test XDIST=` runs everything in one process.
XDIST ?= -n 2 --dist loadfile
# The Binder environment (binder/requirements.txt + binder/postBuild, tools/binder_env.py)
# the notebooks are executed in, and the name of its Jupyter kernel.
BINDER_ENV := build/binder-env
NBVAL := JUPYTER_PATH=$(CURDIR)/$(BINDER_ENV)/share/jupyter ../$(BIN)/python -m pytest -q \
	--nbval-lax --nbval-kernel-name=lambdalab-binder -p no:cacheprovider

.PHONY: lab test setup lint format unit release-check binder-env notebooks \
	notebooks-solutions notebooks-students solutions-nbval mistakes grading browser hub release \
	student-bundle bench bench-mistakes footprint clean

setup:
	@$(PYTHON) tools/setup_env.py

# Served from the course folder, so the lessons' links to ../assets and ../README work.
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb

test: setup lint unit release-check notebooks mistakes grading browser hub
	@echo "make test: every check passed."

# What ruff skips (the lessons' functions/ and build/, checkpoints): pyproject.toml.
lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit:
	$(BIN)/python -m pytest -q $(XDIST) tests --ignore=tests/grading --ignore=tests/browser \
		--ignore=tests/mistakes --ignore=tests/hub

release-check:
	$(BIN)/python -m lambdalab.course.release --check

# The Binder check: a virtual environment made from binder/requirements.txt alone, then
# binder/postBuild run as repo2docker runs it (tools/binder_env.py). Reused while binder/,
# pyproject.toml and requirements.txt are unchanged; CI (CI=true) always builds it afresh.
binder-env: setup
	$(BIN)/python tools/binder_env.py $(BINDER_ENV)

# Every notebook runs in the Binder environment's kernel. Solutions: every exercise check
# must pass. Student notebooks: every cell must run and every check must say "not yet"
# (LAMBDALAB_CHECKS tells lambdalab.course.checks which). The two folders run side by side;
# what the lessons write there (functions/, build/) is never collected (pyproject.toml).
notebooks: binder-env
	@$(MAKE) --no-print-directory -j2 notebooks-solutions notebooks-students

notebooks-solutions:
	cd solutions && LAMBDALAB_CHECKS=must-pass $(NBVAL) .

notebooks-students:
	cd notebooks && LAMBDALAB_CHECKS=must-fail $(NBVAL) .

solutions-nbval:
	cd solutions && LAMBDALAB_CHECKS=must-pass ../$(BIN)/python -m pytest -q --nbval-lax -p no:cacheprovider .

# Typical wrong answers at every exercise, each walked through its lesson in one kernel
# (tests/mistakes/): the check names the cause, the right answer then passes, and the
# rest of the lesson runs. And every solved lesson Run All twice in one kernel with
# LAMBDALAB_CHECKS=must-pass, then its exercises re-run last first. One lesson per worker.
mistakes:
	@if [ -d solutions ]; then $(BIN)/python -m pytest -q $(XDIST) tests/mistakes; \
	else echo "mistakes: no solutions/ (student kit): skipped"; fi

# The instructors' grader against its fixture set and hostile submissions (docs/grading.md).
# Run as root (CI), it also grades as the unprivileged user 65534, as an instructor
# without root would (tests/grading/test_sandbox_limits.py); -rs shows why a test skipped.
grading:
	$(BIN)/python -m pytest -q -rs tests/grading

# JupyterLab in headless Chromium: lesson 00 and the pricing calculator (screenshots in
# test-artifacts/). Without Chromium the test module skips itself, pytest finds no test
# and exits 5: a laptop passes with a loud message; CI (CI=true) fails.
browser:
	@rc=0; $(BIN)/python -m pytest -q -rs tests/browser || rc=$$?; \
	if [ $$rc -eq 5 ] && [ -z "$$CI" ]; then \
		echo ""; \
		echo "  *** The browser test did NOT run: no Chromium (see above).      ***"; \
		echo "  *** Install it (sudo apt-get install chromium) to run it too.    ***"; \
		echo ""; \
	elif [ $$rc -ne 0 ]; then \
		[ $$rc -eq 5 ] && echo "browser: no browser test ran, and CI=$$CI requires it."; \
		exit $$rc; \
	fi

# A real JupyterHub, 3 learners running lessons 02 and 05 at once (tests/hub/). Needs node
# and npm (configurable-http-proxy goes to build/hub-tools/); without them a loud skip,
# a failure when CI=true.
hub:
	$(BIN)/python -m pytest -q -rs -p no:cacheprovider tests/hub

release: setup
	$(BIN)/python -m lambdalab.course.release

# The student kit: build/lambdalab-student.zip, or a folder ready to push as its own
# repository: make student-bundle KIT_DIR=../lambda-lab-students BINDER_REPO=you/lambda-lab-students
student-bundle: setup
	$(BIN)/python -m lambdalab.course.release --bundle $(if $(KIT_DIR),--folder "$(KIT_DIR)") \
		$(if $(BINDER_REPO),--binder-repo "$(BINDER_REPO)")

bench: setup
	$(BIN)/python bench/engine.py

# Seconds from a check cell with a wrong answer to its feedback, every case of the suite.
bench-mistakes: setup
	$(BIN)/python bench/mistakes.py

# Peak memory of each lesson and the installed size of the Binder environment.
footprint: binder-env
	$(BIN)/python bench/footprint.py --binder-env $(BINDER_ENV)

clean:
	rm -rf build dist *.egg-info test-artifacts
