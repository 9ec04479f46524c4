"""The course website (`make site`, build/site/) in a headless Chromium, served over HTTP.

`scripts/browser_test.sh` (`make browser-test` builds the site first) serves build/site/ with
Python's `http.server` on a free local port and checks, through Selenium and the system's
chromedriver:

- every lesson page (notebooks/0*.ipynb, in course order) loads, shows no error or stderr
  output and no traceback, shows as many figures as the notebook holds, and every image the
  site serves is loaded (`naturalWidth > 0`; the Colab and Binder badges come from their own
  sites, which CI cannot reach, and are not checked);
- each lesson page has its Colab and Binder launch buttons for the lesson in the repository,
  and a download of the notebook, which is the committed notebook;
- the API page of `vaekit.layers.Sampling` shows its docstring;
- Sphinx's search finds lesson 3 for "reparameterisation";
- the next and previous links walk the home page and every lesson in course order;
- the static latent explorer (explorer.html) redraws the decoded digit and the star when its
  sliders move (arrow keys on the slider, as a reader would);
- no internal link or #anchor of the site is broken (`scripts/check_site.py`; that one needs
  no browser).

Like the lab test, it runs only when asked (`VAEKIT_BROWSER_TEST=1`) and skips, saying why,
without a built site, Selenium, Chromium or chromedriver. The check of `scripts/check_site.py`
itself, on a small site with broken links, always runs.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import importlib.util
import json
import os
import re
import threading
import urllib.request
from pathlib import Path

import headless_chromium
import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("VAEKIT_SITE", ROOT / "build" / "site"))
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
REPOSITORY = "vaekit/vaekit"  # README.md's Colab and Binder links
PAGE_TIMEOUT = 60


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_site", ROOT / "scripts" / "check_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_site = _load_checker()


@pytest.mark.backend_independent
def test_the_link_checker_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/page.html#here">ok</a> <a href="sub/page.html#gone">anchor</a>'
        ' <a href="missing.html">file</a> <img src="sub/../missing.png">'
        ' <a href="https://example.org/x.html">other site</a> <a href="#top">self</a>'
        ' <a id="top"></a> <link href="style.css?v=1">'
    )
    (tmp_path / "style.css").write_text("")
    (tmp_path / "sub" / "page.html").write_text('<h1 id="here">x</h1><a href="../">home</a>')
    assert check_site.broken_links(tmp_path) == [
        ("index.html", "sub/page.html#gone", "no #gone in page.html"),
        ("index.html", "missing.html", "no such file"),
        ("index.html", "sub/../missing.png", "no such file"),
    ]


def _missing() -> str | None:
    if os.environ.get("VAEKIT_BROWSER_TEST") != "1":
        return (
            "the site test runs only when asked: VAEKIT_BROWSER_TEST=1 "
            "(make browser-test builds the site and runs it)"
        )
    if not (SITE / "index.html").is_file():
        return f"no site in {SITE}: build it with `make site`"
    return None


@pytest.fixture(scope="module")
def site() -> Path:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    return SITE


def test_no_internal_link_is_broken(site):
    assert check_site.broken_links(site) == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    if importlib.util.find_spec("selenium") is None:
        pytest.skip("selenium is not installed (scripts/browser_test.sh installs it)")
    if not headless_chromium.chromium() or not headless_chromium.chromedriver():
        pytest.skip("Chromium and chromedriver are needed (apt-get install chromium-driver)")
    driver = headless_chromium.start(tmp_path_factory.mktemp("chromium-profile"),
                                     console_errors=True)
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser, url: str) -> None:
    browser.get(url)
    _wait(browser, lambda: browser.execute_script("return document.readyState") == "complete")


def _wait(browser, condition, timeout: float = PAGE_TIMEOUT, message: str = ""):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(lambda _: condition(), message)


def _local_errors(browser, server: str) -> list[str]:
    """The browser console's errors about the site itself (other sites are unreachable in CI;
    the site has no favicon.ico, which Chromium asks for on its own)."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE"
        and server in entry["message"]
        and f"{server}favicon.ico" not in entry["message"]
    ]


def _figures(notebook: Path) -> int:
    cells = json.loads(notebook.read_text())["cells"]
    outputs = [output for cell in cells for output in cell.get("outputs", [])]
    return sum("image/png" in output.get("data", {}) for output in outputs)


