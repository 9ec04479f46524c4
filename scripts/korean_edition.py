"""The Korean edition: notebooks/ko/, built from the English lessons and gettext catalogues.

    python scripts/korean_edition.py update [LESSON …]   # the catalogues follow the English text
    python scripts/korean_edition.py build               # write notebooks/ko/ and vaekit/locale/
    python scripts/korean_edition.py check               # exit 1 if anything is missing or stale

Each lesson with a catalogue, `locale/ko/LC_MESSAGES/<lesson>.po`, is in the edition. Its
entries are the lesson's markdown blocks (paragraphs, lists, tables, headings; a fenced code
block stays whole and is not translated), its code comments (context "code comment"; comments
alone on consecutive lines are one block) and every text its claims can show a learner
(context "claim", templates whose `{fields}` the code fills in). `vaekit.po` holds the lines
the library itself shows a learner (its `translate("…")` calls). `update` adds new English
texts as empty entries; a text whose English changed keeps the translation of the most
similar old one, marked fuzzy (as `msgmerge` does), and texts that are gone are dropped.
`build` refuses an edition with an untranslated or fuzzy entry, so an English change cannot
reach the Korean lesson untranslated. It writes each Korean lesson, whose code is the English
lesson's token for token (only comments differ) and whose outputs are the English run's, and
`vaekit/locale/ko.json`, the claims' and the library's lines that `vaekit.language` looks up.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import re
import sys
from pathlib import Path

import nbformat
import polib
from lesson_code import claim_templates, comment_blocks, with_comments

from vaekit.language import FIELD  # a template's `{fields}`, as the lessons fill them in

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EDITION = NOTEBOOKS / "ko"
CATALOGUES = ROOT / "locale" / "ko" / "LC_MESSAGES"
LIBRARY_CATALOGUE = CATALOGUES / "vaekit.po"
RUNTIME_CATALOGUE = ROOT / "vaekit" / "locale" / "ko.json"
COMMENT, CLAIM = "code comment", "claim"  # the msgctxt of code comments and claims' texts
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


Key = tuple  # (msgctxt or None, msgid)


def lesson_entries(notebook: nbformat.NotebookNode) -> dict[Key, list[int]]:
    """Every text of the lesson to translate, keyed by (context, English), with the indices of
    the cells it occurs in: markdown blocks, code comments, then the claims' texts."""
    found: dict[Key, list[int]] = {(None, block): cells
                                   for block, cells in lesson_blocks(notebook).items()}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            for _, _, text in comment_blocks(cell.source):
                found.setdefault((COMMENT, text), []).append(index)
    found.update({(CLAIM, text): [] for text in claim_templates(notebook)})
    return found


def library_entries() -> dict[Key, list[int]]:
    """The texts the library shows a learner: the string of each `translate("…")` call."""
    found: dict[Key, list[int]] = {}
    for path in sorted((ROOT / "vaekit").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "translate" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found[(None, node.args[0].value)] = []
    return found


def catalogue_path(lesson: str) -> Path:
    return CATALOGUES / f"{lesson}.po"


def edition_lessons() -> list[str]:
    """The lessons with a catalogue, in course order."""
    return sorted(path.stem for path in CATALOGUES.glob("[0-9][0-9]_*.po"))


def read_english(lesson: str) -> nbformat.NotebookNode:
    path = NOTEBOOKS / f"{lesson}.ipynb"
    if not path.is_file():
        raise SystemExit(f"no English lesson {path.relative_to(ROOT)} for {lesson}.po")
    return nbformat.read(path, as_version=4)


def updated_catalogue(current: dict[Key, list[int]], old: polib.POFile | None,
                      source: str) -> polib.POFile:
    """The catalogue of the `current` texts (from `lesson_entries` or `library_entries`) found
    in `source`: old translations kept, changed texts fuzzy, new ones empty."""
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "vaekit",
        "Language": "ko",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    previous = {(entry.msgctxt, entry.msgid): entry for entry in old or [] if not entry.obsolete}
    gone = [key for key in previous if key not in current and previous[key].msgstr]
    for key, cells in current.items():
        occurrences = [(source, str(cell)) for cell in cells] or [(source, "")]
        if key in previous:
            entry = previous[key]
            entry.occurrences = occurrences
        else:
            context, msgid = key
            entry = polib.POEntry(msgctxt=context, msgid=msgid, msgstr="",
                                  occurrences=occurrences)
            same_kind = [english for kind, english in gone if kind == context]
            closest = difflib.get_close_matches(msgid, same_kind, n=1, cutoff=FUZZY_CUTOFF)
            if closest:
                entry.msgstr = previous[(context, closest[0])].msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = closest[0]
        catalogue.append(entry)
    return catalogue


def problems(catalogue: polib.POFile, current: dict[Key, list[int]]) -> list[str]:
    """What stops the build: texts with no entry, untranslated or fuzzy entries, and
    translations that lose a template's fields or a comment's single line."""
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalogue if not entry.obsolete}
    found = []
    for key in current:
        entry, text = entries.get(key), f"{(key[0] + ': ') if key[0] else ''}{key[1][:60]!r}"
        if entry is None:
            found.append(f"no entry (run `update`): {text}")
        elif not entry.msgstr.strip():
            found.append(f"untranslated: {text}")
        elif "fuzzy" in entry.flags:
            found.append(f"fuzzy (the English changed): {text}")
        elif sorted(FIELD.findall(entry.msgid)) != sorted(FIELD.findall(entry.msgstr)):
            found.append(f"the translation must keep the `{{fields}}` as they are: {text}")
    return found


