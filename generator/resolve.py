"""Resolve step, and the rest of validation (the registry was merged into the spec before the schema ran,
:mod:`generator.merge`): settle the regime (the issuer's; a spec that mixes regimes is refused naming both), pick the profile in force on the
date and the document's kind, render the Jinja expressions a clerk may write inside text fields
(``{{ issuer.locality }}``) in the sandbox, build the body from its body template (:mod:`generator.bodies`)
when the spec names one, and parse the body's markup.

Every problem of every step is collected and reported together (:func:`resolve` raises once, at the end),
each located at its line in the file: a markup problem at its own line, not "line N of the body".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from . import bodies, data
from .data import Kind
from .errors import Problem, SpecError, UnsafeInput
from .i18n import _
from .dates import citation_date
from .jinja_env import render_spec_text, text_environment
from .loader import Loaded
from .markup import ParsedBody, parse_body
from .spec import Spec
from .vocab import AUTHORITIES_BY_REGIME

# Spec fields that are not text for the document (or are rendered their own way, with the snippets)
NOT_RENDERED = ("body", "source", "extra", "registry", "body_template", "blocks")


@dataclass(frozen=True)
class Resolved:
    spec: Spec
    profile: dict[str, Any]
    kind: Kind
    regime: str
    action: str          # the opening's action clause, rendered
    body: ParsedBody     # the body's markup, parsed


def resolve(spec: Spec, loaded: Loaded | None = None, problems: list[Problem] | None = None) -> Resolved:
    """The complete spec, ready for compose. ``problems`` holds what earlier steps found (unknown keys…):
    every step still runs where it can, and all problems are raised together, in file order."""
    problems = list(problems or [])
    warnings = loaded.warnings if loaded is not None else []
    regime = _regime(spec, problems)
    profile = data.profile_for(regime, spec.date)
    if data.predates_profiles(regime, spec.date):
        warning = Problem(("date",), _("{date} is before {rules} came into force ({since}); the document is built and checked under it, the oldest rules this program knows.").format(
            date=citation_date(spec.date), rules=profile["name"], since=citation_date(profile["valid_from"])))
        warnings.append(loaded.locate(warning) if loaded is not None else warning)
    kind = data.kind(spec.type, regime)
    _check_kind(spec, kind, regime, problems)
    context = template_context(spec)
    rendered = _render_fields(spec, (), context, problems)
    action = render_text(kind.action, context, ("opening", "action"), problems) if rendered.opening.action is None else rendered.opening.action
    body_text = _render_body(rendered, kind, problems)
    markup_problems: list[Problem] = []
    parsed = parse_body(body_text, markup_problems)
    problems.extend(_relocate_markup(markup_problems, rendered, loaded))
    from .compose import numbering_gaps  # the numbering rules live with compose, which numbers the body

    places = [block.line for block in parsed.blocks if block.kind == "slogans"]
    if places and rendered.slogans is None:
        problems.append(_body_problem(places[0], _("\"[khẩu hiệu]\" places the slogans here, but the spec has none; write slogans: with their lines, or remove this line."), rendered, loaded))
    for line in places[1:]:
        problems.append(_body_problem(line, _("the slogans are placed once; remove this second \"[khẩu hiệu]\" line."), rendered, loaded))
    for line, level in numbering_gaps(parsed, rendered.numbering.scheme or kind.numbering):
        problems.append(_body_problem(line, _("a \"{marks}\" item needs a \"{parent}\" item before it.").format(
            marks="#" * level, parent="#" * (level - 1)), rendered, loaded))
    _raise(problems, loaded)
    return Resolved(dataclasses.replace(rendered, body=body_text), profile, kind, regime, action, parsed)


def _regime(spec: Spec, problems: list[Problem]) -> str:
    """The issuer's regime; ``profile:`` may only confirm it. The signature's forms must be the regime's."""
    issuer_regime = spec.issuer.regime
    regime = issuer_regime or spec.profile or "party"
    if spec.profile and issuer_regime and spec.profile != issuer_regime:
        problems.append(Problem(("profile",), _("profile: {profile}, but the issuer {organ} is a {regime} organ; remove profile: or name an issuer of the {profile} regime.").format(
            profile=spec.profile, organ=_organ_name(spec), regime=issuer_regime)))
    authority = spec.signature.authority
    if authority and authority not in AUTHORITIES_BY_REGIME[regime]:
        allowed = ", ".join(a for a in AUTHORITIES_BY_REGIME[regime] if a)
        problems.append(Problem(("signature", "authority"), _("{authority} is not a form of the {regime} regime of {organ}; write one of {allowed}.").format(
            authority=authority, regime=regime, organ=_organ_name(spec), allowed=allowed)))
    return regime


def _organ_name(spec: Spec) -> str:
    return spec.issuer.full_name or spec.issuer.name or spec.issuer.id or ""


