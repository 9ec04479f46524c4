"""The claims each lesson checks, listed per lesson in INSTRUCTORS.md from the notebooks.

    python scripts/lesson_claims.py          # rewrite the list in INSTRUCTORS.md
    python scripts/lesson_claims.py --check  # exit 1, saying so, when the list is out of date

Every `claim(condition, message, ...)` call in a lesson's code cells contributes its message;
a message built with an f-string keeps its `{expressions}` as written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from lesson_code import claim_messages

ROOT = Path(__file__).resolve().parent.parent
INSTRUCTORS = ROOT / "INSTRUCTORS.md"
BEGIN = "<!-- lesson claims: made by scripts/lesson_claims.py from the notebooks; do not edit -->"
END = "<!-- end of lesson claims -->"


def claims_of(path: Path) -> list[str]:
    """The messages of every `claim(...)` call in the notebook at `path`, in order."""
    return claim_messages(nbformat.read(path, as_version=4))


def title_of(path: Path) -> str:
    """The first line of the notebook's first cell, without its `#`."""
    first = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0]
    return first.lstrip("#").strip()


def claims_section(notebooks: list[Path]) -> str:
    """The generated part of INSTRUCTORS.md, from BEGIN to END."""
    lines = [BEGIN, ""]
    for path in notebooks:
        lines += [f"**{title_of(path)}** (`{path.name}`)", ""]
        lines += [f"- {message}" for message in claims_of(path)] or ["- (no claims)"]
        lines.append("")
    return "\n".join(lines + [END])


def with_claims(text: str, section: str) -> str:
    """`text` (INSTRUCTORS.md) with its generated part replaced by `section`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"INSTRUCTORS.md must hold the markers {BEGIN!r} and {END!r}, in order")
    return text[:start] + section + text[end + len(END):]


def lesson_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when INSTRUCTORS.md is out of date")
    args = parser.parse_args()
    text = INSTRUCTORS.read_text(encoding="utf-8")
    updated = with_claims(text, claims_section(lesson_notebooks()))
    if args.check:
        if updated != text:
            sys.exit("INSTRUCTORS.md lists other claims than the lessons check: run "
                     "`python scripts/lesson_claims.py`")
        return
    INSTRUCTORS.write_text(updated, encoding="utf-8")


if __name__ == "__main__":
    main()
