"""The Korean edition: complete catalogues, current Korean lessons, the English lessons' code,
the glossary's key terms; and an English edit turns its translation fuzzy."""

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import polib
import pytest

pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).parent.parent
GLOSSARY = ROOT / "locale" / "ko" / "GLOSSARY.md"


def load_script():
    spec = importlib.util.spec_from_file_location("korean_edition",
                                                  ROOT / "scripts" / "korean_edition.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


edition = load_script()
LESSONS = edition.edition_lessons()


def catalogue(lesson: str) -> polib.POFile:
    return polib.pofile(str(edition.catalogue_path(lesson)), wrapwidth=0)


def test_every_lesson_has_a_korean_edition():
    english = sorted(path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert LESSONS == english


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_entry_is_translated_and_none_is_fuzzy(lesson):
    assert edition.problems(catalogue(lesson), edition.read_english(lesson)) == []


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_korean_lesson_is_built_from_the_current_catalogue(lesson):
    built = ROOT / "notebooks" / "ko" / f"{lesson}.ipynb"
    assert built.read_text(encoding="utf-8") == edition.korean_text(lesson), (
        "run `make korean`")


@pytest.mark.parametrize("lesson", LESSONS)
def test_code_and_outputs_are_the_english_lessons(lesson):
    english = edition.read_english(lesson)
    korean = nbformat.read(ROOT / "notebooks" / "ko" / f"{lesson}.ipynb", as_version=4)
    assert [cell.cell_type for cell in korean.cells] == [cell.cell_type for cell in english.cells]
    for mine, theirs in zip(korean.cells, english.cells, strict=True):
        if theirs.cell_type == "code":
            assert mine.source == theirs.source and mine.outputs == theirs.outputs
    assert korean.metadata.vaekit.translation.language == "ko"


def _structure(block: str) -> list[str]:
    """What a translation must keep: line kinds (heading, list, table), inline code, math."""
    kinds = [re.match(r"\s*(#+|[-*]|\d+\.|\|)?", line).group(1) or "" for line in
             block.splitlines() if re.match(r"\s*(#+ |[-*] |\d+\. |\|)", line)]
    return kinds + sorted(set(re.findall(r"`[^`]+`|\$[^$]+\$", block)))


@pytest.mark.parametrize("lesson", LESSONS)
def test_translations_keep_markdown_code_and_math(lesson):
    broken = [entry.msgid[:60] for entry in catalogue(lesson)
              if _structure(entry.msgid) != _structure(entry.msgstr)]
    assert not broken, f"structure, inline code or math changed in: {broken}"


def key_terms() -> dict[str, str]:
    """The glossary's key rows: {English term: Korean term}."""
    rows = [line.split("|")[1:-1] for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and line.rstrip().endswith("| key |")]
    return {english.strip(): korean.strip() for english, korean, *_ in rows}


def test_the_glossary_has_the_source_posts_key_terms():
    terms = key_terms()
    assert terms["latent space"] == "잠재 공간" and terms["encoder"] == "인코더"
    assert terms["dimensionality reduction"] == "차원 축소"
    assert terms["reparameterisation trick"] == "재매개변수화 트릭"


@pytest.mark.parametrize("lesson", LESSONS)
def test_key_terms_are_translated_as_the_glossary_says(lesson):
    misses = []
    for entry in catalogue(lesson):
        prose = edition.NOT_PROSE.sub(" ", entry.msgid)
        for english, korean in key_terms().items():
            used = re.search(rf"\b{re.escape(english)}s?\b", prose, re.I)
            if used and korean not in entry.msgstr:
                misses.append(f"{english} → {korean}: {entry.msgid[:50]!r}")
    assert not misses, misses


def test_an_english_edit_turns_its_translation_fuzzy_and_stops_the_build():
    text = "# Title\n\nThe encoder maps images to codes.\n\n```\nx\n```"
    english = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(text),
        nbformat.v4.new_code_cell("x = 1"),
    ])
    first = edition.updated_catalogue(english, None, "99_test")
    assert [entry.msgid for entry in first] == ["# Title", "The encoder maps images to codes."]
    for entry, korean in zip(first, ["# 제목", "인코더는 이미지를 코드로 바꿉니다."], strict=True):
        entry.msgstr = korean
    assert "인코더는" in edition.translated(english, first, "99_test").cells[0].source

    english.cells[0].source = "# Title\n\nThe encoder maps each image to a code."
    second = edition.updated_catalogue(english, first, "99_test")
    changed = second.find("The encoder maps each image to a code.")
    assert "fuzzy" in changed.flags and changed.msgstr == "인코더는 이미지를 코드로 바꿉니다."
    assert second.find("# Title").msgstr == "# 제목"
    with pytest.raises(SystemExit, match="fuzzy"):
        edition.translated(english, second, "99_test")


def test_blocks_keep_fenced_code_whole_and_skip_what_has_no_words():
    text = "Para one\nline two\n\n```python\na = 1\n\nb = 2\n```\n\n</details>\n\n$$x^2$$"
    assert edition.blocks(text) == ["Para one\nline two", "```python\na = 1\n\nb = 2\n```",
                                    "</details>", "$$x^2$$"]
    assert [edition.is_translatable(block) for block in edition.blocks(text)] == [
        True, False, False, False]
