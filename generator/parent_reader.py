"""Read an incoming directive (the *parent*) for ``gen-directive init``: its identity, its section skeleton and
its slogans, from any of

* a Word file (.docx) — ours or any real one: paragraphs in reading order, table cells included, read with
  :mod:`generator.oxml.read`;
* a text dump (.txt/.md) such as the samples in ``tests/golden/`` (noise such as ``[bookmark: …]``,
  ``[footnoteRef:1]``, footnote bodies and Markdown ``**`` is dropped);
* one of our specs (.yaml), whose values are exact.

Identity: the type name line ("HƯỚNG DẪN"), "Số 98-HD/BTGThU", the place/date line, the organ lines above
the "*" (matched against the registry for its id), the trích yếu lines up to "-----" or the opening. The
skeleton is the I./1./1.1./a. headings (a numbered line that ends like a sentence is content, not a heading);
the slogans are the items under a "KHẨU HIỆU" heading. Whatever could not be read is listed in ``unread``,
in words a clerk understands.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import data
from .errors import GeneratorError
from .i18n import _
from .registry import Registry, fold, modern_tones
from .loader import refuse_long_combining_runs
from .vocab import MOTTO_RE, NATIONAL_TITLE, PARTY_TITLE, parse_date_line, parse_number_line

RUN_IN_ENDINGS = (".", ":", ";", "!", "?", "…")
OPENING_WORDS = ("thực hiện", "căn cứ", "để ", "nhằm ", "kính gửi", "thi hành", "triển khai")
ROMAN_RE = re.compile(r"^(?P<num>[IVXL]+)\s*(?P<sep>[.\-–])\s*(?P<title>\S.*)$")
LEVEL3_RE = re.compile(r"^(?P<a>\d+)\.(?P<b>\d+)\.?\s+(?P<title>\S.*)$")
LEVEL2_RE = re.compile(r"^(?P<a>\d+)\.\s*(?P<title>\S.*)$")
LEVEL4_RE = re.compile(r"^(?P<letter>[a-zđ])(?P<sep>[.)])\s+(?P<title>\S.*)$")
ITEM_RE = re.compile(r"^(?:\d+[.)]|[-–+•])\s*(?P<text>\S.*)$")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# A directive has tens of headings and slogans; a parent with thousands is not one (and would make a child
# spec of megabytes). Refused, with the line where the limit was passed.
MAX_PARENT_ITEMS = 2_000
# The text of a parent: a long directive is ~60,000 characters; more is refused before it is analysed.
MAX_PARENT_CHARS = 500_000


@dataclass
class Heading:
    level: int
    title: str


@dataclass
class ParentDoc:
    """What could be read of a parent directive."""

    source: str
    kind: str                              # "docx", "text" or "spec"
    type_id: str | None = None             # huong-dan
    type_name: str | None = None           # Hướng dẫn
    number: str | None = None
    type_symbol: str | None = None         # HD
    organ_symbol: str | None = None        # BTGThU
    date: dt.date | None = None
    regime: str | None = None              # party / state, from its header and number
    place: str | None = None
    organ_lines: list[str] = field(default_factory=list)   # the header lines above "*", as printed
    issuer_id: str | None = None
    issuer_name: str | None = None         # how running text cites it ("Ban Tuyên giáo Thành ủy Lai Châu")
    issuer_area: str | None = None         # its locality named in full, when the registry knows it
    subject: str | None = None
    actor_hint: str | None = None          # who acts in its opening ("Ban Tuyên giáo Thành ủy")
    sections: list[Heading] = field(default_factory=list)
    slogans: list[str] = field(default_factory=list)
    slogans_title: str | None = None
    roman: str | None = None               # "I." or "I-"
    letter: str | None = None              # "a." or "a)"
    unread: list[str] = field(default_factory=list)        # what could not be read, in words
    missing: list[str] = field(default_factory=list)       # the same as keys: number, date, issuer, type, subject, sections
    notes: list[str] = field(default_factory=list)

    def miss(self, key: str, message: str) -> None:
        if key not in self.missing:
            self.missing.append(key)
            self.unread.append(message)

    @property
    def symbol(self) -> str | None:
        """The number's symbol as a citation writes it: Party "HD/BTGTU", State "KH-UBND" (a State công văn
        has no type part: "UBND-VP")."""
        if self.regime == "state" and self.organ_symbol:
            return f"{self.type_symbol}-{self.organ_symbol}" if self.type_symbol else self.organ_symbol
        if self.type_symbol and self.organ_symbol:
            return f"{self.type_symbol}/{self.organ_symbol}"
        return None

    def identity(self) -> dict[str, object]:
        """The parent's identity as a plain mapping (what the tests pin)."""
        return {"type": self.type_name, "number": self.number, "symbol": self.symbol,
                "date": self.date.isoformat() if self.date else None, "issuer": self.issuer_id or self.issuer_name,
                "subject": self.subject}


