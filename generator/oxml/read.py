"""The reading side of raw OOXML: what a .docx *shows*, kept behind small objects.

``check`` must judge any .docx, including ones a clerk made by hand in Word, so it cannot trust style
names or python-docx's convenience API (which reports only *direct* formatting). This module opens the
package with :mod:`zipfile` + lxml and resolves each run's and paragraph's **effective** formatting the way
Word does (ECMA-376 Part 1 §17.7.2), lowest priority first:

    docDefaults → table style → paragraph style chain (basedOn) → numbering level → character style
    chain (rStyle, basedOn) → direct rPr/pPr

with theme fonts (``asciiTheme="minorHAnsi"`` …) looked up in ``theme1.xml`` and recorded as such, and the
toggle properties (bold, italic, caps) following the toggle rule: direct formatting sets them absolutely,
while values coming from different *kinds* of style (table, paragraph, character) flip each other.

Namespaces live in :data:`NS`; everything else in the program reads through :class:`DocxFile`.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from generator.errors import GeneratorError
from generator.i18n import _

NS: dict[str, str] = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}

_REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

# Limits on an untrusted package (README "Safety"). A real directive's document.xml is under 1 MB with
# under 50,000 elements; these leave a wide margin and keep any file under a few seconds and ~300 MB.
# Sizes are *measured while inflating*, never taken from the ZIP headers (which a zip bomb lies in).
MAX_PART_BYTES = 16 * 1024 * 1024         # one XML part, inflated
MAX_PACKAGE_BYTES = 256 * 1024 * 1024     # every part of the package, inflated (pictures included)
MAX_PARTS = 2_000                         # entries in the ZIP
MAX_XML_ELEMENTS = 200_000                # elements in one XML part
MAX_XML_DEPTH = 200                       # nesting of elements in one XML part
MAX_RUNS_PER_PARAGRAPH = 5_000            # w:r in one paragraph
MAX_NUMBER = 10 ** 9                      # any number attribute (twips, half-points, EMU…) beyond is garbage
_CHUNK = 1024 * 1024

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000


def qn(tag: str) -> str:
    """``"w:p"`` → ``"{http://…/main}p"`` (Clark notation)."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _w(attr: str) -> str:
    return f"{{{NS['w']}}}{attr}"


W_P, W_R, W_TBL, W_TR, W_TC, W_T = qn("w:p"), qn("w:r"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:t")
W_SDT, W_SDTCONTENT, W_PPR, W_RPR = qn("w:sdt"), qn("w:sdtContent"), qn("w:pPr"), qn("w:rPr")
W_VAL = _w("val")


class UnreadableDocx(GeneratorError):
    """The file is not a readable .docx (not a ZIP, an old .doc, damaged XML…): exit code 2."""

    exit_code = 2


# --------------------------------------------------------------------------------------------------
# Small value helpers


def _on_off(el: etree._Element) -> bool:
    """ST_OnOff: a bare ``<w:b/>`` is on; ``w:val`` may say 0/false/off."""
    val = el.get(W_VAL)
    return val is None or val.lower() not in ("0", "false", "off", "none")


_UNIVERSAL = re.compile(r"^(-?[0-9.]+)(mm|cm|in|pt|pc|pi)$")


def _twips(value: str | None) -> float | None:
    """A twips measure; also accepts universal measures ("2cm") that some producers write."""
    if value is None or value == "":
        return None
    m = _UNIVERSAL.match(value.strip())
    if m:
        number = _float_attr(m.group(1))
        per = {"mm": TWIPS_PER_MM, "cm": TWIPS_PER_MM * 10, "in": 1440.0, "pt": 20.0, "pc": 240.0, "pi": 240.0}
        return number * per[m.group(2)] if number is not None else None
    return _float_attr(value)


def _int_attr(value: str | None, default: int = 0) -> int:
    """An integer attribute; a producer's garbage ("abc", "1e9") counts as absent, not as a crash."""
    if not value or len(value) > 12:  # longer than any real value; int() of 5,000 digits is refused anyway
        return default
    try:
        number = int(value)
    except ValueError:
        return default
    return number if -MAX_NUMBER <= number <= MAX_NUMBER else default


def _float_attr(value: str | None) -> float | None:
    """A finite number, or None ("abc", "inf" and "nan" are garbage here)."""
    if not value or len(value) > 32:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -MAX_NUMBER <= number <= MAX_NUMBER else None


def twips_to_mm(value: float) -> float:
    return value / TWIPS_PER_MM


def _num(props: dict[str, object], key: str, default: float = 0.0) -> float:
    """A numeric property of a merged property dict (they hold floats, ints, bools and strings)."""
    value = props.get(key, default)
    return float(value) if isinstance(value, (int, float)) else default


# --------------------------------------------------------------------------------------------------
# Effective formatting results


@dataclass(frozen=True)
class RunFormat:
    """What a run looks like after every layer of formatting is applied."""

    fonts: dict[str, str | None]          # slot (ascii, hAnsi, eastAsia, cs) → typeface; None if unknown
    theme_fonts: dict[str, str]           # slot → theme reference used ("minorHAnsi"), when a theme decided it
    size_pt: float
    bold: bool
    italic: bool
    caps: bool
    small_caps: bool
    underline: str | None                 # "single", "double", … or None
    strike: bool


@dataclass(frozen=True)
class ParagraphFormat:
    alignment: str                        # left | center | right | both
    first_line_indent_mm: float           # negative for a hanging indent
    left_indent_mm: float
    space_before_pt: float
    space_after_pt: float
    line_rule: str                        # auto | exact | atLeast
    line_value: float                     # auto: multiple of a line (1.0 = single); exact/atLeast: points
    border_bottom: bool
    border_top: bool
    contextual_spacing: bool
    numbering: tuple[str, int] | None     # (numId, ilvl) when the paragraph is in a Word list
    keep_next: bool = False               # kept on the page of the next paragraph
    keep_lines: bool = False              # never split across pages


# --------------------------------------------------------------------------------------------------
# Raw property extraction: an rPr/pPr element → a flat dict; layers are merged by dict.update


_TOGGLES = ("b", "i", "caps", "smallCaps", "strike")
_FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}


