"""Resolve step: pick the profile in force, look up the document type, and render the Jinja expressions a
clerk may write inside text fields (``{{ issuer.locality }}``) in the sandbox.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from . import data
from .errors import Problem, SpecError, UnsafeInput
from .i18n import _
from .jinja_env import has_template_syntax, text_environment
from .loader import Loaded
from .spec import Spec


@dataclass(frozen=True)
class Resolved:
    spec: Spec
    profile: dict[str, Any]
    doc_type: dict[str, str]


def resolve(spec: Spec, loaded: Loaded | None = None) -> Resolved:
    profile = data.profile_for(spec.profile, spec.date)
    doc_type = data.doc_types()[spec.type]
    context = template_context(spec)
    problems: list[Problem] = []
    rendered = _render_fields(spec, (), context, problems)
    if problems:
        located = [loaded.locate(p) if loaded else p for p in problems]
        if any(p.severity == "unsafe" for p in problems):
            raise UnsafeInput("\n".join(Problem(p.path, p.message, p.line, p.column, p.file).render() for p in located))
        raise SpecError(located)
    return Resolved(rendered, profile, doc_type)


def template_context(spec: Spec) -> dict[str, Any]:
    """What a text field may name: the spec's own values (issuer, place, date, number, implements, …)."""
    values = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name not in ("body", "source", "extra")}
    return _plain(values)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def render_text(text: str, context: dict[str, Any], path: tuple[str | int, ...], problems: list[Problem]) -> str:
    """Render one text field; mistakes become located problems (sandbox escapes are marked unsafe)."""
    if not has_template_syntax(text):
        return text
    try:
        return text_environment().from_string(text).render(context)
    except TemplateSyntaxError as exc:
        problems.append(Problem(path, _("Jinja syntax error in this text (its line {line}): {reason}.").format(line=exc.lineno, reason=exc.message)))
    except UndefinedError as exc:
        names = ", ".join(sorted(context))
        problems.append(Problem(path, _("unknown name in {{ … }}: {reason}. Names you can use: {names}.").format(reason=exc.message, names=names)))
    except SecurityError as exc:
        problems.append(Problem(path, _("not allowed in a spec (sandbox): {reason}.").format(reason=exc.message or exc), severity="unsafe"))
    except TemplateError as exc:
        problems.append(Problem(path, _("cannot render this text: {reason}.").format(reason=exc.message or exc)))
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError, OverflowError) as exc:
        problems.append(Problem(path, _("cannot render this text: {reason}.").format(reason=exc)))
    return text


def _render_fields(value: Any, path: tuple[str | int, ...], context: dict[str, Any], problems: list[Problem]) -> Any:
    if isinstance(value, str):
        return render_text(value, context, path, problems)
    if isinstance(value, list):
        return [_render_fields(v, path + (i,), context, problems) for i, v in enumerate(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in ("source", "extra"):
                continue
            old = getattr(value, f.name)
            new = _render_fields(old, path + (f.name,), context, problems)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
