"""Generate the country-wide organ registry (data/registry/*.json) from the `vietnamadminunits` dataset.

    pip download vietnamadminunits==1.0.4 --no-deps -d /tmp/vau
    python tools/registry_build.py /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl

The wheel is read as a zip (its SQLite units and its old → new mapping); nothing of it is imported, and
nothing of it is needed when gen-directive runs: the output is plain JSON shipped with the package.

What it writes (docs/registry.md, "The whole country"):

* ``index.json``: the dataset's name, version, licence and checksum, and one entry per shard;
* ``<province>.json``: one shard per province slug (the first part of every id), each organ a record in the
  schema of data/organs/*.yaml, its generic fields shared through a template of the shard;
* ``LICENSE-vietnamadminunits.txt``: the dataset's MIT licence, which must travel with its data.

Style and wording are data (``data/registry/rules.yaml``); changes after the dataset are dated overlays
(``data/registry/overlays.yaml``). The same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path
from string import Template
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.registry import modern_tones  # noqa: E402  (one tone-mark rule for the registry and this script)

OUT = ROOT / "data" / "registry"


def slug(text: str) -> str:
    """"Bình Lư" → "binh-lu", "Văn Miếu - Quốc Tử Giám" → "van-mieu-quoc-tu-giam"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def day_before(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=1)


