"""The student edition (scripts/student_edition.py) removes every solution and nothing else."""

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

# Building the student edition is notebook-file work: run once, on the default backend.
pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# The lesson whose student edition's set-up is executed as a student would.
EXECUTED_LESSON = "03_variational_autoencoder.ipynb"

_spec = importlib.util.spec_from_file_location("student_edition",
                                               ROOT / "scripts" / "student_edition.py")
student_edition = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student_edition)
StudentEditionError = student_edition.StudentEditionError

# Written independently of the script, so the test does not share its parser's blind spots.
SOLUTION_BLOCK = re.compile(r"<details>\s*<summary>Solution</summary>.*?</details>", re.S | re.I)
EXERCISE_TITLE = re.compile(r"^\*\*\d+\. [^*]+\*\*", re.M)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """{lesson name: (original, student)} for every lesson, built once."""
    out = tmp_path_factory.mktemp("student")
    student_edition.build(LESSONS, out)
    return {path.name: (nbformat.read(path, as_version=4), nbformat.read(out / path.name, 4))
            for path in LESSONS}


def tags(cell):
    return cell.metadata.get("tags", [])


def markdown_text(notebook):
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def all_text(notebook):
    return "\n".join(cell.source for cell in notebook.cells)


def exercises_text(notebook):
    """The markdown of the "## Exercises" section (up to the next "## " heading)."""
    cells = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    start = next(i for i, cell in enumerate(cells) if cell.source.startswith("## Exercises"))
    end = next((i for i in range(start + 1, len(cells)) if cells[i].source.startswith("## ")),
               len(cells))
    return "\n".join(cell.source for cell in cells[start:end])


def answer_cells(notebook):
    return [cell for cell in notebook.cells if "answer" in tags(cell)]


@pytest.mark.parametrize("name", [path.name for path in LESSONS])
def test_no_solution_survives(editions, name):
    original, student = editions[name]
    blocks = SOLUTION_BLOCK.findall(markdown_text(original))
    solution_cells = [cell.source for cell in original.cells if "solution" in tags(cell)]
    assert blocks or solution_cells, f"{name}: no solution found, the test would prove nothing"
    # A solution line that the lesson also uses elsewhere may stay; every other one must go.
    elsewhere = set(SOLUTION_BLOCK.sub("", all_text(original)).splitlines())
    kept = set(all_text(student).splitlines())
    for block in blocks + solution_cells:
        for line in block.splitlines():
            if len(line.strip()) > 20 and line not in elsewhere:
                assert line not in kept, f"{name}: solution line kept: {line!r}"
    assert not re.search(r"<summary>\s*Solution", all_text(student), re.I)
    assert not [cell for cell in student.cells if "solution" in tags(cell)]


@pytest.mark.parametrize("name", [path.name for path in LESSONS])
def test_every_exercise_keeps_its_question_and_gets_one_empty_code_cell(editions, name):
    original, student = editions[name]
    titles = EXERCISE_TITLE.findall(exercises_text(original))
    assert titles, f"{name}: no exercise found"
    assert len(answer_cells(student)) == len(titles)
    for title in titles:
        [index] = [i for i, cell in enumerate(student.cells)
                   if cell.cell_type == "markdown" and title in cell.source]
        after = student.cells[index + 1]
        assert student.cells[index].source.endswith("*Your answer:*"), title
        assert (after.cell_type, after.source, after.outputs) == ("code", "", []), title
    # Every line of prose outside the solutions is still there, in order.
    prose = [line for line in SOLUTION_BLOCK.sub("", markdown_text(original)).splitlines()
             if line.strip()]
    remaining = iter(markdown_text(student).splitlines())
    missing = [line for line in prose if line not in remaining]
    assert not missing, f"{name}: lost or reordered: {missing[:3]}"


@pytest.mark.parametrize("name", [path.name for path in LESSONS])
def test_code_cells_and_metadata_are_unchanged(editions, name):
    original, student = editions[name]

    def code(notebook, skip):
        return [(cell.source, cell.outputs, cell.execution_count, cell.metadata)
                for cell in notebook.cells if cell.cell_type == "code" and skip not in tags(cell)]

    assert code(student, skip="answer") == code(original, skip="solution")
    assert student.metadata == original.metadata
    assert student.metadata.kernelspec == original.metadata.kernelspec
    nbformat.validate(student)


