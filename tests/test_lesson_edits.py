"""A learner who changes lesson 3's settings gets one line per broken claim, not a traceback
(a Korean learner, in Korean). Under the test command a broken claim stops the notebook instead
(tests/test_runtime.py)."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from vaekit.language import translate

# How a broken claim shows (in learner and strict mode) does not depend on the backend:
# run once, on the default backend (and not on the oldest versions, which run lesson 3 itself).
pytestmark = [pytest.mark.backend_independent, pytest.mark.executes_a_lesson]

LESSON = Path(__file__).parent.parent / "notebooks" / "03_variational_autoencoder.ipynb"
KOREAN = LESSON.parent / "ko" / LESSON.name
# A bigger code (the 2-D figures then show a slice) and far too little training (the β sweep's
# one epoch keeps the test short).
EDITS = {"LATENT_DIM = 2 ": "LATENT_DIM = 8 ", "EPOCHS = 25": "EPOCHS = 2",
         "SIDE_EPOCHS = choose(full=8, fast=4)": "SIDE_EPOCHS = 1"}


def edited_lesson(path):
    """The edition of lesson 3 at `path`, with `EDITS` made in its settings cell."""
    notebook = nbformat.read(path, as_version=4)
    settings = [cell for cell in notebook.cells
                if cell.cell_type == "code" and all(old in cell.source for old in EDITS)]
    assert len(settings) == 1, "the settings cell of lesson 3 has changed: update EDITS"
    for old, new in EDITS.items():
        settings[0].source = settings[0].source.replace(old, new)
    return notebook


def execute(notebook, folder, monkeypatch):
    """Run `notebook` in `folder` (the kernel's working folder, as in JupyterLab) in learner
    mode."""
    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", "0")  # the kernel inherits it
    monkeypatch.delenv("VAEKIT_LANGUAGE", raising=False)
    NotebookClient(notebook, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()


def test_a_korean_learner_who_changes_settings_sees_korean_claim_lines_and_the_lesson_finishes(
        monkeypatch):
    notebook = edited_lesson(KOREAN)
    execute(notebook, KOREAN.parent, monkeypatch)  # raises on any error output
    shown = [output.data["text/plain"] for cell in notebook.cells if cell.cell_type == "code"
             for output in cell.outputs if "text/plain" in output.get("data", {})]
    frame = [translate(text, "ko").split("{")[0] for text in (
        "Claim not met: {message}.", "Measured: {measured}.", "Likely cause: {likely_cause}.")]
    lines = [text for text in shown if text.startswith(frame[0])]
    assert lines, "two epochs of training should break at least one of lesson 3's claims"
    for line in lines:
        assert "\n" not in line and frame[1] in line and frame[2] in line, line
    assert not any("Claim not met" in text for text in shown)
