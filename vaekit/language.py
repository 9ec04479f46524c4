"""The language a lesson speaks to its learner, and the translations of the lines it shows.

A lesson shows its learner a few lines of its own: a claim that did not hold, training
progress. In the Korean edition (`notebooks/ko/`) they read in Korean. `lesson_language` finds
the edition from ``VAEKIT_LANGUAGE`` (``en`` or ``ko``; set it on Colab), else from the folder
of the notebook (JupyterLab's ``JPY_SESSION_NAME``, else the kernel's working folder, which
JupyterLab, nbclient and nbval set to the notebook's). `translate` looks a text up in
``vaekit/locale/<language>.json``, which ``make korean`` builds from the gettext catalogues in
``locale/<language>/LC_MESSAGES/``. Error messages stay English, as Keras' do.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

LANGUAGE_VARIABLE = "VAEKIT_LANGUAGE"
LOCALE = Path(__file__).with_name("locale")
FIELD = re.compile(r"\{[^{}]+\}")  # a template's `{expression}`, filled in at run time


def languages() -> tuple[str, ...]:
    """English, then every language with a translation in ``vaekit/locale/``."""
    return ("en",) + tuple(sorted(path.stem for path in LOCALE.glob("*.json")))


def lesson_language() -> str:
    """The running lesson's language code, e.g. ``"ko"``; ``"en"`` when nothing says otherwise."""
    known = languages()
    value = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    if value:
        if value not in known:
            raise ValueError(f"`{LANGUAGE_VARIABLE}` must be one of {', '.join(known)}. "
                             f"Received: {LANGUAGE_VARIABLE}={value!r}")
        return value
    session = os.environ.get("JPY_SESSION_NAME", "").strip()
    folder = Path(session).parent if session else Path.cwd()
    return folder.name if folder.name in known[1:] else "en"


def translate(text: str, language: str | None = None) -> str:
    """`text` in `language` (default: the lesson's), or `text` itself where no translation exists.

    A catalogue entry may be a template, e.g. ``"with {count:,} labels the codes should win"``:
    its `{fields}` match whatever the lesson's code filled in, and the translation gets the same.
    """
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a string. Received: text of type {type(text).__name__}")
    language = lesson_language() if language is None else language
    if language == "en":
        return text
    if language not in languages():
        raise ValueError(f"`language` must be one of {', '.join(languages())}. "
                         f"Received: language={language!r}")
    exact, templates = _catalogue(language)
    if text in exact:
        return exact[text]
    for pattern, fields, translation in templates:
        match = pattern.fullmatch(text)
        if match:
            return _filled(translation, match, fields)
    return text


def _filled(translation: str, match: re.Match, fields: dict[str, str]) -> str:
    """`translation` with each field replaced by what the match found for it."""
    return FIELD.sub(lambda field: match.group(fields[field.group()]), translation)


@functools.cache
def _catalogue(language: str) -> tuple[dict[str, str], list]:
    """The language's entries: exact texts, and templates as (regex, {field: group}, text),
    the most specific (longest fixed text) first."""
    entries = json.loads((LOCALE / f"{language}.json").read_text(encoding="utf-8"))
    templates = []
    for english, translation in entries.items():
        if FIELD.search(english):
            pattern, fields = _pattern(english)
            templates.append((len(FIELD.sub("", english)), pattern, fields, translation))
    templates.sort(key=lambda template: -template[0])
    return entries, [template[1:] for template in templates]


def _pattern(template: str) -> tuple[re.Pattern, dict[str, str]]:
    """A regex matching what `template` becomes once its fields are filled in."""
    fields: dict[str, str] = {}
    pattern = ""
    for literal, field in zip(FIELD.split(template), FIELD.findall(template) + [None],
                              strict=True):
        pattern += re.escape(literal)
        if field is None:
            break
        if field in fields:
            pattern += f"(?P={fields[field]})"
        else:
            fields[field] = f"field{len(fields)}"
            pattern += f"(?P<{fields[field]}>.+?)"
    return re.compile(pattern, re.S), fields
