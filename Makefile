# The two commands of the quick start are `make lab` and `make test`; each builds the
# virtual environment in .venv first if it is missing or older than its requirements.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Kernels inherit these: a fixed hash seed makes set and dict ordering repeatable, and the
# platform-dirs switch silences a jupyter_core deprecation warning in every kernel.
export PYTHONHASHSEED := 0
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# The book's matrices are small: one BLAS thread is faster than two fighting over 2 cores.
export OPENBLAS_NUM_THREADS := 1

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-cell-timeout=300
XDIST_FLAGS := -n 2 --dist loadfile --no-loadscope-reorder
# Extra JupyterLab options for `make lab`, e.g. LAB_ARGS="--ServerApp.port=9999 --no-browser".
LAB_ARGS ?=
# The notebooks `make reset` restores: NB=01, NB="01 12", or empty for all of them.
NB ?=

.PHONY: venv lab reset test test-cpus export notebooks bench html lint clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	@# A venv whose interpreter no longer runs (Python upgraded or moved) is rebuilt.
	@$(BIN)/python -c '' 2>/dev/null || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	@echo "Installing the pinned packages into $(VENV) (about a minute the first time)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
		2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# An optional extra of jsonschema that jupyter-events pulls in; nothing here validates
	@# IRIs, and importing it costs about a second in every test worker and kernel launcher.
	@$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax 2>/dev/null || true
	@touch $@

venv: $(STAMP)

# JupyterLab on the learner's copies in work/ (made from notebooks/ when missing); the book
# itself is read-only there. See tools/lab.py and the README's "Your work and the book".
lab: $(STAMP)
	@$(BIN)/python -m tools.lab $(LAB_ARGS)

# Replace the learner's copies in work/ with the book's version (theirs go to work/backups/).
reset:
	@$(PYTHON) -m tools.workcopy reset $(NB)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest $(XDIST_FLAGS) $(NBVAL_FLAGS) tests notebooks

# The portability check alone: strict nbval over every notebook under two emulated CPUs
# (also part of `make test`; see tests/cpu_settings.py).
test-cpus: $(STAMP)
	$(BIN)/pytest $(XDIST_FLAGS) tests/test_cpu_avx2.py tests/test_cpu_baseline.py

# Copy each notebook's `#| export` cells (its derivations) into its nblib/proofs module.
export: $(STAMP)
	$(BIN)/python tools/export_proofs.py

notebooks: export
	$(BIN)/python tools/execute_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python -m benchmarks

html: $(STAMP)
	$(BIN)/python tools/export_html.py build/html

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis
