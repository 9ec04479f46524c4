# make lab | make test | make check | make lessons | make korean | make bench | make student | make site | make browser-test | make site-test
# — each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: lab test check check-units check-lessons lessons bench student browser-test site site-test korean

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

# The website and the browser tests (`make browser-test`), the unit tests on TensorFlow, JAX and
# PyTorch and on the oldest versions (there all but the tests that execute whole lessons and the
# slow ones that do not touch Keras), then every lesson in fast mode with every claim strict, on
# each backend, and lesson 3 on the oldest versions: each is one run on one CPU thread, two at a
# time, in that order (scripts/lesson_matrix.py). On the default backend the lessons run in their
# Korean edition: its code is the English lessons' token for token
# (tests/test_korean_edition.py), so one run checks the lesson and the Korean edition.
LESSONS := $(wildcard notebooks/0*.ipynb)
FLOOR_LESSONS := notebooks/03_variational_autoencoder.ipynb

test:  ## lint; the website and browser tests; unit tests and every lesson (fast mode) on TensorFlow (in Korean), JAX and PyTorch; unit tests and lesson 3 on the oldest versions
	$(MAKE) --no-print-directory -j2 $(BACKENDS) $(FLOOR)  # the two environments side by side
	$(MAKE) --no-print-directory $(DOCS)  # then the website's tools, into .venv too
	$(BIN)/ruff check vaekit tests scripts benchmarks notebooks docs
	$(BIN)/python scripts/lesson_claims.py --check
	$(BIN)/python scripts/korean_edition.py check
	$(BIN)/python scripts/lesson_matrix.py \
		--tests $(BIN) tensorflow "" \
		--tests $(BIN) jax "not backend_independent" \
		--tests $(FLOOR_VENV)/bin tensorflow "not executes_a_lesson and not bench and not (backend_independent and slow)" \
		--tests $(BIN) torch "not backend_independent" \
		--run $(BIN) tensorflow $(LESSONS:notebooks/%=notebooks/ko/%) \
		--run $(BIN) jax,torch $(LESSONS) \
		--run $(FLOOR_VENV)/bin tensorflow $(FLOOR_LESSONS) \
		--also "site and browser tests" "$(MAKE) --no-print-directory browser-test"

# What an instructor runs after an edit, in about 3 minutes: lint, the generated files, the unit
# tests on the default backend but those marked slow (they start processes or kernels, or train
# for seconds), and the lessons changed since the last commit in fast mode, claims strict
# (CHECK_LESSONS="notebooks/03_….ipynb" names others). `make test` runs everything.
CHECK_LESSONS ?= $(wildcard $(sort $(shell git diff --name-only HEAD -- 'notebooks/[0-9]*.ipynb' \
	2>/dev/null) $(shell git ls-files --others --exclude-standard -- 'notebooks/[0-9]*.ipynb' 2>/dev/null)))

check: $(INSTALLED)  ## after an edit (about 3 min): lint, the quick unit tests, the changed lessons in fast mode
	$(BIN)/ruff check vaekit tests scripts benchmarks notebooks docs
	$(BIN)/python scripts/lesson_claims.py --check
	$(BIN)/python scripts/korean_edition.py check
	$(MAKE) --no-print-directory -j2 --output-sync=target check-units check-lessons  # side by side

check-units: $(INSTALLED)
	$(BIN)/pytest -q -p no:cacheprovider -n 2 -m "not slow and not executes_a_lesson" tests

check-lessons: $(INSTALLED)
	$(if $(strip $(CHECK_LESSONS)),$(BIN)/python scripts/lesson_matrix.py --run $(BIN) tensorflow $(CHECK_LESSONS),@echo "No lesson changed since the last commit: none run (CHECK_LESSONS=… names some).")

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
	README.ko.md locale/ko/GLOSSARY.md $(wildcard benchmarks/*.png notebooks/0*.ipynb notebooks/ko/0*.ipynb)

site: $(DOCS)  ## the course website, from the committed lessons and outputs, in build/site/
	rm -rf $(SITE_SRC) build/site build/site-doctrees
	mkdir -p $(SITE_SRC)
	cp -R docs/. $(SITE_SRC)/
	for page in $(SITE_PAGES); do mkdir -p $(SITE_SRC)/$$(dirname $$page) && cp $$page $(SITE_SRC)/$$page; done
	$(BIN)/python scripts/site_explorer.py notebooks/03_variational_autoencoder.ipynb $(SITE_SRC)/_static/explorer
	$(BIN)/sphinx-build -b html -W --keep-going -q -d build/site-doctrees $(SITE_SRC) build/site
	$(BIN)/python scripts/check_site.py build/site  # every internal link and #anchor, offline

browser-test: $(INSTALLED) site  ## lesson 3 in JupyterLab in headless Chromium, then the website (tests/browser)
	scripts/browser_test.sh

site-test: site  ## the website alone in headless Chromium (tests/browser/test_site.py)
	VAEKIT_BROWSER_TESTS=tests/browser/test_site.py scripts/browser_test.sh
