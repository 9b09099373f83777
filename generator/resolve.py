"""Resolve step: fill in what the organ registry knows (issuer, place, recipients, signature, parents named
by id, each checked against the dates the organ existed), pick the profile in force, look up the document
type, render the Jinja expressions a clerk may write inside text fields (``{{ issuer.locality }}``) in the
sandbox, and build the body from its body template (:mod:`generator.bodies`) when the spec names one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from . import bodies, data
from . import registry as organ_registry
from .errors import Problem, SpecError, UnsafeInput
from .i18n import _
from .jinja_env import bounded_render, has_template_syntax, text_environment
from .loader import Loaded
from .registry import Organ, Registry
from .schema import Problems
from .spec import Issuer, Parent, Recipient, Signature, Spec, cross_check

# Spec fields that are not text for the document (or are rendered their own way, with the snippets)
NOT_RENDERED = ("body", "source", "extra", "registry", "body_template", "blocks")


@dataclass(frozen=True)
class Resolved:
    spec: Spec
    profile: dict[str, Any]
    doc_type: dict[str, str]


def resolve(spec: Spec, loaded: Loaded | None = None) -> Resolved:
    problems: list[Problem] = []
    spec = apply_registry(spec, spec_registry(spec, loaded), problems)
    if not problems:
        found = Problems()
        cross_check(spec, found)
        problems.extend(found)
    _raise(problems, loaded)
    profile = data.profile_for(spec.profile, spec.date)
    doc_type = data.doc_types()[spec.type]
    context = template_context(spec)
    rendered = _render_fields(spec, (), context, problems)
    _raise(problems, loaded)
    body = _render_body(rendered, doc_type, problems)
    _raise(problems, loaded)
    return Resolved(dataclasses.replace(rendered, body=body), profile, doc_type)


def _raise(problems: list[Problem], loaded: Loaded | None) -> None:
    if not problems:
        return
    located = [loaded.locate(p) if loaded else p for p in problems]
    if any(p.severity == "unsafe" for p in problems):
        raise UnsafeInput("\n".join(Problem(p.path, p.message, p.line, p.column, p.file).render() for p in located))
    raise SpecError(located)


def spec_registry(spec: Spec, loaded: Loaded | None) -> Registry:
    """The shipped registry plus the spec's own files (relative to, and confined to, the spec's folder)."""
    if not spec.registry:
        return organ_registry.shipped()
    base = Path(loaded.file).parent if loaded is not None else Path(".")
    return organ_registry.for_spec(spec.registry, base, loaded)


def _organ(registry: Registry, organ_id: str, date: Any, path: tuple[str | int, ...], problems: list[Problem]) -> Organ | None:
    organ = registry.get(organ_id)
    if organ is None:
        problems.append(Problem(path, registry.unknown(organ_id)))
        return None
    why = registry.validity_problem(organ, date)
    if why:
        problems.append(Problem(path, why))
        return None
    return registry.as_on(organ, date)


def apply_registry(spec: Spec, registry: Registry, problems: list[Problem]) -> Spec:
    """The spec with every value the registry gives filled in; the spec's own values always win."""
    changes: dict[str, Any] = {}
    parents = [_parent(registry, p, i, spec, problems) for i, p in enumerate(spec.implements)]
    if any(p is not q for p, q in zip(parents, spec.implements)):
        changes["implements"] = parents
    issuer = spec.issuer
    if issuer.id is None:
        return dataclasses.replace(spec, **changes) if changes else spec
    path: tuple[str | int, ...] = ("issuer",) if _only_id(issuer) else ("issuer", "id")
    organ = _organ(registry, issuer.id, spec.date, path, problems)
    if organ is None:
        return spec

    def pick(own: Any, default: Any) -> Any:
        return own if own is not None else default

    changes["issuer"] = Issuer(
        name=pick(issuer.name, organ.name), superior=pick(issuer.superior, organ.header_superior),
        symbol=pick(issuer.symbol, organ.symbol), short_name=pick(issuer.short_name, organ.short_name),
        locality=pick(issuer.locality, organ.locality), id=organ.id, full_name=pick(issuer.full_name, organ.full_name),
        area=pick(issuer.area, organ.area), actor=pick(issuer.actor, organ.actor),
        subordinates=pick(issuer.subordinates, organ.subordinates), media=pick(issuer.media, organ.media),
    )
    if spec.place is None:
        if organ.place is None:
            problems.append(Problem(("place",), _("the registry gives no place for {organ}; write place:.").format(organ=organ.id)))
        changes["place"] = organ.place or ""
    if spec.recipients is None:
        defaults = organ.recipients_on(spec.date)
        if defaults is None:
            problems.append(Problem(("recipients",), _("the registry gives no recipients for {organ}; write recipients:.").format(organ=organ.id)))
            defaults = []
        changes["recipients"] = [Recipient(r.text, r.bc, r.end) for r in defaults]
    if spec.archive is None:
        changes["archive"] = organ.archive or ""
    sig = spec.signature
    usual = organ.signature or {}
    title = pick(sig.title, usual.get("title"))
    if title is None:
        problems.append(Problem(("signature",), _("the registry gives no signer's title for {organ}; write signature.title:.").format(organ=organ.id)))
    changes["signature"] = Signature(
        authority=pick(sig.authority, usual.get("authority") or ""), on_behalf=pick(sig.on_behalf, usual.get("on_behalf") or ""),
        title=title or "", name=sig.name,
    )
    return dataclasses.replace(spec, **changes)