def test_no_cell_reads_a_name_only_a_solution_defines(editions):
    """A solution cell the student edition removes must not define a name another cell reads
    (the code cells are otherwise the lesson's own, so the edition runs as the lesson does)."""
    for name, (original, _) in editions.items():
        code = [cell for cell in original.cells if cell.cell_type == "code"]
        solution = [cell for cell in code if "solution" in tags(cell)]
        kept = [cell for cell in code if "solution" not in tags(cell)]
        only_in_solutions = set().union(*map(stored_names, solution)) - set().union(
            *map(stored_names, kept))
        for cell in kept:
            assert not only_in_solutions & read_names(cell), f"{name}: {cell.source[:80]!r}"


def _syntax(cell):
    """The cell's Python syntax tree, each IPython magic line (`%pip …`) read as `pass`."""
    return ast.parse("\n".join(
        line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
        else line for line in cell.source.splitlines()))


def stored_names(cell) -> set[str]:
    names = set()
    for node in ast.walk(_syntax(cell)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def read_names(cell) -> set[str]:
    return {node.id for node in ast.walk(_syntax(cell))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def test_the_name_check_sees_a_name_only_a_solution_defines():
    solution = nbformat.v4.new_code_cell("import numpy as np\nanswer = np.zeros(3)")
    assert {"np", "answer"} <= stored_names(solution)
    assert "answer" in read_names(nbformat.v4.new_code_cell("%matplotlib inline\nprint(answer)"))


@pytest.mark.slow
def test_a_student_lesson_set_up_runs_outside_the_checkout(tmp_path, monkeypatch):
    """The set-up cells of a student lesson (everything before its first training), run from a
    folder outside the checkout in fast mode with strict claims: vaekit and the digits must be
    found from there too."""
    from nbclient import NotebookClient

    monkeypatch.setenv("VAEKIT_FAST", "1")
    monkeypatch.setenv("VAEKIT_STRICT_CLAIMS", "1")
    [path] = student_edition.build([ROOT / "notebooks" / EXECUTED_LESSON], tmp_path / "student")
    notebook = nbformat.read(path, as_version=4)
    first_fit = next(i for i, cell in enumerate(notebook.cells) if ".fit(" in cell.source)
    notebook.cells = notebook.cells[:first_fit]
    assert any("load_mnist(" in cell.source for cell in notebook.cells)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert not errors


# --- small synthetic notebooks ---------------------------------------------------------------

def write_notebook(folder, cells, name="lesson.ipynb", minor=5):
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.kernelspec = {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}
    notebook.nbformat_minor = minor
    if minor < 5:
        for cell in notebook.cells:
            cell.pop("id")
    path = folder / name
    nbformat.write(notebook, path)
    return path


def exercises(*parts):
    return nbformat.v4.new_markdown_cell("## Exercises\n\n" + "\n\n".join(parts))


SOLUTION = "<details><summary>Solution</summary>\n\nThe secret answer is 42.\n</details>"


def test_a_solution_tagged_cell_is_replaced_by_one_answer_cell(tmp_path):
    question = nbformat.v4.new_markdown_cell("**1. Add.** What is 1 + 1?")
    solution = nbformat.v4.new_code_cell("print(1 + 1)  # the secret answer", metadata={
        "tags": ["solution"]})
    explanation = nbformat.v4.new_markdown_cell("Two, as always.", metadata={
        "tags": ["solution"]})
    kept = nbformat.v4.new_code_cell("x = 1", execution_count=3, outputs=[
        nbformat.v4.new_output("stream", text="kept\n")])
    path = write_notebook(tmp_path, [kept, question, solution, explanation])
    [written] = student_edition.build([path], tmp_path / "out")
    cells = nbformat.read(written, as_version=4).cells
    assert [cell.cell_type for cell in cells] == ["code", "markdown", "markdown", "code"]
    assert cells[0] == kept
    assert cells[2].source == "*Your answer:*" and cells[3].source == ""
    assert "secret" not in all_text(nbformat.read(written, as_version=4))


def test_several_exercises_in_one_cell_are_split_and_hints_are_kept(tmp_path):
    hint = "<details><summary>Hint</summary>Think of 6 × 7.</details>"
    path = write_notebook(tmp_path, [exercises(f"**1. One.** Why?\n\n{hint}", SOLUTION,
                                               "**2. Two.** How?", SOLUTION.upper(),
                                               "Have fun.")], minor=4)
    [written] = student_edition.build([path], tmp_path / "out")
    cells = nbformat.read(written, as_version=4).cells
    assert [cell.cell_type for cell in cells] == ["markdown", "code", "markdown", "code",
                                                  "markdown"]
    assert cells[0].source == f"## Exercises\n\n**1. One.** Why?\n\n{hint}\n\n*Your answer:*"
    assert cells[2].source == "**2. Two.** How?\n\n*Your answer:*"
    assert cells[4].source == "Have fun."
    assert "42" not in all_text(nbformat.read(written, as_version=4))


@pytest.mark.parametrize("source, message", [
    ("**1.** Why?\n\n<details><summary>Solution</summary>\n\nBecause.", "never closed"),
    ("**1.** Why?\n\nBecause.\n</details>", "closes no <details>"),
    ("<details><summary>Hint</summary>\n<details><summary>Solution</summary>Because."
     "</details></details>", "cannot be removed"),
    ("<summary>Solution</summary> Because.", "cannot be removed"),
])
def test_a_solution_that_could_leak_is_refused_naming_notebook_and_cell(tmp_path, source,
                                                                         message):
    path = write_notebook(tmp_path, [nbformat.v4.new_markdown_cell("# Title"),
                                     nbformat.v4.new_markdown_cell(source)], name="leaky.ipynb")
    with pytest.raises(StudentEditionError, match=message) as error:
        student_edition.build([path], tmp_path / "out")
    assert "leaky.ipynb, cell 1 (markdown)" in str(error.value)
    assert not (tmp_path / "out").exists()


def test_a_path_that_is_not_a_notebook_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "other.ipynb").write_text('{"cells": 3}')
    (tmp_path / "list.ipynb").write_text("[]")
    for name in ("notes.txt", "missing.ipynb", "broken.ipynb", "other.ipynb", "list.ipynb"):
        with pytest.raises(StudentEditionError, match=re.escape(name)):
            student_edition.build([tmp_path / name], tmp_path / "out")


@pytest.mark.parametrize("out", ["notebooks", "notebooks/student", "notebooks/../notebooks"])
def test_the_lessons_cannot_be_overwritten(out):
    before = {path: path.stat().st_mtime_ns for path in LESSONS}
    with pytest.raises(StudentEditionError, match="must not be the lessons' folder"):
        student_edition.build(LESSONS[:1], ROOT / out)
    assert {path: path.stat().st_mtime_ns for path in LESSONS} == before
    assert not (ROOT / "notebooks" / "student").exists()


def test_the_folder_of_the_input_is_refused_too(tmp_path):
    path = write_notebook(tmp_path, [exercises("**1.** Why?", SOLUTION)])
    with pytest.raises(StudentEditionError, match="must not be the lessons' folder"):
        student_edition.build([path], tmp_path)
    assert SOLUTION in nbformat.read(path, as_version=4).cells[0].source


def test_the_command_line(tmp_path, capsys):
    path = write_notebook(tmp_path, [exercises("**1.** Why?", SOLUTION)])
    student_edition.main(["--out", str(tmp_path / "out"), str(path)])
    assert "1 solution(s) removed" in capsys.readouterr().out
    assert (tmp_path / "out" / path.name).exists()
    with pytest.raises(SystemExit) as exit_status:
        student_edition.main(["--out", str(tmp_path / "out"), str(tmp_path / "out")])
    assert exit_status.value.code == 2 and ".ipynb files" in capsys.readouterr().err
    # Run as a script from elsewhere: the default input is the lessons, whatever the folder.
    refused = subprocess.run([sys.executable, ROOT / "scripts" / "student_edition.py",
                              "--out", ROOT / "notebooks"],
                             capture_output=True, text=True, cwd=tmp_path)
    assert refused.returncode == 2 and "must not be the lessons' folder" in refused.stderr