def translated(english: nbformat.NotebookNode, catalogue: polib.POFile,
               lesson: str) -> nbformat.NotebookNode:
    """The Korean lesson: `english` with its markdown blocks and code comments translated."""
    found = problems(catalogue, lesson_entries(english))
    if found:
        raise SystemExit(f"{lesson}.po: {len(found)} entries not ready:\n  " + "\n  ".join(found))
    entries = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in catalogue}
    korean = nbformat.from_dict(english)
    for cell in korean.cells:
        if cell.cell_type == "markdown":
            cell.source = "\n\n".join(entries[(None, block)] if is_translatable(block) else block
                                      for block in blocks(cell.source))
        elif cell.cell_type == "code":
            cell.source = with_comments(cell.source, lambda text: entries[(COMMENT, text)])
    korean.metadata.setdefault("vaekit", {})["translation"] = {
        "language": "ko", "source": f"notebooks/{lesson}.ipynb"}
    return korean


def korean_text(lesson: str) -> str:
    """The Korean lesson's file contents, as `build` writes them."""
    catalogue = _catalogue_at(catalogue_path(lesson))
    return nbformat.writes(translated(read_english(lesson), catalogue, lesson)) + "\n"


def runtime_text() -> str:
    """`vaekit/locale/ko.json` as `build` writes it: {English: Korean} for every claim's text of
    the edition's lessons and every line in `vaekit.po`."""
    library = _catalogue_at(LIBRARY_CATALOGUE)
    found = problems(library, library_entries())
    if found:
        raise SystemExit(f"vaekit.po: {len(found)} entries not ready:\n  " + "\n  ".join(found))
    entries = {entry.msgid: entry.msgstr for entry in library}
    for lesson in edition_lessons():
        entries.update({entry.msgid: entry.msgstr for entry in _catalogue_at(catalogue_path(lesson))
                        if entry.msgctxt == CLAIM and not entry.obsolete})
    return json.dumps(dict(sorted(entries.items())), ensure_ascii=False, indent=1) + "\n"


def _catalogue_at(path: Path) -> polib.POFile:
    if not path.is_file():
        raise SystemExit(f"no catalogue {path.relative_to(ROOT)}: run `update`")
    return polib.pofile(str(path), wrapwidth=0)


def update(lessons: list[str]) -> None:
    CATALOGUES.mkdir(parents=True, exist_ok=True)
    sources = [(catalogue_path(lesson), lesson_entries(read_english(lesson)),
                f"notebooks/{lesson}.ipynb") for lesson in lessons]
    for path, current, source in sources + [(LIBRARY_CATALOGUE, library_entries(), "vaekit")]:
        old = polib.pofile(str(path), wrapwidth=0) if path.exists() else None
        catalogue = updated_catalogue(current, old, source)
        catalogue.save(str(path))
        todo = sum(1 for entry in catalogue if not entry.msgstr or "fuzzy" in entry.flags)
        print(f"{path.relative_to(ROOT)}: {len(catalogue)} entries, {todo} to translate")


def build() -> None:
    EDITION.mkdir(exist_ok=True)
    for lesson in edition_lessons():
        (EDITION / f"{lesson}.ipynb").write_text(korean_text(lesson), encoding="utf-8")
        print(f"notebooks/ko/{lesson}.ipynb")
    RUNTIME_CATALOGUE.parent.mkdir(exist_ok=True)
    RUNTIME_CATALOGUE.write_text(runtime_text(), encoding="utf-8")
    print(RUNTIME_CATALOGUE.relative_to(ROOT))


def check() -> int:
    """Print every problem; 1 if a catalogue is not ready or a built file is not current."""
    failures = []
    built = [(EDITION / f"{lesson}.ipynb", lambda lesson=lesson: korean_text(lesson))
             for lesson in edition_lessons()] + [(RUNTIME_CATALOGUE, runtime_text)]
    for path, text in built:
        try:
            expected = text()
        except SystemExit as error:
            failures.append(str(error))
            continue
        if not path.is_file() or path.read_text(encoding="utf-8") != expected:
            failures.append(f"{path.relative_to(ROOT)} is not current: run `make korean`")
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
