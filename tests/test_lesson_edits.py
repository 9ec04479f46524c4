"""A learner who changes lesson 3's settings gets one line per broken claim, not a traceback;
the same change under the test command fails."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

# How a broken claim shows (in learner and strict mode) does not depend on the backend:
# run once, on the default backend (and not on the oldest versions, which run lesson 3 itself).
pytestmark = [pytest.mark.backend_independent, pytest.mark.executes_a_lesson]

LESSON = Path(__file__).parent.parent / "notebooks" / "03_variational_autoencoder.ipynb"
# A bigger code (the 2-D figures then show a slice) and far too little training.
EDITS = {"LATENT_DIM = 2 ": "LATENT_DIM = 8 ", "EPOCHS = 25": "EPOCHS = 2"}


def edited_lesson():
    """Lesson 3 with `EDITS` made in its settings cell."""
    notebook = nbformat.read(LESSON, as_version=4)
    settings = [cell for cell in notebook.cells
                if cell.cell_type == "code" and all(old in cell.source for old in EDITS)]
    assert len(settings) == 1, "the settings cell of lesson 3 has changed: update EDITS"
    for old, new in EDITS.items():
        settings[0].source = settings[0].source.replace(old, new)
    return notebook


def execute(notebook, monkeypatch, strict):
    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", "1" if strict else "0")  # the kernel inherits it
    NotebookClient(notebook, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(LESSON.parent)}}).execute()


def test_a_learner_who_changes_settings_sees_claim_lines_and_the_lesson_finishes(monkeypatch):
    notebook = edited_lesson()
    execute(notebook, monkeypatch, strict=False)  # raises on any error output
    lines = [output.data["text/plain"] for cell in notebook.cells if cell.cell_type == "code"
             for output in cell.outputs
             if output.output_type == "display_data" and "text/plain" in output.data
             and output.data["text/plain"].startswith("Claim not met:")]
    assert lines, "two epochs of training should break at least one of lesson 3's claims"
    for line in lines:
        assert "\n" not in line and "Measured:" in line and "Likely cause:" in line, line


def test_the_same_change_fails_under_the_test_command(monkeypatch):
    with pytest.raises(CellExecutionError, match="ClaimNotMet"):
        execute(edited_lesson(), monkeypatch, strict=True)