def read_parent(path: Path, registry: Registry) -> ParentDoc:
    """Read ``path`` by its kind (.docx, .txt/.md, .yaml/.yml)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_spec(path, registry)
    if suffix == ".docx":
        lines = docx_lines(path)
        kind = "docx"
    elif suffix in (".txt", ".md", ".text"):
        lines = text_lines(path)
        kind = "text"
    else:
        raise GeneratorError(_("{file}: give a Word file (.docx), a text dump (.txt) or a spec (.yaml) as the parent.").format(file=path))
    return analyse(lines, str(path), kind, registry)


# --------------------------------------------------------------------------------------------------
# Lines of text


def docx_lines(path: Path) -> list[str]:
    """Paragraph texts in reading order (table cells included); a drawn rule under the trích yếu reads as "-----"."""
    from .oxml.read import open_docx

    doc = open_docx(path)
    for paragraph in doc.body.paragraphs:
        refuse_long_combining_runs(paragraph.text, str(path))
    lines: list[str] = []
    for paragraph in doc.body.paragraphs:
        # as printed: a run formatted "all caps" (a heading style's IN HOA) reads in capitals
        text = "".join(r.text.upper() if r.format.caps else r.text for r in paragraph.runs)
        if not text.strip() and paragraph.line_shapes and paragraph.cell is None:
            lines.append("-----")
            continue
        if text.strip() and paragraph.list_label and paragraph.cell is None:
            text = _list_number(paragraph.list_label, paragraph.format.numbering) + text.lstrip()
        for part in text.split("\n"):
            lines.append(part)
    return lines


def _list_number(label: str, numbering: tuple[str, int] | None) -> str:
    """A number in the form the text would have typed, for a paragraph Word numbers itself (a list):
    the reader sees "I. MỤC ĐÍCH" whether the "I." was typed or comes from the list."""
    level = numbering[1] if numbering else 0
    if label in ("upperRoman", "lowerRoman"):
        return "I. "
    if label in ("lowerLetter", "upperLetter"):
        return "a) "
    if label in ("decimal", "decimalZero"):
        return "1.1. " if level >= 2 else "1. "
    return "- "   # a bullet glyph


_FOOTNOTE_START = re.compile(r"\[\d+:")


def _without_inline_footnote(line: str) -> str:
    """A line without its inline footnote body "[1: …]" at the end (what ``\\[\\d+:\\s*.*?\\]\\s*$`` removed,
    in one pass: that pattern retried from every "[1:" of a line, quadratic on "[1:[1:[1:…")."""
    if not line.rstrip().endswith("]"):
        return line
    found = _FOOTNOTE_START.search(line)
    return line[:found.start()] if found else line


def text_lines(path: Path) -> list[str]:
    from .loader import read_text

    text = read_text(path, str(path))
    refuse_long_combining_runs(text, str(path))
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    text = "\n".join(_without_inline_footnote(line) for line in text.split("\n"))  # a footnote's body, inline
    text = re.sub(r"\[footnoteRef:\d+\]", "", text)
    lines = []
    for line in text.splitlines():
        if line.strip()[:1] in tuple(SUPERSCRIPTS) and line.strip():
            continue                                                  # a footnote's body, on its own line
        line = "".join(ch for ch in line if ch not in SUPERSCRIPTS).replace("**", "")
        lines.append(line)
    return lines


def _clean(line: str) -> str:
    return " ".join(line.replace("\t", " ").split())


# --------------------------------------------------------------------------------------------------
# Analysis


def _type_names() -> list[tuple[str, str, str]]:
    """(FOLDED NAME, id, name) of every document type, longest first."""
    out = [(fold(v["name"]), k, v["name"]) for k, v in data.doc_types().items()]
    return sorted(out, key=lambda t: -len(t[0]))


def _type_line(line: str) -> tuple[str, str, str] | None:
    """(id, name, the rest of the line) when ``line`` is a type name line: "HƯỚNG DẪN", or the type glued to
    the trích yếu as some dumps have it ("KẾ HOẠCHquán triệt…")."""
    folded = fold(line)
    for name_folded, type_id, name in _type_names():
        if folded == name_folded:
            return type_id, name, ""
        upper = name.upper()
        rest = line[len(upper):].strip() if line.startswith(upper) else ""
        if rest and rest[0].islower():
            return type_id, name, rest
    return None


def _is_rule(line: str) -> bool:
    return bool(re.fullmatch(r"[-_–—]{3,}", line or ""))


def _is_opening(line: str) -> bool:
    low = line.lower()
    return any(low.startswith(w) for w in OPENING_WORDS)


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def analyse(raw_lines: list[str], source: str, kind: str, registry: Registry) -> ParentDoc:
    doc = ParentDoc(source=source, kind=kind)
    total = 0
    for number, line in enumerate(raw_lines, 1):
        total += len(line) + 1
        if total > MAX_PARENT_CHARS:
            raise GeneratorError(_("{file}: line {line}: the text is longer than {limit} characters; a directive is far shorter, refused.").format(
                file=source, line=number, limit=MAX_PARENT_CHARS))
    lines = [_clean(line) for line in raw_lines]
    n = len(lines)

    # the type name line, within the head of the document (before the opening)
    type_at = None
    glued = ""
    for i, line in enumerate(lines[:60]):
        if _is_opening(line):
            break
        found = _type_line(line) if line else None
        if found:
            type_at = i
            doc.type_id, doc.type_name, glued = found
            break

    # the separator and the opening paragraph
    search_from = type_at + 1 if type_at is not None else 0
    separator_at = next((i for i in range(search_from, min(n, search_from + 30)) if _is_rule(lines[i])), None)
    opening_at = next((i for i in range(search_from, n) if lines[i] and _is_opening(lines[i])), None)

    # header: everything before the type line (or, without one, the header-like lines before the trích yếu)
    if type_at is not None:
        header_end = type_at
    else:
        stop = separator_at if separator_at is not None else (opening_at if opening_at is not None else 0)
        header_end = 0
        for i in range(stop):
            line = lines[i]
            if line and (parse_number_line(line) or parse_date_line(line) or _is_title(line) or line == "*" or _is_upper(line)):
                header_end = i + 1
    _read_header(doc, lines[:header_end])

    # the trích yếu: from the type line to "-----", the opening or the first section
    subject: list[str] = [glued] if glued else []
    i = type_at + 1 if type_at is not None else header_end
    while i < n:
        line = lines[i]
        if line:
            if _is_rule(line) or _is_opening(line) or ROMAN_RE.match(line):
                break
            subject.append(line)
        i += 1
    end = i
    if subject:
        doc.subject = " ".join(subject)
    else:
        doc.miss("subject", _("the trích yếu (no lines between the type name and the opening)"))

    # the opening: who acts in it
    if opening_at is not None:
        doc.actor_hint = _actor(lines[opening_at])
        body_from = opening_at + 1
    else:
        body_from = end
    _read_body(doc, lines[body_from:])

    if doc.type_name is None:
        doc.miss("type", _("the type of document (no line such as HƯỚNG DẪN or KẾ HOẠCH)"))
    _match_issuer(doc, registry)
    return doc


def _is_title(line: str) -> bool:
    key = fold(line)
    return key in (PARTY_TITLE, NATIONAL_TITLE) or bool(MOTTO_RE.match(key))


def _read_header(doc: ParentDoc, header: list[str]) -> None:
    organ: list[str] = []
    star_seen = False
    for line in header:
        if not line:
            continue
        number = parse_number_line(line)
        if number:
            doc.number = number.number or None
            doc.type_symbol, doc.organ_symbol = number.type_symbol or None, number.organ_symbol
            doc.regime = number.regime
            continue
        dated = parse_date_line(line)
        if dated:
            doc.place, doc.date = dated
            if doc.date is None:
                doc.miss("date", _("the date (\"{line}\" is not a real date)").format(line=line))
            continue
        if _is_title(line):  # "ĐẢNG CỘNG SẢN VIỆT NAM", or a State header's Quốc hiệu and Tiêu ngữ: never the organ
            if fold(line) != PARTY_TITLE:
                doc.regime = "state"
            continue
        if line == "*":
            star_seen = True
            continue
        if not star_seen and _is_upper(line):
            organ.append(line)
    doc.organ_lines = organ
    if doc.number is None:
        if doc.organ_symbol:
            doc.miss("number", _("the number (the document is a draft: \"Số    -…\")"))
        else:
            doc.miss("number", _("the number and symbol (no line \"Số …-…/…\")"))
    if doc.date is None:
        doc.miss("date", _("the date (no line \"…, ngày … tháng … năm …\")"))
    if not organ:
        doc.miss("issuer", _("the issuing organ (no organ name above the \"*\" in the header)"))


ACTOR_RE = re.compile(r"[;,]\s*(?P<actor>(?:Ban|Thường trực|Đảng ủy|Đảng uỷ|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Huyện uỷ|Văn phòng|Chi bộ)[^;,]*?)\s+"
                      r"(?:hướng dẫn|ban hành|xây dựng|chỉ thị|thông báo|báo cáo|quyết định|kết luận|yêu cầu|đề nghị)\b")


def _actor(opening: str) -> str | None:
    found = list(ACTOR_RE.finditer(opening))
    return found[-1].group("actor").strip() if found else None


def _read_body(doc: ParentDoc, lines: list[str]) -> None:
    in_slogans = False
    following: list[str] = [""] * len(lines)  # the next non-empty line after each (one backward pass)
    upcoming = ""
    for index in range(len(lines) - 1, -1, -1):
        following[index] = upcoming
        if lines[index]:
            upcoming = lines[index]
    deepest = 0
    for index, line in enumerate(lines):
        if len(doc.sections) + len(doc.slogans) > MAX_PARENT_ITEMS:
            raise GeneratorError(_("{file}: more than {limit} headings and slogans (line {line}); a directive has far fewer, refused.").format(
                file=doc.source, limit=MAX_PARENT_ITEMS, line=index + 1))
        if not line:
            continue
        if fold(line).startswith("NƠI NHẬN"):
            break
        roman = ROMAN_RE.match(line)
        if roman and _is_upper(roman.group("title")):
            doc.roman = doc.roman or f"I{roman.group('sep')}"
            title = roman.group("title").strip()
            in_slogans = "KHẨU HIỆU" in fold(title)
            if in_slogans:
                doc.slogans_title = title
            else:
                doc.sections.append(Heading(1, title))
                deepest = max(deepest, 1)
            continue
        if in_slogans:
            item = ITEM_RE.match(line)
            if item:
                doc.slogans.append(item.group("text").strip())
            continue
        if not doc.sections:
            continue
        for level, regex in ((3, LEVEL3_RE), (2, LEVEL2_RE), (4, LEVEL4_RE)):
            m = regex.match(line)
            if not m:
                continue
            if level == 4:
                doc.letter = doc.letter or f"a{m.group('sep')}"
            title = m.group("title").strip()
            if title.endswith(RUN_IN_ENDINGS) or len(title) > 200:
                break                                                 # a numbered paragraph: content
            after = following[index]
            if after[:1].islower() and not LEVEL4_RE.match(after):
                break                                                 # a paragraph cut by a page break
            if level > deepest + 1 and level != 4:
                break
            doc.sections.append(Heading(level, title))
            deepest = max(deepest, level)
            break
    if not doc.sections:
        doc.miss("sections", _("the section headings (no \"I. …\" headings found)"))


def organ_case(upper: str) -> str:
    """A guess at how running text writes an organ name printed in capitals: "BAN TUYÊN GIÁO" → "Ban Tuyên
    giáo", "THÀNH ỦY LAI CHÂU" → "Thành ủy Lai Châu", "ĐẢNG ỦY XÃ CÔNG HẢI" → "Đảng ủy xã Công Hải"."""
    words = modern_tones(upper).split()
    fixed = {"BAN": "Ban", "VÀ": "và", "ỦY": "ủy", "BỘ": "bộ", "XÃ": "xã", "PHƯỜNG": "phường", "TỈNH": "tỉnh",
             "HUYỆN": "huyện", "QUẬN": "quận", "THỊ": "thị", "TRẤN": "trấn", "KHU": "khu", "ĐẶC": "đặc"}
    lower_after = {"TUYÊN": "Tuyên", "GIÁO": "giáo", "DÂN": "Dân", "VẬN": "vận", "TỔ": "Tổ", "CHỨC": "chức",
                   "KIỂM": "Kiểm", "TRA": "tra", "CHẤP": "Chấp", "HÀNH": "hành", "THƯỜNG": "Thường", "VỤ": "vụ",
                   "TRƯỜNG": "Trường", "CHÍNH": "Chính", "TRỊ": "trị", "NỘI": "Nội", "VĂN": "Văn", "PHÒNG": "phòng"}
    out: list[str] = []
    for index, word in enumerate(words):
        if word in ("TRUNG", "ƯƠNG") and index > 0:
            out.append(word.capitalize())
        elif index == 0:
            out.append(word.capitalize())
        elif word in fixed and not (word == "ỦY" and index == 1 and words[0] == "ỦY"):
            out.append(fixed[word])
        elif word in lower_after:
            out.append(lower_after[word])
        else:
            out.append(word.capitalize())
    text = " ".join(out)
    return text.replace("Ủy ban", "Ủy ban").replace("Ban Chấp hành Trung Ương", "Ban Chấp hành Trung ương")


