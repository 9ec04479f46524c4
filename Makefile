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

# Jupyter refuses to start as root (containers, some classroom VMs) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED)  ## open the lessons in JupyterLab
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/

test: $(INSTALLED)  ## lint, unit tests, and every notebook executed in fast mode (offline)
	$(BIN)/ruff check vaekit tests scripts benchmarks notebooks
	VAEKIT_FAST=1 $(BIN)/pytest -p no:cacheprovider --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks

lessons: $(INSTALLED)  ## re-execute every notebook in full mode and refresh its outputs
	$(BIN)/python scripts/run_notebooks.py notebooks/*.ipynb

bench: $(INSTALLED)  ## run the benchmarks and write benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.run_all

student: $(INSTALLED)  ## the lessons without exercise solutions, in build/student/ (not committed)
	$(BIN)/python scripts/student_edition.py --out build/student

browser-test: $(INSTALLED)  ## lesson 3 in JupyterLab in headless Chromium: Run All, then the explorer
	scripts/browser_test.sh