class Builder:
    def __init__(self, wheel: Path, rules: dict[str, Any], overlays: list[dict[str, Any]]) -> None:
        self.rules = rules
        self.overlays = {o["province"]: o for o in overlays}
        self.dates = {k: (v if isinstance(v, dt.date) else dt.date.fromisoformat(v)) for k, v in rules["dates"].items()}
        self.shards: dict[str, dict[str, Any]] = defaultdict(lambda: {"province": "", "templates": {}, "organs": {}})
        self._read_wheel(wheel)

    # ------------------------------------------------------------------------------------------ the dataset

    def _read_wheel(self, wheel: Path) -> None:
        data = wheel.read_bytes()
        self.wheel_sha256 = hashlib.sha256(data).hexdigest()
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
            fields = dict(line.split(": ", 1) for line in z.read(meta).decode().splitlines() if ": " in line and not line.startswith(" "))
            self.dataset = {"name": fields["Name"], "version": fields["Version"], "licence": "MIT",
                            "url": fields.get("Home-page", ""), "wheel_sha256": self.wheel_sha256}
            self.licence = z.read(next(n for n in names if n.endswith("LICENSE"))).decode()
            self.mapping = json.loads(z.read("vietnamadminunits/data/converter_2025.json"))
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "dataset.db"
                db.write_bytes(z.read("vietnamadminunits/data/dataset.db"))
                con = sqlite3.connect(db)
                con.row_factory = sqlite3.Row
                self.units = [dict(r) for r in con.execute(
                    "SELECT province, provinceShort, provinceKey, ward, wardShort, wardType, wardKey, wardCode FROM admin_units ORDER BY wardCode")]
                self.legacy = [dict(r) for r in con.execute(
                    "SELECT province, provinceShort, provinceKey, district, districtShort, districtType, districtKey, districtCode,"
                    " wardKey FROM admin_units_legacy ORDER BY districtCode, wardCode")]
                con.close()

    # ------------------------------------------------------------------------------------------ names

    def tones(self, text: str) -> str:
        return modern_tones(text) if self.rules.get("modern_tones") else text

    def proper(self, short: str) -> str | None:
        return self.rules.get("proper_names", {}).get(short)

    def province_words(self, province: str, short: str, type_: str | None = None) -> dict[str, str]:
        """Words of a province: its committee, area, locality. ``type_`` overrides the dataset's (an overlay)."""
        type_ = type_ or ("Thành phố" if province.startswith("Thành phố") else "Tỉnh")
        rule = self.rules["province_committees"][type_]
        short = self.tones(short)
        proper = self.proper(short)
        area = proper or f"{rule['locality']} {short}"
        committee_short = rule["word"]
        return {
            "type": type_, "short": short, "slug": slug(short), "area": area, "locality": rule["locality"],
            "committee": f"{committee_short} {proper or short}", "committee_short": committee_short,
            "committee_slug": slug(committee_short), "place": proper or short,
            "ubnd_slug": "ubnd-" + slug(rule["locality"]),
        }

    # ------------------------------------------------------------------------------------------ helpers

    def unit_name(self, full: str, dataset_type: str, types: list[str]) -> tuple[str, str, str | None]:
        """(type, name, note) of a unit from its full name as the dataset spells it ("Phường Việt Hòa",
        "Thành Phố Bắc Kạn", "Huyện Kỳ Anh"). The name's own unit word wins over the dataset's type column
        (which says "Xã" for Phường Việt Hòa), and over its short name ("Kỳ Anh (Huyện)"); a disagreement is
        recorded in the note."""
        for type_ in types:
            if full.lower().startswith(type_.lower() + " "):
                note = None if type_ == dataset_type else f"[U] the dataset's unit type says {dataset_type}; its name says {type_}"
                return type_, self.tones(full[len(type_) + 1:].strip()), note
        raise ValueError(f"{full}: no unit word among {types}")

    def text(self, template: str, **values: str) -> str:
        return Template(template).substitute(values)

    def recipients(self, lines: list[Any], values: dict[str, str]) -> list[Any]:
        out: list[Any] = []
        for line in lines:
            if isinstance(line, str):
                out.append(self.text(line, **values))
                continue
            entry = dict(line)
            entry["text"] = self.text(entry["text"], **values)
            if set(entry) == {"text"}:
                out.append(entry["text"])
                continue
            for key in ("from", "until"):
                if isinstance(entry.get(key), str) and entry[key] in self.dates:
                    entry[key] = self.dates[entry[key]]
            out.append(entry)
        return out

    def dated_recipients(self, lines: list[Any], before: dict[str, str], after: dict[str, str] | None, on: dt.date | None) -> list[Any]:
        """The recipient lines; a line whose wording changes on an overlay's date is given twice, with dates."""
        first = self.recipients(lines, before)
        if after is None or on is None:
            return first
        second = self.recipients(lines, after)
        out: list[Any] = []
        for a, b in zip(first, second):
            if a == b:
                out.append(a)
                continue
            a = {"text": a} if isinstance(a, str) else dict(a)
            b = {"text": b} if isinstance(b, str) else dict(b)
            if a.get("from") and a["from"] >= on:        # a line that starts after the change only takes the new wording
                out.append(b)
                continue
            if a.get("until") and a["until"] < on:        # a line that ended before the change keeps the old one
                out.append(a)
                continue
            a["until"] = day_before(on)
            b["from"] = on if not b.get("from") or b["from"] < on else b["from"]
            out.extend([a, b])
        return out

    def add(self, organ_id: str, values: dict[str, Any], template: str | None = None) -> None:
        prefix = organ_id.split("/", 1)[0]
        shard = self.shards[prefix]
        assert organ_id not in shard["organs"], organ_id
        record = {k: local(v, prefix) if k in ("superior", "successor") else v for k, v in values.items() if v is not None}
        if template:
            record["t"] = template
        shard["organs"][organ_id] = record

    def template(self, shard: str, name: str, values: dict[str, Any]) -> str:
        self.shards[shard]["templates"][name] = {k: local(v, shard) if k in ("superior", "successor") else v
                                                 for k, v in values.items() if v is not None}
        return name

    # ------------------------------------------------------------------------------------------ build

    def build(self) -> None:
        self.new_provinces()
        self.legacy_provinces()

    def province_of_key(self) -> dict[str, dict[str, str]]:
        out = {}
        for u in self.units:
            out.setdefault(u["provinceKey"], {"province": u["province"], "short": u["provinceShort"]})
        return out

    def commune_types(self, province_key: str, units: list[dict[str, Any]]) -> str:
        present = [t for t in ("Xã", "Phường", "Đặc khu") if any(u["wardType"] == t for u in units if u["provinceKey"] == province_key)]
        words = ", ".join(self.rules["commune_units"][t]["locality"] for t in present)
        return f"Các đảng ủy {words}"

    def new_provinces(self) -> None:
        rules = self.rules
        self.new_committee: dict[str, str] = {}           # provinceKey → committee id (as of 01/7/2025)
        self.new_ids: dict[str, str] = {}                  # provinceKey → slug
        self.commune_ids: dict[tuple[str, str], tuple[str, str]] = {}  # (provinceKey, wardKey) → (đảng ủy id, ubnd id)
        by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for u in self.units:
            by_province[u["provinceKey"]].append(u)
        for province_key, units in by_province.items():
            p = self.province_words(units[0]["province"], units[0]["provinceShort"])
            s = p["slug"]
            self.new_ids[province_key] = s
            shard = self.shards[s]
            shard["province"] = p["short"]
            overlay = self.overlays.get(p["short"])
            on = overlay["date"] if overlay else None
            q = self.province_words(units[0]["province"], units[0]["provinceShort"], overlay["becomes"]) if overlay else None
            ids = self.province_organs(p, units, valid_until=day_before(on) if on else None, successor_words=q,
                                       note_overlay=None)
            self.new_committee[province_key] = ids["committee"]
            if overlay:
                assert q is not None and q["committee_slug"] != p["committee_slug"], "an overlay that keeps the committee's name needs no new organ"
                self.province_organs(q, units, valid_from=on, note_overlay=overlay)
            self.communes(p, q, overlay, units, ids)

    def province_organs(self, p: dict[str, str], units: list[dict[str, Any]], valid_from: dt.date | None = None,
                        valid_until: dt.date | None = None, successor_words: dict[str, str] | None = None,
                        note_overlay: dict[str, Any] | None = None, legacy: bool = False,
                        successor_ids: dict[str, str] | None = None) -> dict[str, str]:
        """A provincial committee, its boards and the province's UBND; returns their ids."""
        rules = self.rules
        s = p["slug"]
        committee_id = f"{s}/{p['committee_slug']}"
        ubnd_id = f"{s}/{p['ubnd_slug']}"
        communes = self.commune_types(units[0]["provinceKey"], units) if units else "Các đảng ủy xã, phường"
        words = {
            "committee_short": p["committee_short"], "communes": communes,
            "districts": "Các huyện ủy, thị ủy, thành ủy" if p["type"] == "Tỉnh" else "Các quận ủy, huyện ủy, thị ủy, thành ủy",
            "committee_member": f"{p['committee_short']} viên", "locality": p["locality"], "symbol": "TU",
            "province_committee_short": p["committee_short"], "province_area": p["area"],
            "districts_state": "các huyện, thị xã, thành phố" if p["type"] == "Tỉnh" else "các quận, huyện, thị xã",
            "communes_state": communes.replace("Các đảng ủy ", "các "),
            "districts_lower": "các huyện ủy, thị ủy, thành ủy" if p["type"] == "Tỉnh" else "các quận ủy, huyện ủy, thị ủy, thành ủy",
        }
        # what the committee has directly below it: districts until 30/6/2025 (a province that ended then), communes since
        words["subordinates"] = words["districts"] if legacy else communes
        note = self.overlay_note(note_overlay)
        successor = None
        if successor_words is not None:
            successor = f"{s}/{successor_words['committee_slug']}"
        if successor_ids is not None:
            successor = successor_ids["committee"]
        c = rules["province_committee"]
        recipients = trim(self.recipients(c["recipients"], words), valid_from, valid_until)
        self.add(committee_id, {
            "name": p["committee"], "level": "province", "superior": "tw", "symbol": "TU",
            "short_name": p["committee_short"], "place": p["place"], "locality": p["locality"], "area": p["area"],
            "actor": self.text(c["actor"], **words), "subordinates": self.text(c["subordinates"], **words),
            "recipients": recipients, "archive": self.text(c["archive"], **words),
            "signature": c["signature"], "valid_from": valid_from, "valid_until": valid_until,
            "successor": successor, "note": note,
        })
        for board_slug, board in rules["province_boards"].items():
            board_from = self.dates[board["from"]] if board.get("from") else None
            board_until = self.dates[board["until"]] if board.get("until") else None
            if valid_from is not None and board_until is not None and board_until < valid_from:
                continue  # a board that ended before the committee began
            if valid_from is not None and board_from is not None and board_from <= valid_from:
                board_from = None  # the committee's own start applies
            if board.get("successor") and (board_until is not None):
                board_successor = f"{committee_id}/{board['successor']}"
            elif successor is not None:
                board_successor = f"{successor}/{board_slug}"
            else:
                board_successor = None
            self.add(f"{committee_id}/{board_slug}", {
                "name": board["name"], "kind": "body", "superior": committee_id, "abbreviation": board["abbreviation"],
                "recipients": trim(self.recipients(board["recipients"], words), board_from or valid_from, board_until or valid_until),
                "archive": self.text(board["archive"], **words) if board.get("archive") else None,
                "signature": board.get("signature"), "valid_from": board_from, "valid_until": board_until,
                "successor": board_successor,
            })
        u = rules["people_committee"]
        ubnd_successor = None
        if successor_words is not None:
            ubnd_successor = f"{s}/{successor_words['ubnd_slug']}"
        if successor_ids is not None:
            ubnd_successor = successor_ids["ubnd"]
        ubnd_recipients = trim(self.recipients(u["province_recipients"], words), valid_from, valid_until)
        self.add(ubnd_id, {
            "name": f"Ủy ban nhân dân {p['area']}", "header_name": f"Ủy ban nhân dân\n{p['area']}", "regime": "state",
            "level": "province", "symbol": u["symbol"], "short_name": f"Ủy ban nhân dân {p['locality']}",
            "place": p["place"], "locality": p["locality"], "area": p["area"],
            "recipients": ubnd_recipients, "archive": u["archive"], "signature": u["signature"],
            "valid_from": valid_from, "valid_until": valid_until, "successor": ubnd_successor, "note": note,
        })
        return {"committee": committee_id, "ubnd": ubnd_id}

    def overlay_note(self, overlay: dict[str, Any] | None) -> str | None:
        if not overlay:
            return None
        return f"overlay of {overlay['date'].isoformat()} [{overlay['confidence']}]: {overlay['source'].strip()}"

    def communes(self, p: dict[str, str], q: dict[str, str] | None, overlay: dict[str, Any] | None,
                 units: list[dict[str, Any]], ids: dict[str, str]) -> None:
        rules = self.rules
        s = p["slug"]
        on = overlay["date"] if overlay else None
        new_wards = set(overlay.get("wards_from_communes") or []) if overlay else set()
        c = rules["commune_committee"]
        u = rules["people_committee"]
        for type_ in ("Xã", "Phường", "Đặc khu"):
            locality = rules["commune_units"][type_]["locality"]
            before = {"locality": locality, "province_committee_short": p["committee_short"], "province_area": p["area"],
                      "party_committee": f"Đảng ủy {locality}"}
            after = None
            if q is not None:
                after = dict(before, province_committee_short=q["committee_short"], province_area=q["area"])
            self.template(s, f"du-{slug(locality)}", {
                "level": "commune", "superior": ids["committee"], "symbol": c["symbol"],
                "short_name": f"Đảng ủy {locality}", "locality": locality,
                "actor": self.text(c["actor"], **before), "subordinates": c["subordinates"],
                "recipients": self.dated_recipients(c["recipients"], before, after, on),
                "archive": c["archive"], "signature": c["signature"],
            })
            self.template(s, f"ubnd-{slug(locality)}", {
                "regime": "state", "level": "commune", "superior": ids["ubnd"], "symbol": u["symbol"],
                "short_name": f"Ủy ban nhân dân {locality}", "locality": locality,
                "recipients": self.dated_recipients(u["lower_recipients"], before, after, on),
                "archive": u["archive"], "signature": u["signature"],
            })
        # names that differ only in their marks ("Văn Lang", "Văn Lăng") would share an id: both take the
        # dataset's unit code ("dang-uy-xa-van-lang-02143")
        seen: dict[tuple[str, str], int] = defaultdict(int)
        named = [(unit, *self.unit_name(unit["ward"], unit["wardType"], list(rules["commune_units"]))) for unit in units]
        for _unit, type_, short, _note in named:
            seen[(type_, slug(short))] += 1
        for unit, type_, short, note in named:
            locality = rules["commune_units"][type_]["locality"]
            area = f"{locality} {short}"
            place = short
            unit_slug = slug(short) if seen[(type_, slug(short))] == 1 else f"{slug(short)}-{unit['wardCode']}"
            party_id = f"{s}/dang-uy-{slug(locality)}-{unit_slug}"
            ubnd_id = f"{s}/ubnd-{slug(locality)}-{unit_slug}"
            self.commune_ids[(unit["provinceKey"], unit["wardKey"])] = (party_id, ubnd_id)
            until = successor_party = successor_ubnd = None
            if short in new_wards and type_ == "Xã":
                until = day_before(on)
                successor_party = f"{s}/dang-uy-phuong-{slug(short)}"
                successor_ubnd = f"{s}/ubnd-phuong-{slug(short)}"
                self.add(successor_party, {"name": f"Đảng ủy phường {short}", "place": place, "area": f"phường {short}",
                                           "valid_from": on, "note": self.overlay_note(overlay)}, f"du-phuong")
                self.add(successor_ubnd, {"name": f"Ủy ban nhân dân phường {short}", "header_name": f"Ủy ban nhân dân\nphường {short}",
                                          "place": place, "area": f"phường {short}", "valid_from": on,
                                          "note": self.overlay_note(overlay)}, f"ubnd-phuong")
            self.add(party_id, {"name": f"Đảng ủy {area}", "place": place, "area": area,
                                "valid_from": self.dates["new_from"], "valid_until": until, "successor": successor_party,
                                "note": note}, f"du-{slug(locality)}")
            self.add(ubnd_id, {"name": f"Ủy ban nhân dân {area}", "header_name": f"Ủy ban nhân dân\n{area}",
                               "place": place, "area": area, "valid_from": self.dates["new_from"], "valid_until": until,
                               "successor": successor_ubnd, "note": note}, f"ubnd-{slug(locality)}")
        missing = new_wards - {self.unit_name(x["ward"], x["wardType"], list(rules["commune_units"]))[1] for x in units
                               if self.unit_name(x["ward"], x["wardType"], list(rules["commune_units"]))[0] == "Xã"}
        assert not missing, f"overlay names communes the dataset does not have in {p['short']}: {sorted(missing)}"

    # ------------------------------------------------------------------------------------------ before 07/2025

    def legacy_provinces(self) -> None:
        rules = self.rules
        until = self.dates["legacy_until"]
        new_of_old: dict[str, str] = {}
        for new_key, olds in self.mapping["DICT_PROVINCE"].items():
            for old in olds:
                new_of_old[old] = new_key
        # old ward "province_district_ward" → new wards
        successors_of_ward: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for new_province, wards in self.mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_ward, olds in wards.items():
                for old in olds:
                    successors_of_ward[old].add((new_province, new_ward))
        for new_province, olds in self.mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old, parts in olds.items():
                for part in parts:
                    successors_of_ward[old].add((new_province, part["newWardKey"]))
        by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.legacy:
            by_province[row["provinceKey"]].append(row)
        new_keys_by_slug = {v: k for k, v in self.new_ids.items()}
        for province_key, rows in by_province.items():
            p = self.province_words(rows[0]["province"], rows[0]["provinceShort"])
            s = p["slug"]
            new_key = new_of_old[province_key]
            continuing = new_keys_by_slug.get(s) == new_key
            if not continuing:
                self.shards[s]["province"] = p["short"]
                assert s not in new_keys_by_slug, f"{s}: a legacy province sharing a present province's slug"
                successor_slug = self.new_ids[new_key]
                succ = self.shards[successor_slug]["organs"]
                successor_committee = self.new_committee[new_key]
                successor_ubnd = next(i for i in succ if i.startswith(f"{successor_slug}/ubnd-") and "/" not in i[len(successor_slug) + 1:]
                                      and succ[i].get("level") == "province" and not succ[i].get("valid_from"))
                self.province_organs(p, [], valid_until=until, legacy=True,
                                     successor_ids={"committee": successor_committee, "ubnd": successor_ubnd})
            province_committee = f"{s}/{p['committee_slug']}"
            province_ubnd = f"{s}/{p['ubnd_slug']}"
            districts: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                districts[row["districtKey"]].append(row)
            for district_key, wards in districts.items():
                d = wards[0]
                rule = rules["district_committees"][d["districtType"]]
                _type, short, _note = self.unit_name(d["district"], d["districtType"], [d["districtType"]])
                named_by_number = short.isdigit()
                if named_by_number:                 # "Quận 1" keeps its unit word everywhere
                    short = f"{d['districtType']} {short}"
                area = short if named_by_number else f"{rule['locality']} {short}"
                place = short
                prefix = rules.get("place_prefix_when_named_like_province", {}).get(d["districtType"])
                if prefix and short == p["short"]:
                    place = f"{prefix} {short}"
                district_slug = slug(short.removeprefix(d["districtType"]).strip()) if named_by_number else slug(short)
                committee_word = rule["word"]
                committee_id = f"{s}/{slug(committee_word)}-{district_slug}"
                ubnd_id = f"{s}/ubnd-{slug(rule['locality'])}-{district_slug}"
                new_units = sorted({w for ward in wards for w in successors_of_ward.get(f"{province_key}_{district_key}_{ward['wardKey']}", ())},
                                   key=lambda k: self.commune_ids[k])
                party_successors = [self.commune_ids[k][0] for k in new_units]
                ubnd_successors = [self.commune_ids[k][1] for k in new_units]
                words = {"short": committee_word, "locality": rule["locality"], "province_committee_short": p["committee_short"],
                         "province_area": p["area"], "party_committee": committee_word}
                c = rules["district_committee"]
                u = rules["people_committee"]
                kind = slug(rule["locality"])
                if f"hu-{kind}" not in self.shards[s]["templates"]:
                    self.template(s, f"hu-{kind}", {
                        "level": "district", "superior": province_committee, "symbol": rule["symbol"],
                        "short_name": committee_word, "locality": rule["locality"],
                        "actor": self.text(c["actor"], **words), "subordinates": self.text(c["subordinates"], **words),
                        "recipients": self.recipients(c["recipients"], words), "archive": self.text(c["archive"], **words),
                        "signature": c["signature"], "valid_until": until,
                        "note": "[U] symbol: sources differ between TU and ThU" if d["districtType"] == "Thị xã" else None,
                    })
                    self.template(s, f"ubnd-{kind}", {
                        "regime": "state", "level": "district", "superior": province_ubnd, "symbol": u["symbol"],
                        "short_name": f"Ủy ban nhân dân {rule['locality']}", "locality": rule["locality"],
                        "recipients": self.recipients(u["lower_recipients"], words), "archive": u["archive"],
                        "signature": u["signature"], "valid_until": until,
                    })
                    b = rules["district_board"]
                    self.template(s, f"btg-{kind}", {
                        "kind": "body", "name": "Ban Tuyên giáo", "abbreviation": "BTG",
                        "recipients": self.recipients(b["recipients"], words), "archive": b["archive"],
                        "signature": b["signature"],
                    })
                self.add(committee_id, {"name": f"{committee_word} {short}", "place": place, "area": area,
                                        "successor": party_successors or None}, f"hu-{kind}")
                self.add(f"{committee_id}/ban-tuyen-giao", {"superior": committee_id, "successor": party_successors or None}, f"btg-{kind}")
                self.add(ubnd_id, {"name": f"Ủy ban nhân dân {area}", "header_name": f"Ủy ban nhân dân\n{area}",
                                   "place": place, "area": area, "successor": ubnd_successors or None}, f"ubnd-{kind}")

    # ------------------------------------------------------------------------------------------ output

    def write(self, out: Path) -> dict[str, Any]:
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        index: dict[str, Any] = {"dataset": self.dataset, "generated_by": "tools/registry_build.py",
                                 "rules": ["data/registry/rules.yaml", "data/registry/overlays.yaml"], "shards": {}}
        totals: dict[str, int] = defaultdict(int)
        index["provinces"] = {}
        for s in sorted(self.shards):
            shard = self.shards[s]
            index["provinces"][s] = shard["province"]
            groups: dict[str, dict[str, Any]] = defaultdict(dict)
            for organ_id, record in shard["organs"].items():
                groups[group_of(organ_id)][organ_id] = record
            for group, organs in sorted(groups.items()):
                used = {r["t"] for r in organs.values() if "t" in r}
                templates = {k: v for k, v in shard["templates"].items() if k in used}
                lines = ["{", ' "templates": {']
                lines.append(",\n".join(f"  {dumps(k)}: {dumps(v)}" for k, v in sorted(templates.items())))
                lines.append(" },")
                lines.append(' "organs": {')
                lines.append(",\n".join(f"  {dumps(k)}: {dumps(v)}" for k, v in sorted(organs.items())))
                lines.append(" }")
                lines.append("}")
                key = f"{s}.{group}"
                (out / f"{key}.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
                index["shards"][key] = len(organs)
            for record in shard["organs"].values():
                level = record.get("level") or shard["templates"].get(record.get("t", ""), {}).get("level") or "body"
                totals[level] += 1
        index["organs"] = dict(sorted(totals.items()))
        (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        (out / "LICENSE-vietnamadminunits.txt").write_text(self.licence, encoding="utf-8")
        return index


def trim(lines: list[Any], valid_from: dt.date | None, valid_until: dt.date | None) -> list[Any]:
    """The recipient lines of an organ that lives from ``valid_from`` to ``valid_until``: lines outside its life
    are dropped, and a date the organ's own dates already imply is left out."""
    out: list[Any] = []
    for line in lines:
        if isinstance(line, str):
            out.append(line)
            continue
        if (valid_until and line.get("from") and line["from"] > valid_until) or (valid_from and line.get("until") and line["until"] < valid_from):
            continue
        entry = dict(line)
        if valid_from and entry.get("from") and entry["from"] <= valid_from:
            del entry["from"]
        if valid_until and entry.get("until") and entry["until"] >= valid_until:
            del entry["until"]
        out.append(entry["text"] if set(entry) == {"text"} else entry)
    return out


def group_of(organ_id: str) -> str:
    """The file of an organ within its province: communes' Đảng ủy, People's Committees, the rest (few, and
    the ones hand-written entries most often also define, so a build reads little): generator.country._key."""
    second = organ_id.split("/")[1]
    return "dang" if second.startswith("dang-uy-") else "ubnd" if second.startswith("ubnd-") else "other"


def local(value: Any, prefix: str) -> Any:
    """An id of the same shard is written without its prefix: "./dang-uy-xa-binh-lu" (generator.registry reads it back)."""
    if isinstance(value, list):
        return [local(v, prefix) for v in value]
    if isinstance(value, str) and value.startswith(prefix + "/"):
        return "." + value[len(prefix):]
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_date)


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="the vietnamadminunits wheel (pip download vietnamadminunits==1.0.4 --no-deps)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rules = yaml.safe_load((OUT / "rules.yaml").read_text(encoding="utf-8"))
    overlays = yaml.safe_load((OUT / "overlays.yaml").read_text(encoding="utf-8"))["overlays"]
    builder = Builder(args.wheel, rules, overlays)
    builder.build()
    index = builder.write(args.out)
    print(f"{index['dataset']['name']} {index['dataset']['version']}: {sum(index['shards'].values())} organs "
          f"in {len(index['shards'])} files {index['organs']}")


if __name__ == "__main__":
    main()
