"""Merge the organ registry into a spec's mapping, before validation.

A spec may name its issuer and its parents' issuers by registry id (``issuer: lai-chau/ubnd-xa-binh-lu``).
Here, before the schema sees the spec, every value the registry knows and the spec leaves out is written into
the mapping: the issuer's fields (name, header lines, symbol, regime …), the place, the recipients of the
document's date, the archive line and the usual signature; a parent's issuer name and number symbol. The
spec's own values always win. Validation then runs once over the complete mapping, so the typed
:class:`~generator.spec.Spec` is never half-filled, and a registry problem (an unknown id, an organ outside
its dates) is reported together with every other problem of the spec.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import data
from . import registry as organ_registry
from .errors import Problem, SpecError, UnsafePath
from .i18n import _
from .loader import Loaded
from .registry import ID_PATTERN, Organ, Registry, looks_like_id
from .vocab import AUTHORITIES_BY_REGIME

Path_ = tuple[str | int, ...]
ISSUER_FROM_ORGAN = {
    "name": "name", "superior": "header_superior", "symbol": "symbol", "short_name": "short_name",
    "locality": "locality", "full_name": "full_name", "area": "area", "actor": "actor",
    "subordinates": "subordinates", "media": "media", "regime": "regime", "header_name": "header_name",
}


def merge_registry(raw: Any, loaded: Loaded | None) -> tuple[Any, list[Problem]]:
    """The spec mapping with the registry's values filled in, and the problems met doing it."""
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return raw, problems
    merged = dict(raw)
    before = len(problems)
    registry = _registry(raw, loaded, problems)
    if len(problems) > before:
        return raw, problems  # the spec's own registry files are wrong: an id lookup now would only mislead
    if isinstance(raw.get("implements"), list):
        merged["implements"] = [_parent(registry, parent, index, problems) for index, parent in enumerate(raw["implements"])]
    issuer = raw.get("issuer")
    organ_id = issuer if isinstance(issuer, str) else issuer.get("id") if isinstance(issuer, dict) else None
    if not isinstance(organ_id, str) or not ID_PATTERN.match(organ_id.strip()):
        return merged, problems  # not an id: the schema says so
    date = _date(raw.get("date"))
    # a mapping that only changes running-text fields is still "the issuer" to a clerk; one that renames the
    # organ points at its id
    renamed = isinstance(issuer, dict) and any(issuer.get(k) not in (None, "") for k in ("name", "superior", "symbol", "short_name", "locality"))
    organ = _organ(registry, organ_id, date, ("issuer", "id") if renamed else ("issuer",), problems)
    if organ is None:
        return merged, problems
    own = {k: v for k, v in issuer.items() if v is not None} if isinstance(issuer, dict) else {}
    fields = {key: getattr(organ, attr) for key, attr in ISSUER_FROM_ORGAN.items()}
    if "name" in own and "header_name" not in own:
        fields["header_name"] = ""  # the spec renamed the organ: the registry's header wording no longer fits
    merged["issuer"] = {**fields, **own, "id": organ.id}
    if raw.get("place") is None:
        if organ.place is None:
            problems.append(Problem(("place",), _("the registry gives no place for {organ}; write place:.").format(organ=organ.id)))
        merged["place"] = organ.place or ""
    if raw.get("recipients") is None:
        defaults = organ.recipients_on(date) if date is not None else organ.recipients
        if defaults is None:
            problems.append(Problem(("recipients",), _("the registry gives no recipients for {organ}; write recipients:.").format(organ=organ.id)))
        merged["recipients"] = [{"text": r.text, "bc": r.bc, "end": r.end} for r in defaults or []]
    if raw.get("archive") is None:
        merged["archive"] = organ.archive or ""
    signature = raw.get("signature")
    if isinstance(signature, dict):
        usual = organ.signature or {}
        filled = {key: signature.get(key) if signature.get(key) is not None else usual.get(key) for key in ("authority", "on_behalf", "title")}
        if filled["title"] is None:
            problems.append(Problem(("signature",), _("the registry gives no signer's title for {organ}; write signature.title:.").format(organ=organ.id)))
        if filled["authority"] is None:
            problems.append(Problem(("signature",), _("the registry gives no signing authority for {organ}; write signature.authority: ({forms}, or \"\" when the head signs in their own name).").format(
                organ=organ.id, forms=", ".join(a for a in AUTHORITIES_BY_REGIME.get(organ.regime or "party", ()) if a))))
        # a field neither gives stays out (its problem is said above, once: no follow-on "must not be empty")
        merged["signature"] = {**signature, **{k: v for k, v in filled.items() if v is not None}}
    return merged, problems


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _registry(raw: dict[str, Any], loaded: Loaded | None, problems: list[Problem]) -> Registry:
    """The shipped registry plus the spec's own files (relative to, and confined to, the spec's folder)."""
    own = raw.get("registry")
    if not isinstance(own, list) or not own or not all(isinstance(item, str) for item in own):
        return organ_registry.shipped()  # a malformed registry: list is the schema's to report
    base = Path(loaded.file).parent if loaded is not None else Path(".")
    try:
        return organ_registry.for_spec(own, base, loaded)
    except UnsafePath:
        raise
    except SpecError as exc:
        problems.extend(exc.problems)
        return organ_registry.shipped()


