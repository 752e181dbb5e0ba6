"""The translators' catalogue: both languages complete, numbers and plural forms written each language's way."""

import string

import pytest

from nnlab.catalogue import (
    CATALOGUE,
    LANGUAGES,
    PLURAL,
    PLURAL_FORMS,
    STRINGS,
    format_number,
    placeholders,
    plural_form,
    text,
)

NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("count", "form", "word"),
    [
        (1, "one", "город"),
        (2, "few", "города"),
        (5, "many", "городов"),
        (11, "many", "городов"),
        (21, "one", "город"),
        (34006, "many", "городов"),
        (0.5, "other", "города"),
    ],
)
def test_russian_plural_forms_agree_with_the_number(count, form, word):
    assert plural_form(count, "ru") == form
    template = "{n:,plural:one=# город|few=# города|many=# городов|other=# города}"
    written = format_number(count, ",", "ru")
    assert text_of(template, "ru", n=count) == f"{written} {word}"


def test_english_plurals_and_numbers_are_pythons():
    assert text_of("{n:,plural:one=# city|other=# cities}", "en", n=1) == "1 city"
    assert text_of("{n:,plural:one=# city|other=# cities}", "en", n=34006) == "34,006 cities"
    assert [format_number(v, s, "en") for v, s in [(0.873, ".1%"), (952410, ","), (0.5, ".3f"), (7, "")]] == [
        "87.3%",
        "952,410",
        "0.500",
        "7",
    ]


@pytest.mark.parametrize(
    ("value", "spec", "russian"),
    [
        (34006, ",", f"34{NBSP}006"),
        (952410, ",d", f"952{NBSP}410"),
        (0.5, "", "0,5"),
        (0.5, ".2f", "0,50"),
        (0.873, ".1%", f"87,3{NBSP}%"),
        (1234567.891, ",.2f", f"1{NBSP}234{NBSP}567,89"),
        (2026, "", "2026"),
        (1.5e-5, "", "1,5e-05"),
        (float("nan"), ".3f", "nan"),
    ],
)
def test_russian_numbers(value, spec, russian):
    assert format_number(value, spec, "ru") == russian


def test_every_key_is_in_both_languages_with_the_same_values():
    english, russian = CATALOGUE["en"], CATALOGUE["ru"]
    assert set(english) == set(russian), set(english) ^ set(russian)
    for key in english:
        assert placeholders(english[key]) == placeholders(russian[key]), key


def test_plural_forms_are_the_languages_own():
    """Every plural spec and table names only CLDR categories, `other` among them."""
    for language, texts in CATALOGUE.items():
        for key, template in texts.items():
            forms = [template] if isinstance(template, str) else list(template.values())
            assert isinstance(template, str) or set(template) <= PLURAL_FORMS, key
            for form in forms:
                for _, name, spec, _ in string.Formatter().parse(form):
                    if name is not None and PLURAL in (spec or ""):
                        named = dict(part.split("=", 1) for part in spec.partition(PLURAL)[2].split("|"))
                        assert "other" in named and set(named) <= PLURAL_FORMS, (language, key, spec)


def test_plural_tables_pick_by_count(monkeypatch):
    import nnlab.catalogue as catalogue

    table = {"one": "{count} строка", "few": "{count} строки", "many": "{count} строк", "other": "{count} строки"}
    monkeypatch.setattr(
        catalogue, "CATALOGUE", {"en": {"rows": {"one": "a row", "other": "{count} rows"}}, "ru": {"rows": table}}
    )
    assert [text("rows", "ru", count=n) for n in (1, 3, 11, 0.5)] == ["1 строка", "3 строки", "11 строк", "0,5 строки"]
    assert [text("rows", "en", count=n) for n in (1, 3)] == ["a row", "3 rows"]


def test_strings_keep_their_english_russian_shape():
    assert set(LANGUAGES) == {"en", "ru"}
    assert STRINGS["playground_title"] == ("Playground", "Песочница")


def text_of(template: str, language: str, **values) -> str:
    from nnlab.catalogue import _formatter

    return _formatter(language).format(template, **values)
