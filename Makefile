# The course in two commands: `make lab` and `make test`. Both create .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The stamp's name carries a hash of what is installed: a changed requirements.txt or
# pyproject.toml gives a new name, so the environment is brought up to date; otherwise
# a second `make test` installs nothing.
REQ_HASH := $(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_HASH)
KERNEL := bn-course
export PYTHONHASHSEED := 0
export PYTHONDONTWRITEBYTECODE := 1
# NumPy's BLAS on one thread: the course's matrices are small, and on a machine of two cores (make test
# runs pytest and nbval side by side) more threads only wait for each other: the same results, bit for
# bit, in a third of the CPU time (the deep networks of bncourse/studies). make bench pins them too.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
JUPYTER_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

SOLUTION_NOTEBOOKS := $(sort $(wildcard notebooks/solutions/[0-9][0-9]-*.ipynb))
NBVAL := $(BIN)/pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
         --nbval-cell-timeout=120 -p no:cacheprovider

.PHONY: env lab test test-course mutate progress reset update test-notebook test-torch student execute bench html test-browser clean posts studies

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m bncourse.tools.kernel
	@# build matplotlib's font cache now, so that no notebook prints the message about it
	MPLBACKEND=Agg $(BIN)/python -c "import matplotlib.pyplot"
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "environment ready in $(VENV)"

lab: env
	cd notebooks && ../$(BIN)/jupyter lab $(JUPYTER_ROOT_FLAG) 00-start-here.ipynb

# A fingerprint of every file in notebooks/: the tests must leave it exactly as they found it.
NOTEBOOKS_FINGERPRINT = find notebooks -type f -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum

# `make test` checks two things and keeps them apart: the course (bnlib's tests, nbval on the
# solution notebooks, the structure of the learner copies), then the learner's own work (every
# learner notebook executed in a temporary copy, each exercise classified). It runs both, and
# fails if either fails. The progress table comes last.
test: env
	@$(NOTEBOOKS_FINGERPRINT) > $(VENV)/.notebooks-before
	@course=0; work=0; \
	echo "== The course: bnlib, the solution notebooks, the learner copies as generated"; \
	$(MAKE) --no-print-directory test-course || course=1; \
	$(NOTEBOOKS_FINGERPRINT) | cmp -s - $(VENV)/.notebooks-before || { echo "the tests changed files in notebooks/"; course=1; }; \
	echo; echo "== Your work: every exercise of the learner notebooks in notebooks/"; \
	$(BIN)/python -m bncourse.progress || work=1; \
	if [ $$course = 0 ]; then echo "the course: all checks passed"; else echo "the course: FAILED (see above)"; fi; \
	if [ $$((course | work)) != 0 ]; then echo "exit 1: something to fix (see above), not a crash"; fi; \
	exit $$((course | work))

# The course's own checks, in three processes side by side (each is one Python process and its
# kernels; the two cores share them): nbval on the solution notebooks; the pytest files that run
# notebooks as a learner would (the learner copies, the learner's loop); the rest of pytest. Their
# reports are printed one after the other. BNLIB_PROGRESS_SKIP: the progress cell of 00-start-here
# does not evaluate the learner's notebooks here (its output is not compared; `make test` does that next).
LEARNER_TESTS := tests/test_notebooks.py tests/test_progress.py
test-course: env
	@status=0; nbval_log=$$(mktemp); learner_log=$$(mktemp); \
	BNLIB_PROGRESS_SKIP=1 $(NBVAL) -q $(SOLUTION_NOTEBOOKS) > $$nbval_log 2>&1 & nbval=$$!; \
	BNLIB_PROGRESS_SKIP=1 $(BIN)/pytest -q $(LEARNER_TESTS) > $$learner_log 2>&1 & learner=$$!; \
	echo "-- pytest: bnlib, bncourse, the checkers, the tools"; \
	BNLIB_PROGRESS_SKIP=1 $(BIN)/pytest -q tests $(addprefix --ignore=,$(LEARNER_TESTS)) || status=1; \
	wait $$learner || status=1; \
	echo "-- pytest: the learner copies as generated, the learner's loop"; cat $$learner_log; \
	wait $$nbval || status=1; \
	echo "-- nbval: every solution notebook, run again and compared with its stored outputs"; cat $$nbval_log; \
	rm -f $$nbval_log $$learner_log; \
	exit $$status

# Every typical slip in a kernel of bnlib (1/m dropped, m - 1, a wrong axis, a block off by one, a
# sign) must make the fast tests fail: bncourse/tools/mutate.py lists the mutants. MUTANTS="dx-sign".
mutate: env
	$(BIN)/python -m bncourse.tools.mutate $(MUTANTS)

# The learner's work only: the progress table and what is wrong. make progress NB=03 (or NB=3, NB="03 05").
# When something is wrong it ends with "exit 1: something to fix", and make adds its own "Error 1" line.
progress: env
	$(BIN)/python -m bncourse.progress $(NB)

# A fresh learner copy of one notebook; yours is moved to notebooks/.backup/: make reset NB=03
reset: env
	@test -n "$(NB)" || { echo "say which notebook: make reset NB=03"; exit 2; }
	$(BIN)/python -m bncourse.tools.student --reset $(NB)

# git pull, keeping every learner edit (see "Updating the course" in the README)
update: env
	$(BIN)/python -m bncourse.tools.update_course

