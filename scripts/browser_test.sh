#!/usr/bin/env bash
# Lesson 3 in JupyterLab, driven by a headless Chromium (tests/browser/test_lesson_in_lab.py),
# and the course website in build/site/ (tests/browser/test_site.py; `make browser-test` builds
# it first with `make site`).
#
# Installs what the test needs when it can: Chromium and chromedriver with apt-get (as root),
# Selenium into .venv. Without a browser it says why and exits 0 (nothing was tested). The test
# itself runs under a time limit and always shuts its JupyterLab server down.
#
#   scripts/browser_test.sh [pytest options]
#
#   VAEKIT_BROWSER_TESTS       the test files or folder (default tests/browser: both;
#                              `make site-test` runs tests/browser/test_site.py alone)
#   BROWSER_TEST_TIMEOUT       seconds for the whole test (default 1800; Run All alone is given
#                              VAEKIT_BROWSER_RUN_TIMEOUT, default 1200)
#   VAEKIT_BROWSER_ARTIFACTS   folder for the screenshots and report.json
#                              (default build/browser-test, emptied first)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
SELENIUM_VERSION=4.51.0  # used when constraints.txt does not pin selenium
LIMIT=${BROWSER_TEST_TIMEOUT:-1800}
TESTS=${VAEKIT_BROWSER_TESTS:-tests/browser}

skip() {
    echo "browser test skipped: $*" >&2
    exit 0
}

if [ ! -x "$VENV/bin/python" ]; then
    echo "no $VENV/bin/python: run 'make browser-test' (it creates $VENV) or 'make lab' first" >&2
    exit 1
fi

find_browser() {
    CHROMIUM=${VAEKIT_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
    CHROMEDRIVER=${VAEKIT_CHROMEDRIVER:-$(command -v chromedriver || true)}
}

find_browser
if [ -z "$CHROMIUM" ] || [ -z "$CHROMEDRIVER" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing chromium and chromium-driver with apt-get ..." >&2
        if ! { apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
            >/tmp/vaekit-browser-apt.log 2>&1; then
            tail -5 /tmp/vaekit-browser-apt.log >&2
            skip "apt-get could not install chromium chromium-driver (log: /tmp/vaekit-browser-apt.log)"
        fi
        find_browser
    else
        skip "Chromium and chromedriver are needed (Debian/Ubuntu:" \
            "sudo apt-get install chromium chromium-driver; or set VAEKIT_CHROMIUM and" \
            "VAEKIT_CHROMEDRIVER)"
    fi
fi
[ -n "$CHROMIUM" ] && [ -n "$CHROMEDRIVER" ] || skip "no chromium or chromedriver on PATH"
"$CHROMEDRIVER" --version >/dev/null 2>&1 || skip "$CHROMEDRIVER does not run"
echo "browser: $("$CHROMIUM" --version 2>/dev/null | tail -1); driver: $("$CHROMEDRIVER" --version)"

if ! "$VENV/bin/python" -c "import selenium" 2>/dev/null; then
    if grep -qi '^selenium==' constraints.txt; then
        requirement=(-c constraints.txt selenium)
    else
        requirement=("selenium==$SELENIUM_VERSION")
    fi
    echo "installing ${requirement[*]} into $VENV ..." >&2
    "$VENV/bin/python" -m pip install --quiet "${requirement[@]}" ||
        skip "pip could not install selenium into $VENV"
fi

export VAEKIT_BROWSER_TEST=1 VAEKIT_FAST=1 VAEKIT_CHROMIUM="$CHROMIUM" VAEKIT_CHROMEDRIVER="$CHROMEDRIVER"
if [ -z "${VAEKIT_BROWSER_ARTIFACTS:-}" ]; then
    VAEKIT_BROWSER_ARTIFACTS=build/browser-test
    rm -rf "$VAEKIT_BROWSER_ARTIFACTS"
fi
export VAEKIT_BROWSER_ARTIFACTS

# SIGTERM on time-out: the test tears down (browser, lab server, kernel), then SIGKILL after 60 s.
status=0
timeout --kill-after=60 "$LIMIT" "$VENV/bin/pytest" -p no:cacheprovider -rA $TESTS "$@" ||
    status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "browser test: stopped after the ${LIMIT} s limit (BROWSER_TEST_TIMEOUT)" >&2
fi
echo "screenshots and report: $VAEKIT_BROWSER_ARTIFACTS"
exit "$status"
