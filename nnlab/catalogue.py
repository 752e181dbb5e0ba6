"""Every text a student sees, in every language, read from the translators' files in nnlab/locales.

One folder per language, any number of TOML files in it (`key = "text"`, `{name}` for a value the
caller fills in); a translator edits them without reading Python. The files of a language are merged,
and a key defined twice is an error. No Streamlit here: the command line and the library's errors
use the same catalogue (the command line in English, the pages in the session's language).

Numbers are written the language's way by Babel (CLDR): in Russian `{n:,}` gives «34 006» and
`{x:.1f}` «0,5». A word that must agree with a number names its CLDR plural forms after `plural:`,
`#` standing for the number (formatted by what comes before `plural:`):
`{rows:,plural:one=# город|few=# города|many=# городов|other=# города}` gives «34 006 городов» and
«21 город»; English needs only `one` and `other`. A whole text can also be a table of plural forms,
chosen by its `count` value: `key = { one = "…", few = "…", many = "…", other = "…" }`.
English numbers are formatted by Python, which writes what CLDR's English does.
"""

from __future__ import annotations

import math
import numbers
import re
import string
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from babel import Locale
from babel.numbers import format_decimal, format_percent

LOCALES = Path(__file__).with_name("locales")
LANGUAGES = MappingProxyType({"en": "English", "ru": "Русский"})
DEFAULT_LANGUAGE = "en"
PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})  # CLDR's categories

Template = str | Mapping[str, str]  # a text, or its plural forms


def read_language(folder: Path) -> dict[str, Template]:
    """All of one language's files merged; a key in two files, or a value that is neither a text nor a
    table of plural forms with `other` among them, is an error."""
    texts: dict[str, Template] = {}
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as file:
            for key, value in tomllib.load(file).items():
                if key in texts:
                    raise ValueError(f"{path.name}: {key!r} is defined twice in {folder.name}")
                texts[key] = _checked(path.name, key, value)
    return texts


def _checked(file: str, key: str, value: object) -> Template:
    if isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and "other" in value
        and set(value) <= PLURAL_FORMS
        and all(isinstance(form, str) for form in value.values())
    ):
        return MappingProxyType(value)
    raise TypeError(f"{file}: {key!r} must be a text or a table of plural forms ({', '.join(sorted(PLURAL_FORMS))})")


def _read_all() -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({code: MappingProxyType(read_language(LOCALES / code)) for code in LANGUAGES})


CATALOGUE = _read_all()


def _plain(template: Template) -> str:
    return template if isinstance(template, str) else template["other"]


# key -> (English, Russian): the shape tests and older callers use (a plural text's `other` form).
STRINGS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {key: (_plain(english), _plain(CATALOGUE["ru"].get(key, english))) for key, english in CATALOGUE["en"].items()}
)


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text `key` in `language` (English where a translation is missing), with `values` filled in:
    numbers written the language's way, and the plural form that agrees with `count`."""
    template = CATALOGUE.get(language, CATALOGUE[DEFAULT_LANGUAGE]).get(key)
    if template is None:
        template = CATALOGUE[DEFAULT_LANGUAGE][key]
    if not isinstance(template, str):
        template = template.get(plural_form(values["count"], language), template["other"])
    if not values:
        return template
    return _formatter(language).format(template, **values)


def plural_form(count: object, language: str) -> str:
    """CLDR's plural category of `count` in `language`: Russian 1, 21 one; 2 few; 5, 11 many; 0,5 other."""
    return _locale(language).plural_form(count if isinstance(count, numbers.Number) else float(str(count)))


def format_number(value: numbers.Number, spec: str, language: str) -> str:
    """`value` formatted by a Python format `spec` in `language`'s conventions (CLDR, through Babel).

    `,` groups digits, `.Nf` fixes N decimals, `%`/`.N%` is a percentage; a bare int is left as written
    (seeds and years are not quantities). Other specs are Python's, with the language's decimal sign.
    """
    if language == DEFAULT_LANGUAGE or isinstance(value, bool) or not math.isfinite(float(value)):
        return format(value, spec)
    locale = _locale(language)
    if not isinstance(value, numbers.Integral):
        value = float(value)  # numpy's floats too
    match = _SPEC.fullmatch(spec)
    if match is None or not (match.group("kind") or match.group("grouping")):
        written = format(value, spec)
        return written.replace(".", locale.number_symbols["latn"]["decimal"]) if isinstance(value, float) else written
    grouping, decimals, kind = match.group("grouping"), match.group("decimals"), match.group("kind")
    if decimals is None and kind in ("f", "%"):
        decimals = "6"  # Python's default precision
    fraction = "." + "0" * int(decimals) if decimals and int(decimals) else ""
    if kind == "%":
        pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0" + fraction)
        return format_percent(value, pattern, locale=locale)
    digits = fraction if kind == "f" else ""
    return format_decimal(
        value,
        ("#,##0" if grouping else "0") + digits,
        locale=locale,
        decimal_quantization=kind == "f" or not isinstance(value, float),
    )


_SPEC = re.compile(r"(?P<grouping>,)?(?:\.(?P<decimals>\d+))?(?P<kind>[fd%]?)")


class _LocalFormatter(string.Formatter):
    """str.format with every number written by `format_number` in one language."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, numbers.Number) and not isinstance(value, complex):
            spec, plural, forms = format_spec.partition(PLURAL)
            if plural:
                return agreeing(value, spec, forms, self.language)
            return format_number(value, format_spec, self.language)
        return super().format_field(value, format_spec)


PLURAL = "plural:"


def agreeing(value: numbers.Number, spec: str, forms: str, language: str) -> str:
    """The form (`one=# город|few=# города|…`) CLDR picks for `value`, `#` replaced by the number."""
    chosen = dict(form.split("=", 1) for form in forms.split("|"))
    form = chosen.get(plural_form(value, language), chosen["other"])
    return form.replace("#", format_number(value, spec, language))


@lru_cache(maxsize=len(LANGUAGES))
def _formatter(language: str) -> _LocalFormatter:
    return _LocalFormatter(language)


@lru_cache(maxsize=len(LANGUAGES))
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def vega_locale(language: str) -> dict | None:
    """Vega-Lite's number locale for `language` (None for English, Vega's own): chart axes and tooltips
    format their numbers in the browser, and «0,5» and «10 000» must read there as on the page."""
    if language == DEFAULT_LANGUAGE:
        return None
    symbols = _locale(language).number_symbols["latn"]
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": ["", ""],
            "minus": symbols.get("minusSign", "-"),
        }
    }


def placeholders(template: Template) -> set[str]:
    """The {names} a template fills in (for the check that both languages ask for the same values)."""
    forms = [template] if isinstance(template, str) else list(template.values())
    return {
        name.split(".")[0].split("[")[0].split("!")[0]
        for form in forms
        for _, name, _, _ in string.Formatter().parse(form)
        if name
    }