@pytest.mark.parametrize("notebook", LESSONS, ids=[path.stem for path in LESSONS])
def test_lesson_page_shows_its_outputs_figures_and_launch_buttons(browser, server, notebook):
    from selenium.webdriver.common.by import By

    page = f"{server}notebooks/{notebook.stem}.html"
    _open(browser, page)
    title = json.loads(notebook.read_text())["cells"][0]["source"][0].lstrip("# ").strip()
    heading = browser.find_element(By.CSS_SELECTOR, "article h1").text
    assert heading.rstrip("#¶ ").strip().replace("’", "'") == title  # Sphinx's smart quotes

    # No error output, no stderr block, no traceback anywhere in the cells' outputs.
    shown = browser.find_elements(By.CSS_SELECTOR, ".cell_output")
    assert shown, f"{page} shows no cell output"
    bad = browser.find_elements(By.CSS_SELECTOR, ".output.error, .output.stderr, .output.traceback")
    assert not bad, f"{page} shows error/stderr outputs: {[e.text[:200] for e in bad]}"
    text = "\n".join(element.text for element in shown)
    assert "Traceback" not in text and not re.search(r"^\w*Error: ", text, re.M), text[:2000]
    assert "Claim not met" not in text

    # Every image the site serves is loaded; every figure of the notebook is shown.
    images = browser.execute_script(
        "return Array.from(document.images).map(i => "
        "[i.src, i.complete, i.naturalWidth, !!i.closest('.cell_output')])"
    )
    local = [image for image in images if image[0].startswith(server)]
    not_loaded = [src for src, complete, width, _ in local if not (complete and width > 0)]
    assert not not_loaded, f"{page}: images not loaded: {not_loaded}"
    figures = [image for image in local if image[3]]
    assert len(figures) == _figures(notebook), f"{page}: {len(figures)} figures shown"
    assert not _local_errors(browser, server)

    # Launch buttons for this lesson in the repository, and its download.
    links = browser.execute_script("return Array.from(document.links).map(a => a.href)")
    path = f"notebooks/{notebook.name}"
    colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/{path}"
    assert colab in links
    binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/main?urlpath=lab/tree/{path}"
    assert binder in links, [link for link in links if "mybinder" in link]
    download = f"{server}_sources/{path}"
    assert download in links
    with urllib.request.urlopen(download, timeout=30) as response:
        served = response.read()
    assert hashlib.sha256(served).digest() == hashlib.sha256(notebook.read_bytes()).digest()


def test_the_api_page_of_sampling_shows_its_docstring(browser, server):
    from selenium.webdriver.common.by import By

    _open(browser, f"{server}api/vaekit.layers.html")
    entry = browser.find_element(By.ID, "vaekit.layers.Sampling")
    description = entry.find_element(By.XPATH, "./following-sibling::dd").text
    assert description.startswith("Draws z ~ N(z_mean, exp(z_log_var)) as z = z_mean")
    assert "The randomness lives in epsilon ~ N(0, I)" in description
    assert "seed" in description and "Returns" in description


def test_a_lesson_links_the_library_names_it_uses_to_the_api(browser, server):
    from selenium.webdriver.common.by import By

    _open(browser, f"{server}notebooks/03_variational_autoencoder.html")
    links = {link.text: link for link in browser.find_elements(By.CSS_SELECTOR, "article a")
             if link.get_attribute("title") and link.text in ("Sampling", "build_vae", "fit")}
    assert set(links) == {"Sampling", "build_vae"}  # `fit` names several entries: not linked
    links["Sampling"].click()
    _wait(browser, lambda: browser.current_url.endswith("api/vaekit.layers.html"
                                                        "#vaekit.layers.Sampling"))
    entry = browser.find_element(By.ID, "vaekit.layers.Sampling")
    assert "Draws z" in entry.find_element(By.XPATH, "./following-sibling::dd").text


def test_search_finds_the_vae_lesson(browser, server):
    from selenium.webdriver.common.by import By

    _open(browser, f"{server}search.html?q=reparameterisation")

    def results():
        links = browser.find_elements(By.CSS_SELECTOR, "#search-results a")
        return [link.get_attribute("href") for link in links]

    found = _wait(
        browser,
        lambda: any("notebooks/03_variational_autoencoder.html" in href for href in results()),
        message="search for 'reparameterisation' did not find lesson 3",
    )
    assert found


def test_next_and_previous_walk_the_course_in_order(browser, server):
    from selenium.webdriver.common.by import By

    course = [f"{server}index.html"] + [f"{server}notebooks/{n.stem}.html" for n in LESSONS]

    def step(selector: str) -> str:
        link = browser.find_element(By.CSS_SELECTOR, f".prev-next-area a.{selector}")
        link.click()
        _wait(browser, lambda: browser.execute_script("return document.readyState") == "complete")
        return browser.current_url.split("#")[0]

    _open(browser, course[0])
    walked = [course[0]] + [step("right-next") for _ in course[1:]]
    assert walked == course
    back = [walked[-1]] + [step("left-prev") for _ in course[1:]]
    assert back == course[::-1]


def test_the_static_explorer_redraws_the_decoded_digit(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, f"{server}explorer.html")
    explorer = browser.find_element(By.ID, "latent-explorer")
    _wait(browser, lambda: explorer.get_attribute("data-drawn"), message="nothing drawn")

    def pixels(canvas_id: str) -> str:
        return browser.execute_script(f"return document.getElementById('{canvas_id}').toDataURL()")

    def ink() -> float:  # the mean grey level of the decoded digit's canvas
        return browser.execute_script(
            "const c = document.getElementById('explorer-digit');"
            "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            "let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i];"
            "return s / (d.length / 4);"
        )

    assert explorer.get_attribute("data-drawn") == "16,16"  # z = (0, 0): the grid's centre
    assert ink() > 5, "the decoded digit at z = (0, 0) is blank: decoded.png did not load"
    before = {name: pixels(name) for name in ("explorer-codes", "explorer-digit")}
    for slider, key in (("explorer-z0", Keys.ARROW_RIGHT), ("explorer-z1", Keys.ARROW_LEFT)):
        handle = browser.find_element(By.ID, slider)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", handle)
        handle.send_keys(*[key] * 8)  # 8 steps of 0.25
    assert browser.find_element(By.ID, "explorer-z").text == "z = (2.00, -2.00)"
    assert explorer.get_attribute("data-drawn") == "24,24"
    after = {name: pixels(name) for name in before}
    assert after["explorer-digit"] != before["explorer-digit"], "the digit was not redrawn"
    assert after["explorer-codes"] != before["explorer-codes"], "the star did not move"
    assert ink() > 5
    assert not _local_errors(browser, server)
