"""The checks: compare what a .docx shows (effective formatting, recognised elements) with a profile.

Numbers come from the profile (``data/profiles``), rule ids/citations/severities from the catalog
(``data/rules.yaml``). Each check reports under a *check key*; a check with no rule for the document's
regime is silently skipped (e.g. the "*" exists only for the Party).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.check.catalog import Catalog, Finding, Location, Profile, excerpt
from generator.check.recognise import (
    AUTHORITY_RE,
    DATE_RE,
    Element,
    Recognised,
    is_upper_text,
    normalise,
    type_symbols,
    upper_key,
)
from generator.i18n import _
from generator.vocab import parse_number_line
from generator.oxml.read import DocxFile, Field, Paragraph, Part, Run

# Elements whose format the profile describes, per regime, in the order they are checked.
PARTY_ELEMENTS = ("party_title", "superior", "organ", "number", "place_date", "subject_cv", "doc_type", "subject",
                  "authority", "signer_title", "signer_name", "noi_nhan")
STATE_ELEMENTS = ("national_title", "motto", "superior", "organ", "number", "place_date", "subject_cv", "doc_type",
                  "subject", "authority", "signer_title", "signer_name", "noi_nhan")
# Elements that are not "upright" by default (their italic setting is whatever the profile says, if anything).
_NO_ITALIC_DEFAULT = {"footnote", "subject_cv"}

_STRUCTURE_RE = re.compile(r"^(Phần|Chương|Mục|Điều)\b", re.IGNORECASE)
_ACADEMIC_RE = re.compile(r"^(GS|PGS|TS|ThS|KS|BS|CN|Thạc sĩ|Tiến sĩ|Giáo sư|Phó giáo sư)\b\.?", re.IGNORECASE)
_CAP_UY_RE = re.compile(r"(ỦY|UỶ|CHI BỘ|BAN CHẤP HÀNH|ĐẢNG BỘ)")
_OLD_TONE_RE = re.compile(r"(?<![qQ])(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])$")
_NEW_TONE_RE = re.compile(r"(?<![qQ])([òóỏõọ]a|[òóỏõọ]e|[ùúủũụ]y)$")

DASHES = ("-", "–", "‐", "−")
TOL = 0.05   # points: rounding noise of twips/half-points


def fmt_num(value: float) -> str:
    """20.0 → "20", 12.7 → "12.7" (numbers in messages the way a clerk types them)."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def fmt_list(values: Iterable[float]) -> str:
    return ", ".join(fmt_num(v) for v in values)


def alignment_name(value: str) -> str:
    return {"left": _("left"), "center": _("centred"), "right": _("right"), "both": _("justified")}.get(value, value)


def font_slots(text: str) -> set[str]:
    """Which rFonts slot Word uses for the characters of ``text`` (Vietnamese letters: hAnsi)."""
    slots: set[str] = set()
    for ch in text:
        if ch.isspace():
            continue
        o = ord(ch)
        if o < 0x80:
            slots.add("ascii")
        elif 0x0590 <= o <= 0x08FF or 0x0E00 <= o <= 0x0E7F:
            slots.add("cs")
        elif 0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF:
            slots.add("eastAsia")
        else:
            slots.add("hAnsi")
    return slots


def _number(spec: dict[str, object], key: str, default: float) -> float:
    value = spec.get(key, default)
    return float(value) if isinstance(value, (int, float)) else default


def _sizes(spec: dict[str, object], default: float) -> list[float]:
    """``allowed_sizes`` of a profile entry, else its ``size``, else ``default``."""
    allowed = spec.get("allowed_sizes")
    if isinstance(allowed, list):
        return [float(s) for s in allowed]
    return [_number(spec, "size", default)]


def _visible(runs: Iterable[Run]) -> list[Run]:
    return [r for r in runs if r.text.strip()]


@dataclass
class _Group:
    """Findings of one kind over many paragraphs, reported once with the first place and a count."""

    location: Location
    message: str
    severity: str | None
    count: int = 1


