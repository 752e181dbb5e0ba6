"""Every text a student sees, in every language, read from the translators' files in nnlab/locales.

One folder per language, any number of TOML files in it (`key = "text"`, `{name}` for a value the
caller fills in); a translator edits them without reading Python. The files of a language are merged,
and a key defined twice is an error. No Streamlit here: the command line and the library's errors
use the same catalogue (the command line in English, the pages in the session's language).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

LOCALES = Path(__file__).with_name("locales")
LANGUAGES = MappingProxyType({"en": "English", "ru": "Русский"})
DEFAULT_LANGUAGE = "en"


def read_language(folder: Path) -> dict[str, str]:
    """All of one language's files merged; a key in two files (or not a string) is an error."""
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as file:
            for key, value in tomllib.load(file).items():
                if key in texts:
                    raise ValueError(f"{path.name}: {key!r} is defined twice in {folder.name}")
                if not isinstance(value, str):
                    raise TypeError(f"{path.name}: {key!r} must be a string")
                texts[key] = value
    return texts


def _read_all() -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({code: MappingProxyType(read_language(LOCALES / code)) for code in LANGUAGES})


CATALOGUE = _read_all()

# key -> (English, Russian): the shape tests and older callers use.
STRINGS: Mapping[str, tuple[str, str]] = MappingProxyType({
    key: (english, CATALOGUE["ru"].get(key, english)) for key, english in CATALOGUE["en"].items()
})


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text `key` in `language` (English where a translation is missing), with `values` filled in."""
    texts = CATALOGUE.get(language, CATALOGUE[DEFAULT_LANGUAGE])
    template = texts.get(key)
    if template is None:
        template = CATALOGUE[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


def placeholders(template: str) -> set[str]:
    """The {names} a template fills in (for the check that both languages ask for the same values)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
