"""The form's values ↔ the spec's YAML text.

The page holds the spec as JSON (what the form shows); the server turns it into YAML text, saves it, and
from then on only the saved file counts: it is validated, built and previewed by the CLI's own entry
points, so what the form writes is what ``gen-directive saved.yaml`` builds, byte for byte.

The YAML is written the way a clerk would write it: keys in the schema's order, dates and document numbers
unquoted (where the schema says the key holds one), multi-line texts as ``|`` blocks. Every text written is
read back through the spec loader before it is used (:func:`yaml_from_values`), so a value that would not
survive the trip (a lost character, a changed type) is an error, never a silently different document.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import yaml

from ..errors import Problem, SpecError
from ..i18n import _

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLAIN_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")


class SpecText(str):
    """A text emitted as a ``|`` block when it spans lines."""


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the given order, long lines kept whole."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.rstrip("\n") or value.endswith("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_Dumper.add_representer(SpecText, _represent_text)
_Dumper.add_representer(str, _represent_text)


def _is_number_schema(schema: dict[str, Any]) -> bool:
    """The document number's schema: a whole number, or digits as a text (``schema.Number``)."""
    variants = schema.get("oneOf") or []
    return any(v.get("type") == "integer" for v in variants) and any(v.get("pattern") == "^[0-9]*$" for v in variants)


def _shape_fits(schema: dict[str, Any], value: Any) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if isinstance(value, dict):
        return "object" in kinds
    if isinstance(value, list):
        return "array" in kinds
    if "enum" in schema:
        return value in schema["enum"]
    return "string" in kinds or "integer" in kinds


def typed(schema: dict[str, Any], value: Any) -> Any:
    """The form's JSON value with the types YAML should show: dates and numbers where the schema has them.

    Anything the schema does not describe stays as it is (the validator then says what is wrong)."""
    if value is None:
        return None
    if "anyOf" in schema:
        for alternative in schema["anyOf"]:
            if _shape_fits(alternative, value):
                return typed(alternative, value)
        return value
    if _is_number_schema(schema):
        if isinstance(value, str) and _PLAIN_NUMBER.match(value.strip()):
            return int(value.strip())
        return value
    if schema.get("format") == "date" and isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value  # "2023-02-30" stays text: the validator says it is not a real date
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        patterns = list((schema.get("patternProperties") or {}).values())
        out: dict[str, Any] = {}
        ordered = [k for k in properties if k in value] + [k for k in value if k not in properties]
        for key in ordered:
            sub = properties.get(key) or (patterns[0] if patterns else {})
            out[key] = typed(sub, value[key])
        return out
    if isinstance(value, list):
        items = schema.get("items") or {}
        return [typed(items, v) for v in value]
    if isinstance(value, str):
        return SpecText(value)
    return value


def clean_values(value: Any) -> Any:
    """Drop what the form leaves empty (``None``, empty texts, lists and mappings): an empty field means
    "the default", as a key left out of the YAML does. Texts are NFC, as the loader makes them."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            cleaned = clean_values(item)
            if cleaned is not None:
                out[unicodedata.normalize("NFC", str(key))] = cleaned
        return out or None
    if isinstance(value, list):
        items = [clean_values(v) for v in value]
        kept = [v for v in items if v is not None]
        return kept or None
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
        return text if text.strip() else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def dump_yaml(values: dict[str, Any], schema: dict[str, Any]) -> str:
    header = "# yaml-language-server: $schema=https://gen-directive.invalid/spec.schema.json\n"
    body = yaml.dump(typed(schema, values), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000, indent=2)
    return header + body


def json_values(value: Any) -> Any:
    """Loaded YAML values as JSON for the form: dates as YYYY-MM-DD, numbers as written."""
    if isinstance(value, dict):
        return {str(k): json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_values(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) else value.date().isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        text = str(value)  # WrittenInt keeps "012" as typed
        return text if text != str(int(value)) else int(value)
    if isinstance(value, float):
        return str(value)
    return value


def _comparable(value: Any) -> Any:
    """Values as the form would send them again (numbers and texts of digits alike)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    return str(value)


def yaml_from_values(values: Any, schema: dict[str, Any], display: str) -> str:
    """The YAML text of the form's values, proven to read back as the same values."""
    from ..loader import load_yaml_text

    cleaned = clean_values(values) if isinstance(values, dict) else None
    if not cleaned:
        raise SpecError([Problem((), _("the form is empty: choose the document type, the issuing organ and the date first."), None, None, display)])
    text = dump_yaml(cleaned, schema)
    loaded = load_yaml_text(text, display)
    if _comparable(json_values(loaded.data)) != _comparable(cleaned):
        raise SpecError([Problem((), _("the form's values could not be written as YAML exactly; edit the YAML instead."), None, None, display)])
    return text


def problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "path": list(problem.path),
        "key": problem.key,
        "message": problem.message,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "text": problem.render(),
    }
