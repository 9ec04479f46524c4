"""The system's Chromium and chromedriver, found and started headless for the browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def executable(variable: str, *names: str) -> str | None:
    """The program named by the environment variable, else the first of `names` on PATH."""
    if os.environ.get(variable):
        return shutil.which(os.environ[variable])
    return next(filter(None, map(shutil.which, names)), None)


def chromium() -> str | None:
    return executable("VAEKIT_CHROMIUM", "chromium", "chromium-browser")


def chromedriver() -> str | None:
    return executable("VAEKIT_CHROMEDRIVER", "chromedriver")


def start(profile: Path, *, console_errors: bool = False):
    """A headless Chromium (Selenium webdriver) with its profile in `profile`; with
    `console_errors`, the page's SEVERE console messages are kept for `get_log("browser")`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium()
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in containers
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    if console_errors:
        options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    # The driver's path given: Selenium Manager (which downloads browsers) is never used.
    return webdriver.Chrome(service=Service(executable_path=chromedriver()), options=options)
