"""Validate step: the spec schema as objects (after mkdocs ``config_options``).

Each option object knows how to check one value, how to describe itself as JSON Schema, and what the
clerk should write instead. Problems are collected, never raised one by one, so a clerk sees every
mistake in a spec in one run. ``python -m generator.schema`` prints the JSON Schema of the spec.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

from .errors import Problem
from .i18n import _

Path_ = tuple[str | int, ...]


class Problems(list[Problem]):
    def add(self, path: Path_, message: str) -> None:
        self.append(Problem(path, message))


def type_name(value: Any) -> str:
    """How a clerk would call the YAML type of ``value``."""
    if value is None:
        return _("nothing (empty)")
    if isinstance(value, bool):
        return _("yes/no")
    if isinstance(value, int):
        return _("a number")
    if isinstance(value, float):
        return _("a decimal number")
    if isinstance(value, str):
        return _("a text")
    if isinstance(value, dt.date):
        return _("a date")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping (key: value)")
    return type(value).__name__


def quoted(value: Any, limit: int = 40) -> str:
    """A value quoted in a message, shortened: a clerk needs to recognise it, not read it all again."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return "…"  # str() of a 4300+ digit number raises, and nobody wants it printed
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Option:
    """One value in a spec. ``validate`` returns the cleaned value or ``None`` after recording problems."""

    description: str = ""

    def __init__(self, description: str = "", default: Any = None, required: bool = False) -> None:
        self.description = description
        self.default = default
        self.required = required

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _described(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            schema["description"] = self.description
        return schema


class Text(Option):
    """A text. Numbers are accepted and kept as written (a clerk types ``number: 98``)."""

    def __init__(self, description: str = "", default: Any = None, required: bool = False, allow_empty: bool = True,
                 max_length: int = 100_000) -> None:
        super().__init__(description, default, required)
        self.allow_empty = allow_empty
        self.max_length = max_length

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            problems.add(path, _("expected a text, got {got}.").format(got=type_name(value)))
            return None
        text = str(value)
        if not self.allow_empty and not text.strip():
            problems.add(path, _("must not be empty."))
            return None
        if len(text) > self.max_length:
            problems.add(path, _("is {length} characters long; at most {limit} are allowed.").format(length=len(text), limit=self.max_length))
            return None
        return text

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": ["string", "integer"]}
        if not self.allow_empty:
            schema["minLength"] = 1
        return self._described(schema)


class Number(Option):
    """A document number: a whole number from 1 to 999999, or blank ("") for a draft."""

    LIMIT = 999_999  # numbers restart every term; six digits is far beyond any organ's output

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            problems.add(path, _("expected a whole number such as 98, or \"\" for a draft, got {got}.").format(got=type_name(value)))
            return None
        text = value.strip() if isinstance(value, str) else None
        # only ASCII digits: str.isdigit() also accepts "٣" or "²", which int() rejects or misreads
        if text is not None and text.isascii() and text.isdigit() and len(text) <= len(str(self.LIMIT)):
            value = int(text)
        if isinstance(value, int):
            if value < 1:
                problems.add(path, _("must be 1 or more, got {value}.").format(value=quoted(value)))
                return None
            if value > self.LIMIT:
                problems.add(path, _("must be at most {limit}, got {value}.").format(limit=self.LIMIT, value=quoted(value)))
                return None
            return value
        problems.add(path, _("expected a whole number such as 98, or \"\" for a draft, got {got}.").format(got=quoted(value) if isinstance(value, str) else type_name(value)))
        return None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": "^[0-9]*$"}]})


class Flag(Option):
    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, bool):
            problems.add(path, _("expected true or false, got {got}.").format(got=type_name(value)))
            return None
        return value

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "boolean"})


class Date(Option):
    """A real calendar date written YYYY-MM-DD."""

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                parts = value.strip().split("-")
                if len(parts) == 3 and all(p.isdigit() for p in parts):
                    problems.add(path, _("{value} is not a real date; check the day and the month.").format(value=value[:40]))
                else:
                    problems.add(path, _("expected a date written YYYY-MM-DD (e.g. 2023-06-05), got {value!r}.").replace("{value!r}", "'{value}'").format(value=value if len(value) <= 40 else value[:39] + "…"))
                return None
        problems.add(path, _("expected a date written YYYY-MM-DD (e.g. 2023-06-05), got {got}.").format(got=type_name(value)))
        return None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "string", "format": "date"})


class Choice(Option):
    def __init__(self, choices: Callable[[], list[str]] | list[str], description: str = "", default: Any = None,
                 required: bool = False) -> None:
        super().__init__(description, default, required)
        self._choices = choices

    @property
    def choices(self) -> list[str]:
        return self._choices() if callable(self._choices) else list(self._choices)

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        choices = self.choices
        if isinstance(value, str) and value in choices:
            return value
        shown = ", ".join(f'"{c}"' for c in choices)
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6) if isinstance(value, str) else []
        hint = _(" Did you mean \"{suggestion}\"?").format(suggestion=close[0]) if close else ""
        problems.add(path, _("{value} is not allowed; use one of: {choices}.").format(value=quoted(value) if not isinstance(value, str) else '"' + (value if len(value) <= 60 else value[:59] + "…") + '"', choices=shown) + hint)
        return None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"enum": self.choices})