# one notebook: make test-notebook NB=notebooks/solutions/01-forward.ipynb
test-notebook: env
	$(NBVAL) -v $(NB)

student: env
	$(BIN)/python -m bncourse.tools.student

# for authors: re-execute the solution notebooks (refreshes their stored outputs), then the learner copies
execute: env
	$(BIN)/python -m bncourse.tools.execute $(NB)
	$(BIN)/python -m bncourse.tools.student

# The static book: one page per solution notebook (stored outputs) and a contents page, math
# typeset by a MathJax copied into the book: open _build/html/index.html, no network needed.
html: env
	$(BIN)/python -m bncourse.tools.build_html --out _build/html

# The course as a learner sees it: JupyterLab in headless Chromium (Debian's package, installed
# when missing), driven by Playwright (requirements-browser.txt, installed into .venv when missing).
# All notebooks (00, 01, 05, 10 and 11 must exist), or by number: make test-browser NOTEBOOKS="00 03".
# Screenshots: build/screenshots/.
NOTEBOOKS ?= all
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_STAMP := $(VENV)/.browser-$(shell cat requirements-browser.txt | sha256sum | cut -c1-16)

$(BROWSER_STAMP): requirements-browser.txt | $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-browser.txt
	@rm -f $(VENV)/.browser-*
	@touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# bnlib.BatchNorm1d against PyTorch itself (the stored reference in tests/data is compared by
# `make test`), and bnlib's sharded BatchNorm in 2 and 4 processes with torch.distributed (gloo, on
# 127.0.0.1 only, every wait with a timeout): installs the CPU build of torch pinned in
# requirements-torch.txt into .venv.
TORCH_STAMP := $(VENV)/.torch-$(shell cat requirements-torch.txt | sha256sum | cut -c1-16)

$(TORCH_STAMP): requirements-torch.txt | $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-torch.txt
	@rm -f $(VENV)/.torch-*
	@touch $@

test-torch: env $(TORCH_STAMP)
	BNLIB_REQUIRE_TORCH=1 $(BIN)/pytest -q -s tests/test_torch_reference.py tests/test_sharded_gloo.py

test-browser: env $(BROWSER_STAMP) $(CHROMIUM) html
	$(BIN)/python -m bncourse.tools.browser_test --book _build/html $(NOTEBOOKS)

# ---------------------------------------------------------------- for instructors: nbgrader
# nbgrader (requirements-instructor.txt) is installed into .venv by these targets only, as
# test-torch does for PyTorch; `make lab` and `make test` never install it.
#   make release                          build/nbgrader/: source/ with nbgrader's metadata, release/
#   make release RELEASE_NOTEBOOKS="01 02 03" ASSIGNMENT=lab1    some notebooks, another name
#   make autograde SUBMITTED=<dir>        grade <dir>/<student>/<assignment>/: grades.csv, feedback/
#   make test-instructor                  the whole round trip in a temporary course directory
.PHONY: release autograde test-instructor guide
NBGRADER_ROOT ?= build/nbgrader
ASSIGNMENT ?= bn-backward
RELEASE_NOTEBOOKS ?=
INSTRUCTOR_STAMP := $(VENV)/.instructor-$(shell cat requirements-instructor.txt | sha256sum | cut -c1-16)

$(INSTRUCTOR_STAMP): requirements-instructor.txt | $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-instructor.txt
	@rm -f $(VENV)/.instructor-*
	@touch $@

release: env $(INSTRUCTOR_STAMP)
	$(BIN)/python -m bncourse.tools.nbgrader_course release --root $(NBGRADER_ROOT) --assignment $(ASSIGNMENT) $(RELEASE_NOTEBOOKS)

autograde: env $(INSTRUCTOR_STAMP)
	@test -n "$(SUBMITTED)" || { echo "usage: make autograde SUBMITTED=<folder of <student>/$(ASSIGNMENT)/NN-name.ipynb>"; exit 2; }
	$(BIN)/python -m bncourse.tools.nbgrader_course autograde $(SUBMITTED) --root $(NBGRADER_ROOT) --assignment $(ASSIGNMENT)

test-instructor: env $(INSTRUCTOR_STAMP)
	BNLIB_INSTRUCTOR=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_instructor.py

# the generated parts of docs/teaching.md (exercises, times, the checkers' mistakes)
guide: env
	$(BIN)/python -m bncourse.tools.teaching_guide --write
# ---------------------------------------------------------------- end of the instructors' targets

bench: env
	$(BIN)/python -m bncourse.bench

# The studies over seeds whose full runs are too long for a notebook (bncourse/studies/): each run's
# results, configuration and machine go to bncourse/studies/data/<name>.json, which the notebooks plot.
# All of them, or some: make studies STUDIES="depth scale". Prints the time of each and of the whole.
STUDIES ?=
studies: env
	time $(BIN)/python -m bncourse.studies $(STUDIES)

# The table of the five posts (package data of bncourse.posts), written again from the rows of
# bncourse/posts/post*.py after the derivation is proved; a test fails while it is out of date.
POSTS_CSV := bncourse/posts/data/equations.csv
posts: $(POSTS_CSV)

$(POSTS_CSV): $(wildcard bncourse/posts/*.py) | $(STAMP)
	$(BIN)/python -m bncourse.tools.posts_table --write

clean:
	rm -rf $(VENV) build _build bench.json
