"""Find the elements of a directive in any .docx, by text and position — never by our style names.

A clerk's file and ours share only what the regulation fixes: a header at the top (usually a borderless
two-column table, sometimes tab-separated paragraphs), the type name and trích yếu under it, the body,
and a bottom block (a table or tabbed paragraphs) with "Nơi nhận:" on the left and the signature on the
right. Each paragraph is cut into *segments* at line breaks (and, in the header and bottom blocks, at
tabs), so "BAN TUYÊN GIÁO<tab>ĐẢNG CỘNG SẢN VIỆT NAM" yields two elements with their own runs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


from generator import data
from generator.vocab import AUTHORITY_RE, DATE_LINE_RE, DRAFT_MARK_RE, MOTTO_RE, NATIONAL_TITLE, PARTY_TITLE, TYPE_NAMES, fold
from generator.oxml.read import Block, DocxFile, Paragraph, Run, Table

# --------------------------------------------------------------------------------------------------
# Text helpers


def normalise(text: str) -> str:
    """NFC, one space between words, no surrounding space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def upper_key(text: str) -> str:
    """Upper case with the old/new tone placements unified (HOÀ ≡ HÒA, UỶ ≡ ỦY) for matching."""
    return fold(text)


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def is_upper_text(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(not ch.islower() for ch in letters)


NUMBER_RE = re.compile(r"^Số\b", re.IGNORECASE)
DATE_RE = DATE_LINE_RE
SEPARATOR_RE = re.compile(r"^[-‐‑–—_]{3,}$")
NOI_NHAN_RE = re.compile(r"^nơi\s*nhận", re.IGNORECASE)
PARENTHETICAL_RE = re.compile(r"^\(.*\)$")


@lru_cache(maxsize=1)
def type_symbols() -> dict[str, set[str]]:
    """Type name (upper key) → the symbols a number line may use for it, in either regime (the kinds of
    data/doc_types.yaml, and QĐi, the Party Quy định of 2018–2020 [E])."""
    out = {upper_key(name): set(symbols) for name, symbols in data.type_symbols().items()}
    out.setdefault(upper_key("Quy định"), set()).update({"QĐ", "QĐi"})
    return out


def known_type(text: str) -> bool:
    key = upper_key(text)
    return key in {upper_key(t) for t in TYPE_NAMES} or key in type_symbols()


# --------------------------------------------------------------------------------------------------
# Segments and elements


@dataclass
class Segment:
    """A piece of one paragraph between tabs/line breaks, with the runs that show its text."""

    paragraph: Paragraph
    runs: list[Run]
    text: str
    whole: bool                    # the paragraph's only non-empty piece: its alignment is the element's
    side: str                      # left | right | any


@dataclass
class Element:
    key: str
    segments: list[Segment]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def paragraph(self) -> Paragraph:
        return self.segments[0].paragraph

    @property
    def runs(self) -> list[Run]:
        seen: list[Run] = []
        ids: set[int] = set()  # identity, in a set: a list scan made 5,000 runs cost 25 million steps
        for s in self.segments:
            for r in s.runs:
                if id(r) not in ids:
                    ids.add(id(r))
                    seen.append(r)
        return seen


def segments_of(p: Paragraph, split_tabs: bool, side: str = "any") -> list[Segment]:
    pieces: list[tuple[list[Run], list[str], int, bool]] = []   # runs, texts, line, started-after-tab
    runs: list[Run] = []
    run_ids: set[int] = set()
    texts: list[str] = []
    line = 0
    after_tab = False

    def close() -> None:
        if "".join(texts).strip():
            pieces.append((list(runs), list(texts), line, after_tab))

    for run in p.runs:
        for part in re.split(r"(\t|\n)", run.text):
            if part == "\n" or (part == "\t" and split_tabs):
                close()
                runs.clear()
                run_ids.clear()
                texts.clear()
                if part == "\n":
                    line += 1
                    after_tab = False
                else:
                    after_tab = True
                continue
            if part:
                texts.append(part)
                if part.strip() and id(run) not in run_ids:
                    run_ids.add(id(run))
                    runs.append(run)
    close()
    segs: list[Segment] = []
    for i, (seg_runs, seg_texts, seg_line, seg_after_tab) in enumerate(pieces):
        same_line = [x for x in pieces if x[2] == seg_line]
        seg_side = side
        if side == "any" and split_tabs:
            if len(same_line) >= 2:
                seg_side = "left" if same_line[0] is pieces[i] else "right" if same_line[-1] is pieces[i] else "any"
            elif seg_after_tab:
                seg_side = "right"          # text pushed right with leading tabs
        segs.append(Segment(p, seg_runs, normalise("".join(seg_texts)), len(pieces) == 1, seg_side))
    return segs


def _block_paragraphs(block: Block) -> list[Paragraph]:
    return [block] if isinstance(block, Paragraph) else block.paragraphs


def _block_text(block: Block) -> str:
    return "".join(p.text for p in _block_paragraphs(block)).strip()


def _table_segments(table: Table) -> list[Segment]:
    columns = max((len(row) for row in table.rows), default=0)
    segs: list[Segment] = []
    for cell in table.cells:
        side = "any" if columns < 2 else ("left" if cell.position.column == 0 else "right")
        for p in cell.paragraphs:
            segs.extend(segments_of(p, split_tabs=True, side=side))
    return segs


# --------------------------------------------------------------------------------------------------
# Result


@dataclass
class Recognised:
    regime: str | None = None
    party_title: Element | None = None
    national_title: Element | None = None
    motto: Element | None = None
    superior: Element | None = None
    organ: Element | None = None
    star: Element | None = None
    number: Element | None = None
    place_date: Element | None = None
    subject_cv: Element | None = None
    doc_type: Element | None = None
    subject: Element | None = None
    separator: Element | None = None
    authority: Element | None = None
    signer_title: Element | None = None
    signer_name: Element | None = None
    noi_nhan: Element | None = None
    recipients: list[Element] = field(default_factory=list)
    body: list[Paragraph] = field(default_factory=list)
    preamble: list[Paragraph] = field(default_factory=list)  # Kính gửi, căn cứ, "QUYẾT ĐỊNH:": not body text
    slogans: list[Paragraph] = field(default_factory=list)
    header_paragraphs: list[Paragraph] = field(default_factory=list)
    header_segments: list[Segment] = field(default_factory=list)
    header_table: Table | None = None
    draft_mark: Element | None = None   # "Dự thảo" above or inside the header (a draft, not yet issued)
    closing_tables: list[Table] = field(default_factory=list)  # the Nơi nhận / signature table(s)
    closing_paragraphs: list[Paragraph] = field(default_factory=list)  # a closing typed as paragraphs
    left_segments: list[Segment] = field(default_factory=list)   # header left block, in order
    after_subject: list[Paragraph] = field(default_factory=list)  # up to the body (State rule lookup)
    date: dt.date | None = None

    def element_of(self, paragraph: Paragraph) -> str:
        """Element name of a paragraph, for locating findings (``body`` when nothing more specific)."""
        for key in ("party_title", "national_title", "motto", "superior", "organ", "star", "number",
                    "place_date", "subject_cv", "doc_type", "subject", "separator", "authority",
                    "signer_title", "signer_name", "noi_nhan"):
            el = getattr(self, key)
            if el is not None and any(s.paragraph is paragraph for s in el.segments):
                return key
        if any(s.paragraph is paragraph for el in self.recipients for s in el.segments):
            return "recipient"
        if any(p is paragraph for p in self.slogans):
            return "slogan"
        if any(p is paragraph for p in self.header_paragraphs):
            return "header"
        return "body"


# --------------------------------------------------------------------------------------------------
# Recognition


def _is_header_marker(seg: Segment) -> bool:
    key = upper_key(seg.text)
    return (key == PARTY_TITLE or key == NATIONAL_TITLE or bool(MOTTO_RE.match(key)) or seg.text == "*"
            or bool(NUMBER_RE.match(seg.text)) or bool(DATE_RE.match(seg.text)))


def _is_draft_mark(block: Block) -> bool:
    return isinstance(block, Paragraph) and bool(DRAFT_MARK_RE.match(block.text))


def parse_date(text: str) -> dt.date | None:
    m = DATE_RE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    except (TypeError, ValueError, OverflowError):
        return None


def _find_header(blocks: list[Block]) -> tuple[int, list[Segment], Table | None]:
    """(index of the first block after the header, header segments, header table)."""
    non_empty = [i for i, b in enumerate(blocks) if _block_text(b) and not _is_draft_mark(b)]
    if not non_empty:
        return 0, [], None
    first = non_empty[0]
    if isinstance(blocks[first], Table):
        table = blocks[first]
        assert isinstance(table, Table)
        segs = _table_segments(table)
        if any(_is_header_marker(s) for s in segs):
            end = first + 1
            # A date or number line typed under the table still belongs to the header.
            for i in non_empty[1:3]:
                block = blocks[i]
                if isinstance(block, Paragraph):
                    extra = segments_of(block, split_tabs=True)
                    if extra and all(DATE_RE.match(s.text) or NUMBER_RE.match(s.text) for s in extra):
                        segs.extend(extra)
                        end = i + 1
                        continue
                break
            return end, segs, table
    # Paragraph header (tabs or stacked lines): up to the last header marker among the first paragraphs.
    header: list[Segment] = []
    end = 0
    candidates = [i for i in non_empty[:14] if isinstance(blocks[i], Paragraph)]
    collected: list[tuple[int, list[Segment]]] = []
    for i in candidates:
        block = blocks[i]
        assert isinstance(block, Paragraph)
        piece = segments_of(block, split_tabs=True)
        if len(piece) == 1 and (known_type(piece[0].text) or SEPARATOR_RE.match(piece[0].text.replace(" ", ""))):
            break    # the type name or the separator ends the header
        collected.append((i, piece))
    last_marker = -1
    for n, (i, piece) in enumerate(collected):
        if any(_is_header_marker(s) for s in piece):
            last_marker = n
    if last_marker < 0:
        return 0, [], None
    for i, piece in collected[: last_marker + 1]:
        header.extend(piece)
        end = i + 1
    return end, header, None


def _classify_header(rec: Recognised, segs: list[Segment]) -> None:
    rest: list[Segment] = []
    for seg in segs:
        key = upper_key(seg.text)
        if key == PARTY_TITLE and rec.party_title is None:
            rec.party_title = Element("party_title", [seg])
        elif key == NATIONAL_TITLE and rec.national_title is None:
            rec.national_title = Element("national_title", [seg])
        elif MOTTO_RE.match(key) and rec.motto is None:
            rec.motto = Element("motto", [seg])
        elif seg.text.replace(" ", "") == "*" and rec.star is None:
            rec.star = Element("star", [seg])
        elif NUMBER_RE.match(seg.text) and rec.number is None:
            rec.number = Element("number", [seg])
        elif DATE_RE.match(seg.text) and rec.place_date is None:
            rec.place_date = Element("place_date", [seg])
        else:
            rest.append(seg)
    # The issuing organ: uppercase lines of the left block before the "*" (Party) or the number (State).
    stop_at = [el.segments[0] for el in (rec.star, rec.number) if el is not None]
    left = [s for s in segs if s.side != "right"]
    rec.left_segments = left
    organ_lines: list[Segment] = []
    for seg in left:
        if any(seg is s for s in stop_at):
            break
        if any(seg is s for s in rest) and is_upper_text(seg.text):
            organ_lines.append(seg)
    if len(organ_lines) == 1:
        rec.organ = Element("organ", organ_lines)
    elif len(organ_lines) >= 2:
        # The leading non-bold lines are the superior organ; a name printed on two bold lines ("ỦY BAN NHÂN
        # DÂN" / "XÃ BÌNH LƯ") has none. Two lines neither bold: the first is the superior, as ever.
        split = 0
        while split < len(organ_lines) - 1 and not _all_bold(organ_lines[split]):
            split += 1
        if split == 0 and not _all_bold(organ_lines[-1]):
            split = 1
        if split:
            rec.superior = Element("superior", organ_lines[:split])
        rec.organ = Element("organ", organ_lines[split:])
    # A công văn's trích yếu: text of the left block after the number line.
    if rec.number is not None:
        after = False
        subject: list[Segment] = []
        for seg in left:
            if seg is rec.number.segments[0]:
                after = True
                continue
            if after and any(seg is s for s in rest) and not is_upper_text(seg.text):
                subject.append(seg)
        if subject:
            rec.subject_cv = Element("subject_cv", subject)


def _all_bold(seg: Segment) -> bool:
    return bool(seg.runs) and all(r.format.bold for r in seg.runs)


def _top_paragraphs(blocks: list[Block], start: int) -> list[tuple[int, Paragraph]]:
    return [(i, b) for i, b in enumerate(blocks) if i >= start and isinstance(b, Paragraph)]


def _is_bottom_start(block: Block) -> bool:
    segs = _table_segments(block) if isinstance(block, Table) else segments_of(block, split_tabs=True)
    for seg in segs:
        if NOI_NHAN_RE.match(seg.text):
            return True
        m = AUTHORITY_RE.match(seg.text)
        if m and is_upper_text(seg.text) and len(seg.text) <= 80:
            return True
    return False


def _looks_like_signature_line(p: Paragraph) -> bool:
    text = normalise(p.text)
    return bool(text) and len(text) <= 50 and text[-1] not in ".:;,!?" and not re.match(r"^([IVXLC]+|\d+)[.\-)]", text)


def _find_bottom(blocks: list[Block], start: int) -> int:
    """Index of the first block of the signature/recipients area (len(blocks) if none)."""
    for i in range(start, len(blocks)):
        if _is_bottom_start(blocks[i]):
            return i
    non_empty = [i for i in range(start, len(blocks)) if _block_text(blocks[i])]
    # A last table near the end is the signature of a head signing directly, without "Nơi nhận".
    for i in non_empty[-3:]:
        if isinstance(blocks[i], Table):
            return i
    # Trailing stacked lines: TITLE, (blank lines), Name.
    tail = [i for i in non_empty if isinstance(blocks[i], Paragraph)][-4:]
    if len(tail) >= 2:
        last = blocks[tail[-1]]
        assert isinstance(last, Paragraph)
        if _looks_like_signature_line(last) and not is_upper_text(last.text):
            first = tail[-1]
            for i in reversed(tail[:-1]):
                p = blocks[i]
                assert isinstance(p, Paragraph)
                if _looks_like_signature_line(p) and is_upper_text(p.text):
                    first = i
                else:
                    break
            if first != tail[-1]:
                return first
    return len(blocks)


def _parse_bottom(rec: Recognised, blocks: list[Block]) -> None:
    left: list[Segment] = []
    right: list[Segment] = []
    for block in blocks:
        if isinstance(block, Table):
            rec.closing_tables.append(block)
        else:
            rec.closing_paragraphs.append(block)
        if isinstance(block, Table):
            label_cells = {id(c) for c in block.cells
                           if any(NOI_NHAN_RE.match(s.text) for p in c.paragraphs for s in segments_of(p, True))}
            for cell in block.cells:
                target = left if id(cell) in label_cells else right
                for p in cell.paragraphs:
                    target.extend(segments_of(p, split_tabs=True))
        else:
            segs = segments_of(block, split_tabs=True)
            in_recipients = bool(left)
            for seg in segs:
                # Word bullet lists count as list lines too (the rules then judge the bullet glyph).
                starts_list = seg.text.startswith(("-", "+", "•", "–")) or block.list_label is not None
                if seg.side == "left" or NOI_NHAN_RE.match(seg.text) or (
                        seg.side == "any" and (starts_list and in_recipients or starts_list and not right)):
                    left.append(seg)
                else:
                    right.append(seg)
    # "Nơi nhận:" and the recipient lines.
    label_index = next((i for i, s in enumerate(left) if NOI_NHAN_RE.match(s.text)), None)
    if label_index is not None:
        rec.noi_nhan = Element("noi_nhan", [left[label_index]])
        rec.recipients = [Element("recipient", [s]) for s in left[label_index + 1:]]
    # Signature: [authority] title line(s) … name.
    sig = [s for s in right if s.text and not PARENTHETICAL_RE.match(s.text)]
    if not sig:
        return
    i = 0
    if AUTHORITY_RE.match(sig[0].text):
        rec.authority = Element("authority", [sig[0]])
        i = 1
    upper: list[Segment] = []
    while i < len(sig) and is_upper_text(sig[i].text):
        upper.append(sig[i])
        i += 1
    remaining = sig[i:]
    if upper:
        # A wrapped authority ("T/M BAN THƯỜNG VỤ" / "THÀNH ỦY") leaves more than one upper line: the
        # last one is the title.
        if rec.authority is not None and len(upper) >= 2:
            rec.authority.segments.extend(upper[:-1])
            upper = upper[-1:]
        rec.signer_title = Element("signer_title", upper)
    if remaining:
        rec.signer_name = Element("signer_name", [remaining[-1]])
    elif rec.signer_title is not None and len(rec.signer_title.segments) >= 2:
        # Name typed in capitals: the last upper line after the title.
        rec.signer_name = Element("signer_name", [rec.signer_title.segments.pop()])


def recognise(doc: DocxFile) -> Recognised:
    rec = Recognised()
    blocks = doc.body.blocks
    header_end, header_segs, header_table = _find_header(blocks)
    marks = [s for s in header_segs if DRAFT_MARK_RE.match(s.text)]   # a mark inside the header table
    marks += [seg for b in blocks[:header_end] if _is_draft_mark(b) for seg in segments_of(b, split_tabs=False)]  # type: ignore[arg-type]
    if marks:
        rec.draft_mark = Element("draft_mark", marks[:1])
    header_segs = [s for s in header_segs if not DRAFT_MARK_RE.match(s.text)]
    rec.header_segments = header_segs
    rec.header_table = header_table
    seen: list[Paragraph] = []
    for s in header_segs:
        if not any(s.paragraph is p for p in seen):
            seen.append(s.paragraph)
    rec.header_paragraphs = seen
    _classify_header(rec, header_segs)
    if rec.party_title is not None:
        rec.regime = "party"
    elif rec.national_title is not None or rec.motto is not None:
        rec.regime = "state"
    if rec.place_date is not None:
        rec.date = parse_date(rec.place_date.text)

    # Type name, trích yếu, separator.
    paragraphs = [(i, p) for i, p in _top_paragraphs(blocks, header_end) if normalise(p.text)]
    body_start = header_end
    cursor = 0
    if paragraphs and known_type(paragraphs[0][1].text) or (
            paragraphs and is_upper_text(paragraphs[0][1].text) and len(normalise(paragraphs[0][1].text)) <= 40
            and not re.match(r"^([IVXLC]+|\d+)[.\-)]", normalise(paragraphs[0][1].text))
            and not _is_bottom_start(paragraphs[0][1])):
        idx, p = paragraphs[0]
        rec.doc_type = Element("doc_type", segments_of(p, split_tabs=False))
        body_start = idx + 1
        cursor = 1
    window = paragraphs[cursor: cursor + 7]
    sep_at = next((n for n, (_i, p) in enumerate(window) if SEPARATOR_RE.match(normalise(p.text).replace(" ", ""))), None)
    if sep_at is not None:
        idx, p = window[sep_at]
        rec.separator = Element("separator", segments_of(p, split_tabs=False))
        subject_paras = [p2 for _i, p2 in window[:sep_at]]
        body_start = idx + 1
    elif rec.doc_type is not None:
        subject_paras = []
        for idx, p in window[:4]:
            if p.format.alignment != "center" and subject_paras:
                break
            if p.format.alignment != "center" and not normalise(p.text).lower().startswith("về"):
                break
            subject_paras.append(p)
            body_start = idx + 1
    else:
        subject_paras = []
    if subject_paras and rec.doc_type is not None:
        rec.subject = Element("subject", [s for p in subject_paras for s in segments_of(p, split_tabs=False)])

    bottom = _find_bottom(blocks, body_start)
    # State: the rule under the trích yếu is often an empty paragraph holding a line shape.
    rec.after_subject = [b for b in blocks[max(header_end, 0):body_start + 2] if isinstance(b, Paragraph)]
    for i in range(body_start, bottom):
        block = blocks[i]
        if isinstance(block, Paragraph) and normalise(block.text):
            rec.body.append(block)
    rec.preamble = _leading_preamble(rec.body)
    rec.body = rec.body[len(rec.preamble):]
    rec.slogans = [p for p in rec.body if normalise(p.text).endswith("!")]
    _parse_bottom(rec, blocks[bottom:])
    return rec


_BASIS_RE = re.compile(r"^-?\s*(Căn cứ|Theo đề nghị|Xét đề nghị)", re.IGNORECASE)


def _leading_preamble(body: list[Paragraph]) -> list[Paragraph]:
    """The blocks between the trích yếu and the content that have their own layout, not the body's: a
    "Kính gửi:" block (its addressees on "- " lines), and a Quyết định's enacting line, căn cứ lines and
    "QUYẾT ĐỊNH:"."""
    found: list[Paragraph] = []
    in_addressees = False
    for p in body:
        text = normalise(p.text)
        if text.startswith("Kính gửi") or text.startswith("Kính trình"):
            in_addressees = True
        elif in_addressees and text.startswith("-"):
            pass
        elif _BASIS_RE.match(text) or (is_upper_text(text) and p.format.alignment == "center"):
            in_addressees = False
        else:
            break
        found.append(p)
    return found
