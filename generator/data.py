"""Reference data shipped in ``data/``: document kinds and format profiles.

Profiles are data, not code: a profile may ``extends`` another and override only what differs
(party-hd05 over party-hd36). Everything is read once per process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .paths import DATA_DIR

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def _read(name: str) -> Any:
    """A shipped data file, parsed (once: :mod:`generator.disk_cache` keeps it between runs)."""
    from .disk_cache import cached

    raw = (DATA_DIR / name).read_bytes()
    return cached("data:" + name, raw, lambda: yaml.load(raw.decode("utf-8"), Loader=_Loader))


@lru_cache(maxsize=None)
def doc_types() -> dict[str, dict[str, Any]]:
    """Every document type by id, as written in data/doc_types.yaml (shared and per-regime values)."""
    return _read("doc_types.yaml")


@dataclass(frozen=True)
class Kind:
    """What one type of document prints under one regime (data/doc_types.yaml explains each field)."""

    id: str
    regime: str
    name: str
    symbol: str | None
    regimes: tuple[str, ...]
    type_line: bool
    subject: str
    kinh_gui: str
    can_cu: bool
    opening: str
    numbering: str
    action: str
    like_recipients: bool


_KIND_DEFAULTS: dict[str, Any] = {
    "regimes": ["party", "state"], "type_line": True, "subject": "title", "kinh_gui": "none", "can_cu": False,
    "opening": "required", "numbering": "roman", "action": "", "like_recipients": False,
}


@lru_cache(maxsize=None)
def kind(type_id: str, regime: str) -> Kind:
    """The kind of ``type_id`` under ``regime``: the shared values, then the regime's own over them."""
    raw = dict(doc_types()[type_id])
    own = {**_KIND_DEFAULTS, **{k: v for k, v in raw.items() if k not in ("party", "state")}, **(raw.get(regime) or {})}
    return Kind(id=type_id, regime=regime, name=own["name"], symbol=own.get("symbol"), regimes=tuple(own["regimes"]),
                type_line=bool(own["type_line"]), subject=own["subject"], kinh_gui=own["kinh_gui"], can_cu=bool(own["can_cu"]),
                opening=own["opening"], numbering=own["numbering"], action=own["action"] or "",
                like_recipients=bool(own["like_recipients"]))


def type_symbols(regime: str | None = None) -> dict[str, set[str]]:
    """Type name (as written, lower case) → the symbols its numbers use, in one regime or in both."""
    found: dict[str, set[str]] = {}
    for type_id in doc_types():
        for each in ((regime,) if regime else ("party", "state")):
            k = kind(type_id, each)
            if each in k.regimes and k.symbol:
                found.setdefault(k.name.lower(), set()).add(k.symbol)
    return found


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


@lru_cache(maxsize=None)
def profile(profile_id: str) -> dict[str, Any]:
    raw = _read(f"profiles/{profile_id}.yaml")
    parent = raw.pop("extends", None)
    return _merge(profile(parent), raw) if parent else raw


@lru_cache(maxsize=None)
def profile_ids() -> tuple[str, ...]:
    """The shipped profiles (read once: every build asks, and the folder does not change under a run)."""
    return tuple(sorted(p.stem for p in (DATA_DIR / "profiles").glob("*.yaml")))


def profile_for(regime: str, date: dt.date) -> dict[str, Any]:
    """The profile of ``regime`` in force on ``date`` (HD 36 before HD 05's date, HD 05 from it).

    The one selector: the generator, ``check`` and ``init`` all call it, so a document is built and
    checked under the same rules. A date before the oldest profile (a Party document before HD 36's
    03/4/2018) gets the oldest one; :func:`predates_profiles` tells the caller to say so."""
    candidates = sorted((profile(pid) for pid in profile_ids() if profile(pid)["regime"] == regime), key=lambda p: p["valid_from"])
    in_force = [p for p in candidates if p["valid_from"] <= date and (p.get("valid_until") is None or date <= p["valid_until"])]
    if in_force:
        return in_force[-1]
    before = [p for p in candidates if p["valid_from"] <= date]
    return before[-1] if before else candidates[0]


def predates_profiles(regime: str, date: dt.date) -> bool:
    """Whether ``date`` is before every profile of ``regime`` (the oldest is then applied, with a warning)."""
    return all(profile(pid)["valid_from"] > date for pid in profile_ids() if profile(pid)["regime"] == regime)