def rpr_props(rpr: etree._Element | None) -> dict[str, object]:
    props: dict[str, object] = {}
    if rpr is None:
        return props
    for child in rpr:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "rFonts":
            for slot in _FONT_SLOTS:
                theme = child.get(_w(_THEME_ATTR[slot]))
                name = child.get(_w(slot))
                # Within one rFonts element a theme attribute wins over the explicit name (§17.3.2.26).
                if theme:
                    props[f"font.{slot}"] = ("theme", theme)
                elif name:
                    props[f"font.{slot}"] = ("name", name)
        elif tag in _TOGGLES:
            props[tag] = _on_off(child)
        elif tag == "sz":
            half_points = _float_attr(child.get(W_VAL))
            if half_points is not None and half_points > 0:
                props["sz"] = half_points / 2
        elif tag == "u":
            val = child.get(W_VAL, "single")
            props["u"] = None if val == "none" else val
    return props


def ppr_props(ppr: etree._Element | None) -> dict[str, object]:
    props: dict[str, object] = {}
    if ppr is None:
        return props
    for child in ppr:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "jc":
            props["jc"] = child.get(W_VAL, "left")
        elif tag == "ind":
            for name, key in (("left", "ind.left"), ("start", "ind.left")):
                v = _twips(child.get(_w(name)))
                if v is not None:
                    props[key] = v
            first = _twips(child.get(_w("firstLine")))
            hanging = _twips(child.get(_w("hanging")))
            if hanging is not None:          # hanging wins when both are written (§17.3.1.12)
                props["ind.first"] = -hanging
            elif first is not None:
                props["ind.first"] = first
            chars_first = _float_attr(child.get(_w("firstLineChars")))
            chars_hanging = _float_attr(child.get(_w("hangingChars")))
            if chars_hanging:
                props["ind.first_chars"] = -chars_hanging / 100
            elif chars_first is not None:
                props["ind.first_chars"] = chars_first / 100
        elif tag == "spacing":
            for name in ("before", "after", "line"):
                v = _twips(child.get(_w(name)))
                if v is not None:
                    props[f"spacing.{name}"] = v
            rule = child.get(_w("lineRule"))
            if rule:
                props["spacing.lineRule"] = rule
            for name in ("beforeAutospacing", "afterAutospacing"):
                raw = child.get(_w(name))
                if raw is not None:
                    props[f"spacing.{name}"] = raw.lower() in ("1", "true", "on")
            for name in ("beforeLines", "afterLines"):
                lines = _float_attr(child.get(_w(name)))
                if lines is not None:
                    props[f"spacing.{name}"] = lines / 100
        elif tag == "pBdr":
            for side in ("top", "bottom"):
                b = child.find(qn(f"w:{side}"))
                if b is not None:
                    props[f"bdr.{side}"] = b.get(W_VAL, "none") not in ("nil", "none")
        elif tag == "contextualSpacing":
            props["contextualSpacing"] = _on_off(child)
        elif tag in ("keepNext", "keepLines"):
            props[tag] = _on_off(child)
        elif tag == "numPr":
            num_id = child.find(qn("w:numId"))
            ilvl = child.find(qn("w:ilvl"))
            if num_id is not None:
                props["num.id"] = num_id.get(W_VAL, "0")
            if ilvl is not None:
                props["num.ilvl"] = _int_attr(ilvl.get(W_VAL))
    return props


# --------------------------------------------------------------------------------------------------
# Theme, styles, numbering


_LANG_SCRIPT = {"vi": "Viet", "ja": "Jpan", "ko": "Hang", "zh-cn": "Hans", "zh-tw": "Hant", "zh-hk": "Hant",
                "ar": "Arab", "he": "Hebr", "th": "Thai"}


def _script_for_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    low = lang.lower()
    return _LANG_SCRIPT.get(low) or _LANG_SCRIPT.get(low.split("-")[0])


class ThemeFonts:
    """majorFont/minorFont of ``theme1.xml``; Word picks a script-specific face for the theme language."""

    def __init__(self, root: etree._Element | None, theme_lang: dict[str, str]) -> None:
        self.faces: dict[str, dict[str, str]] = {"major": {}, "minor": {}}
        if root is not None:
            for kind in ("major", "minor"):
                node = root.find(f".//{qn('a:' + kind + 'Font')}")
                if node is None:
                    continue
                for child in node:
                    local = etree.QName(child).localname
                    if local in ("latin", "ea", "cs"):
                        self.faces[kind][local] = child.get("typeface", "")
                    elif local == "font":
                        self.faces[kind]["script:" + child.get("script", "")] = child.get("typeface", "")
        self.theme_lang = theme_lang

    def resolve(self, ref: str) -> str | None:
        """``minorHAnsi`` → typeface, honouring ``w:themeFontLang`` (vi-VN → the "Viet" entry)."""
        kind = "major" if ref.startswith("major") else "minor"
        which = ref[5:]  # Ascii, HAnsi, EastAsia, Bidi
        faces = self.faces[kind]
        if which in ("Ascii", "HAnsi"):
            base, lang = "latin", self.theme_lang.get("val")
        elif which == "EastAsia":
            base, lang = "ea", self.theme_lang.get("eastAsia")
        else:
            base, lang = "cs", self.theme_lang.get("bidi")
        script = _script_for_lang(lang)
        if script and faces.get("script:" + script):
            return faces["script:" + script]
        return faces.get(base) or None


@dataclass
class _Style:
    style_id: str
    kind: str                # paragraph | character | table | numbering
    name: str
    based_on: str | None
    ppr: dict[str, object]
    rpr: dict[str, object]


@dataclass(frozen=True)
class ListLevel:
    num_format: str          # bullet, decimal, upperRoman, lowerLetter, …
    text: str                # lvlText, e.g. "-" or "%1."
    ppr: dict[str, object]


