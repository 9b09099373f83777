"""Reference data shipped in ``data/``: document types and format profiles.

Profiles are data, not code: a profile may ``extends`` another and override only what differs
(party-hd05 over party-hd36). Everything is read once per process.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import yaml

from .paths import DATA_DIR

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def _read(name: str) -> Any:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)


@lru_cache(maxsize=None)
def doc_types() -> dict[str, dict[str, str]]:
    return _read("doc_types.yaml")


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


def profile_ids() -> list[str]:
    return sorted(p.stem for p in (DATA_DIR / "profiles").glob("*.yaml"))


def profile_for(regime: str, date: dt.date) -> dict[str, Any]:
    """The profile of ``regime`` in force on ``date`` (HD 36 before HD 05's date, HD 05 from it)."""
    candidates = [profile(pid) for pid in profile_ids()]
    candidates = [p for p in candidates if p["regime"] == regime]
    in_force = [p for p in candidates if p["valid_from"] <= date and (p.get("valid_until") is None or date <= p["valid_until"])]
    pool = in_force or candidates
    return max(pool, key=lambda p: p["valid_from"])
