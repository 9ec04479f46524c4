"""Lesson 3 as a learner meets it: JupyterLab in a headless browser, Run All, the latent explorer.

The README's `make lab` command (`jupyter lab [--allow-root] notebooks/`) is started headless
(`--no-browser`, a free port, a random token) on a temporary copy of the notebooks folder, so
JupyterLab's autosave never touches the lessons in the checkout. A headless Chromium, driven by
Selenium through the system's chromedriver, opens `03_variational_autoencoder.ipynb`,
saves it unchanged (Ctrl+S writes back the committed bytes), picks Run > Run All Cells, waits
for every cell to execute, and checks:

- no cell shows an error (a Traceback or an `...Error:` line); every block a cell writes to
  stderr is reported as a warning, even when it is not an error;
- no claim line ("Claim not met: ...") and no widget that failed to display;
- moving the explorer's z[0] and z[1] sliders (arrow keys on the slider handle) redraws the
  decoded digit, not only the figure's title and the red star.

It runs only when asked: `VAEKIT_BROWSER_TEST=1` (`scripts/browser_test.sh` sets it, installs
what is missing, and sets a time limit); otherwise, and when Chromium, chromedriver or Selenium
is missing, it is skipped with a message. Settings, all optional:

- `VAEKIT_BROWSER_ARTIFACTS`: folder for the screenshots and the report (default: pytest's
  temporary folder for the test, printed at the end);
- `VAEKIT_BROWSER_NOTEBOOKS`: the notebooks folder to copy (default: the checkout's notebooks/);
- `VAEKIT_BROWSER_RUN_TIMEOUT`: seconds Run All may take (default 1200);
- `VAEKIT_CHROMIUM`, `VAEKIT_CHROMEDRIVER`: the browser and its driver (default: found on PATH).

The lab's kernel runs in fast mode (`VAEKIT_FAST=1`) and in learner mode (a claim that does not
hold prints a line instead of raising): that line is what this test looks for.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import warnings
from pathlib import Path

import headless_chromium
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSON = "03_variational_autoencoder.ipynb"
JUPYTER = Path(sys.executable).with_name("jupyter")

SERVER_START_TIMEOUT = 180
PAGE_TIMEOUT = 180
RUN_TIMEOUT = float(os.environ.get("VAEKIT_BROWSER_RUN_TIMEOUT", "1200"))
SLIDER_TIMEOUT = 90
POLL = 1.0


def _missing() -> str | None:
    if os.environ.get("VAEKIT_BROWSER_TEST") != "1":
        return (
            "the browser test runs only when asked: VAEKIT_BROWSER_TEST=1 "
            "(scripts/browser_test.sh sets it up and runs it)"
        )
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed in this environment (scripts/browser_test.sh installs it)"
    if not headless_chromium.chromium():
        return "no Chromium browser found (apt-get install chromium; or set VAEKIT_CHROMIUM)"
    if not headless_chromium.chromedriver():
        return "no chromedriver found (apt-get install chromium-driver; or set VAEKIT_CHROMEDRIVER)"
    if not JUPYTER.is_file():
        return f"no jupyter next to this Python ({JUPYTER})"
    return None


_reason = _missing()
if _reason:
    pytest.skip(_reason, allow_module_level=True)

from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

# --- the lab server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if the test process dies without tearing down."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _get(url: str, timeout: float = 10) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


class Lab:
    """`jupyter lab [--allow-root] <folder>` as `make lab` starts it, headless."""

    def __init__(self, workdir: Path, notebooks: Path):
        self.notebooks = notebooks
        self.port = _free_port()
        self.token = uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "jupyter-lab.log"
        settings = workdir / "lab-settings"
        # A fresh JupyterLab: no news or update prompts over the notebook.
        notification = settings / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True)
        (notification / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        command = [str(JUPYTER), "lab"]
        if os.geteuid() == 0:  # what the Makefile adds for root
            command.append("--allow-root")
        command += [
            str(notebooks),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={workdir / 'lab-workspaces'}",
        ]
        env = dict(os.environ)
        # A learner's kernel: fast mode, claims shown as a line (not strict), TensorFlow's log
        # level left to the lesson's own Setup cell.
        for name in ("VAEKIT_STRICT_CLAIMS", "TF_CPP_MIN_LOG_LEVEL", "JUPYTER_TOKEN"):
            env.pop(name, None)
        env["VAEKIT_FAST"] = os.environ.get("VAEKIT_FAST", "1")
        env["JUPYTER_CONFIG_DIR"] = str(workdir / "jupyter-config")
        env["JUPYTER_RUNTIME_DIR"] = str(workdir / "jupyter-runtime")
        env["PYTHONUNBUFFERED"] = "1"
        self.command = command
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self.workdir = workdir

    def api(self, path: str) -> object:
        return json.loads(_get(f"{self.url}/api/{path}?token={self.token}"))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"jupyter lab exited ({self.process.returncode}):\n{self.log_tail()}")
            with contextlib.suppress(OSError, ValueError, StopIteration):
                self.api("status")
                info = next((self.workdir / "jupyter-runtime").glob("jpserver-*.json"))
                self.root_dir = Path(json.loads(info.read_text())["root_dir"]).resolve()
                return
            time.sleep(POLL)
        pytest.fail(f"jupyter lab not ready after {SERVER_START_TIMEOUT} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Shut the server down (its kernels with it); kill it if it does not go."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                request = urllib.request.Request(
                    f"{self.url}/api/shutdown?token={self.token}", method="POST"
                )
                urllib.request.urlopen(request, timeout=10).close()
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                if sig is not None:
                    with contextlib.suppress(ProcessLookupError):
                        self.process.send_signal(sig)
                try:
                    self.process.wait(timeout=20)
                    break
                except subprocess.TimeoutExpired:
                    continue
        for pid in _kernel_pids(self.workdir):  # a kernel left behind by a killed server
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self._log.close()


def _kernel_pids(workdir: Path) -> set[int]:
    """The lab's kernels still running: their command line names a connection file in workdir."""
    pids = set()
    for proc in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            if "ipykernel" in cmdline and str(workdir) in cmdline:
                pids.add(int(proc.name))
    return pids


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.glob("*.ipynb"))
    }