@dataclass
class Checker:
    doc: DocxFile
    rec: Recognised
    profile: Profile
    catalog: Catalog
    findings: list[Finding] = field(default_factory=list)
    _groups: dict[tuple[str, str], _Group] = field(default_factory=dict)

    # ---- reporting

    @property
    def regime(self) -> str:
        return self.profile.regime

    def applies(self, check: str) -> bool:
        return self.catalog.rule(check, self.regime) is not None

    def report(self, check: str, location: Location, message: str, severity: str | None = None,
               count: int = 1) -> None:
        rule = self.catalog.rule(check, self.regime)
        if rule is None:
            return
        self.findings.append(Finding(rule, severity or rule.severity, location, message, count))

    def report_grouped(self, check: str, group_key: str, location: Location, message: str,
                       severity: str | None = None) -> None:
        key = (check, group_key)
        if key in self._groups:
            self._groups[key].count += 1
        else:
            self._groups[key] = _Group(location, message, severity)

    def flush_groups(self) -> None:
        for (check, _key), group in self._groups.items():
            self.report(check, group.location, group.message, group.severity, group.count)
        self._groups.clear()

    def where(self, element: str, paragraph: Paragraph | None, text: str | None = None) -> Location:
        if paragraph is None:
            return Location(element, "document", None, excerpt(text or ""))
        return Location(element, paragraph.part, paragraph.index,
                        excerpt(text if text is not None else paragraph.text))

    def where_el(self, el: Element) -> Location:
        return self.where(el.key, el.paragraph, el.text)

    # ---- entry point

    def run(self) -> list[Finding]:
        self.check_page()
        self.check_page_number()
        self.check_fonts()
        self.check_regime_mix()
        self.check_presence()
        self.check_element_formats()
        self.check_title_rule()
        self.check_organ_mark()
        self.check_number()
        self.check_date()
        self.check_draft()
        self.check_subject()
        self.check_separator()
        self.check_body()
        self.check_signature()
        self.check_closing_kept()
        self.check_recipients()
        self.check_footnotes()
        self.check_tone_marks()
        self.flush_groups()
        return self.findings

    # ---- page setup

    def check_page(self) -> None:
        page = self.profile.section("page")
        tol = float(page.get("margin_tolerance_mm", 0.5))
        for sec in self.doc.sections:
            loc = Location("page", "document", None,
                           _("section {number}").format(number=sec.index) if len(self.doc.sections) > 1 else "")
            w, h = sec.page_width_mm, sec.page_height_mm
            want_w, want_h = float(page.get("width_mm", 210)), float(page.get("height_mm", 297))
            if w and h:
                short, long_ = sorted((w, h))
                portrait_needed = sec.index == 1   # later sections may turn a wide table sideways
                if abs(short - want_w) > 1 or abs(long_ - want_h) > 1 or (portrait_needed and w > h):
                    self.report("page.size", loc, _("The paper is {width} × {height} mm; the profile wants A4 "
                                                    "portrait ({expected_width} × {expected_height} mm).").format(
                        width=fmt_num(w), height=fmt_num(h), expected_width=fmt_num(want_w),
                        expected_height=fmt_num(want_h)))
            names = {"top": _("Top margin"), "bottom": _("Bottom margin"), "left": _("Left margin"),
                     "right": _("Right margin")}
            for side in ("top", "bottom", "left", "right"):
                value = sec.margins_mm.get(side)
                expected = page.get(f"margin_{side}_mm")
                if value is None or expected is None:
                    continue
                if side == "left":
                    value += sec.margins_mm.get("gutter", 0.0)   # the gutter widens the inner margin
                high = page.get(f"margin_{side}_max_mm")
                if high is not None:
                    if not float(expected) - tol <= value <= float(high) + tol:
                        self.report(f"page.margin.{side}", loc, _("{side} is {value} mm; the profile wants "
                                                                  "{low}–{high} mm.").format(
                            side=names[side], value=fmt_num(value), low=fmt_num(float(expected)),
                            high=fmt_num(float(high))))
                elif abs(value - float(expected)) > tol:
                    self.report(f"page.margin.{side}", loc, _("{side} is {value} mm; the profile wants {expected} mm.")
                                .format(side=names[side], value=fmt_num(value), expected=fmt_num(float(expected))))

    # ---- page numbers

    @staticmethod
    def _page_fields(part: Part) -> list[tuple[Paragraph, Field]]:
        return [(p, f) for p in part.paragraphs for f in p.fields if f.name == "PAGE"]

    def check_page_number(self) -> None:
        if not self.doc.sections:
            return
        first = self.doc.sections[0]
        numbered_headers: list[str] = []
        for sec in self.doc.sections:
            for kind in ("default", "even"):
                name = sec.headers.get(kind)
                if name and name in self.doc.headers and self._page_fields(self.doc.headers[name]):
                    if name not in numbered_headers:
                        numbered_headers.append(name)
        in_footer = any(self._page_fields(part) for part in self.doc.footers.values())
        loc = Location("page_number", "document", None, "")
        if not numbered_headers:
            if in_footer:
                self.report("page.number", loc, _("The page number is in the footer; the profile puts it in the "
                                                  "header, in the top margin."))
            else:
                many = (self.doc.pages or 0) > 1
                self.report("page.number", loc,
                            _("No page number (PAGE field) in the header.") if many else
                            _("No page number (PAGE field) in the header; one is needed from page 2 on."),
                            severity=None if many else "warning")
            return
        default = first.headers.get("default")
        if not first.title_page and default in numbered_headers:
            self.report("page.number.first", Location("page_number", default or "", None, ""),
                        _("Page 1 shows a page number: “Different first page” is off for the first section."))
        first_header = first.headers.get("first")
        if first.title_page and first_header in self.doc.headers and self._page_fields(self.doc.headers[first_header]):
            self.report("page.number.first", Location("page_number", first_header or "", None, ""),
                        _("The first-page header also has a page number."))
        spec = self.profile.element("page_number") or {}
        allowed = _sizes(spec, 14)
        for name in numbered_headers:
            for p, f in self._page_fields(self.doc.headers[name]):
                where = Location("page_number", name, p.index, excerpt(p.text))
                want_align = spec.get("align", "center")
                if p.format.alignment != want_align:
                    self.report("page.number.format", where, _("The page number is aligned {actual}; the profile "
                                                               "wants it {expected}.").format(
                        actual=alignment_name(p.format.alignment), expected=alignment_name(want_align)))
                runs = f.display_runs
                sizes = sorted({r.format.size_pt for r in runs})
                bad = [s for s in sizes if not any(abs(s - a) < TOL for a in allowed)]
                if bad:
                    self.report("page.number.format", where, _("The page number is size {value}; the profile wants "
                                                               "{expected}.").format(value=fmt_list(sizes),
                                                                                     expected=fmt_list(allowed)))
                if any(r.format.italic for r in runs):
                    self.report("page.number.format", where, _("The page number is italic; the profile wants it "
                                                               "upright."))
        distance = first.margins_mm.get("header")
        want = self.profile.section("page").get("header_distance_mm")
        if distance is not None and want is not None and abs(distance - float(want)) > 1.0:
            self.report("page.number.position", Location("page_number", "document", None, ""),
                        _("The header starts {value} mm from the top edge; the profile wants {expected} mm.")
                        .format(value=fmt_num(distance), expected=fmt_num(float(want))))

    # ---- fonts (every run of every part)

    def check_fonts(self) -> None:
        font = self.profile.section("font")
        wanted = str(font.get("name", "Times New Roman"))
        legacy = tuple(str(x).casefold() for x in font.get("legacy_prefixes", [".Vn", "VNI-", "VNI "]))
        for part in self.doc.all_parts():
            for p in part.paragraphs:
                for run in _visible(p.runs):
                    for slot in sorted(font_slots(run.text)):
                        self._check_run_font(p, run, slot, wanted, legacy)

    def _check_run_font(self, p: Paragraph, run: Run, slot: str, wanted: str, legacy: tuple[str, ...]) -> None:
        face = run.format.fonts.get(slot)
        theme = run.format.theme_fonts.get(slot)
        loc = Location("document", p.part, p.index, excerpt(p.text))
        if face and face.casefold().startswith(legacy):
            self.report_grouped("font.legacy", face, loc, _("Text is in the legacy font “{font}” (TCVN3/VNI, not "
                                                            "Unicode).").format(font=face))
        elif theme:
            if face and face.casefold() == wanted.casefold():
                self.report_grouped("font.theme", f"{theme}:{face}", loc,
                                    _("Text takes its font from the Office theme ({theme} → {font}); name {wanted} "
                                      "explicitly so that another theme cannot change it.").format(
                                        theme=theme, font=face, wanted=wanted), severity="warning")
            else:
                self.report_grouped("font.theme", f"{theme}:{face}", loc,
                                    _("Text takes its font from the Office theme ({theme} → {font}), not {wanted}.")
                                    .format(theme=theme, font=face or "?", wanted=wanted))
        elif face and face.casefold() != wanted.casefold():
            self.report_grouped("font.family", face, loc, _("Text is in “{font}”, not {wanted}.").format(
                font=face, wanted=wanted))

    # ---- regimes

    def check_regime_mix(self) -> None:
        rec = self.rec
        if self.regime == "party":
            for el in (rec.national_title, rec.motto):
                if el is not None:
                    self.report("regime.mixed", self.where_el(el), _("A Party document carries the State "
                                                                     "Quốc hiệu/Tiêu ngữ."))
        elif rec.party_title is not None:
            self.report("regime.mixed", self.where_el(rec.party_title), _("A State document carries the Party "
                                                                          "title “ĐẢNG CỘNG SẢN VIỆT NAM”."))

    # ---- presence

    def check_presence(self) -> None:
        rec = self.rec
        none = Location("header", "document", None, "")
        if self.regime == "party":
            if rec.party_title is None:
                self.report("present.title", none, _("No “ĐẢNG CỘNG SẢN VIỆT NAM” title at the top of page 1."))
            elif rec.party_title.segments[0].side == "left":
                self.report("present.title", self.where_el(rec.party_title),
                            _("The title is in the left block; it belongs at the top right."))
        elif rec.national_title is None or rec.motto is None:
            self.report("present.title", none, _("No Quốc hiệu and Tiêu ngữ at the top right of page 1."))
        if rec.organ is None:
            self.report("present.organ", none, _("No issuing organ found at the top left of page 1."))
        if rec.number is None:
            self.report("present.number", none, _("No number line (“Số …”) found in the header."))
        if rec.place_date is None:
            self.report("present.place_date", none, _("No place and date line (“…, ngày … tháng … năm …”) found "
                                                      "in the header."))
        if rec.doc_type is None and rec.subject_cv is None:
            self.report("present.doc_type", Location("doc_type", "document", None, ""),
                        _("No document type name (HƯỚNG DẪN, KẾ HOẠCH…) under the header, and no công văn "
                          "trích yếu under the number."))
        if rec.authority is None and rec.signer_title is None and rec.signer_name is None:
            self.report("present.signature", Location("signature", "document", None, ""),
                        _("No signature block (authority, title, name) found after the body."))
        if rec.noi_nhan is None:
            self.report("present.noi_nhan", Location("noi_nhan", "document", None, ""),
                        _("No “Nơi nhận:” block found."))

    # ---- element formats (case, size, bold, italic, underline, alignment)

    def check_element_formats(self) -> None:
        keys = PARTY_ELEMENTS if self.regime == "party" else STATE_ELEMENTS
        for key in keys:
            el = getattr(self.rec, key)
            if el is not None:
                self.check_format(el, key)
        if self.rec.recipients:
            combined = Element("recipient", [s for el in self.rec.recipients for s in el.segments])
            self.check_format(combined, "recipient")

    def check_format(self, el: Element, key: str, check: str | None = None) -> None:
        spec = self.profile.element(key)
        check = check or f"format.{key}"
        if spec is None or not self.applies(check):
            return
        runs = _visible(el.runs)
        if not runs:
            return
        loc = self.where_el(el)
        allowed = _sizes(spec, 0) if ("allowed_sizes" in spec or "size" in spec) else []
        if allowed:
            sizes = sorted({r.format.size_pt for r in runs})
            if any(not any(abs(s - a) < TOL for a in allowed) for s in sizes):
                self.report(check, loc, _("Size {value}; the profile wants {expected}.").format(
                    value=fmt_list(sizes), expected=fmt_list(allowed)))
        bold = spec.get("bold")
        if key == "signer_title" and self.rec.authority is None:
            # A head signing directly has no authority line, so the title stands where the (bold) authority
            # line stands; the sources only say that a title *under* an authority line is not bold.
            bold = None
        for prop, want in (("bold", bold),
                           ("italic", spec.get("italic", None if key in _NO_ITALIC_DEFAULT else False)),
                           ("underline", spec.get("underline"))):
            if want is None:
                continue
            actual = [bool(r.format.underline) if prop == "underline" else bool(getattr(r.format, prop)) for r in runs]
            if all(a == want for a in actual):
                continue
            partly = any(a == want for a in actual)
            messages = {
                ("bold", True): _("Not bold; the profile wants bold."),
                ("bold", False): _("Bold; the profile wants it not bold."),
                ("italic", True): _("Not italic; the profile wants italic."),
                ("italic", False): _("Italic; the profile wants it upright."),
                ("underline", True): _("Not underlined; the profile wants it underlined."),
                ("underline", False): _("Underlined; the profile wants no underline."),
            }
            message = messages[(prop, bool(want))]
            if partly:
                message = _("Partly: {message}").format(message=message)
            self.report(check, loc, message)
        if spec.get("caps") and not is_upper_text(el.text) and not all(r.format.caps for r in runs):
            self.report(check, loc, _("Not in capitals; the profile wants IN HOA."))
        want_align = spec.get("align")
        if want_align and all(s.whole for s in el.segments):
            wrong = {s.paragraph.format.alignment for s in el.segments} - {want_align}
            if wrong:
                self.report(check, loc, _("Aligned {actual}; the profile wants it {expected}.").format(
                    actual=", ".join(alignment_name(a) for a in sorted(wrong)), expected=alignment_name(want_align)))

    # ---- rules under the title (and the organ, State) / the "*" (Party)

    def _scope(self, el: Element) -> list[Paragraph]:
        """Paragraphs of the header block on the element's side (its table cell column, or the whole header)."""
        p = el.paragraph
        table = self.rec.header_table
        if table is not None and p.cell is not None:
            return [q for c in table.cells if c.position.column == p.cell.column for q in c.paragraphs]
        return list(self.rec.header_paragraphs)

    def _rule_under(self, el: Element, min_shapes: int = 1) -> bool:
        scope = self._scope(el)
        last = el.segments[-1].paragraph
        if last.format.border_bottom:
            return True
        ids = [id(q) for q in scope]
        if id(last) in ids:
            i = ids.index(id(last))
            if i + 1 < len(scope):
                nxt = scope[i + 1]
                if nxt.format.border_top or (not normalise(nxt.text) and nxt.format.border_bottom):
                    return True
        table = self.rec.header_table
        if table is not None and last.cell is not None:
            for cell in table.cells:
                if cell.border_bottom and any(q is last for q in cell.paragraphs):
                    return True
        shapes = sum(len(q.line_shapes) for q in scope)
        return shapes >= min_shapes

    def check_title_rule(self) -> None:
        el = self.rec.party_title if self.regime == "party" else self.rec.motto
        if el is None:
            return
        if self.regime == "party":
            found = self._rule_under(el)
        else:
            # In a paragraph-layout header one drawn line may be the organ's rule: ask for two.
            found = self._rule_under(el, 1 if self.rec.header_table is not None else 2) or self._rule_under(el, 1)
        if not found:
            underlined = any(r.format.underline for r in _visible(el.runs))
            self.report("title.rule", self.where_el(el),
                        _("The title is underlined instead of having a rule (border or line) under it.")
                        if underlined else _("No rule (paragraph border or line shape) under the title."))

    def check_organ_mark(self) -> None:
        rec = self.rec
        if rec.organ is None:
            return
        if self.regime == "party":
            if rec.star is None:
                rule = self._rule_under(rec.organ) and rec.header_table is not None
                self.report("organ.star", self.where_el(rec.organ),
                            _("No “*” under the issuing organ; there is a rule instead (NĐ 30 style).") if rule
                            else _("No “*” under the issuing organ."))
                return
            left = rec.left_segments
            last_organ = rec.organ.segments[-1]
            ids = [id(s) for s in left]
            if id(last_organ) in ids:
                i = ids.index(id(last_organ))
                if i + 1 >= len(left) or left[i + 1] is not rec.star.segments[0]:
                    self.report("organ.star", self.where_el(rec.star),
                                _("The “*” is not directly under the issuing organ."))
            seg = rec.star.segments[0]
            if seg.whole and seg.paragraph.format.alignment != "center":
                self.report("organ.star", self.where_el(rec.star), _("The “*” is aligned {actual}, not centred.")
                            .format(actual=alignment_name(seg.paragraph.format.alignment)))
        else:
            if rec.star is not None:
                self.report("organ.rule", self.where_el(rec.star),
                            _("A Party “*” under the organ, where NĐ 30 wants a short rule."))
            elif not self._rule_under(rec.organ):
                self.report("organ.rule", self.where_el(rec.organ), _("No rule under the issuing organ."))

    # ---- number line

    def check_number(self) -> None:
        el = self.rec.number
        if el is None:
            return
        text = el.text
        m = re.match(r"^Số\s*(?P<colon>:)?\s*(?P<rest>.*)$", text, re.IGNORECASE)
        if not m:
            return
        loc = self.where_el(el)
        colon = bool(m.group("colon"))
        if self.regime == "party" and colon:
            self.report("number.colon", loc, _("“Số:” has a colon; Party documents write “Số 98-HD/…” without one."))
        elif self.regime == "state" and not colon:
            self.report("number.colon", loc, _("“Số” has no colon; NĐ 30 writes “Số: 15/QĐ-UBND”."))
        rest = m.group("rest")
        form = re.match(r"^(?P<num>[0-9]*)[\s.…_]*(?P<sep>[-/])\s*(?P<symbol>\S.*)$", rest)
        if not form:
            self.report("number.form", loc, _("Cannot read the number and symbol in “{text}”.").format(text=text))
            return
        num, sep, symbol = form.group("num"), form.group("sep"), form.group("symbol").strip()
        if num and len(num) < 2 and int(num) < 10:
            self.report("number.form", loc, _("Number {number} is below 10 and needs a leading 0 (“0{number}”).")
                        .format(number=num))
        if " " in symbol:
            self.report("number.form", loc, _("The symbol “{symbol}” contains spaces.").format(symbol=symbol))
        type_symbol = ""
        if self.regime == "party":
            if sep == "/" or "/" not in symbol:
                self.report("number.form", loc, _("“{text}” is written State-style; Party documents write "
                                                  "number-TYPE/ORGAN, e.g. “Số 15-NQ/TU”.").format(text=text))
            else:
                type_symbol = symbol.split("/", 1)[0]
        else:
            if sep == "-" and "/" in symbol:
                self.report("number.form", loc, _("“{text}” is written Party-style; NĐ 30 writes number/TYPE-ORGAN, "
                                                  "e.g. “Số: 15/QĐ-UBND”.").format(text=text))
        doc_type = self.rec.doc_type
        if type_symbol and doc_type is not None:
            wanted = type_symbols().get(upper_key(doc_type.text))
            if wanted and type_symbol not in wanted:
                self.report("number.type_symbol", loc, _("The type symbol is “{symbol}”, but a {type} uses {expected}.")
                            .format(symbol=type_symbol, type=doc_type.text, expected=" / ".join(sorted(wanted))))

    # ---- a draft

    def check_draft(self) -> None:
        """A draft (its mark, a blank number, a blank day or month) is not yet a document that can be sent."""
        rec = self.rec
        if rec.draft_mark is not None:
            self.report("draft", self.where_el(rec.draft_mark), _("“{text}”: the document is a draft; issue it "
                                                                  "(gen-directive issue) before sending it.").format(text=rec.draft_mark.text))
            return
        if rec.number is not None:
            number = parse_number_line(rec.number.text)
            if number is not None and not number.number:
                self.report("draft", self.where_el(rec.number), _("The number is left blank: the document is a draft, "
                                                                  "not yet issued."))
                return
        if rec.place_date is not None:
            m = DATE_RE.match(rec.place_date.text)
            if m and (not m.group("day") or not m.group("month")):
                self.report("draft", self.where_el(rec.place_date), _("The date is left blank: the document is a "
                                                                      "draft, not yet issued."))

    # ---- place and date

    def check_date(self) -> None:
        el = self.rec.place_date
        if el is None:
            return
        m = DATE_RE.match(el.text)
        if not m:
            return
        loc = self.where_el(el)
        place = m.group("place").strip()
        if place and not m.group("comma"):
            self.report("date.form", loc, _("No comma after the place name “{place}”.").format(place=place))
        pad_months = {int(x) for x in self.profile.section("date_line").get("zero_pad_months", [1, 2])}
        day, month, year = m.group("day"), m.group("month"), m.group("year")
        if day:
            d = int(day) if len(day) <= 9 else 10 ** 9  # digits beyond are never a day (and int() has limits)
            if 1 <= d <= 9 and len(day) != 2:
                self.report("date.form", loc, _("“ngày {day}”: days 1–9 take a leading 0 (“ngày 0{value}”).")
                            .format(day=day, value=d))
            elif len(day) > 2 or (d >= 10 and day.startswith("0")):
                self.report("date.form", loc, _("“ngày {day}” is not a day of the month.").format(day=day))
        if month:
            mo = int(month) if len(month) <= 9 else 10 ** 9
            if mo in pad_months and len(month) != 2:
                self.report("date.form", loc, _("“tháng {month}”: months {months} take a leading 0 (“tháng 0{value}”).")
                            .format(month=month, months=" and ".join(str(x) for x in sorted(pad_months)), value=mo))
            elif mo not in pad_months and month.startswith("0"):
                self.report("date.form", loc, _("“tháng {month}”: only months {months} take a leading 0; write "
                                                "“tháng {value}”.").format(
                    month=month, months=" and ".join(str(x) for x in sorted(pad_months)), value=mo))
        if day and month and year.isdigit():
            try:
                dt.date(int(year), int(month), int(day))
            except (ValueError, OverflowError):
                self.report("date.form", loc, _("“{text}” is not a real date.").format(text=el.text))

    # ---- trích yếu, separator

    def check_subject(self) -> None:
        el = self.rec.subject_cv
        if el is not None and self.regime == "party" and re.match(r"^V/v\b", el.text, re.IGNORECASE):
            self.report("subject.vv", self.where_el(el), _("The trích yếu starts with “V/v” (NĐ 30); a Party công "
                                                           "văn writes the subject directly."))

    def check_separator(self) -> None:
        if self.regime != "party" or self.rec.doc_type is None:
            return
        spec = self.profile.element("separator") or {}
        want = str(spec.get("text", "-----"))
        el = self.rec.separator
        anchor = self.rec.subject or self.rec.doc_type
        if el is None:
            shape = any(p.line_shapes or p.format.border_bottom for p in self.rec.after_subject)
            message = (_("No “{text}” under the trích yếu; there is a drawn rule instead (NĐ 30 style).") if shape
                       else _("No “{text}” under the trích yếu."))
            self.report("separator", self.where_el(anchor), message.format(text=want))
            return
        text = el.text.replace(" ", "")
        if text != want:
            self.report("separator", self.where_el(el), _("The separator is “{actual}”; the profile wants “{text}”.")
                        .format(actual=text, text=want))
        seg = el.segments[0]
        if seg.whole and seg.paragraph.format.alignment != "center":
            self.report("separator", self.where_el(el), _("The separator is aligned {actual}, not centred.")
                        .format(actual=alignment_name(seg.paragraph.format.alignment)))

    # ---- body

    @staticmethod
    def is_heading(p: Paragraph) -> bool:
        text = normalise(p.text)
        runs = _visible(p.runs)
        if is_upper_text(text) or _STRUCTURE_RE.match(text):
            return True
        return bool(runs) and all(r.format.bold for r in runs) and len(text) <= 160

    def check_body(self) -> None:
        body = self.rec.body
        if not body:
            return
        spec = self.profile.section("body")
        self._body_line_spacing(body, spec)
        self._body_spacing(body, spec)
        text_paras = [p for p in body if not self.is_heading(p)]
        self._body_indent_align(text_paras, spec)
        self._body_sizes(body, text_paras, spec)

    def _body_line_spacing(self, body: list[Paragraph], spec: dict[str, object]) -> None:
        low = _number(spec, "line_spacing_min_pt", 0)
        high = _number(spec, "line_spacing_max_pt", 0) if spec.get("line_spacing_max_pt") is not None else None
        rule_names = {"auto": _("Multiple/Single"), "exact": _("Exactly"), "atLeast": _("At least")}
        for p in body:
            f = p.format
            loc = self.where("body", p)
            key = f"{f.line_rule}:{f.line_value}"
            if self.regime == "party":
                if f.line_rule != "exact":
                    self.report_grouped("body.line_spacing", key, loc, _(
                        "Line spacing is “{rule}” {value}; the profile wants “Exactly” at least {expected} pt.").format(
                        rule=rule_names.get(f.line_rule, f.line_rule),
                        value=fmt_num(f.line_value) + ("" if f.line_rule == "auto" else " pt"), expected=fmt_num(low)))
                elif f.line_value < low - TOL:
                    self.report_grouped("body.line_spacing", key, loc, _(
                        "Line spacing is exactly {value} pt; the profile wants at least {expected} pt.").format(
                        value=fmt_num(f.line_value), expected=fmt_num(low)))
                elif high is not None and f.line_value > high + TOL:
                    self.report_grouped("body.line_spacing", key, loc, _(
                        "Line spacing is exactly {value} pt; the profile wants at most {expected} pt.").format(
                        value=fmt_num(f.line_value), expected=fmt_num(high)), severity="warning")
            else:
                if f.line_rule == "auto":
                    ok = 1.0 - 0.01 <= f.line_value <= 1.5 + 0.01
                    shown = _("{value} lines").format(value=fmt_num(f.line_value))
                else:
                    ok = low - TOL <= f.line_value <= (high if high is not None else 99) + TOL
                    shown = f"{fmt_num(f.line_value)} pt"
                if not ok:
                    self.report_grouped("body.line_spacing", key, loc, _(
                        "Line spacing is {value}; the profile wants single to 1.5 lines.").format(value=shown))

    def _body_spacing(self, body: list[Paragraph], spec: dict[str, object]) -> None:
        want = _number(spec, "space_after_pt", 6)
        for p, nxt in zip(body, body[1:]):
            same_style = p.style_id == nxt.style_id
            after = 0.0 if p.format.contextual_spacing and same_style else p.format.space_after_pt
            before = 0.0 if nxt.format.contextual_spacing and same_style else nxt.format.space_before_pt
            # Word adds the space after one paragraph to the space before the next.
            gap = after + before
            if gap < want - TOL:
                self.report_grouped("body.space_after", fmt_num(gap), self.where("body", p), _(
                    "{value} pt between paragraphs; the profile wants at least {expected} pt.").format(
                    value=fmt_num(gap), expected=fmt_num(want)))

    def _body_indent_align(self, paras: list[Paragraph], spec: dict[str, object]) -> None:
        wanted = [_number(spec, "first_line_indent_mm", 10)]
        if spec.get("first_line_indent_alt_mm") is not None:
            wanted.append(_number(spec, "first_line_indent_alt_mm", 12.7))
        tol = _number(spec, "indent_tolerance_mm", 1.5)
        align = str(spec.get("align", "both"))
        for p in paras:
            value = p.format.first_line_indent_mm
            if not any(abs(value - w) <= tol for w in wanted):
                self.report_grouped("body.indent", fmt_num(value), self.where("body", p), _(
                    "First-line indent {value} mm; the profile wants about {expected} mm.").format(
                    value=fmt_num(value), expected=_(" or ").join(fmt_num(w) for w in wanted)))
            if p.format.alignment != align:
                self.report_grouped("body.align", p.format.alignment, self.where("body", p), _(
                    "Aligned {actual}; the profile wants {expected}.").format(
                    actual=alignment_name(p.format.alignment), expected=alignment_name(align)))

    def _body_sizes(self, body: list[Paragraph], text_paras: list[Paragraph], spec: dict[str, object]) -> None:
        allowed = _sizes(spec, 14)
        for p in body:
            for size in sorted({r.format.size_pt for r in _visible(p.runs)}):
                if not any(abs(size - a) < TOL for a in allowed):
                    self.report_grouped("body.size", fmt_num(size), self.where("body", p), _(
                        "Body text at size {value}; the profile allows {expected}.").format(
                        value=fmt_num(size), expected=fmt_list(allowed)))
        # Consistency among allowed sizes (a wrong size is already reported above).
        weight: dict[float, int] = {}
        for p in text_paras:
            for r in _visible(p.runs):
                if any(abs(r.format.size_pt - a) < TOL for a in allowed):
                    weight[r.format.size_pt] = weight.get(r.format.size_pt, 0) + len(r.text)
        if len(weight) > 1:
            main = max(weight, key=lambda s: weight[s])
            for p in text_paras:
                odd = {r.format.size_pt for r in _visible(p.runs)} & (set(weight) - {main})
                for size in sorted(odd):
                    self.report_grouped("body.size_consistent", fmt_num(size), self.where("body", p), _(
                        "Body text at size {value} while most of the body is {main}.").format(
                        value=fmt_num(size), main=fmt_num(main)))

    # ---- signature

    def check_signature(self) -> None:
        rec = self.rec
        if rec.authority is not None:
            m = AUTHORITY_RE.match(rec.authority.text)
            if m:
                prefix = m.group(1)
                allowed = [a for a in self.profile.data.get("signature_authorities", []) if a]
                forbidden = list(self.profile.data.get("forbidden_authorities", []))
                if prefix in forbidden or (allowed and prefix not in allowed):
                    message = (_("“{prefix}” is not a Party form; Party documents sign with {allowed}")
                               if self.regime == "party" else
                               _("“{prefix}” is not a State form; NĐ 30 documents sign with {allowed}"))
                    self.report("signature.authority", self.where_el(rec.authority), message.format(
                        prefix=prefix, allowed=", ".join(allowed)))
                rest = upper_key(m.group("rest"))
                organ = upper_key(rec.organ.text) if rec.organ is not None else ""
                if prefix == "K/T" and rest.startswith("BÍ THƯ") and (not organ or _CAP_UY_RE.search(organ)):
                    self.report("signature.kt_bi_thu", self.where_el(rec.authority), _(
                        "“K/T BÍ THƯ” on a cấp ủy document; a deputy signs “T/M …” with the title “PHÓ BÍ THƯ”."))
        if rec.signer_name is not None and _ACADEMIC_RE.match(rec.signer_name.text):
            self.report("signature.academic", self.where_el(rec.signer_name), _(
                "An academic title or rank before the name: “{name}”.").format(name=rec.signer_name.text))

    # ---- the closing kept together

    def check_closing_kept(self) -> None:
        """The signature block (authority, title, name) must not split across pages: the table row that holds
        it cannot split (w:cantSplit), or, typed as paragraphs, each line before the name keeps with the next."""
        rec = self.rec
        signature = [el for el in (rec.authority, rec.signer_title, rec.signer_name) if el is not None]
        if not signature:
            return
        held = {id(seg.paragraph) for el in signature for seg in el.segments}
        name = signature[-1].segments[-1].paragraph
        # every signature line before the name keeps with the next: the block holds together even in a row
        # that may split
        kept = all(seg.paragraph.format.keep_next for el in signature for seg in el.segments if seg.paragraph is not name)
        for table in rec.closing_tables:
            for row, split in zip(table.rows, table.cant_split or [False] * len(table.rows)):
                if split or kept or not any(id(p) in held for cell in row for p in cell.paragraphs):
                    continue
                self.report("closing.kept", self.where_el(signature[0]), _(
                    "The row of the signature table may split across pages (no “Do not break row” / w:cantSplit): "
                    "the signer's name can end up alone on the next page."))
                return
        loose = [p for p in rec.closing_paragraphs if id(p) in held and p is not name and not p.format.keep_next]
        if loose:
            self.report("closing.kept", self.where(signature[0].key, loose[0]), _(
                "The signature lines are not kept with the next line (“Keep with next”): the signer's name can end "
                "up alone on the next page."))

    # ---- recipients

    def check_recipients(self) -> None:
        rec = self.rec
        if not rec.recipients:
            return
        spec = self.profile.element("recipient") or {}
        line_end = str(spec.get("line_end", ","))
        last_end = str(spec.get("last_end", "."))
        lines = rec.recipients
        for i, el in enumerate(lines):
            text = el.text
            bullet = (el.paragraph.list_label or "").strip() in DASHES
            if not (text.startswith("-") or bullet):
                self.report_grouped("recipients.punctuation", "dash", self.where_el(el),
                                    _("Recipient lines start with “- ”."))
            want = last_end if i == len(lines) - 1 else line_end
            if not text.endswith(want):
                key = "last" if i == len(lines) - 1 else "line"
                self.report_grouped("recipients.punctuation", key, self.where_el(el), _(
                    "The line ends with “{actual}”; the profile wants “{expected}”.").format(
                    actual=text[-1:] if text else "", expected=want))
        last = lines[-1]
        last_text = re.sub(r"^[-–•]\s*", "", last.text)
        archive = re.match(r"^Lưu\b\s*(?P<colon>:)?(?P<rest>.*)$", last_text)
        if self.regime == "party":
            storage = [el for el in lines if re.match(r"^Lưu\b", re.sub(r"^[-–•]\s*", "", el.text))]
            for el in storage:
                body = re.sub(r"^[-–•]\s*", "", el.text)
                if re.match(r"^Lưu\s*:", body) or re.search(r"\bVT\b", body):
                    self.report("recipients.archive", self.where_el(el), _(
                        "“{text}” is NĐ 30's storage line; Party documents write “- Lưu …” (e.g. “- Lưu Văn phòng.”) "
                        "without a colon or “VT”.").format(text=el.text))
            if archive is None:
                self.report_grouped("recipients.punctuation", "archive", self.where_el(last), _(
                    "The last recipient line should be the storage line “- Lưu ….”."))
        else:
            if archive is None or not archive.group("colon") or not re.search(r"\bVT\b", archive.group("rest")):
                self.report("recipients.archive", self.where_el(last), _(
                    "The last recipient line should be “- Lưu: VT, …”."))

    # ---- footnotes

    def check_footnotes(self) -> None:
        spec = self.profile.element("footnote")
        if spec is None:
            return
        allowed = _sizes(spec, 12)
        for note in self.doc.footnotes:
            for p in note.paragraphs:
                for size in sorted({r.format.size_pt for r in _visible(p.runs)}):
                    if not any(abs(size - a) < TOL for a in allowed):
                        self.report_grouped("format.footnote", fmt_num(size), Location(
                            "footnote", "footnotes", p.index, excerpt(p.text)), _(
                            "Footnote text at size {value}; the profile allows {expected}.").format(
                            value=fmt_num(size), expected=fmt_list(allowed)))

    # ---- tone marks

    def check_tone_marks(self) -> None:
        old: dict[str, tuple[Paragraph, int]] = {}
        new: dict[str, tuple[Paragraph, int]] = {}
        for part in self.doc.all_parts():
            for p in part.paragraphs:
                for word in re.findall(r"[^\W\d_]+", normalise(p.text).lower()):
                    if _OLD_TONE_RE.search(word):
                        old.setdefault(word, (p, 0))
                    elif _NEW_TONE_RE.search(word):
                        new.setdefault(word, (p, 0))
        if old and new:
            p_old = next(iter(old.values()))[0]
            self.report("text.tone_marks", Location("document", p_old.part, p_old.index, excerpt(p_old.text)), _(
                "Both tone-mark styles are used: old “{old}” and new “{new}”; pick one.").format(
                old=", ".join(sorted(old)[:4]), new=", ".join(sorted(new)[:4])))


def run_rules(doc: DocxFile, rec: Recognised, profile: Profile, catalog: Catalog) -> list[Finding]:
    return Checker(doc, rec, profile, catalog).run()
