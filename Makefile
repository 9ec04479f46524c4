# make lab | make test | make lessons | make korean | make bench | make student | make site | make browser-test | make site-test
# — each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: lab test lessons bench student browser-test site site-test korean

# A virtual environment with vaekit, TensorFlow (CPU) and the test tools: $(call venv,DIR,CONSTRAINTS)
define venv
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --upgrade pip
	$(1)/bin/python -m pip install --quiet -c $(2) -e ".[cpu,dev]"
	touch $(1)/.installed
endef

$(INSTALLED): pyproject.toml constraints.txt
	$(call venv,$(VENV),constraints.txt)

# The oldest supported versions (Colab's Keras 3.10 and TensorFlow 2.19), for `make test` only.
FLOOR_VENV := .venv-floor
FLOOR := $(FLOOR_VENV)/.installed
$(FLOOR): pyproject.toml constraints-floor.txt
	$(call venv,$(FLOOR_VENV),constraints-floor.txt)

# JAX and PyTorch (CPU builds), for the backend matrix of `make test` only.
BACKENDS := $(VENV)/.backends
$(BACKENDS): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[jax,torch]"
	touch $(BACKENDS)

# Sphinx, MyST-NB and the book theme, for the course website (`make site`) only.
DOCS := $(VENV)/.docs
$(DOCS): $(INSTALLED)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[docs]"
	touch $(DOCS)

# Jupyter refuses to start as root (containers, some classroom VMs) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(INSTALLED)  ## open the lessons in JupyterLab (the Korean edition in notebooks/ko/)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/

# The unit tests on TensorFlow, JAX and PyTorch and on the oldest versions (all but the tests
# that execute whole lessons), then every lesson in fast mode with every claim strict, on each
# backend, and lessons 3 and 4 on the oldest versions: each pass and each lesson is one pytest run on
# one CPU thread, two at a time, the unit-test passes first (scripts/lesson_matrix.py).
FLOOR_LESSONS := notebooks/03_variational_autoencoder.ipynb notebooks/04_judging_generators.ipynb

test:  ## lint; unit tests and every lesson (fast mode) on TensorFlow, JAX and PyTorch; unit tests and lessons 3-4 on the oldest versions
	$(MAKE) --no-print-directory -j2 $(BACKENDS) $(FLOOR)  # the two environments side by side
	$(BIN)/ruff check vaekit tests scripts benchmarks notebooks docs
	$(BIN)/python scripts/lesson_claims.py --check
	$(BIN)/python scripts/korean_edition.py check
	$(BIN)/python scripts/lesson_matrix.py \
		--tests $(BIN) tensorflow "" \
		--tests $(BIN) jax "not backend_independent" \
		--tests $(FLOOR_VENV)/bin tensorflow "not executes_a_lesson" \
		--tests $(BIN) torch "not backend_independent" \
		--run $(BIN) tensorflow,jax,torch notebooks/*.ipynb \
		--run $(FLOOR_VENV)/bin tensorflow $(FLOOR_LESSONS)

lessons: $(INSTALLED)  ## re-execute every notebook in full mode and refresh its outputs
	$(BIN)/python scripts/run_notebooks.py notebooks/*.ipynb

bench: $(BACKENDS)  ## run the benchmarks (parts 1 and 3 on JAX too) and write benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.run_all

korean: $(INSTALLED)  ## the Korean lessons, notebooks/ko/, from the English ones and locale/ko/
	$(BIN)/python scripts/korean_edition.py update
	$(BIN)/python scripts/korean_edition.py build

student: $(INSTALLED)  ## the lessons without exercise solutions, in build/student/ (not committed)
	$(BIN)/python scripts/student_edition.py --out build/student

# The website's sources: docs/ at the top, beside the repository's Markdown pages and lessons at
# their own paths (so their relative links hold), copied, never committed; no notebook is run.
SITE_SRC := build/site-src
SITE_PAGES := README.md RUNNING.md TESTING.md INSTRUCTORS.md DEVICES.md data/README.md benchmarks/RESULTS.md \
	README.ko.md locale/ko/GLOSSARY.md $(wildcard notebooks/0*.ipynb notebooks/ko/0*.ipynb)

site: $(DOCS)  ## the course website, from the committed lessons and outputs, in build/site/
	rm -rf $(SITE_SRC) build/site build/site-doctrees
	mkdir -p $(SITE_SRC)
	cp -R docs/. $(SITE_SRC)/
	for page in $(SITE_PAGES); do mkdir -p $(SITE_SRC)/$$(dirname $$page) && cp $$page $(SITE_SRC)/$$page; done
	$(BIN)/sphinx-build -b html -W --keep-going -q -d build/site-doctrees $(SITE_SRC) build/site
	$(BIN)/python scripts/check_site.py build/site  # every internal link and #anchor, offline

browser-test: $(INSTALLED) site  ## lesson 3 in JupyterLab in headless Chromium, then the website (tests/browser)
	scripts/browser_test.sh

site-test: site  ## the website alone in headless Chromium (tests/browser/test_site.py)
	VAEKIT_BROWSER_TESTS=tests/browser/test_site.py scripts/browser_test.sh