class Numbering:
    """numbering.xml: numId → abstract levels (with lvlOverride), enough to know indents and bullet glyphs."""

    def __init__(self, root: etree._Element | None) -> None:
        self.levels: dict[str, dict[int, ListLevel]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, ListLevel]] = {}
        for an in root.findall(qn("w:abstractNum")):
            abstract[an.get(_w("abstractNumId"), "")] = self._levels(an)
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(W_VAL, "") if ref is not None else "", {}))
            for override in num.findall(qn("w:lvlOverride")):
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels.update(self._levels_from([lvl]))
            self.levels[num.get(_w("numId"), "")] = levels

    def _levels(self, an: etree._Element) -> dict[int, ListLevel]:
        return self._levels_from(an.findall(qn("w:lvl")))

    @staticmethod
    def _levels_from(lvls: list[etree._Element]) -> dict[int, ListLevel]:
        out: dict[int, ListLevel] = {}
        for lvl in lvls:
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            raw = text.get(W_VAL, "") if text is not None else ""
            # Bullets in Symbol/Wingdings fonts sit in the private-use area (U+F02D is a Symbol "-").
            glyphs = "".join(chr(ord(c) - 0xF000) if 0xF020 <= ord(c) <= 0xF07E else c for c in raw)
            out[_int_attr(lvl.get(_w("ilvl")))] = ListLevel(
                num_format=fmt.get(W_VAL, "decimal") if fmt is not None else "decimal",
                text=glyphs,
                ppr=ppr_props(lvl.find(W_PPR)),
            )
        return out

    def level(self, num_id: str, ilvl: int) -> ListLevel | None:
        return self.levels.get(num_id, {}).get(ilvl)


class StyleSheet:
    """styles.xml resolved into merged chains, plus the formatting-resolution algorithm."""

    def __init__(self, root: etree._Element | None, theme: ThemeFonts, numbering: Numbering) -> None:
        self.theme = theme
        self.numbering = numbering
        self.styles: dict[str, _Style] = {}
        self.default_ppr: dict[str, object] = {}
        self.default_rpr: dict[str, object] = {}
        self.default_style: dict[str, str] = {}
        if root is not None:
            defaults = root.find(qn("w:docDefaults"))
            if defaults is not None:
                self.default_rpr = rpr_props(defaults.find(f"{qn('w:rPrDefault')}/{W_RPR}"))
                self.default_ppr = ppr_props(defaults.find(f"{qn('w:pPrDefault')}/{W_PPR}"))
            for st in root.findall(qn("w:style")):
                sid = st.get(_w("styleId"), "")
                kind = st.get(_w("type"), "paragraph")
                name_el = st.find(qn("w:name"))
                based = st.find(qn("w:basedOn"))
                self.styles[sid] = _Style(
                    style_id=sid,
                    kind=kind,
                    name=name_el.get(W_VAL, sid) if name_el is not None else sid,
                    based_on=based.get(W_VAL) if based is not None else None,
                    ppr=ppr_props(st.find(W_PPR)),
                    rpr=rpr_props(st.find(W_RPR)),
                )
                if st.get(_w("default")) in ("1", "true", "on"):
                    self.default_style[kind] = sid
        self._chain_cache: dict[tuple[str, str], dict[str, object]] = {}

    def style_name(self, style_id: str | None) -> str | None:
        st = self.styles.get(style_id or "")
        return st.name if st else None

    def _chain(self, style_id: str | None, which: str) -> dict[str, object]:
        """Merged ppr/rpr of a style and its basedOn ancestors (the derived style wins)."""
        if not style_id:
            return {}
        key = (style_id, which)
        if key in self._chain_cache:
            return self._chain_cache[key]
        chain: list[_Style] = []
        seen: set[str] = set()
        sid: str | None = style_id
        while sid and sid in self.styles and sid not in seen:   # `seen` guards against basedOn loops
            seen.add(sid)
            chain.append(self.styles[sid])
            sid = self.styles[sid].based_on
        merged: dict[str, object] = {}
        for st in reversed(chain):
            merged.update(st.ppr if which == "p" else st.rpr)
        self._chain_cache[key] = merged
        return merged

    def paragraph_style_id(self, explicit: str | None) -> str | None:
        if explicit and explicit in self.styles:
            return explicit
        return self.default_style.get("paragraph")

    # ---- paragraphs

    def paragraph_props(self, direct: dict[str, object], style_id: str | None,
                        table_style: str | None) -> dict[str, object]:
        merged: dict[str, object] = dict(self.default_ppr)
        merged.update(self._chain(table_style, "p"))
        style_props = self._chain(style_id, "p")
        merged.update(style_props)
        # Numbering sits between the style and direct formatting: Word lets a list's indent override
        # the paragraph style's indent (observed behaviour; ECMA puts it below the style).
        num_id = direct.get("num.id", style_props.get("num.id"))
        ilvl = direct.get("num.ilvl", style_props.get("num.ilvl", 0))
        if isinstance(num_id, str) and num_id != "0":
            lvl = self.numbering.level(num_id, int(ilvl) if isinstance(ilvl, int) else 0)
            if lvl is not None:
                merged.update(lvl.ppr)
        merged.update(direct)
        return merged

    def paragraph_format(self, props: dict[str, object], size_pt: float) -> ParagraphFormat:
        jc = str(props.get("jc", "left"))
        alignment = {"start": "left", "end": "right", "distribute": "both", "thaiDistribute": "both",
                     "lowKashida": "both", "mediumKashida": "both", "highKashida": "both"}.get(jc, jc)
        chars = props.get("ind.first_chars")
        if isinstance(chars, float) and chars != 0:
            # "Chars" units are hundredths of a character width; a character is about 1 em of the font.
            first_mm = chars * size_pt * 25.4 / 72
        else:
            first_mm = twips_to_mm(_num(props, "ind.first"))
        rule = str(props.get("spacing.lineRule", "auto"))
        line = props.get("spacing.line")
        if rule == "auto":
            value = float(line) / 240 if isinstance(line, float) else 1.0
        else:
            value = float(line) / 20 if isinstance(line, float) else 0.0
        line_height_pt = value * size_pt * 1.15 if rule == "auto" else value

        def spacing(name: str) -> float:
            if props.get(f"spacing.{name}Autospacing"):
                return 14.0                      # Word's "auto" paragraph spacing is 14 pt
            lines = props.get(f"spacing.{name}Lines")
            if isinstance(lines, float) and lines:
                return lines * line_height_pt
            return _num(props, f"spacing.{name}") / 20

        num_id = props.get("num.id")
        numbering = (str(num_id), int(_num(props, "num.ilvl"))) if num_id not in (None, "0") else None
        return ParagraphFormat(
            alignment=alignment,
            first_line_indent_mm=round(first_mm, 2),
            left_indent_mm=round(twips_to_mm(_num(props, "ind.left")), 2),
            space_before_pt=round(spacing("before"), 2),
            space_after_pt=round(spacing("after"), 2),
            line_rule=rule,
            line_value=round(value, 3),
            border_bottom=bool(props.get("bdr.bottom", False)),
            border_top=bool(props.get("bdr.top", False)),
            contextual_spacing=bool(props.get("contextualSpacing", False)),
            numbering=numbering,
            keep_next=bool(props.get("keepNext", False)),
            keep_lines=bool(props.get("keepLines", False)),
        )

    # ---- runs

    def run_format(self, direct: dict[str, object], char_style: str | None, para_style: str | None,
                   table_style: str | None) -> RunFormat:
        # Most runs of a document share a few formats: each distinct one is resolved once (RunFormat is frozen).
        try:
            key = (tuple(sorted(direct.items())), char_style, para_style, table_style)
            hash(key)
        except TypeError:
            return self._run_format(direct, char_style, para_style, table_style)
        cache: dict[object, RunFormat] = self.__dict__.setdefault("_run_formats", {})
        found = cache.get(key)
        if found is None:
            if len(cache) > 10_000:
                cache.clear()
            found = cache[key] = self._run_format(direct, char_style, para_style, table_style)
        return found

    def _run_format(self, direct: dict[str, object], char_style: str | None, para_style: str | None,
                    table_style: str | None) -> RunFormat:
        if not char_style or char_style not in self.styles:
            char_style = self.default_style.get("character")
        layers = [self._chain(table_style, "r"), self._chain(para_style, "r"), self._chain(char_style, "r")]
        merged: dict[str, object] = dict(self.default_rpr)
        for layer in layers:
            merged.update(layer)
        merged.update(direct)

        def toggle(name: str) -> bool:
            if name in direct:
                return bool(direct[name])
            present = [bool(layer[name]) for layer in layers if name in layer]
            if present:
                # Toggle semantics: each style kind that turns the property on flips it (§17.7.3).
                value = False
                for p in present:
                    value = value ^ p
                return value
            return bool(self.default_rpr.get(name, False))

        fonts: dict[str, str | None] = {}
        themed: dict[str, str] = {}
        for slot in _FONT_SLOTS:
            entry = merged.get(f"font.{slot}")
            if isinstance(entry, tuple):
                kind, value = entry
                if kind == "theme":
                    themed[slot] = str(value)
                    fonts[slot] = self.theme.resolve(str(value))
                else:
                    fonts[slot] = str(value)
            else:
                fonts[slot] = None
        size = merged.get("sz")
        underline = merged.get("u")
        return RunFormat(
            fonts=fonts,
            theme_fonts=themed,
            size_pt=float(size) if isinstance(size, float) else 10.0,  # OOXML default when nothing says: 10 pt
            bold=toggle("b"),
            italic=toggle("i"),
            caps=toggle("caps"),
            small_caps=toggle("smallCaps"),
            underline=underline if isinstance(underline, str) else None,
            strike=toggle("strike"),
        )


