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


def _script(name: str):
    """scripts/<name>.py as a module (a script, not a package)."""
    import importlib.util

    path = Path(__file__).parent.parent / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_run_stamp_changes_with_code_cells_only():
    fingerprint = _script("run_notebooks").code_fingerprint
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A"),
                                               nbformat.v4.new_code_cell("x = 1")])
    stamp = fingerprint(notebook)
    notebook.cells[0].source = "# B"
    assert fingerprint(notebook) == stamp
    notebook.cells[1].source = "x = 2"
    assert fingerprint(notebook) != stamp
    notebook.cells[1].source = "x = 1"
    notebook.cells.append(nbformat.v4.new_code_cell(""))
    assert fingerprint(notebook) != stamp


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_outputs_come_from_a_run_of_the_code_as_it_is(path):
    """`make lessons` stamps each notebook with a hash of its code cells; edited code with the
    old outputs fails here."""
    notebook = nbformat.read(path, as_version=4)
    stamp = notebook.metadata.get("vaekit", {}).get("code_sha256")
    assert stamp, f"{path.name} has no run stamp: refresh its outputs with `make lessons`"
    assert stamp == _script("run_notebooks").code_fingerprint(notebook), (
        f"{path.name}: its code cells changed after the run that made its outputs; "
        "refresh them with `make lessons`"
    )
    counts = [cell.execution_count for cell in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: not run top to bottom"


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_a_lesson_fits_a_class_hour(path):
    cells = nbformat.read(path, as_version=4).cells
    words = sum(len(cell.source.split()) for cell in cells if cell.cell_type == "markdown")
    assert len(cells) <= 45, f"{path.name}: {len(cells)} cells (at most 45)"
    assert words <= 2500, f"{path.name}: {words} words of prose (at most 2,500)"


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.name)
def test_every_figure_follows_the_course_style(path):
    import re

    from vaekit.style import FIGURE_WIDTH

    sources = [cell.source for cell in code_cells(path)]
    setup = next(source for source in sources if "import vaekit" in source)
    assert "\nuse_course_style()" in setup, f"{path.name}: the Setup cell must apply the style"
    code = "\n".join(sources)
    widths = [float(width) for width in re.findall(r"figsize=\(\s*([0-9.]+)", code)]
    assert all(width <= FIGURE_WIDTH for width in widths), f"{path.name}: figure widths {widths}"
    assert "tight_layout" not in code, f"{path.name}: the course style lays figures out itself"


def test_instructors_md_lists_the_claims_the_lessons_check():
    lesson_claims = _script("lesson_claims")
    text = lesson_claims.INSTRUCTORS.read_text(encoding="utf-8")
    section = lesson_claims.claims_section(LESSONS)
    assert lesson_claims.with_claims(text, section) == text, (
        "INSTRUCTORS.md lists other claims than the lessons check: run "
        "`python scripts/lesson_claims.py`"
    )
    assert section.count("\n- ") >= 5 * len(LESSONS)


@pytest.mark.parametrize("index", range(len(LESSONS)), ids=lambda i: LESSONS[i].name)
def test_a_lesson_opens_with_goals_and_ends_with_a_summary_exercises_and_the_next_lesson(index):
    path = LESSONS[index]
    cells = nbformat.read(path, as_version=4).cells
    headings = [line for cell in cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert "## Summary" in headings and "## Exercises" in headings, path.name
    opening = "\n".join(cell.source for cell in cells[:3] if cell.cell_type == "markdown").lower()
    assert "**you will learn to**" in opening and "**you need:**" in opening, (
        f"{path.name}: the opening says what you will learn and what you need from earlier lessons"
    )
    if index + 1 < len(LESSONS):
        ending = "\n".join(cell.source for cell in cells[-3:] if cell.cell_type == "markdown")
        assert f"({LESSONS[index + 1].name})" in ending, (
            f"{path.name}: the last cells link to the next lesson, {LESSONS[index + 1].name}"
        )
