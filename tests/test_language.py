"""The lesson's language: found from the environment or the notebook's folder; every line the
Korean edition can show translated, fields filled in; a Korean learner's claim line in Korean."""

import json
import re

import pytest

from vaekit import language, runtime
from vaekit.language import FIELD, lesson_language, translate

pytestmark = pytest.mark.backend_independent

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture
def clean(monkeypatch, tmp_path):
    """No language variable, no JupyterLab session, an English working folder."""
    monkeypatch.delenv(language.LANGUAGE_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_korean_edition_is_found_from_its_folder(clean, monkeypatch):
    assert lesson_language() == "en"
    (clean / "notebooks" / "ko").mkdir(parents=True)
    monkeypatch.chdir(clean / "notebooks" / "ko")  # nbclient, nbval, JupyterLab's kernel
    assert lesson_language() == "ko"
    # JupyterLab names the notebook: an English lesson opened while the kernel sits in ko/
    monkeypatch.setenv("JPY_SESSION_NAME", str(clean / "notebooks" / "03_vae.ipynb"))
    assert lesson_language() == "en"
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/ko/03_vae.ipynb")
    assert lesson_language() == "ko"


def test_the_variable_decides_and_a_bad_value_is_named(clean, monkeypatch):
    monkeypatch.setenv("VAEKIT_LANGUAGE", " KO ")  # e.g. on Colab
    assert lesson_language() == "ko"
    monkeypatch.setenv("VAEKIT_LANGUAGE", "en")
    monkeypatch.chdir(clean)
    assert lesson_language() == "en"
    monkeypatch.setenv("VAEKIT_LANGUAGE", "fr")
    with pytest.raises(ValueError, match=r"`VAEKIT_LANGUAGE` must be one of en, ko\. "
                                         r"Received: VAEKIT_LANGUAGE='fr'"):
        lesson_language()


def korean_entries() -> dict[str, str]:
    return json.loads((language.LOCALE / "ko.json").read_text(encoding="utf-8"))


def test_every_korean_line_translates_with_its_fields_filled_in():
    """Each entry, its fields filled with distinct values, comes back in Korean with the same
    values: no other template takes it, and no field is lost."""
    entries = korean_entries()
    assert len(entries) > 200
    for english, korean in entries.items():
        values = {field: f"«{number}»" for number, field in
                  enumerate(dict.fromkeys(FIELD.findall(english)))}
        filled, expected = (FIELD.sub(lambda field, values=values: values[field.group()], text)
                            for text in (english, korean))
        assert translate(filled, "ko") == expected, english
        assert HANGUL.search(expected), english


def test_a_text_without_translation_and_english_lessons_are_left_as_they_are():
    assert translate("a claim an instructor just wrote", "ko") == "a claim an instructor just wrote"
    assert translate("Measured: {measured}.", "en") == "Measured: {measured}."
    assert translate("Measured: {measured}.", "ko") != "Measured: {measured}."


def test_a_korean_learner_reads_a_broken_claim_in_korean(clean, monkeypatch):
    english = next(text for text in korean_entries() if text.startswith("the judge should"))
    english_line = runtime.claim_line(english, "fewer EPOCHS", {"accuracy": 0.91})
    assert english_line.startswith("Claim not met: the judge should")
    monkeypatch.setenv("VAEKIT_LANGUAGE", "ko")
    line = runtime.claim_line(english, "fewer EPOCHS", {"accuracy": 0.91})
    assert translate(english) in line and "accuracy = 0.91" in line
    assert "Claim not met" not in line and "Likely cause" not in line
    assert "fewer EPOCHS" in line  # a cause with no translation shows as written
