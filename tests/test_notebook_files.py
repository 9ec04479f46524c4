"""The committed lessons are exactly what JupyterLab would save, so opening one changes nothing."""

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

# These read the committed notebook files: run once, on the default backend.
pytestmark = pytest.mark.backend_independent

LESSONS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def saved_by_jupyterlab(notebook) -> str:
    """The text JupyterLab's server writes for `notebook` run on the default kernel: it
    stamps the kernel's own spec into the metadata and saves with nbformat."""
    spec = KernelSpecManager().get_kernel_spec(notebook.metadata.kernelspec.name)
    notebook.metadata.kernelspec = {
        "display_name": spec.display_name, "language": spec.language,
        "name": notebook.metadata.kernelspec.name,
    }
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def test_every_lesson_is_found():
    assert len(LESSONS) >= 6


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_opening_and_saving_a_lesson_changes_nothing(path):
    text = path.read_text(encoding="utf-8")
    assert saved_by_jupyterlab(nbformat.reads(text, as_version=4)) == text


def code_cells(path):
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_every_claim_goes_through_vaekit_claim(path):
    """A bare `assert` would stop a learner's lesson with a traceback; `claim` explains."""
    import ast

    for index, cell in enumerate(code_cells(path)):
        python = "\n".join(  # an IPython magic line becomes `pass`, keeping its indentation
            line[: len(line) - len(line.lstrip())] + "pass"
            if line.lstrip().startswith(("%", "!")) else line
            for line in cell.source.splitlines()
        )
        asserts = [node for node in ast.walk(ast.parse(python)) if isinstance(node, ast.Assert)]
        assert not asserts, f"{path.name}, code cell {index}: `assert` at line {asserts[0].lineno}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_committed_outputs_show_no_stderr_and_no_warning(path):
    for index, cell in enumerate(code_cells(path)):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert output.get("name") != "stderr", f"{path.name}, code cell {index}: {text[:200]}"
            assert output.output_type != "error", f"{path.name}, code cell {index}"
            assert "Warning:" not in text, f"{path.name}, code cell {index}: {text[:200]}"