# --------------------------------------------------------------------------------------------------
# Document model


@dataclass
class Run:
    text: str
    format: RunFormat
    footnote_id: str | None = None


@dataclass
class Field:
    instruction: str
    result_runs: list[Run] = field(default_factory=list)
    code_runs: list[Run] = field(default_factory=list)

    @property
    def name(self) -> str:
        """First word of the instruction, upper case: ``PAGE``, ``NUMPAGES``…"""
        parts = self.instruction.split()
        return parts[0].upper() if parts else ""

    @property
    def display_runs(self) -> list[Run]:
        """The runs whose formatting the shown result takes (the begin run when no result is cached)."""
        return self.result_runs or self.code_runs


@dataclass
class LineShape:
    """A drawn straight line (DrawingML line/connector or VML v:line), used for rules under titles."""

    length_mm: float | None


@dataclass(frozen=True)
class CellPosition:
    table: int      # 1-based index of the top-level table in its part
    row: int        # 0-based
    column: int     # 0-based (grid column, counting gridSpan)


@dataclass
class Paragraph:
    part: str
    index: int                          # 1-based, document order within its part (table cells included)
    runs: list[Run]
    format: ParagraphFormat
    mark_format: RunFormat
    style_id: str | None
    style_name: str | None
    cell: CellPosition | None
    fields: list[Field]
    line_shapes: list[LineShape]
    list_label: str | None              # bullet glyph ("-") or numbering format for Word lists

    @property
    def text(self) -> str:
        # Asked for again and again by the rules: joined once (runs do not change after reading).
        cached = self.__dict__.get("_text")
        if cached is None or self.__dict__.get("_text_runs") != len(self.runs):
            cached = "".join(r.text for r in self.runs)
            self.__dict__["_text"], self.__dict__["_text_runs"] = cached, len(self.runs)
        return cached

    def visible_runs(self) -> list[Run]:
        return [r for r in self.runs if r.text.strip()]


@dataclass
class Cell:
    position: CellPosition
    paragraphs: list[Paragraph]
    border_bottom: bool