def _only_id(issuer: Issuer) -> bool:
    return all(getattr(issuer, f) in (None, "") for f in ("name", "superior", "symbol", "short_name", "locality"))


def _parent(registry: Registry, parent: Parent, index: int, spec: Spec, problems: list[Problem]) -> Parent:
    if parent.issuer_id is None:
        return parent
    organ = _organ(registry, parent.issuer_id, parent.date, ("implements", index, "issuer"), problems)
    if organ is None:
        return parent
    symbol = parent.symbol
    if symbol is None:
        type_symbol = _type_symbol(parent.type)
        if type_symbol is None:
            problems.append(Problem(("implements", index, "symbol"), _("cannot tell the symbol of a \"{type}\"; write symbol: (e.g. HD/{organ}).").format(type=parent.type, organ=organ.symbol)))
            type_symbol = "?"
        symbol = f"{type_symbol}/{organ.symbol}"
    return dataclasses.replace(parent, issuer=parent.issuer or organ.full_name, symbol=symbol)


def _type_symbol(type_text: str) -> str | None:
    wanted = type_text.strip().lower()
    for doc_type in data.doc_types().values():
        if doc_type["name"].lower() == wanted:
            return doc_type["symbol"]
    return None


def template_context(spec: Spec) -> dict[str, Any]:
    """What a text field may name: the spec's own values (issuer, place, date, number, implements, …)."""
    values = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name not in NOT_RENDERED}
    return _plain(values)


def _render_body(spec: Spec, doc_type: dict[str, str], problems: list[Problem]) -> str:
    """The body: the spec's own, or its body template with its blocks; snippets at hand in both."""
    context = bodies.context({**template_context(spec), "doc_type": dict(doc_type)})
    if spec.body_template is not None:
        return bodies.render_template(spec.body_template, spec.blocks, context, problems)
    return bodies.render_text(spec.body or "", context, ("body",), problems)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _reason(exc: Exception) -> str:
    """Jinja's own wording, without its final full stop (our sentence adds one)."""
    return str(getattr(exc, "message", None) or exc).strip().rstrip(".")


def render_text(text: str, context: dict[str, Any], path: tuple[str | int, ...], problems: list[Problem]) -> str:
    """Render one text field; mistakes become located problems (sandbox escapes are marked unsafe)."""
    if not has_template_syntax(text):
        return text
    try:
        return bounded_render(text_environment().from_string(text), context)
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
    if isinstance(value, list):
        return [_render_fields(v, path + (i,), context, problems) for i, v in enumerate(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in NOT_RENDERED:
                continue
            old = getattr(value, f.name)
            new = _render_fields(old, path + (f.name,), context, problems)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
