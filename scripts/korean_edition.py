"""The Korean edition: notebooks/ko/, built from the English lessons and gettext catalogues.

    python scripts/korean_edition.py update [LESSON …]   # the catalogues follow the English text
    python scripts/korean_edition.py build               # write notebooks/ko/*.ipynb
    python scripts/korean_edition.py check               # exit 1 if anything is missing or stale

Each lesson with a catalogue, `locale/ko/LC_MESSAGES/<lesson>.po`, is in the edition. Its
markdown cells are split into blocks (paragraphs, lists, tables, headings; a fenced code block
stays whole and is not translated) and every block with words is one entry. `update` adds the
English lesson's new blocks as empty entries; a block whose English changed keeps the
translation of the most similar old block, marked fuzzy (as `msgmerge` does), and blocks that
are gone are dropped. `build` refuses an edition with an untranslated or fuzzy entry, so an
English change cannot reach the Korean lesson untranslated. Code cells, outputs and metadata
are the English lesson's own: the Korean lessons show the English run's outputs.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EDITION = NOTEBOOKS / "ko"
CATALOGUES = ROOT / "locale" / "ko" / "LC_MESSAGES"
# An English block whose text changed this little keeps its old translation, marked fuzzy.
FUZZY_CUTOFF = 0.6
_FENCE = re.compile(r"^\s*(```|~~~)")
# What is not prose: inline code, display or inline math, link targets, HTML tags.
NOT_PROSE = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]*>", re.S)


def blocks(markdown: str) -> list[str]:
    """`markdown` split at blank lines outside fenced code, each block without its edges'
    blank lines."""
    result, current, fenced = [], [], False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                result.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        result.append("\n".join(current))
    return result


def is_translatable(block: str) -> bool:
    """Whether `block` has words to translate (not a fenced code block, tags or math only)."""
    if _FENCE.match(block):
        return False
    return re.search(r"[A-Za-z]{2,}", NOT_PROSE.sub(" ", block)) is not None


def lesson_blocks(notebook: nbformat.NotebookNode) -> dict[str, list[int]]:
    """Every translatable block of the notebook's markdown cells, in order, with the indices of
    the cells it occurs in."""
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            for block in filter(is_translatable, blocks(cell.source)):
                found.setdefault(block, []).append(index)
    return found


def catalogue_path(lesson: str) -> Path:
    return CATALOGUES / f"{lesson}.po"


def edition_lessons() -> list[str]:
    """The lessons with a catalogue, in course order."""
    return sorted(path.stem for path in CATALOGUES.glob("*.po"))


def read_english(lesson: str) -> nbformat.NotebookNode:
    path = NOTEBOOKS / f"{lesson}.ipynb"
    if not path.is_file():
        raise SystemExit(f"no English lesson {path.relative_to(ROOT)} for {lesson}.po")
    return nbformat.read(path, as_version=4)


def updated_catalogue(english: nbformat.NotebookNode, old: polib.POFile | None,
                      lesson: str) -> polib.POFile:
    """The catalogue for `english`: old translations kept, changed blocks fuzzy, new empty."""
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "vaekit",
        "Language": "ko",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    previous = {entry.msgid: entry for entry in old or [] if not entry.obsolete}
    current = lesson_blocks(english)
    gone = [msgid for msgid in previous if msgid not in current and previous[msgid].msgstr]
    for msgid, cells in current.items():
        occurrences = [(f"notebooks/{lesson}.ipynb", str(cell)) for cell in cells]
        if msgid in previous:
            entry = previous[msgid]
            entry.occurrences = occurrences
        else:
            entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=occurrences)
            closest = difflib.get_close_matches(msgid, gone, n=1, cutoff=FUZZY_CUTOFF)
            if closest:
                entry.msgstr = previous[closest[0]].msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = closest[0]
        catalogue.append(entry)
    return catalogue


def problems(catalogue: polib.POFile, english: nbformat.NotebookNode) -> list[str]:
    """What stops the build: English blocks with no entry, untranslated or fuzzy entries."""
    entries = {entry.msgid: entry for entry in catalogue if not entry.obsolete}
    found = []
    for block in lesson_blocks(english):
        entry = entries.get(block)
        if entry is None:
            found.append(f"no entry (run `update`): {block[:60]!r}")
        elif not entry.msgstr.strip():
            found.append(f"untranslated: {block[:60]!r}")
        elif "fuzzy" in entry.flags:
            found.append(f"fuzzy (the English changed): {block[:60]!r}")
    return found


def translated(english: nbformat.NotebookNode, catalogue: polib.POFile,
               lesson: str) -> nbformat.NotebookNode:
    """The Korean lesson: `english` with every markdown block replaced by its translation."""
    found = problems(catalogue, english)
    if found:
        raise SystemExit(f"{lesson}.po: {len(found)} entries not ready:\n  " + "\n  ".join(found))
    entries = {entry.msgid: entry.msgstr for entry in catalogue}
    korean = nbformat.from_dict(english)
    for cell in korean.cells:
        if cell.cell_type == "markdown":
            cell.source = "\n\n".join(entries[block] if is_translatable(block) else block
                                      for block in blocks(cell.source))
    korean.metadata.setdefault("vaekit", {})["translation"] = {
        "language": "ko", "source": f"notebooks/{lesson}.ipynb"}
    return korean


def korean_text(lesson: str) -> str:
    """The Korean lesson's file contents, as `build` writes them."""
    catalogue = polib.pofile(str(catalogue_path(lesson)), wrapwidth=0)
    return nbformat.writes(translated(read_english(lesson), catalogue, lesson)) + "\n"


def update(lessons: list[str]) -> None:
    CATALOGUES.mkdir(parents=True, exist_ok=True)
    for lesson in lessons:
        path = catalogue_path(lesson)
        old = polib.pofile(str(path), wrapwidth=0) if path.exists() else None
        catalogue = updated_catalogue(read_english(lesson), old, lesson)
        catalogue.save(str(path))
        todo = sum(1 for entry in catalogue if not entry.msgstr or "fuzzy" in entry.flags)
        print(f"{path.relative_to(ROOT)}: {len(catalogue)} entries, {todo} to translate")


def build() -> None:
    EDITION.mkdir(exist_ok=True)
    for lesson in edition_lessons():
        (EDITION / f"{lesson}.ipynb").write_text(korean_text(lesson), encoding="utf-8")
        print(f"notebooks/ko/{lesson}.ipynb")


def check() -> int:
    """Print every problem; 1 if a catalogue is not ready or a Korean lesson is not current."""
    failures = []
    for lesson in edition_lessons():
        try:
            text = korean_text(lesson)
        except SystemExit as error:
            failures.append(str(error))
            continue
        built = EDITION / f"{lesson}.ipynb"
        if not built.is_file() or built.read_text(encoding="utf-8") != text:
            failures.append(f"notebooks/ko/{lesson}.ipynb is not current: run `make korean`")
    print("\n".join(failures) or f"Korean edition current: {len(edition_lessons())} lessons")
    return int(bool(failures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "build", "check"])
    parser.add_argument("lessons", nargs="*", help="for update: lessons to add (default: those "
                        "with a catalogue), e.g. 01_pca_kernel_pca_autoencoder")
    args = parser.parse_args()
    if args.command == "update":
        update(args.lessons or edition_lessons())
    elif args.command == "build":
        build()
    else:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
