"""The rule catalog (``data/rules.yaml``), the profiles (``data/profiles/*.yaml``) and the finding record.

Rules are data so that a rule's id, citation and severity can be read and reviewed without reading code;
the code reports under a *check key* (``page.margin.right``) and the catalog maps it to the rule of the
document's regime (``HD36.A1.le-phai`` for Party, ``ND30.PL1.le-phai`` for State).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from generator import data
from generator.errors import GeneratorError, UsageError
from generator.i18n import _
from generator.paths import DATA_DIR
RULES_FILE = DATA_DIR / "rules.yaml"

SEVERITIES = ("error", "warning")
REGIMES = ("party", "state")
# What ``--profile`` accepts: a regime (the Party guide is then chosen by the document's date) or a profile id.
PROFILE_CHOICES = ("party", "party-hd36", "party-hd05", "state", "state-nd30")


# --------------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class RuleDef:
    id: str
    check: str
    applies_to: tuple[str, ...]
    severity: str
    citation: str
    description: str
    note: str | None = None


class Catalog:
    """All rules, indexed by (check key, regime)."""

    def __init__(self, rules: list[RuleDef], not_checkable: list[dict[str, str]]) -> None:
        self.rules = rules
        self.not_checkable = not_checkable
        self._by_check: dict[tuple[str, str], RuleDef] = {}
        for rule in rules:
            for regime in rule.applies_to:
                key = (rule.check, regime)
                if key in self._by_check:
                    raise GeneratorError(f"{RULES_FILE}: two rules for check {rule.check!r} in regime {regime!r}")
                self._by_check[key] = rule

    def rule(self, check: str, regime: str) -> RuleDef | None:
        return self._by_check.get((check, regime))

    def by_id(self, rule_id: str) -> RuleDef | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@lru_cache(maxsize=1)
def load_catalog(path: Path = RULES_FILE) -> Catalog:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules: list[RuleDef] = []
    seen: set[str] = set()
    for entry in raw.get("rules", []):
        rule = RuleDef(
            id=str(entry["id"]),
            check=str(entry["check"]),
            applies_to=tuple(entry["applies_to"]),
            severity=str(entry["severity"]),
            citation=str(entry["citation"]),
            description=str(entry["description"]),
            note=entry.get("note"),
        )
        # A broken catalog is a programming error in this repository, caught by the tests.
        if rule.id in seen or rule.severity not in SEVERITIES or not set(rule.applies_to) <= set(REGIMES):
            raise GeneratorError(f"{path}: bad rule entry {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    return Catalog(rules, list(raw.get("not_checkable", [])))


# --------------------------------------------------------------------------------------------------
# Findings


@dataclass(frozen=True)
class Location:
    element: str                    # element key: party_title, body, page, …
    part: str = "document"          # document | word/header2.xml | footnotes | settings
    paragraph: int | None = None    # 1-based paragraph number in that part (table cells included)
    excerpt: str = ""


def excerpt(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, ellipsis included."""
    head = text[: limit * 8]  # a long paragraph is excerpted for each of its runs: never split it whole
    flat = " ".join(head.split())
    if len(flat) <= limit and len(head) == len(text):
        return flat
    return flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Finding:
    rule: RuleDef
    severity: str
    location: Location
    message: str
    count: int = 1                  # paragraphs/runs sharing this finding (body and font checks group them)

    def as_dict(self) -> dict[str, Any]:
        # Insertion order is the JSON key order; keep it stable for consumers.
        return {
            "rule": self.rule.id,
            "severity": self.severity,
            "element": self.location.element,
            "part": self.location.part,
            "paragraph": self.location.paragraph,
            "excerpt": self.location.excerpt,
            "message": self.message,
            "count": self.count,
            "citation": self.rule.citation,
        }


# --------------------------------------------------------------------------------------------------
# Profiles


@dataclass(frozen=True)
class Profile:
    id: str
    regime: str
    name: str
    citation: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    data: dict[str, Any]

    def section(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    def element(self, key: str) -> dict[str, Any] | None:
        value = self.section("elements").get(key)
        return value if isinstance(value, dict) else None


def _raw_profile(profile_id: str) -> dict[str, Any]:
    """The profile as the generator reads it (``extends`` merged by :func:`generator.data.profile`)."""
    if profile_id not in data.profile_ids():
        raise GeneratorError(_("Unknown or circular profile “{profile}”.").format(profile=profile_id))
    return data.profile(profile_id)


@lru_cache(maxsize=None)
def load_profile(profile_id: str) -> Profile:
    raw = _raw_profile(profile_id)

    def as_date(value: object) -> dt.date | None:
        return value if isinstance(value, dt.date) else None

    return Profile(
        id=str(raw.get("id", profile_id)),
        regime=str(raw.get("regime", "party")),
        name=str(raw.get("name", profile_id)),
        citation=str(raw.get("citation", "")),
        valid_from=as_date(raw.get("valid_from")),
        valid_until=as_date(raw.get("valid_until")),
        data=raw,
    )


def profiles_of_regime(regime: str) -> list[Profile]:
    found = [load_profile(profile_id) for profile_id in data.profile_ids()]
    return sorted((p for p in found if p.regime == regime), key=lambda p: p.valid_from or dt.date.min)


def profile_for_date(regime: str, when: dt.date | None) -> Profile:
    """The profile of ``regime`` in force on ``when`` (today when the document's date is unknown): the
    generator's own selector (:func:`generator.data.profile_for`), so a document is checked under the rules
    it was built under."""
    if not profiles_of_regime(regime):
        raise GeneratorError(_("No profile for the regime “{regime}”.").format(regime=regime))
    return load_profile(data.profile_for(regime, when or dt.date.today())["id"])


def validate_choice(choice: str | None) -> None:
    if choice is not None and choice not in PROFILE_CHOICES:
        raise UsageError(_("Unknown profile “{profile}”; choose one of: {choices}.").format(
            profile=choice, choices=", ".join(PROFILE_CHOICES)))


def choose_profile(choice: str | None, detected_regime: str | None, when: dt.date | None) -> tuple[Profile, str]:
    """The profile to check against and how it was chosen: ``option``, ``detected`` or ``assumed``."""
    validate_choice(choice)
    if choice in ("party-hd36", "party-hd05", "state-nd30"):
        return load_profile(choice), "option"
    if choice == "state":
        return profile_for_date("state", when), "option"
    if choice == "party":
        return profile_for_date("party", when), "option"
    if detected_regime:
        return profile_for_date(detected_regime, when), "detected"
    # Neither title found: this tool exists for Party directives, so judge the file as one.
    return profile_for_date("party", when), "assumed"