class ListOf(Option):
    def __init__(self, item: Option, description: str = "", default: Any = None, required: bool = False,
                 max_items: int = 10_000) -> None:
        super().__init__(description, default, required)
        self.item = item
        self.max_items = max_items

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, list):
            problems.add(path, _("expected a list (lines starting with \"- \"), got {got}.").format(got=type_name(value)))
            return None
        if len(value) > self.max_items:
            problems.add(path, _("has {count} items; at most {limit} are allowed.").format(count=len(value), limit=self.max_items))
            return None
        out = [self.item.validate(v, path + (i,), problems) for i, v in enumerate(value)]
        return out

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "array", "items": self.item.json_schema()})


class DictOf(Option):
    """A mapping whose keys are chosen by the writer (organ ids), each value checked by ``item``."""

    def __init__(self, item: Option, key_pattern: re.Pattern[str], key_hint: str, description: str = "",
                 required: bool = False, default: Any = None) -> None:
        super().__init__(description, default, required)
        self.item = item
        self.key_pattern = key_pattern
        self.key_hint = key_hint

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, dict):
            problems.add(path, _("expected a mapping (key: value lines), got {got}.").format(got=type_name(value)))
            return None
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not self.key_pattern.match(key):
                problems.add(path + (str(key),), _("\"{key}\" is not a valid id: {hint}.").format(key=key, hint=self.key_hint))
                continue
            out[key] = self.item.validate(item, path + (key,), problems)
        return out

    def json_schema(self) -> dict[str, Any]:
        return self._described({"type": "object", "patternProperties": {self.key_pattern.pattern: self.item.json_schema()},
                                "additionalProperties": False})


class AnyOf(Option):
    """The first alternative whose *shape* fits decides (a text, or a mapping)."""

    def __init__(self, *alternatives: Option, description: str = "", default: Any = None, required: bool = False) -> None:
        super().__init__(description, default, required)
        self.alternatives = alternatives

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        for alt in self.alternatives:
            if isinstance(alt, Mapping) and isinstance(value, dict):
                return alt.validate(value, path, problems)
            if isinstance(alt, ListOf) and isinstance(value, list):
                return alt.validate(value, path, problems)
            if isinstance(alt, (Text, Choice)) and isinstance(value, (str, int)) and not isinstance(value, bool):
                return alt.validate(value, path, problems)
        kinds = " / ".join(_describe_shape(a) for a in self.alternatives)
        problems.add(path, _("expected {kinds}, got {got}.").format(kinds=kinds, got=type_name(value)))
        return None

    def json_schema(self) -> dict[str, Any]:
        return self._described({"anyOf": [a.json_schema() for a in self.alternatives]})


def _describe_shape(option: Option) -> str:
    if isinstance(option, Mapping):
        return _("a mapping (key: value)")
    if isinstance(option, ListOf):
        return _("a list")
    return _("a text")


@dataclass(frozen=True)
class Field:
    name: str
    option: Option


class Mapping(Option):
    """A mapping with known keys. Unknown keys are errors with a did-you-mean; required keys are enforced."""

    def __init__(self, fields: dict[str, Option], description: str = "", required: bool = False,
                 build: Callable[[dict[str, Any]], Any] | None = None, default: Any = None) -> None:
        super().__init__(description, default, required)
        self.fields = fields
        self.build = build

    def validate(self, value: Any, path: Path_, problems: Problems) -> Any:
        if not isinstance(value, dict):
            problems.add(path, _("expected a mapping (key: value lines), got {got}.").format(got=type_name(value)))
            return None
        before = len(problems)
        out: dict[str, Any] = {}
        for key in value:
            if key not in self.fields:
                close = difflib.get_close_matches(str(key), list(self.fields), n=1, cutoff=0.6)
                hint = _(" Did you mean \"{suggestion}\"?").format(suggestion=close[0]) if close else _(" Allowed keys: {keys}.").format(keys=", ".join(self.fields))
                problems.add(path + (str(key),), _("unknown key \"{key}\".").format(key=key) + hint)
        for name, option in self.fields.items():
            if name in value and value[name] is not None:
                out[name] = option.validate(value[name], path + (name,), problems)
            elif name in value and value[name] is None and not option.required:
                out[name] = option.default
            elif option.required:
                problems.add(path + (name,) if name in value else path, _("the key \"{key}\" is required ({what}).").format(key=name, what=option.description or name))
                out[name] = None
            else:
                out[name] = option.default
        if len(problems) > before or self.build is None:
            return out if len(problems) == before else None
        return self.build(out)

    def json_schema(self) -> dict[str, Any]:
        return self._described({
            "type": "object",
            "additionalProperties": False,
            "properties": {k: v.json_schema() for k, v in self.fields.items()},
            "required": [k for k, v in self.fields.items() if v.required],
        })