def _check_kind(spec: Spec, kind: Kind, regime: str, problems: list[Problem]) -> None:
    """What the document's kind asks for: its regime, Kính gửi, căn cứ lines, an opening."""
    if regime not in kind.regimes:
        problems.append(Problem(("type",), _("a {type} is not issued under the {regime} regime; the organ {organ} issues another type.").format(
            type=kind.name, regime=regime, organ=_organ_name(spec))))
    if kind.kinh_gui == "required" and not spec.kinh_gui:
        problems.append(Problem(("kinh_gui",), _("a {type} names its addressees: write kinh_gui: with one line per addressee.").format(type=kind.name)))
    if kind.kinh_gui == "none" and spec.kinh_gui:
        problems.append(Problem(("kinh_gui",), _("a {type} has no \"Kính gửi:\" block; remove kinh_gui:.").format(type=kind.name)))
    if not kind.can_cu and (spec.can_cu or spec.enacting):
        problems.append(Problem(("can_cu",) if spec.can_cu else ("enacting",), _("only a Quyết định has căn cứ lines and an enacting line; remove them or change type:.")))
    if kind.can_cu and not spec.can_cu:
        problems.append(Problem(("can_cu",), _("a {type} states its legal bases: write can_cu: with one line per basis.").format(type=kind.name)))
    if kind.subject != "under_number" and spec.drafting_unit:
        problems.append(Problem(("drafting_unit",), _("drafting_unit is only printed in the number of a State công văn; remove it.")))
    if kind.opening == "required" and not spec.implements and spec.opening.text is None and spec.opening.purpose is None:
        problems.append(Problem(("implements",), _("list the parent directive(s) the document implements, or write the opening yourself in opening.text.")))


def _body_problem(line: int, message: str, spec: Spec, loaded: Loaded | None) -> Problem:
    """A problem at ``line`` of the body text: located at its line in the file when the body is the spec's
    own ``body: |`` (a literal block keeps its lines); otherwise (a quoted or folded text, a body template)
    named by its line in the body."""
    literal = loaded is not None and loaded.value_lines.get(("body",), (0, False))[1]
    if spec.body_template is None and loaded is not None and literal:
        start, _literal = loaded.value_lines[("body",)]
        return Problem(("body",), message, start + line, None, loaded.file)
    return Problem(("body",) if spec.body_template is None else ("body_template",),
                   _("line {line} of the body: {message}").format(line=line, message=message))


def _relocate_markup(found: list[Problem], spec: Spec, loaded: Loaded | None) -> list[Problem]:
    return [_body_problem(p.line, p.message, spec, loaded) if p.line is not None else p for p in found]


def _raise(problems: list[Problem], loaded: Loaded | None) -> None:
    if not problems:
        return
    located = [loaded.locate(p) if loaded else p for p in problems]
    if any(p.severity == "unsafe" for p in problems):
        raise UnsafeInput("\n".join(Problem(p.path, p.message, p.line, p.column, p.file).render() for p in located))
    raise SpecError(located)


def template_context(spec: Spec) -> dict[str, Any]:
    """What a text field may name: the spec's own values (issuer, place, date, number, implements, …)."""
    values = {name: getattr(spec, name) for name in _field_names(type(spec)) if name not in NOT_RENDERED}
    return _plain(values)


def _render_body(spec: Spec, kind: Kind, problems: list[Problem]) -> str:
    """The body: the spec's own, or its body template with its blocks; snippets at hand in both."""
    context = bodies.context({**template_context(spec), "doc_type": {"name": kind.name, "symbol": kind.symbol or "", "action": kind.action}})
    if spec.body_template is not None:
        return bodies.render_template(spec.body_template, spec.blocks, context, problems)
    return bodies.render_text(spec.body or "", context, ("body",), problems)


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, looked up once per class (dataclasses.fields() is slow on this path)."""
    return tuple(f.name for f in dataclasses.fields(cls))


_SCALARS = (str, int, float, type(None), dt.date)


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(type(value), "__dataclass_fields__"):  # an instance (a dataclass's class is of type ``type``)
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return value


def _reason(exc: Exception) -> str:
    """Jinja's own wording, without its final full stop (our sentence adds one)."""
    return str(getattr(exc, "message", None) or exc).strip().rstrip(".")


def render_text(text: str, context: dict[str, Any], path: tuple[str | int, ...], problems: list[Problem]) -> str:
    """Render one text field; mistakes become located problems (sandbox escapes are marked unsafe)."""
    try:
        return render_spec_text(text_environment(), text, context)
    except TemplateSyntaxError as exc:
        problems.append(Problem(path, _("Jinja syntax error in this text (its line {line}): {reason}.").format(line=exc.lineno, reason=_reason(exc))))
    except UndefinedError as exc:
        names = ", ".join(sorted(context))
        problems.append(Problem(path, _("unknown name in {{{{ … }}}}: {reason}. Names you can use: {names}.").format(reason=_reason(exc), names=names)))
    except SecurityError as exc:
        problems.append(Problem(path, _("not allowed in a spec (sandbox): {reason}.").format(reason=_reason(exc)), severity="unsafe"))
    except TemplateError as exc:
        problems.append(Problem(path, _("cannot render this text: {reason}.").format(reason=_reason(exc))))
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError, OverflowError) as exc:
        problems.append(Problem(path, _("cannot render this text: {reason}.").format(reason=exc)))
    return text


def _render_fields(value: Any, path: tuple[str | int, ...], context: dict[str, Any], problems: list[Problem]) -> Any:
    if isinstance(value, str):
        return render_text(value, context, path, problems)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return [_render_fields(v, path + (i,), context, problems) for i, v in enumerate(value)]
    if hasattr(type(value), "__dataclass_fields__"):
        changes = {}
        for name in _field_names(type(value)):
            if name in NOT_RENDERED:
                continue
            old = getattr(value, name)
            new = _render_fields(old, path + (name,), context, problems)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
