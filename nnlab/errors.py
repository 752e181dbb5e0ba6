"""Errors a student can fix, carrying a catalogue key and its values instead of an English sentence.

`LabError("error_samples_range", got=5)` is a ValueError whose `str()` is the English text from
nnlab/locales (so the command line, logs and `except ValueError` keep working), and whose `.key` and
`.params` let a page write the same message in the session's language: `error.message("ru")`.

A value that is itself a text to translate (a setting's name, "and 3 more") is a `Phrase`; a value
that is another LabError (the reason a run's settings are invalid) is written in the same language,
and a tuple of them is written as a list. Numbers stay numbers: the catalogue writes them each
language's way. Anything else (a file's column name, a value the student typed) is shown as it is.

Importing this module stays cheap: the catalogue (and Babel) loads only when a message is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["LabError", "Phrase", "localised"]


class Phrase:
    """A piece of a message that is a catalogue text of its own, written in the message's language."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        _check_names(params)
        self.key = key
        self.params = params

    def message(self, language: str = "en") -> str:
        """This phrase in `language`."""
        return _text(self.key, language, self.params)

    def __str__(self) -> str:
        return self.message()

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}{''.join(f', {k}={v!r}' for k, v in self.params.items())})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


class LabError(ValueError):
    """A problem the student can fix: `key` names its text in nnlab/locales, `params` fill it in.

    `str()` is the English text; `message(language)` the text in another language.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        _check_names(params)
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        """The message in `language` (English where a translation is missing)."""
        return _text(self.key, language, self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        # The default would call type(self)(english_text): rebuild from the key and values instead
        # (errors cross process boundaries in sweeps).
        return _rebuild, (type(self), self.key, dict(self.params))


def _rebuild(cls: type[LabError], key: str, params: dict[str, object]) -> LabError:
    return cls(key, **params)


def localised(value: object, language: str) -> object:
    """A message's value as `language` writes it: phrases and errors translated, lists joined."""
    if isinstance(value, (Phrase, LabError)):
        return value.message(language)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(localised(item, language)) for item in value)
    return value


RESERVED = frozenset({"key", "language"})  # nnlab.catalogue.text's own arguments


def _check_names(params: Mapping[str, object]) -> None:
    if RESERVED & params.keys():
        raise TypeError(f"a message value cannot be called {min(RESERVED & params.keys())!r}")


def _text(key: str, language: str, params: Mapping[str, object]) -> str:
    # deferred: the catalogue (and Babel) loads only when a message is written
    from nnlab.catalogue import text

    return text(key, language, **_values(params, language))


def _values(params: Mapping[str, object], language: str) -> dict[str, object]:
    return {name: localised(value, language) for name, value in params.items()}
