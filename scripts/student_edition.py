"""Write a student edition of the lessons: the same notebooks with the exercise solutions removed.

    python scripts/student_edition.py                          # every notebooks/NN_*.ipynb
    python scripts/student_edition.py --out build/student notebooks/06_convolutional_vae.ipynb

A solution is either a ``<details><summary>Solution</summary> … </details>`` block in a
markdown cell, or a whole cell tagged ``solution`` (so a solution can also be a code cell).
Each removed solution leaves a line "*Your answer:*" and one empty code cell (tagged
``answer``) right after its exercise, so students have somewhere to work; a markdown cell
holding several exercises is split after each of them. Every other cell, its outputs and the
notebook metadata (kernelspec) are kept as they are.

Input that could leak a solution is refused with the notebook and cell named: a ``<details>``
block that is never closed, a ``</details>`` that closes nothing, or a solution summary left
anywhere else. An output folder holding the lessons themselves is refused too.
"""

from __future__ import annotations

import argparse
import copy
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSON_PATTERN = "[0-9][0-9]_*.ipynb"
DEFAULT_OUT = ROOT / "build" / "student"
SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
ANSWER_PROMPT = "*Your answer:*"

DETAILS_TAG = re.compile(r"<(/?)details\b[^>]*>", re.IGNORECASE)
# "<summary>Solution", also "<summary><b>Solution 2</b>".
SOLUTION_SUMMARY = re.compile(r"<summary[^>]*>\s*(?:<[^>]+>\s*)*solution", re.IGNORECASE)