def _organ(registry: Registry, organ_id: str, date: dt.date | None, path: Path_, problems: list[Problem]) -> Organ | None:
    organ = registry.get(organ_id)
    if organ is None:
        problems.append(Problem(path, registry.unknown(organ_id)))
        return None
    why = registry.validity_problem(organ, date) if date is not None else None
    if why:
        problems.append(Problem(path, why))
        return None
    return registry.as_on(organ, date) if date is not None else organ  # dated overlays (a province become a city)


def _parent(registry: Registry, parent: Any, index: int, problems: list[Problem]) -> Any:
    """A parent whose issuer is a registry id: its issuer's name and, when not written, its number's symbol."""
    if not isinstance(parent, dict):
        return parent
    issuer = parent.get("issuer")
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str) and ID_PATTERN.match(issuer["id"].strip()):
        organ_id, name = issuer["id"].strip(), issuer.get("name")
    elif isinstance(issuer, str) and looks_like_id(issuer):
        organ_id, name = issuer.strip(), None
    else:
        return parent
    organ = _organ(registry, organ_id, _date(parent.get("date")), ("implements", index, "issuer"), problems)
    if organ is None:
        return parent
    merged = {**parent, "issuer": {"id": organ.id, "name": name or organ.full_name}}
    if parent.get("regime") is None:
        merged["regime"] = organ.regime
    if parent.get("symbol") is None and parent.get("number") not in (None, ""):  # an unnumbered basis cites no symbol
        merged["symbol"] = _parent_symbol(parent.get("type"), organ, index, problems)
    return merged


def _parent_symbol(type_text: Any, organ: Organ, index: int, problems: list[Problem]) -> str:
    """Party "HD/BTGTU"; State "KH-UBND", and a State công văn's number has no type part: "UBND"."""
    wanted = str(type_text or "").strip().lower()
    types = data.doc_types()
    type_id = wanted if wanted in types else next((t for t in types if data.kind(t, organ.regime).name.lower() == wanted), None)
    kind = data.kind(type_id, organ.regime) if type_id is not None else None
    if kind is None or (kind.symbol is None and organ.regime == "party"):
        problems.append(Problem(("implements", index, "symbol"), _("cannot tell the symbol of a \"{type}\"; write symbol: (e.g. HD/{organ}).").format(
            type=type_text, organ=organ.symbol)))
        return f"?/{organ.symbol}"
    if organ.regime == "state":
        return f"{kind.symbol}-{organ.symbol}" if kind.symbol else organ.symbol
    return f"{kind.symbol}/{organ.symbol}"