def _match_issuer(doc: ParentDoc, registry: Registry) -> None:
    if not doc.organ_lines:
        if doc.actor_hint:
            doc.notes.append(_("its opening names the actor \"{actor}\"; the issuer's full name is yours to write.").format(actor=doc.actor_hint))
        return
    name = doc.organ_lines[-1]
    superior = " ".join(doc.organ_lines[:-1])
    found = registry.match(doc.organ_symbol, name, superior, doc.date)
    if not found and len(doc.organ_lines) > 1:
        # a name printed on two lines ("ỦY BAN NHÂN DÂN" / "TỈNH LAI CHÂU") is one organ with no line above
        organ_symbol = (doc.organ_symbol or "").split("-")[0] or None  # a State công văn's "UBND-VP"
        found = registry.match(organ_symbol, " ".join(doc.organ_lines), "", doc.date)
    if len(found) == 1:
        organ = found[0]
        doc.issuer_id, doc.issuer_name, doc.issuer_area = organ.id, organ.full_name, organ.area or None
        return
    if found:
        doc.notes.append(_("the issuer fits several organs of the registry ({ids}); the first is used.").format(ids=", ".join(o.id for o in found)))
        organ = found[0]
        doc.issuer_id, doc.issuer_name, doc.issuer_area = organ.id, organ.full_name, organ.area or None
        return
    guessed = organ_case(name)
    if superior and guessed.split()[0] in ("Ban", "Văn", "Ủy"):
        guessed += " " + organ_case(superior)
    doc.issuer_name = guessed
    doc.notes.append(_("the issuer \"{name}\" is not in the registry; its name in running text is a guess: check it.").format(name=guessed))