@pytest.fixture
def artifacts(tmp_path) -> Path:
    folder = Path(os.environ.get("VAEKIT_BROWSER_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder.resolve()


@pytest.fixture
def lab(tmp_path, artifacts):
    source = Path(os.environ.get("VAEKIT_BROWSER_NOTEBOOKS") or ROOT / "notebooks")
    copy = tmp_path / "notebooks"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    originals = _digests(copy)  # what was copied

    def on_sigterm(signum, frame):  # `timeout` and CI cancel with SIGTERM: still tear down
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    server = Lab(tmp_path, copy)
    try:
        server.wait_ready()
        assert server.root_dir == copy.resolve(), f"the lab serves {server.root_dir}, not {copy}"
        yield server
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        with contextlib.suppress(OSError):
            shutil.copy(server.log_path, artifacts / "jupyter-lab.log")
    now = _digests(source)
    saved = _digests(copy)
    changed = sorted(
        name for name in originals.keys() | now.keys() if originals.get(name) != now.get(name)
    )
    by_lab = [name for name in changed if now.get(name) == saved.get(name)]
    assert not by_lab, f"the lab wrote {by_lab} in {source}, not only in its copy"
    if changed:  # an editor, or another program, saved them while the test ran
        warnings.warn(
            f"{changed} in {source} changed during the test, not by the lab", stacklevel=1
        )


@pytest.fixture
def browser(tmp_path):
    driver = headless_chromium.start(tmp_path / "chromium-profile")
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        with contextlib.suppress(Exception):
            driver.quit()


# --- reading the notebook in the page -----------------------------------------------------------

CELLS_JS = """
const stderr = 'application/vnd.jupyter.stderr';
return Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')).map(
  (cell, index) => ({
    index: index,
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
    stderr: Array.from(cell.querySelectorAll(`.jp-RenderedText[data-mime-type="${stderr}"]`))
      .map(e => e.textContent),
    outputs: (cell.querySelector('.jp-OutputArea') || {}).textContent || '',
  }));
"""

KERNEL_STATUS = re.compile(
    r"\|\s*(Idle|Busy|Starting|Connecting|Restarting|Reconnecting|Initializing|Unknown|Dead|"
    r"Disconnected|Terminating|Autorestarting)"
)
ERROR_TEXT = re.compile(r"Traceback|^\s*\w*(Error|Exception)\b.*:", re.MULTILINE)


def _cells(driver) -> list[dict]:
    return driver.execute_script(CELLS_JS)


def _kernel_status(driver) -> str:
    bar = driver.execute_script(
        "const b = document.querySelector('#jp-main-statusbar'); return b ? b.textContent : '';"
    )
    match = KERNEL_STATUS.search(bar or "")
    return match.group(1) if match else "?"


def _wait(what: str, condition, timeout: float, driver, artifacts: Path, details=lambda: ""):
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(WebDriverException, StopIteration):
            value = condition()
            if value:
                return value
        if time.monotonic() > deadline:
            _screenshot(driver, artifacts, "failure.png")
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}. {details()}")
        time.sleep(POLL)


def _screenshot(driver, artifacts: Path, name: str) -> None:
    with contextlib.suppress(WebDriverException):
        driver.save_screenshot(str(artifacts / name))


def _prompt_number(prompt: str) -> int | None:
    match = re.fullmatch(r"\s*\[(\d+)\]:\s*", prompt)
    return int(match.group(1)) if match else None


# --- the explorer ---------------------------------------------------------------------------------

# The explorer: the widget box (ipywidgets' interact/interactive) holding the z[0] slider.
EXPLORER_JS = """
const labels = Array.from(document.querySelectorAll(
  '.jp-NotebookPanel .jp-Notebook .jp-CodeCell .jp-OutputArea .widget-slider .widget-label'));
const label = labels.find(l => l.textContent.trim() === 'z[0]');
const box = label && label.closest('.widget-interact');
if (!box) return null;
const sliders = Array.from(box.querySelectorAll('.widget-slider')).map(s => ({
  label: ((s.querySelector('.widget-label') || {}).textContent || '').trim(),
  readout: ((s.querySelector('.widget-readout') || {}).textContent || '').trim(),
}));
const images = Array.from(box.querySelectorAll('img')).map(i => i.src);
if (arguments.length && arguments[0]) {
  box.scrollIntoView({block: 'center'});
  const slider = Array.from(box.querySelectorAll('.widget-slider')).find(
    s => ((s.querySelector('.widget-label') || {}).textContent || '').trim() === arguments[0]);
  const handle = slider && slider.querySelector('.noUi-handle');
  if (handle) handle.focus();
  return handle;
}
return {sliders: sliders, images: images, text: box.textContent};
"""


def _explorer(driver) -> dict | None:
    return driver.execute_script(EXPLORER_JS)


def _focus_handle(driver, label: str):
    """Scroll the explorer into view and focus the handle of the slider labelled `label`.

    The notebook sizes cells out of view lazily, so the explorer can move while the cells above
    it are laid out: scroll again until it stays inside the window.
    """
    handle = None
    for _ in range(20):
        handle = driver.execute_script(EXPLORER_JS, label)
        time.sleep(0.5)
        inside = driver.execute_script(
            """
            const label = Array.from(document.querySelectorAll('.widget-interact .widget-label'))
                .find(l => l.textContent.trim() === 'z[0]');
            const r = label && label.closest('.widget-interact').getBoundingClientRect();
            return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
            """
        )
        if inside:
            break
    return handle


def _png(src: str):
    import numpy as np
    from PIL import Image

    prefix = "data:image/png;base64,"
    assert src.startswith(prefix), f"the explorer's image is not an inline PNG: {src[:60]}"
    image = Image.open(io.BytesIO(base64.b64decode(src[len(prefix) :]))).convert("L")
    return np.asarray(image, dtype="int16")


def _save_png(src: str, path: Path) -> None:
    with contextlib.suppress(ValueError):
        path.write_bytes(base64.b64decode(src.split(",", 1)[1]))


# The figure is the test codes (left, 1.6 parts wide) beside the decoded digit (right, 1 part),
# with a title over the digit. The slider also moves the red star and changes the title, so only
# this box, right of the scatter plot and below the title, tells whether the digit was redrawn.
DIGIT_BOX = (0.66, 0.16, 1.0, 1.0)  # left, top, right, bottom: fractions of width and height


def _digit_change(before: str, after: str) -> tuple[float, float]:
    """Fractions of pixels that changed: in the decoded digit's box, and in the whole figure."""
    a, b = _png(before), _png(after)
    if a.shape != b.shape:
        return 1.0, 1.0
    changed = abs(a - b) > 24
    height, width = changed.shape
    left, top, right, bottom = DIGIT_BOX
    box = changed[int(top * height) : int(bottom * height), int(left * width) : int(right * width)]
    return float(box.mean()), float(changed.mean())


def _readout(state: dict, label: str) -> float | None:
    """The slider's shown value ("−0.90" uses a minus sign, not a hyphen)."""
    text = next((s["readout"] for s in state["sliders"] if s["label"] == label), "")
    with contextlib.suppress(ValueError):
        return float(text.replace("\u2212", "-"))
    return None


def _move(driver, artifacts, label: str, presses: int, expected: float, before: dict) -> dict:
    """Press an arrow key `presses` times on the slider (negative: left); wait for the redraw."""
    handle = _focus_handle(driver, label)
    assert handle is not None, f"no slider handle labelled {label!r} in the explorer"
    for _ in range(abs(presses)):
        handle.send_keys(Keys.ARROW_RIGHT if presses > 0 else Keys.ARROW_LEFT)
        time.sleep(0.05)
    history: list[str] = []

    def settled():
        state = _explorer(driver)
        readout = _readout(state, label)
        src = state["images"][0] if len(state["images"]) == 1 else None
        history.append(src or "")
        stable = len(history) >= 3 and len(set(history[-3:])) == 1
        at_target = readout is not None and abs(readout - expected) < 0.05
        if at_target and src and stable and _kernel_status(driver) == "Idle":
            if _digit_change(before["images"][0], src)[0] > 0.002:
                return state
        return None

    state = None
    deadline = time.monotonic() + SLIDER_TIMEOUT
    while state is None and time.monotonic() < deadline:
        with contextlib.suppress(WebDriverException):
            state = settled()
        if state is None:
            time.sleep(POLL)
    if state is None:
        final = _explorer(driver)
        _screenshot(driver, artifacts, f"failure_slider_{label.strip('z[]')}.png")
        readout = _readout(final, label)
        if len(final["images"]) != 1:
            pytest.fail(
                f"after moving {label} to {expected:.1f} the explorer shows {len(final['images'])} "
                f"images (expected one): {final['text'][-500:]!r}"
            )
        digit, figure = _digit_change(before["images"][0], final["images"][0])
        pytest.fail(
            f"moving the {label} slider to {expected:.1f} (readout {readout}) did not redraw the "
            f"decoded digit within {SLIDER_TIMEOUT} s: {digit:.2%} of the digit's pixels and "
            f"{figure:.2%} of the figure's changed (kernel {_kernel_status(driver)})"
        )
    return state


# --- the test -------------------------------------------------------------------------------


def test_lesson_3_runs_in_jupyterlab_and_its_explorer_responds(lab, browser, artifacts):
    started = time.monotonic()
    report: dict = {"lesson": LESSON, "server": " ".join(lab.command[:3] + ["<copy>"])}
    saved_cells = json.loads((lab.notebooks / LESSON).read_text())["cells"]
    expected_cells = len(saved_cells)
    expected_code = sum(cell["cell_type"] == "code" for cell in saved_cells)
    try:
        browser.get(f"{lab.url}/lab/tree/{LESSON}?token={lab.token}")
        _wait(
            f"the lesson's {expected_cells} cells and an idle kernel",
            lambda: len(_cells(browser)) == expected_cells and _kernel_status(browser) == "Idle",
            PAGE_TIMEOUT,
            browser,
            artifacts,
            lambda: f"cells {len(_cells(browser))}, kernel {_kernel_status(browser)}",
        )
        report["opened_s"] = round(time.monotonic() - started, 1)

        # Opening the lesson and saving it (Ctrl+S) must write back the very bytes committed,
        # so that an instructor's `git status` stays clean.
        copy = lab.notebooks / LESSON
        committed, unsaved = copy.read_bytes(), copy.stat().st_mtime_ns
        browser.find_element(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell").click()
        ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
        _wait("the lesson to be saved", lambda: copy.stat().st_mtime_ns != unsaved, 60,
              browser, artifacts)
        time.sleep(1)  # let the write finish
        assert copy.read_bytes() == committed, (
            f"opening and saving {LESSON} in JupyterLab changed the file: "
            "commit what JupyterLab writes (see tests/test_notebook_files.py)"
        )

        # Run > Run All Cells, as a learner picks it.
        run_menu = next(
            item
            for item in browser.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")
            if item.text.strip() == "Run"
        )
        run_menu.click()
        run_all = _wait(
            "Run > Run All Cells",
            lambda: next(
                item
                for item in browser.find_elements(By.CSS_SELECTOR, "li.lm-Menu-item")
                if item.text.strip().startswith("Run All Cells") and item.is_displayed()
            ),
            30,
            browser,
            artifacts,
        )
        run_all.click()
        run_started = time.monotonic()
        _wait(
            "the cells to be queued ([*])",
            lambda: any("*" in c["prompt"] for c in _cells(browser)),
            60,
            browser,
            artifacts,
        )

        quiet: list[bool] = []

        def finished() -> bool:
            busy = any("*" in c["prompt"] for c in _cells(browser))
            quiet.append(not busy and _kernel_status(browser) == "Idle")
            return len(quiet) >= 3 and all(quiet[-3:])

        def progress() -> str:
            cells = [c for c in _cells(browser) if c["code"]]
            done = sum(_prompt_number(c["prompt"]) is not None for c in cells)
            return f"{done}/{len(cells)} code cells show a number; kernel {_kernel_status(browser)}"

        _wait("Run All to finish", finished, RUN_TIMEOUT, browser, artifacts, progress)
        report["run_all_s"] = round(time.monotonic() - run_started, 1)

        cells = _cells(browser)
        code = [c for c in cells if c["code"]]
        numbers = [_prompt_number(c["prompt"]) for c in code]
        stderr = [
            {"cell": c["index"], "text": text.strip()[:2000]} for c in cells for text in c["stderr"]
        ]
        errors = [s for s in stderr if ERROR_TEXT.search(s["text"])]
        claims = [c["index"] for c in cells if "Claim not met" in c["outputs"]]
        broken_widgets = [c["index"] for c in cells if "Error displaying widget" in c["outputs"]]
        report.update(stderr_blocks=stderr, errors=errors, claims_not_met=claims)

        browser.execute_script(
            "document.querySelector('.jp-NotebookPanel .jp-Cell').scrollIntoView({block: 'start'})"
        )
        time.sleep(1)
        _screenshot(browser, artifacts, "lesson3_top_after_run_all.png")
        setup = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")[0]
        browser.execute_script(  # the Setup cell's output: where TensorFlow's log lines were
            "arguments[0].querySelector('.jp-Cell-outputWrapper')"
            ".scrollIntoView({block: 'center'});", setup)
        time.sleep(1)
        _screenshot(browser, artifacts, "lesson3_setup_cell_after_run_all.png")

        assert not errors, "cells show errors after Run All:\n" + "\n\n".join(
            f"cell {e['cell']}:\n{e['text']}" for e in errors
        )
        assert len(code) == expected_code and None not in numbers, (
            f"not every code cell ran: prompts {[c['prompt'] for c in code]}"
        )
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), (
            f"the cells did not run once each, top to bottom: {numbers}"
        )
        assert not claims, f"cells {claims} show 'Claim not met' after Run All"
        assert not broken_widgets, f"cells {broken_widgets} show 'Error displaying widget'"
        for block in stderr:
            warnings.warn(
                f"{LESSON} cell {block['cell']} wrote to stderr in JupyterLab: "
                f"{block['text'][:300]!r}",
                stacklevel=1,
            )

        # The latent explorer: two sliders, one decoded image, redrawn when a slider moves.
        explorer = _wait(
            "the latent explorer's sliders and image",
            lambda: (e := _explorer(browser)) and len(e["sliders"]) == 2 and e["images"] and e,
            60,
            browser,
            artifacts,
            lambda: f"explorer: {str(_explorer(browser))[:500]}",
        )
        labels = sorted(s["label"] for s in explorer["sliders"])
        assert labels == ["z[0]", "z[1]"], f"the explorer's sliders: {labels}"
        assert len(explorer["images"]) == 1, f"{len(explorer['images'])} images in the explorer"
        _focus_handle(browser, "none")  # scrolls the explorer into view
        time.sleep(1)
        _screenshot(browser, artifacts, "lesson3_explorer_before.png")
        _save_png(explorer["images"][0], artifacts / "explorer_figure_before.png")
        first = explorer
        moves = {}
        for label in ("z[0]", "z[1]"):
            value = _readout(first, label)
            assert value is not None, f"the {label} slider shows no value: {first['sliders']}"
            presses = 12 if value <= 1.5 else -12  # step 0.1: 1.2 towards the far end of (-3, 3)
            target = round(value + 0.1 * presses, 1)
            after = _move(browser, artifacts, label, presses, target, first)
            digit, figure = _digit_change(first["images"][0], after["images"][0])
            name = f"explorer_figure_after_z{label.strip('z[]')}.png"  # ..._z0.png, ..._z1.png
            _save_png(after["images"][0], artifacts / name)
            moves[label] = {
                "from": value,
                "to": target,
                "digit_pixels_changed": round(digit, 4),
                "figure_pixels_changed": round(figure, 4),
            }
            first = after
        report["slider_moves"] = moves
        _focus_handle(browser, "none")
        time.sleep(1)
        _screenshot(browser, artifacts, "lesson3_explorer_after.png")
    finally:
        report["total_s"] = round(time.monotonic() - started, 1)
        report["artifacts"] = str(artifacts)
        (artifacts / "report.json").write_text(json.dumps(report, indent=2))
        print(f"\nbrowser test report and screenshots: {artifacts}")
