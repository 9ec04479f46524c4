# make lab | make test | make lessons | make bench | make student | make browser-test
# — each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: lab test lessons bench student browser-test

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[cpu,dev]"
	touch $(INSTALLED)

# JAX and PyTorch (CPU builds), for the backend matrix of `make test` only.
BACKENDS := $(VENV)/.backends
$(BACKENDS): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[jax,torch]"
	touch $(BACKENDS)

# Jupyter refuses to start as root (containers, some classroom VMs) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED)  ## open the lessons in JupyterLab
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/

# Unit tests run in parallel, one file per worker; the lessons one at a time (lesson 4 compares
# two models under the same training-time budget), with every claim strict.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -p no:cacheprovider
UNIT_TESTS := $(PYTEST) -n $(TEST_WORKERS) --dist loadfile tests

test: $(BACKENDS)  ## lint; unit tests and every notebook in fast mode; unit tests on JAX, PyTorch
	$(BIN)/ruff check vaekit tests scripts benchmarks notebooks
	VAEKIT_FAST=1 $(UNIT_TESTS)
	VAEKIT_FAST=1 VAEKIT_STRICT_CLAIMS=1 $(PYTEST) --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks
	for backend in jax torch; do \
		KERAS_BACKEND=$$backend VAEKIT_FAST=1 $(UNIT_TESTS) -q -m "not backend_independent" \
			|| exit 1; \
	done

lessons: $(INSTALLED)  ## re-execute every notebook in full mode and refresh its outputs
	$(BIN)/python scripts/run_notebooks.py notebooks/*.ipynb

bench: $(INSTALLED)  ## run the benchmarks and write benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.run_all

student: $(INSTALLED)  ## the lessons without exercise solutions, in build/student/ (not committed)
	$(BIN)/python scripts/student_edition.py --out build/student

browser-test: $(INSTALLED)  ## lesson 3 in JupyterLab in headless Chromium: Run All, then the explorer
	scripts/browser_test.sh