# --------------------------------------------------------------------------------------------------
# One of our specs


def read_spec(path: Path, registry: Registry) -> ParentDoc:
    """A parent that is one of our specs: every value is exact (rendered as the document prints it)."""
    from .build import load_spec
    from .markup import parse_body
    from .resolve import resolve

    spec, loaded = load_spec(path)
    resolved = resolve(spec, loaded)
    s = resolved.spec
    kind = resolved.kind
    doc = ParentDoc(source=str(path), kind="spec", type_id=s.type, type_name=kind.name,
                    number=str(s.number) if s.number != "" else None, type_symbol=kind.symbol or "",
                    organ_symbol=s.issuer.symbol, date=s.date, place=s.place, regime=resolved.regime,
                    organ_lines=[x for x in (s.issuer.superior.upper(), s.issuer.name.upper()) if x],
                    subject=" ".join(s.subject.split()), roman=s.numbering.roman, letter=s.numbering.letter)
    if doc.number is None:
        doc.miss("number", _("the number (the parent spec is a draft)"))
    if s.issuer.id:
        organ = registry.get(s.issuer.id)
        doc.issuer_id = s.issuer.id
        doc.issuer_name = s.issuer.full_name or (organ.full_name if organ else s.issuer.name)
        doc.issuer_area = s.issuer.area or (organ.area if organ else None) or None
    else:
        found = registry.match(s.issuer.symbol, s.issuer.name, s.issuer.superior, s.date)
        if len(found) == 1:
            doc.issuer_id, doc.issuer_name, doc.issuer_area = found[0].id, found[0].full_name, found[0].area or None
        else:
            body = s.issuer.name.split()[0] in ("Ban", "Văn", "Ủy") and s.issuer.superior
            doc.issuer_name = s.issuer.full_name or (f"{s.issuer.name} {s.issuer.superior}" if body else s.issuer.name)
            doc.issuer_area = s.issuer.area or None
    parsed = parse_body(s.body, [])
    for block in parsed.blocks:
        if block.kind != "heading":
            continue
        title = "".join(r.text for r in block.runs).strip()
        if title.endswith(RUN_IN_ENDINGS):
            continue
        doc.sections.append(Heading(block.level, title))
    if s.slogans:
        doc.slogans = list(s.slogans.items)
        doc.slogans_title = s.slogans.title
    return doc