@dataclass
class Table:
    index: int
    rows: list[list[Cell]]
    cant_split: list[bool] = field(default_factory=list)   # per row: w:cantSplit (the row stays on one page)

    @property
    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for c in self.cells for p in c.paragraphs]


Block = Paragraph | Table


@dataclass
class Part:
    name: str
    blocks: list[Block]

    @property
    def paragraphs(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        for b in self.blocks:
            out.extend([b] if isinstance(b, Paragraph) else b.paragraphs)
        return out


@dataclass
class Section:
    index: int                          # 1-based
    page_width_mm: float | None
    page_height_mm: float | None
    orientation: str
    margins_mm: dict[str, float]        # top, bottom, left, right, header, footer, gutter
    title_page: bool
    headers: dict[str, str]             # default | first | even → part name (after inheritance)
    footers: dict[str, str]


@dataclass
class Footnote:
    id: str
    paragraphs: list[Paragraph]


# --------------------------------------------------------------------------------------------------
# Reading


_RUN_CONTAINERS = {qn(t) for t in ("w:hyperlink", "w:smartTag", "w:ins", "w:moveTo", "w:customXml",
                                   "w:sdt", "w:sdtContent", "w:dir", "w:bdo")}
_SKIPPED = {qn(t) for t in ("w:del", "w:moveFrom")}


def _iter_runs(parent: etree._Element, simple: etree._Element | None = None
               ) -> Iterator[tuple[etree._Element, etree._Element | None]]:
    """Runs of a paragraph in order, with the enclosing fldSimple (if any); skips deleted text and
    does not descend into runs (text boxes hold their own paragraphs)."""
    for child in parent:
        tag = child.tag
        if tag == W_R:
            yield child, simple
        elif tag == qn("w:fldSimple"):
            yield child, child   # marker: a fldSimple starts here
            yield from _iter_runs(child, child)
        elif tag in _RUN_CONTAINERS:
            yield from _iter_runs(child, simple)
        elif tag == qn("mc:AlternateContent"):
            fallback = child.find(qn("mc:Fallback"))
            if fallback is not None:
                yield from _iter_runs(fallback, simple)


def _line_shapes(run: etree._Element) -> list[LineShape]:
    shapes: list[LineShape] = []
    # DrawingML (Word 2010+): a shape whose preset geometry is a line or a straight connector.
    for drawing in run.iter(qn("w:drawing")):
        for geom in drawing.iter(qn("a:prstGeom")):
            if geom.get("prst") in ("line", "straightConnector1"):
                extent = drawing.find(f".//{qn('wp:extent')}")
                length = None
                if extent is not None:
                    cx = _float_attr(extent.get("cx"))
                    length = cx / EMU_PER_MM if cx is not None else None
                shapes.append(LineShape(length))
                break
    if shapes:
        return shapes   # the VML fallback of the same shape must not count twice
    for line in run.iter(qn("v:line")):
        length = None
        try:
            x1 = float(str(line.get("from", "0,0")).split(",")[0].rstrip("ptx"))
            x2 = float(str(line.get("to", "0,0")).split(",")[0].rstrip("ptx"))
            length = abs(x2 - x1) * 25.4 / 72
            if not math.isfinite(length) or length > MAX_NUMBER:
                length = None
        except ValueError:
            pass
        shapes.append(LineShape(length))
    return shapes


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (W_SDT, qn("w:customXml")):
            content = child.find(W_SDTCONTENT) if child.tag == W_SDT else child
            if content is not None:
                yield from _children(content, tag)


def _sym_char(sym: etree._Element) -> str:
    code = sym.get(_w("char"), "")
    if len(code) > 8:
        return ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:    # symbol fonts map their glyphs into the private-use area
        value -= 0xF000
    return chr(value) if 0 <= value <= 0x10FFFF else ""


class _PartReader:
    """Reads the block content (paragraphs, tables) of one story: body, header, footer or footnote."""

    def __init__(self, sheet: StyleSheet, part_name: str) -> None:
        self.sheet = sheet
        self.part_name = part_name
        self.counter = 0
        self.tables = 0

    def blocks(self, container: etree._Element) -> list[Block]:
        out: list[Block] = []
        for child in container:
            tag = child.tag
            if tag == W_P:
                out.append(self.paragraph(child, None, None))
            elif tag == W_TBL:
                self.tables += 1
                out.append(self.table(child, self.tables))
            elif tag in (W_SDT, qn("w:customXml")):
                content = child.find(W_SDTCONTENT) if tag == W_SDT else child
                if content is not None:
                    out.extend(self.blocks(content))
        return out

    def table(self, tbl: etree._Element, index: int, outer: CellPosition | None = None) -> Table:
        style_el = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        style = style_el.get(W_VAL) if style_el is not None else self.sheet.default_style.get("table")
        rows: list[list[Cell]] = []
        cant_split: list[bool] = []
        for r_index, tr in enumerate(_children(tbl, W_TR)):
            cells: list[Cell] = []
            no_split = tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
            cant_split.append(no_split is not None and _on_off(no_split))
            before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
            column = _int_attr(before.get(W_VAL)) if before is not None else 0
            for tc in _children(tr, W_TC):
                pos = outer or CellPosition(index, r_index, column)
                span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                column += max(1, _int_attr(span_el.get(W_VAL), 1)) if span_el is not None else 1
                border = tc.find(f"{qn('w:tcPr')}/{qn('w:tcBorders')}/{qn('w:bottom')}")
                paras: list[Paragraph] = []
                for child in tc:
                    if child.tag == W_P:
                        paras.append(self.paragraph(child, pos, style))
                    elif child.tag == W_TBL:
                        paras.extend(self.table(child, index, pos).paragraphs)
                    elif child.tag == W_SDT:
                        content = child.find(W_SDTCONTENT)
                        for p in (content.iter(W_P) if content is not None else ()):
                            paras.append(self.paragraph(p, pos, style))
                cells.append(Cell(pos, paras, border is not None and border.get(W_VAL) not in ("nil", "none")))
            rows.append(cells)
        return Table(index, rows, cant_split)

    def paragraph(self, p: etree._Element, cell: CellPosition | None, table_style: str | None) -> Paragraph:
        self.counter += 1
        sheet = self.sheet
        ppr = p.find(W_PPR)
        pstyle_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = sheet.paragraph_style_id(pstyle_el.get(W_VAL) if pstyle_el is not None else None)
        direct_p = ppr_props(ppr)
        props = sheet.paragraph_props(direct_p, style_id, table_style)
        mark = sheet.run_format(rpr_props(ppr.find(W_RPR) if ppr is not None else None), None, style_id,
                                table_style)

        runs: list[Run] = []
        fields: list[Field] = []
        stack: list[tuple[Field, str]] = []      # open complex fields with their state: code | result
        shapes: list[LineShape] = []
        simple_field: Field | None = None
        simple_el: etree._Element | None = None
        for count, (r, simple) in enumerate(_iter_runs(p)):
            if count >= MAX_RUNS_PER_PARAGRAPH:
                raise _TooManyRuns(self.part_name, self.counter)
            if r.tag == qn("w:fldSimple"):
                simple_field = Field(r.get(_w("instr"), "").strip())
                simple_el = r
                fields.append(simple_field)
                continue
            rpr = r.find(W_RPR)
            rstyle_el = rpr.find(qn("w:rStyle")) if rpr is not None else None
            fmt = sheet.run_format(rpr_props(rpr), rstyle_el.get(W_VAL) if rstyle_el is not None else None,
                                   style_id, table_style)
            shapes.extend(_line_shapes(r))
            text_parts: list[str] = []
            footnote: str | None = None
            # The field whose shown result this run's text belongs to (the innermost open one; a field's
            # own end marker pops it, so that text after the end is not counted).
            result_field: Field | None = None
            for child in r:
                tag = child.tag
                if tag == qn("w:fldChar"):
                    kind = child.get(_w("fldCharType"))
                    if kind == "begin":
                        f = Field("")
                        f.code_runs.append(Run("", fmt))
                        stack.append((f, "code"))
                    elif kind == "separate" and stack:
                        stack[-1] = (stack[-1][0], "result")
                    elif kind == "end" and stack:
                        done, _state = stack.pop()
                        done.instruction = done.instruction.strip()
                        fields.append(done)
                    continue
                if tag == qn("w:instrText"):
                    if stack:
                        stack[-1][0].instruction += child.text or ""
                    continue
                if stack and stack[-1][1] == "code":
                    continue    # anything between begin and separate is field code, not shown
                if stack and stack[-1][1] == "result":
                    result_field = stack[-1][0]
                if tag == W_T:
                    text_parts.append(child.text or "")
                elif tag in (qn("w:tab"), qn("w:ptab")):
                    text_parts.append("\t")
                elif tag in (qn("w:br"), qn("w:cr")):
                    text_parts.append("\n")
                elif tag == qn("w:noBreakHyphen"):
                    text_parts.append("-")
                elif tag == qn("w:sym"):
                    text_parts.append(_sym_char(child))
                elif tag == qn("w:footnoteReference"):
                    footnote = child.get(_w("id"))
            run = Run("".join(text_parts), fmt, footnote)
            runs.append(run)
            if result_field is not None and run.text:
                result_field.result_runs.append(run)
            elif simple is not None and simple is simple_el and simple_field is not None:
                simple_field.result_runs.append(run)
        for f, _state in stack:        # a field left open at the paragraph end (rare): keep what we have
            f.instruction = f.instruction.strip()
            fields.append(f)
        for f in fields:
            if not f.code_runs and not f.result_runs:
                f.code_runs.append(Run("", mark))

        size = mark.size_pt
        visible = [r for r in runs if r.text.strip()]
        if visible:
            size = visible[0].format.size_pt
        fmt_p = sheet.paragraph_format(props, size)
        label = None
        if fmt_p.numbering:
            lvl = sheet.numbering.level(*fmt_p.numbering)
            if lvl is not None:
                label = lvl.text if lvl.num_format == "bullet" else lvl.num_format
        return Paragraph(
            part=self.part_name, index=self.counter, runs=runs, format=fmt_p, mark_format=mark,
            style_id=style_id, style_name=sheet.style_name(style_id), cell=cell, fields=fields,
            line_shapes=shapes, list_label=label,
        )


class _TooManyRuns(Exception):
    def __init__(self, part: str, paragraph: int) -> None:
        super().__init__(part, paragraph)
        self.part, self.paragraph = part, paragraph


class DocxFile:
    """An opened .docx: body blocks, sections, header/footer parts, footnotes, settings."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = self._open_zip(path)
        self._names = set(self._zip.namelist())
        main = self._main_part_name()
        rels = self._rels(main)
        document = self._xml(main)
        if document.tag.startswith(f"{{{_STRICT_W}}}"):
            raise UnreadableDocx(_("{file}: the document is saved as “Strict Open XML”; save it again as an "
                                   "ordinary Word document (.docx).").format(file=path))
        body = document.find(qn("w:body"))
        if body is None:
            raise UnreadableDocx(_("{file}: the Word document has no body.").format(file=path))

        def related(kind: str) -> etree._Element | None:
            for target in rels.get(kind, []):
                if target in self._names:
                    return self._xml(target)
            return None

        settings = related("settings")
        self.theme_lang: dict[str, str] = {}
        self.even_and_odd_headers = False
        self.mirror_margins = False
        if settings is not None:
            tfl = settings.find(qn("w:themeFontLang"))
            if tfl is not None:
                self.theme_lang = {k: tfl.get(_w(k), "") for k in ("val", "eastAsia", "bidi") if tfl.get(_w(k))}
            self.even_and_odd_headers = settings.find(qn("w:evenAndOddHeaders")) is not None
            self.mirror_margins = settings.find(qn("w:mirrorMargins")) is not None
        self.theme = ThemeFonts(related("theme"), self.theme_lang)
        self.styles = StyleSheet(related("styles"), self.theme, Numbering(related("numbering")))

        self.body = Part("document", _PartReader(self.styles, "document").blocks(body))
        self.rel_targets: dict[str, str] = self._rel_ids(main)
        self.external_links: list[str] = self._external_links()
        self.headers: dict[str, Part] = {}
        self.footers: dict[str, Part] = {}
        for kind, store in (("header", self.headers), ("footer", self.footers)):
            for target in rels.get(kind, []):
                if target in self._names:
                    root = self._xml(target)
                    store[target] = Part(target, _PartReader(self.styles, target).blocks(root))
        self.sections = self._sections(body)
        self.footnotes = self._footnotes(related("footnotes"))
        self.pages = self._app_pages()
        self._zip.close()

    # ---- package plumbing

    @staticmethod
    def _open_zip(path: Path) -> zipfile.ZipFile:
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            raise UnreadableDocx(_("{file}: no such file.").format(file=path)) from None
        except IsADirectoryError:
            raise UnreadableDocx(_("{file}: is a folder, not a .docx file.").format(file=path)) from None
        except OSError as exc:
            raise UnreadableDocx(_("{file}: cannot be read ({reason}).").format(file=path, reason=exc.strerror)) from None
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableDocx(_("{file}: this is an old Word 97–2003 file (.doc) or a password-protected "
                                   "document; open it in Word and save it as .docx without a password.").format(file=path))
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise UnreadableDocx(_("{file}: not a Word .docx file (it is not a ZIP package).").format(file=path)) from None
        if len(archive.infolist()) > MAX_PARTS:
            archive.close()
            raise UnreadableDocx(_("{file}: the package has {count} parts; a Word document may have at most {limit}.").format(
                file=path, count=len(archive.infolist()), limit=MAX_PARTS))
        return archive

    def _read(self, name: str) -> bytes:
        return _inflate(self._zip, name, self.path)

    def _xml(self, name: str) -> etree._Element:
        return parse_xml(self._read(name), self.path, name)

    def _main_part_name(self) -> str:
        if "_rels/.rels" in self._names:
            root = self._xml("_rels/.rels")
            for rel in root.findall(qn("pr:Relationship")):
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = rel.get("Target", "").lstrip("/")
                    if target in self._names:
                        return target
        if "word/document.xml" in self._names:
            return "word/document.xml"
        raise UnreadableDocx(_("{file}: a ZIP file, but not a Word document (no word/document.xml).").format(file=self.path))

    def _rels_root(self, part: str) -> etree._Element | None:
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        return self._xml(rels_name) if rels_name in self._names else None

    def _rels(self, part: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        root = self._rels_root(part)
        if root is None:
            return out
        folder = posixpath.dirname(part)
        for rel in root.findall(qn("pr:Relationship")):
            if rel.get("TargetMode") == "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            out.setdefault(kind, []).append(self._resolve(folder, rel.get("Target", "")))
        return out

    def _external_links(self) -> list[str]:
        """Targets outside the package that a reader could fetch or draw (linked pictures, templates,
        frames…); hyperlinks are only followed when clicked, so they are not listed."""
        found: list[str] = []
        for name in sorted(self._names):
            if not name.endswith(".rels") or len(found) >= 100:
                continue
            for rel in self._xml(name).findall(qn("pr:Relationship")):
                if rel.get("TargetMode") == "External" and not rel.get("Type", "").endswith("/hyperlink"):
                    found.append(rel.get("Target", ""))
        return found

    def _rel_ids(self, part: str) -> dict[str, str]:
        root = self._rels_root(part)
        folder = posixpath.dirname(part)
        if root is None:
            return {}
        return {rel.get("Id", ""): self._resolve(folder, rel.get("Target", ""))
                for rel in root.findall(qn("pr:Relationship")) if rel.get("TargetMode") != "External"}

    @staticmethod
    def _resolve(folder: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(folder, target))

    # ---- sections, footnotes, app properties

    def _sections(self, body: etree._Element) -> list[Section]:
        sect_els = [p.find(f"{W_PPR}/{qn('w:sectPr')}") for p in body.iter(W_P)]
        elements = [s for s in sect_els if s is not None]
        final = body.find(qn("w:sectPr"))
        if final is not None:
            elements.append(final)
        sections: list[Section] = []
        headers: dict[str, str] = {}
        footers: dict[str, str] = {}
        for i, s in enumerate(elements, start=1):
            pg = s.find(qn("w:pgSz"))
            width = _twips(pg.get(_w("w"))) if pg is not None else None
            height = _twips(pg.get(_w("h"))) if pg is not None else None
            orient = (pg.get(_w("orient")) if pg is not None else None) or (
                "landscape" if width and height and width > height else "portrait")
            mar = s.find(qn("w:pgMar"))
            margins: dict[str, float] = {}
            if mar is not None:
                for name in ("top", "bottom", "left", "right", "header", "footer", "gutter"):
                    v = _twips(mar.get(_w(name)))
                    if v is not None:
                        margins[name] = round(twips_to_mm(abs(v)), 2)
            # Header/footer references not repeated in a later section are inherited (§17.10.5).
            headers = dict(headers)
            footers = dict(footers)
            for ref in s.findall(qn("w:headerReference")):
                target = self.rel_targets.get(ref.get(f"{{{NS['r']}}}id", ""))
                if target:
                    headers[ref.get(_w("type"), "default")] = target
            for ref in s.findall(qn("w:footerReference")):
                target = self.rel_targets.get(ref.get(f"{{{NS['r']}}}id", ""))
                if target:
                    footers[ref.get(_w("type"), "default")] = target
            title = s.find(qn("w:titlePg"))
            sections.append(Section(
                index=i,
                page_width_mm=round(twips_to_mm(width), 2) if width else None,
                page_height_mm=round(twips_to_mm(height), 2) if height else None,
                orientation=orient,
                margins_mm=margins,
                title_page=title is not None and _on_off(title),
                headers=headers,
                footers=footers,
            ))
        return sections

    def _footnotes(self, root: etree._Element | None) -> list[Footnote]:
        if root is None:
            return []
        reader = _PartReader(self.styles, "footnotes")
        notes: list[Footnote] = []
        for fn in root.findall(qn("w:footnote")):
            if fn.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            blocks = reader.blocks(fn)
            paras = Part("footnotes", blocks).paragraphs
            notes.append(Footnote(fn.get(_w("id"), ""), paras))
        return notes

    def _app_pages(self) -> int | None:
        """Page count as last saved by Word (docProps/app.xml); absent or stale for generated files."""
        name = "docProps/app.xml"
        if name not in self._names:
            return None
        try:
            root = self._xml(name)
        except UnreadableDocx:
            return None
        pages = root.find(qn("ep:Pages"))
        try:
            return int(pages.text) if pages is not None and pages.text else None
        except ValueError:
            return None

    # ---- convenience

    def header_footer_parts(self) -> list[Part]:
        return list(self.headers.values()) + list(self.footers.values())

    def all_parts(self) -> list[Part]:
        parts = [self.body, *self.header_footer_parts()]
        if self.footnotes:
            notes = Part("footnotes", [p for fn in self.footnotes for p in fn.paragraphs])
            parts.append(notes)
        return parts


def open_docx(path: Path) -> DocxFile:
    """Open and read a .docx; raises :class:`UnreadableDocx` (exit 2) with a clear message."""
    refuse_special_file(path)
    try:
        return DocxFile(path)
    except _TooManyRuns as exc:
        raise UnreadableDocx(_("{file}: paragraph {index} of {part} has more than {limit} runs; refused (Word never writes that many).").format(
            file=path, index=exc.paragraph, part=exc.part, limit=MAX_RUNS_PER_PARAGRAPH)) from None
    except RecursionError:
        raise UnreadableDocx(_("{file}: the document is nested too deeply to be read.").format(file=path)) from None
    except MemoryError:
        raise UnreadableDocx(_("{file}: the document is too large to be read in the memory available.").format(file=path)) from None


def refuse_special_file(path: Path) -> None:
    """A FIFO, a device or a socket is refused before anything reads it (it could block or never end)."""
    import stat

    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return  # the opener says "no such file" with its own words
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UnreadableDocx(_("{file}: not a regular file (a device, pipe or socket); give a .docx file.").format(file=path))


_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError, EOFError, ValueError, NotImplementedError, KeyError)


def _chunks(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, path: Path, limit: int | None) -> Iterator[bytes]:
    """One member's bytes as they inflate, refused as soon as they pass ``limit`` (the size written in the
    ZIP headers is not believed); a damaged member is an UnreadableDocx."""
    name = member.filename if isinstance(member, zipfile.ZipInfo) else member
    size = 0
    try:
        with archive.open(member) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    return
                size += len(chunk)
                if limit is not None and size > limit:
                    raise UnreadableDocx(_("{file}: part {part} is larger than {limit} bytes when unpacked; refused (no Word document part is that large).").format(
                        file=path, part=name, limit=limit))
                yield chunk
    except _DAMAGED as exc:
        raise UnreadableDocx(_("{file}: damaged ZIP package ({reason}).").format(file=path, reason=exc)) from None


def _inflate(archive: zipfile.ZipFile, name: str, path: Path, limit: int = MAX_PART_BYTES) -> bytes:
    """The bytes of one member, inflated in chunks and refused as soon as they pass ``limit``."""
    return b"".join(_chunks(archive, name, path, limit))


def check_package(path: Path) -> None:
    """Refuse a package that is not a bounded ZIP: too many parts, an XML part over MAX_PART_BYTES, or
    more than MAX_PACKAGE_BYTES once inflated (all measured while inflating). For callers that hand the file to another program (preview)."""
    refuse_special_file(path)
    archive = DocxFile._open_zip(path)
    total = 0
    try:
        for info in archive.infolist():
            xml = info.filename.endswith((".xml", ".rels"))
            for chunk in _chunks(archive, info, path, MAX_PART_BYTES if xml else None):
                total += len(chunk)
                if total > MAX_PACKAGE_BYTES:
                    raise UnreadableDocx(_("{file}: the package is larger than {limit} bytes when unpacked; refused.").format(
                        file=path, limit=MAX_PACKAGE_BYTES))
    finally:
        archive.close()


def parse_xml(data: bytes, path: Path, part: str) -> etree._Element:
    """Parse one XML part with no DTD, no entities and no network, counting elements and depth as they
    are read: a part past MAX_XML_ELEMENTS or MAX_XML_DEPTH is refused before its tree is finished."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UnreadableDocx(_("{file}: {part} declares a DTD or entities, which a Word document never does; refused.").format(file=path, part=part))
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
                                 remove_comments=True, remove_pis=True, huge_tree=False)
    elements = depth = 0
    try:
        for start in range(0, len(data), _CHUNK):
            parser.feed(data[start:start + _CHUNK])
            for event, _element in parser.read_events():
                if event == "start":
                    elements += 1
                    depth += 1
                    if depth > MAX_XML_DEPTH:
                        raise UnreadableDocx(_("{file}: {part} nests elements more than {limit} deep; refused.").format(file=path, part=part, limit=MAX_XML_DEPTH))
                    if elements > MAX_XML_ELEMENTS:
                        raise UnreadableDocx(_("{file}: {part} has more than {limit} XML elements; refused.").format(file=path, part=part, limit=MAX_XML_ELEMENTS))
                else:
                    depth -= 1
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():  # libxml2's own nesting limit, met inside one chunk before our count
            raise UnreadableDocx(_("{file}: {part} nests elements more than {limit} deep; refused.").format(file=path, part=part, limit=MAX_XML_DEPTH)) from None
        raise UnreadableDocx(_("{file}: damaged XML in {part} ({reason}).").format(file=path, part=part, reason=exc)) from None
    return root