class StudentEditionError(ValueError):
    """A notebook or an output folder the student edition cannot be built from or into."""


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def solution_spans(text: str, where: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each outermost ``<details>`` block of `text` whose summary
    begins with "Solution". `where` names the cell in error messages."""
    spans, depth, start, opened_at = [], 0, 0, 0
    for tag in DETAILS_TAG.finditer(text):
        if not tag.group(1):
            if depth == 0:
                start, opened_at = tag.start(), tag.end()
            depth += 1
            continue
        if depth == 0:
            raise StudentEditionError(
                f"{where}: `</details>` at line {_line_of(text, tag.start())} closes no "
                "<details> block; remove it or add the missing `<details>`.")
        depth -= 1
        if depth == 0 and SOLUTION_SUMMARY.match(text[opened_at:tag.start()].lstrip()):
            spans.append((start, tag.end()))
    if depth:
        raise StudentEditionError(
            f"{where}: the <details> block opened at line {_line_of(text, start)} is never "
            "closed; add `</details>` after its solution, or the solution would leak.")
    return spans


def _derived(new_cell, origin, suffix: str):
    """`new_cell` with an id made from `origin`'s, stable across builds (none in a notebook
    older than nbformat 4.5, whose cells have no ids)."""
    if "id" in origin:
        new_cell.id = f"{origin.id[:40]}-{suffix}"
    else:
        new_cell.pop("id", None)
    return new_cell


def answer_cells(origin, number: int, prompt: bool = False) -> list:
    """The empty code cell, tagged `answer`, where a student answers exercise `number`;
    preceded by a markdown cell "*Your answer:*" if `prompt`."""
    code = _derived(nbformat.v4.new_code_cell(""), origin, f"answer-{number}")
    code.metadata["tags"] = [ANSWER_TAG]
    if not prompt:
        return [code]
    return [_derived(nbformat.v4.new_markdown_cell(ANSWER_PROMPT), origin, "prompt"), code]


def _piece(cell, source: str, suffix: str | None):
    """A copy of markdown `cell` (metadata, attachments) holding `source`."""
    piece = copy.deepcopy(cell)
    piece.source = source
    return piece if suffix is None else _derived(piece, cell, suffix)


def split_markdown(cell, where: str) -> list:
    """`cell` with its solution blocks cut out: after each exercise (the text before a
    solution) comes the answer prompt and an empty code cell; the text after the last
    solution, if any, stays a markdown cell."""
    text = cell.source
    spans = solution_spans(text, where)
    if not spans:
        return [cell]
    ends = [0] + [end for _, end in spans]
    cells = []
    for number, (start, _) in enumerate(spans, start=1):
        question = text[ends[number - 1]:start].strip()
        source = f"{question}\n\n{ANSWER_PROMPT}" if question else ANSWER_PROMPT
        cells += [_piece(cell, source, None if number == 1 else str(number)),
                  *answer_cells(cell, number)]
    tail = text[ends[-1]:].strip()
    return cells + ([_piece(cell, tail, "rest")] if tail else [])


def _is_solution_cell(cell) -> bool:
    return any(str(tag).lower() == SOLUTION_TAG for tag in cell.metadata.get("tags", []))


def _is_answer_cell(cell) -> bool:
    return cell.cell_type == "code" and ANSWER_TAG in cell.metadata.get("tags", [])


def student_notebook(notebook, name: str):
    """A copy of `notebook` without its solutions (see the module docstring).

    Raises:
        StudentEditionError: a cell's <details> blocks do not balance, or a solution summary
            is left where it cannot be removed (e.g. nested in another <details> block).
    """
    student = copy.deepcopy(notebook)
    cells = []
    for index, cell in enumerate(notebook.cells):
        where = f"{name}, cell {index} ({cell.cell_type})"
        if _is_solution_cell(cell):
            if not (cells and _is_answer_cell(cells[-1])):  # one answer cell per exercise
                cells += answer_cells(cell, 1, prompt=True)
            continue
        pieces = split_markdown(cell, where) if cell.cell_type == "markdown" else [cell]
        if any(SOLUTION_SUMMARY.search(piece.source) for piece in pieces):
            raise StudentEditionError(
                f"{where}: a solution summary is left that cannot be removed; put each "
                "solution in its own top-level <details><summary>Solution</summary> block, "
                f"or in a cell tagged `{SOLUTION_TAG}`.")
        cells += copy.deepcopy(pieces)
    student.cells = cells
    return student


def read_notebook(path: Path):
    """Read and validate one notebook, or raise StudentEditionError naming `path`."""
    if path.suffix != ".ipynb" or not path.is_file():
        raise StudentEditionError(
            f"`notebooks` must be existing .ipynb files. Received: {path}")
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    # Not JSON, an unknown version, or JSON of another shape: all mean "not a notebook".
    except (ValueError, TypeError, AttributeError, KeyError, nbformat.ValidationError) as error:
        raise StudentEditionError(f"{path} is not a valid notebook: {error}") from error
    return notebook


def check_out(out: Path, paths: list[Path]) -> None:
    """Refuse an output folder where the student edition would overwrite the lessons."""
    target = out.resolve()
    if target.is_relative_to(NOTEBOOKS) or target in {path.resolve().parent for path in paths}:
        raise StudentEditionError(
            "`--out` must not be the lessons' folder or lie inside notebooks/: the student "
            f"edition would overwrite or sit beside the lessons. Received: --out={out}")
    names = [path.name for path in paths]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise StudentEditionError(
            f"two notebooks would be written to the same file: {', '.join(repeated)}")


def _answers(notebook) -> int:
    return sum(map(_is_answer_cell, notebook.cells))


def build(paths: list[Path], out: Path) -> list[Path]:
    """Write the student edition of each notebook in `paths` into `out`; return the files.
    Every notebook is checked before anything is written."""
    check_out(out, paths)
    originals = {path: read_notebook(path) for path in paths}
    students = {path: student_notebook(notebook, path.name) for path, notebook in originals.items()}
    out.mkdir(parents=True, exist_ok=True)
    for path, student in students.items():
        nbformat.write(student, out / path.name)
        removed = _answers(student) - _answers(originals[path])
        print(f"{path.name}: {removed} solution(s) removed -> {out / path.name}")
    return [out / path.name for path in paths]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help=f"default: every notebooks/{LESSON_PATTERN}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: build/student in the checkout)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob(LESSON_PATTERN))
    try:
        build(paths, args.out)
    except StudentEditionError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()
