import importlib.util
from pathlib import Path

import nbformat
import pytest

# The runner's bookkeeping is file work: run once, on the default backend.
pytestmark = pytest.mark.backend_independent

SCRIPT = Path(__file__).parent.parent / "scripts" / "run_notebooks.py"


def load_script():
    spec = importlib.util.spec_from_file_location("run_notebooks", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed_cell(source, start, end):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["execution"] = {"iopub.execute_input": f"2026-12-01T10:00:{start}Z",
                                  "shell.execute_reply": f"2026-12-01T10:00:{end}Z"}
    return cell


def test_seconds_are_summed_under_each_heading():
    notebook = nbformat.v4.new_notebook(cells=[
        timed_cell("import vaekit", "00.000", "04.500"),
        nbformat.v4.new_markdown_cell("## Train\n\ntext"),
        timed_cell("fit()", "05.000", "15.000"),
        nbformat.v4.new_markdown_cell("### a sub-heading stays in its section"),
        timed_cell("fit()", "15.000", "17.250"),
        nbformat.v4.new_code_cell("not run"),
        nbformat.v4.new_markdown_cell("## Judge"),
        timed_cell("judge()", "20.000", "21.000"),
    ])
    assert load_script().seconds_per_section(notebook) == {
        "(top)": 4.5, "Train": 12.25, "Judge": 1.0,
    }
