"""``gen-directive organs [TEXT] [--on DATE] [--json]``: list and search the organ registry.

The registry is the hand-written organs (data/organs/*.yaml) and the generated country (data/registry/:
every province's and commune's Party committee and People's Committee, before and after 07/2025). TEXT is
matched without marks or case ("binh lu" finds "Đảng ủy xã Bình Lư"), every word of it somewhere in the
organ's running-text name or its id. The generated shards are read only as JSON, and an organ is resolved
(its body names, dates and inherited fields) only when it matches.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from .. import country
from ..errors import UsageError
from ..i18n import _
from ..registry import Organ, Registry, plain, shipped, with_extra


def _label_and_id() -> Iterator[tuple[str, str]]:
    """(what a search reads, id) of every organ, hand-written first; a body reads as "<name> <committee>"."""
    for key in country.keys():
        found = country.shard(key)
        assert found is not None
        p = key.split(".", 1)[0]
        templates, organs = found["templates"], found["organs"]
        for organ_id, own in organs.items():
            template = templates.get(own.get("t", ""), {})
            name = own.get("name") or template.get("name", "")
            superior = own.get("superior") or template.get("superior")
            if (own.get("kind") or template.get("kind")) == "body" and superior:
                committee = organs.get(p + superior[1:] if superior.startswith("./") else superior, {})  # bodies sit with their committee
                name = f"{name} {committee.get('name', '')}"
            yield name, organ_id


def _text(label: str, organ_id: str) -> str:
    """What a search reads: the running-text name and the province, without marks, as whole words."""
    return f" {plain(label)} / {_province(organ_id.split('/', 1)[0])} "


@lru_cache(maxsize=None)
def _province(prefix: str) -> str:
    return plain(country.province_name(prefix))


def _matches(query: str, label: str, organ_id: str, phrase: bool) -> bool:
    """``query`` as consecutive whole words ("binh lu": Bình Lư, not Bình Lục), or, not ``phrase``, each word
    anywhere; a query with "/" is a part of an id."""
    if not query:
        return True
    if "/" in query:
        return query in organ_id
    text = _text(label, organ_id)
    if phrase:
        return f" {query} " in text
    return all(f" {word} " in text for word in query.split())


def find(registry: Registry, text: str | None, on: dt.date | None) -> list[Organ]:
    """The organs whose running-text name (and province) holds ``text`` as consecutive words, or else every word
    of it; all organs without it. Valid on ``on`` when given; sorted by id."""
    query = text.strip().lower() if text and "/" in text else plain(text)
    labels = [(o.full_name, o.id) for o in list(registry.organs.values())] + list(_label_and_id())
    ids: dict[str, None] = {}
    for phrase in (True, False):
        for label, organ_id in labels:
            if _matches(query, label, organ_id, phrase):
                ids[organ_id] = None
        if ids:
            break
    found = [o for o in (registry.get(i) for i in ids) if o is not None]
    if on is not None:
        found = [o for o in found if o.valid_on(on)]
    return sorted(found, key=lambda o: o.id)


def as_json(organ: Organ) -> dict[str, Any]:
    prefix = organ.id.split("/", 1)[0]
    return {
        "id": organ.id, "name": organ.full_name, "header": organ.header_name or organ.name,
        "province": country.province_name(prefix) or None, "level": organ.level, "kind": organ.kind,
        "regime": organ.regime, "symbol": organ.symbol, "place": organ.place,
        "valid_from": organ.valid_from.isoformat() if organ.valid_from else None,
        "valid_to": organ.valid_until.isoformat() if organ.valid_until else None,
        "successors": list(organ.successors),
    }


def organs_command(text: str | None, on: str | None, json_output: bool, registry_files: tuple[Path, ...] = ()) -> int:
    try:
        when = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise UsageError(_("--on: expected a date written YYYY-MM-DD, got {value}.").format(value=on)) from None
    registry = with_extra([(p, str(p)) for p in registry_files]) if registry_files else shipped()
    found = find(registry, text, when)
    if json_output:
        print(json.dumps([as_json(o) for o in found], ensure_ascii=False, indent=1))
        return 0
    for organ in found:
        since = organ.valid_from.isoformat() if organ.valid_from else "…"
        until = organ.valid_until.isoformat() if organ.valid_until else "…"
        print(f"{organ.id:55} {organ.symbol:9} {since} – {until}  {organ.full_name}")
    if not found:
        print(_("no organ matches."))
    return 0
