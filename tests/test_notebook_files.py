"""The committed lessons are exactly what JupyterLab would save, so opening one changes nothing."""

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

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
