"""Output of ``check``: a readable report grouped by element, or JSON for programs.

Colour only when the stream is a terminal and ``NO_COLOR`` is unset (https://no-color.org); the JSON
keeps a fixed key order and sorts nothing by accident, so two runs on the same file print the same bytes.
"""

from __future__ import annotations

import json
import re
import os
from dataclasses import dataclass, field
from typing import IO, Any

from generator.check.catalog import Finding, Profile
from generator.i18n import _

# Order of the element groups in the text report: roughly top to bottom of the page.
ELEMENT_ORDER = ("page", "document", "draft_mark", "header", "party_title", "national_title", "motto", "superior", "organ",
                 "star", "number", "place_date", "subject_cv", "doc_type", "subject", "separator", "body",
                 "slogan", "signature", "authority", "signer_title", "signer_name", "noi_nhan", "recipient",
                 "page_number", "footnote")


def element_label(key: str) -> str:
    labels = {
        "page": _("Page setup"),
        "document": _("Whole document"),
        "header": _("Header"),
        "draft_mark": _("Draft mark (Dự thảo)"),
        "party_title": _("Title “ĐẢNG CỘNG SẢN VIỆT NAM”"),
        "national_title": _("Quốc hiệu"),
        "motto": _("Tiêu ngữ"),
        "superior": _("Superior organ"),
        "organ": _("Issuing organ"),
        "star": _("“*” under the organ"),
        "number": _("Number line (Số …)"),
        "place_date": _("Place and date"),
        "subject_cv": _("Trích yếu of a công văn"),
        "doc_type": _("Type name"),
        "subject": _("Trích yếu"),
        "separator": _("Separator “-----”"),
        "body": _("Body"),
        "slogan": _("Slogans"),
        "signature": _("Signature"),
        "authority": _("Signing authority"),
        "signer_title": _("Signer's title"),
        "signer_name": _("Signer's name"),
        "noi_nhan": _("“Nơi nhận:”"),
        "recipient": _("Recipient lines"),
        "page_number": _("Page number"),
        "footnote": _("Footnotes"),
    }
    return labels.get(key, key)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    profile: Profile | None = None
    profile_source: str | None = None     # option | detected | assumed
    unreadable: str | None = None         # the message, when the file could not be read
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def exit_code(self) -> int:
        if self.unreadable is not None:
            return 2
        return 1 if self.errors else 0

    @property
    def status(self) -> str:
        return {0: "conformant", 1: "non-conformant", 2: "unreadable"}[self.exit_code]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Page order: by element group, then part and paragraph; the original order breaks ties."""
    order = {key: i for i, key in enumerate(ELEMENT_ORDER)}
    return sorted(findings, key=lambda f: (order.get(f.location.element, len(order)), f.location.part != "document",
                                           f.location.part, f.location.paragraph or 0))


# --------------------------------------------------------------------------------------------------
# JSON


def as_json(results: list[FileResult]) -> str:
    out: list[dict[str, Any]] = []
    for r in results:
        out.append({
            "file": r.path,
            "status": r.status,
            "exit_code": r.exit_code,
            "profile": r.profile.id if r.profile else None,
            "profile_source": r.profile_source,
            "errors": r.errors,
            "warnings": r.warnings,
            "message": r.unreadable,
            "findings": [f.as_dict() for f in sort_findings(r.findings)],
        })
    # json escapes C0 controls itself; C1 controls (U+0080–U+009F, e.g. the one-byte CSI) too, here.
    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(out, ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------------------------------
# Text


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.enabled else text


def use_colour(stream: IO[str]) -> bool:
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# What a document's text may hold that a terminal would act on: C0/C1 controls (ESC starts a sequence that
# can erase or rewrite lines of this report), DEL, and the bidirectional overrides that reorder what is shown.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), for the terminal."""
    return _TERMINAL_UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def write_text(results: list[FileResult], stream: IO[str]) -> None:
    paint = _Style(use_colour(stream))
    for n, r in enumerate(results):
        if n:
            stream.write("\n")
        if r.unreadable is not None:
            # The message already names the file.
            stream.write(paint(shown(r.unreadable), "1;31") + "\n")
            continue
        assert r.profile is not None
        how = {"option": _("chosen with --profile"), "detected": _("detected from the document"),
               "assumed": _("assumed: neither title was found")}.get(r.profile_source or "", "")
        stream.write(paint(shown(r.path), "1") + f"  [{r.profile.id}: {r.profile.name}; {how}]\n")
        current: str | None = None
        cited: str | None = None
        for f in sort_findings(r.findings):
            if f.location.element != current:
                current = f.location.element
                cited = None
                stream.write("  " + paint(element_label(current), "1") + "\n")
            label = _("error") if f.severity == "error" else _("warning")
            severity = paint(f"{label:<8}", "31" if f.severity == "error" else "33")
            place = ""
            if f.location.paragraph is not None:
                part = "" if f.location.part == "document" else f"{f.location.part} "
                place = f"{part}¶{f.location.paragraph}"
            elif f.location.part not in ("document", ""):
                place = f.location.part
            if f.location.excerpt:
                place = f"{place} “{f.location.excerpt}”".strip()
            count = " " + _("(×{count})").format(count=f.count) if f.count > 1 else ""
            stream.write(f"    {severity} {paint(f.rule.id, '36')}  {shown(f.message)}{count}\n")
            if place:
                stream.write(f"             {shown(place)}\n")
            if f.rule.id != cited:      # one citation per run of findings of the same rule
                cited = f.rule.id
                stream.write(f"             {paint(f.rule.citation, '2')}\n")
        if r.exit_code == 0:
            verdict = paint(_("conformant"), "32")
        else:
            verdict = paint(_("not conformant"), "1;31")
        stream.write("  " + _("{errors} error(s), {warnings} warning(s): {verdict}.").format(
            errors=r.errors, warnings=r.warnings, verdict=verdict) + "\n")
