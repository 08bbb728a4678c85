# RecordsDesk build and test entry points (GNU make).
#
# A bare `make` only prints the help. The recipe for this machine (Debian 12, root,
# headless) is docs/toolchain.md in the shared docs, sections 2-3.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python

ARGS ?=
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one more than the cores, at most 4 (many tests wait on
# a process they started: the CLI, workers, PostgreSQL; on two cores a third test
# process keeps both busy); every test has its own temp dir and its own PostgreSQL
# database, so they run side by side. 1 = no xdist.
TEST_WORKERS ?= $(shell n=$$(( $$(nproc 2>/dev/null || echo 1) + 1 )); echo $$(( n < 4 ? n : 4 )))
BENCH_ARGS ?=

# Debian packages the app needs at run time: Qt's offscreen and xcb platform plugins
# (libxcb-icccm4 and libxcb-keysyms1 are the ones a stock image lacks), a font,
# libmagic for python-magic, Tesseract with Dutch and English for OCR of scans (no
# Ghostscript: ocrmypdf's internal PDF/A backend is used), python3-venv for .venv,
# and Xvfb + xauth for xvfb-run.
SYSDEPS_RUN := \
	libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0 fonts-dejavu-core \
	libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1 libxcb-shm0 \
	libxkbcommon-x11-0 \
	libmagic1 \
	tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng \
	python3 python3-venv \
	xvfb xauth
# Tests additionally need the PostgreSQL 15 server binaries (for the throwaway
# cluster), and screenshots need imagemagick (import/convert) and x11-apps (xwd).
SYSDEPS_TEST := $(SYSDEPS_RUN) postgresql-15 imagemagick x11-apps

# $(call ensure_debs,PACKAGES): install whichever of PACKAGES are missing.
# Fast no-op when all are installed. Installs as root directly, else through
# passwordless sudo, else prints the command to run and fails.
define ensure_debs
	missing=""; \
	for pkg in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q ' installed$$' \
	    || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Missing Debian packages:$$missing"; \
	install="apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends$$missing"; \
	if [ "$$(id -u)" -eq 0 ]; then \
	  bash -c "$$install"; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  sudo bash -c "$$install"; \
	else \
	  echo "Cannot install them: not root and no passwordless sudo. Run:" >&2; \
	  echo "  sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends$$missing" >&2; \
	  exit 1; \
	fi
endef

.PHONY: help sysdeps-run sysdeps-test venv run test lint bench screenshots dist clean

help: ## Show this list (the default target)
	@echo "Usage: make TARGET [ARGS=...] [PYTEST_ARGS=...] [BENCH_ARGS=...]"
	@echo
	@grep -E '^[a-z][a-zA-Z_-]*:.*## ' $(firstword $(MAKEFILE_LIST)) \
	  | awk 'BEGIN { FS = ":.*## " } { printf "  %-14s %s\n", $$1, $$2 }'

sysdeps-run: ## Install the Debian packages needed to run the app (if missing)
	@$(call ensure_debs,$(SYSDEPS_RUN))

sysdeps-test: ## Install the Debian packages needed for tests and screenshots (if missing)
	@$(call ensure_debs,$(SYSDEPS_TEST))

venv: $(VENV)/.installed ## Create .venv and install the project with [test,dev] extras

# Re-installs only when pyproject.toml is newer than the stamp. A venv whose
# interpreter no longer runs (e.g. copied from elsewhere) is recreated.
$(VENV)/.installed: pyproject.toml
	@if ! $(VPY) -c 'import sys' >/dev/null 2>&1; then \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  $(PYTHON) -m venv --clear $(VENV); \
	fi
	$(VPY) -m pip install -q --disable-pip-version-check -U pip
	$(VPY) -m pip install -q --disable-pip-version-check -e '.[test,dev]'
	@touch $@

# Our own modules' bytecode, compiled ahead (only what changed; the editable install
# leaves them as source). Where PYTHONDONTWRITEBYTECODE is set, as on some CI
# runners, every new process would otherwise compile them again: that is 0.6 s more
# for each start of the CLI, the app, the OCR and examination workers.
COMPILE_BYTECODE = $(VPY) -m compileall -q -j 0 recordsdesk tests benchmarks >/dev/null

run: sysdeps-run venv ## Start the app (make run ARGS='...'); without a display use xvfb-run
	@$(COMPILE_BYTECODE)
	scripts/run-app.sh $(ARGS)

test: sysdeps-test venv ## Lint, then pytest against a throwaway PostgreSQL 15 (PYTEST_ARGS=..., TEST_WORKERS=n)
	@$(MAKE) --no-print-directory lint
	@$(COMPILE_BYTECODE)
	scripts/pg-test-cluster.sh $(VENV)/bin/pytest $(if $(filter-out 1,$(TEST_WORKERS)),-n $(TEST_WORKERS)) \
	  --durations=25 $(PYTEST_ARGS)

# All four checks run even if an earlier one fails, so one run shows every problem;
# the target fails if any of them failed.
lint: venv ## ruff check, ruff format --check, mypy, import-linter
	@status=0; \
	for check in "ruff check ." "ruff format --check ." "mypy" "lint-imports"; do \
	  echo "+ $$check"; \
	  $(VENV)/bin/$$check || { status=1; echo "FAILED: $$check" >&2; }; \
	done; \
	exit $$status

bench: sysdeps-test venv ## Run the benchmarks (BENCH_ARGS=...); sync starts a throwaway PostgreSQL
	@$(COMPILE_BYTECODE)
	$(VPY) -m benchmarks $(BENCH_ARGS)

# The bundle for this platform (installer/pyinstaller/recordsdesk.spec), then its
# smoke test: a clean environment, a throwaway data folder, offscreen; the window
# opens, one document is filed and the store verified (recordsdesk.ui.smoke).
DIST_DIR := dist
dist: sysdeps-run venv $(VENV)/.installed-dist ## Build dist/RecordsDesk (PyInstaller) and smoke-test it
	@$(COMPILE_BYTECODE)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath $(DIST_DIR) \
	  --workpath build/pyinstaller installer/pyinstaller/recordsdesk.spec
	installer/smoke-test.sh $(DIST_DIR)/RecordsDesk/RecordsDesk

$(VENV)/.installed-dist: $(VENV)/.installed
	$(VPY) -m pip install -q --disable-pip-version-check -e '.[test,dev,dist]'
	@touch $@

screenshots: sysdeps-test venv ## Take screenshots of the app under Xvfb
	xvfb-run -a -s "-screen 0 1280x800x24" $(VPY) scripts/screenshots.py

clean: ## Remove .venv, stamps and tool caches
	rm -rf $(VENV) build dist .stamps .pytest_cache .mypy_cache .ruff_cache .import_linter_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
