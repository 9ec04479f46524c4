"""The Korean edition: complete catalogues, current Korean lessons, the English lessons' code,
the glossary's key terms; and an English edit turns its translation fuzzy."""

import re
from pathlib import Path

import korean_edition as edition
import nbformat
import polib
import pytest
from lesson_code import claim_templates, code_only, comment_blocks, with_comments

pytestmark = pytest.mark.backend_independent

ROOT = Path(__file__).parent.parent
GLOSSARY = ROOT / "locale" / "ko" / "GLOSSARY.md"


LESSONS = edition.edition_lessons()


def catalogue(lesson: str) -> polib.POFile:
    return polib.pofile(str(edition.catalogue_path(lesson)), wrapwidth=0)


def test_every_lesson_has_a_korean_edition():
    english = sorted(path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert LESSONS == english


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_entry_is_translated_and_none_is_fuzzy(lesson):
    english = edition.lesson_entries(edition.read_english(lesson))
    assert edition.problems(catalogue(lesson), english) == []


def test_the_librarys_lines_are_translated_and_the_runtime_catalogue_is_current():
    library = polib.pofile(str(edition.LIBRARY_CATALOGUE), wrapwidth=0)
    assert edition.problems(library, edition.library_entries()) == []
    assert "Claim not met: {message}." in {entry.msgid for entry in library}
    assert edition.RUNTIME_CATALOGUE.read_text(encoding="utf-8") == edition.runtime_text(), (
        "run `make korean`")


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_korean_lesson_is_built_from_the_current_catalogue(lesson):
    built = ROOT / "notebooks" / "ko" / f"{lesson}.ipynb"
    assert built.read_text(encoding="utf-8") == edition.korean_text(lesson), (
        "run `make korean`")


@pytest.mark.parametrize("lesson", LESSONS)
def test_code_and_outputs_are_the_english_lessons_and_comments_read_in_korean(lesson):
    english = edition.read_english(lesson)
    korean = nbformat.read(ROOT / "notebooks" / "ko" / f"{lesson}.ipynb", as_version=4)
    assert [cell.cell_type for cell in korean.cells] == [cell.cell_type for cell in english.cells]
    comments = []
    for mine, theirs in zip(korean.cells, english.cells, strict=True):
        if theirs.cell_type == "code":
            assert code_only(mine.source) == code_only(theirs.source)
            assert mine.outputs == theirs.outputs
            comments += [text for _, _, text in comment_blocks(mine.source)]
    # Every comment reads in Korean, but for a name or a shape kept as is, e.g. "(batch, 784)"
    english = [text for text in comments if not HANGUL.search(text)
               and re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text)]
    assert comments and not english, english
    assert korean.metadata.vaekit.translation.language == "ko"


HANGUL = re.compile("[\uac00-\ud7a3]")


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
    first = edition.updated_catalogue(edition.lesson_entries(english), None, "99_test")
    assert [entry.msgid for entry in first] == ["# Title", "The encoder maps images to codes."]
    for entry, korean in zip(first, ["# 제목", "인코더는 이미지를 코드로 바꿉니다."], strict=True):
        entry.msgstr = korean
    assert "인코더는" in edition.translated(english, first, "99_test").cells[0].source

    english.cells[0].source = "# Title\n\nThe encoder maps each image to a code."
    second = edition.updated_catalogue(edition.lesson_entries(english), first, "99_test")
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


def test_comments_are_translated_as_blocks_and_the_code_is_kept():
    source = ("# NBVAL_CHECK_OUTPUT\n"
              "x = 1  # one\n"
              "# two lines\n"
              "# of comment\n"
              "if x:\n"
              "    # indented\n"
              "    y = '# not a comment'  # noqa: F841\n")
    assert [(rows, text) for rows, _, text in comment_blocks(source)] == [
        ([1], "one"), ([2, 3], "two lines\nof comment"), ([5], "indented")]
    korean = {"one": "하나", "two lines\nof comment": "한 줄", "indented": "들여쓴\n두 줄"}
    assert with_comments(source, korean.get) == ("# NBVAL_CHECK_OUTPUT\n"
                                                 "x = 1  # 하나\n"
                                                 "# 한 줄\n"
                                                 "if x:\n"
                                                 "    # 들여쓴\n"
                                                 "    # 두 줄\n"
                                                 "    y = '# not a comment'  # noqa: F841\n")
    assert code_only(with_comments(source, korean.get)) == code_only(source)
    with pytest.raises(ValueError, match="after code must stay one line"):
        with_comments(source, lambda text: "둘\n줄")


def test_a_claims_texts_are_followed_through_variables_sums_and_conditions():
    code = ("cause = 'fewer EPOCHS'\n"
            "cause = f'a smaller {name}'\n"
            "claim(a > b, f'{name} should win by {gap:.1f}', likely_cause=cause + ' here')\n"
            "claim(ok, message='plain' if flag else 'other', likely_cause='seed')\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    assert claim_templates(notebook) == [
        "{name} should win by {gap}", "fewer EPOCHS here", "a smaller {name} here",
        "plain", "other", "seed"]
    unknown = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "claim(ok, message=describe(x), likely_cause='seed')")])
    with pytest.raises(ValueError, match="describe"):
        claim_templates(unknown)


def test_a_translation_that_drops_a_field_stops_the_build():
    english = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "claim(ok, f'{name} should win', likely_cause='seed')")])
    entries = edition.lesson_entries(english)
    catalogue = edition.updated_catalogue(entries, None, "99_test")
    catalogue.find("{name} should win", msgctxt="claim").msgstr = "이겨야 합니다"
    catalogue.find("seed", msgctxt="claim").msgstr = "시드"
    assert edition.problems(catalogue, entries) == [
        "the translation must keep the `{fields}` as they are: claim: '{name} should win'"]
