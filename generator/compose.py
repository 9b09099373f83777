"""Compose step: turn a resolved spec into the document model. Pure layout: no registry, no Jinja, no
validation (the spec arrives complete and checked); what a kind looks like comes from its data
(:class:`generator.data.Kind`) and its profile.

Here the directive's wording rules live: the header lines, the number line of each regime, a công văn's
trích yếu under the number and its "Kính gửi:" block, a Quyết định's căn cứ lines, the generated opening
paragraph, the numbering of the document's scheme (I. → 1. → 1.1. → a); 1. → 1.1. → a); Điều 1. → 1. → a)),
computed from the structure so inserting a section renumbers what follows, dash and plus items, slogans,
recipients and the signature block.
"""

from __future__ import annotations

from typing import Any, Iterable

from .dates import citation_date, date_line, long_citation_date
from .data import Kind
from .markup import RUN_IN_ENDINGS, Block, ParsedBody
from .metrics import text_width_mm
from .model import Closing, Document, Footnote, Header, Paragraph, Run
from .resolve import Resolved
from .spec import Parent, Slogans, Spec
from .vocab import AUTHORITIES_WITH_COLLECTIVE

# Vietnamese alphabet order for lettered items (NĐ 30 Phụ lục I: "chữ cái tiếng Việt"): a, b, c, d, đ, e, …
LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def upper(text: str) -> str:
    """Uppercase for header names and signature lines (Vietnamese letters included)."""
    return text.upper()


def number_line(spec: Spec, kind: Kind, profile: dict[str, Any]) -> str:
    """"Số 98-HD/BTGThU" (Party), "Số: 15/KH-UBND" (State), "Số: 15/UBND-VP" (State công văn); a draft
    keeps the line's shape with room for the number ("Số     -HD/BTGThU")."""
    form = profile["elements"]["number"]
    number = form["blank"] if spec.number == "" else f"{int(spec.number):02d}"
    if kind.symbol:
        return form["format"].format(number=number, symbol=kind.symbol, organ=spec.issuer.symbol)
    unit = f"-{spec.drafting_unit}" if spec.drafting_unit else ""
    return form["format_no_symbol"].format(number=number, organ=spec.issuer.symbol, unit=unit)


def parent_citation(parent: Parent, opening: Any) -> str:
    """One basis of the opening: "Hướng dẫn số 120-HD/BTGTU, ngày 01/6/2023 of … về …", each part printed
    only when the parent has it (an unnumbered or undated basis, one without a subject), each option the
    parent's own or else the opening's; a free-text basis is printed as written."""
    if parent.text is not None:
        return parent.text
    date_comma = opening.date_comma if parent.date_comma is None else parent.date_comma
    quote = opening.quote_subject if parent.quote_subject is None else parent.quote_subject
    about = opening.about if parent.about is None else parent.about
    date_form = parent.date_form or opening.date_form
    text = parent.type
    if parent.number:
        # Party "số 120-HD/BTGTU"; State "số 21/KH-UBND", "số 197/STTTT-TTBCXB" (NĐ 30 ô 3)
        joint = "/" if parent.regime == "state" else "-"
        text += f" số {parent.number}{joint}{parent.symbol}"
    if parent.date is not None:
        comma = "," if date_comma and parent.number else ""
        written = citation_date(parent.date) if date_form == "short" else long_citation_date(parent.date)
        text += f"{comma} ngày {written}"
    if parent.issuer:
        text += f" của {parent.issuer}"
    if opening.basis_extra:
        text += f" {opening.basis_extra}"
    if parent.subject:
        subject = f"“{parent.subject}”" if quote else parent.subject
        text += f" về {subject}" if about else f" {subject}"
    if parent.short_name:
        text += f" ({opening.short_name_phrase} {parent.short_name})"
    return text


def join_bases(bases: list[str], join: str) -> str:
    """Several bases as Vietnamese joins them: "A; B; C", "A; B và C" or "A, B và C"."""
    if join == ";" or len(bases) < 2:
        return "; ".join(bases)
    return join[0].join(b if i == 0 else f" {b}" for i, b in enumerate(bases[:-1])) + f" và {bases[-1]}"


# Verbs whose basis runs into the action after a comma ("Căn cứ X, Ban … hướng dẫn"; "Để triển khai X, …").
COMMA_VERBS = ("Căn cứ", "Để")


def opening_text(resolved: Resolved) -> str | None:
    """The generated opening paragraph, the spec's own, or None when the kind needs none and has no basis.

    "{verb} {bases}{separator} [để {purpose},] {actor} {action}"; with no basis but a purpose,
    "Để {purpose}, {actor} {action}"; after "." the next clause starts a sentence."""
    spec = resolved.spec
    opening = spec.opening
    if opening.text is not None:
        return opening.text
    if not spec.implements and opening.purpose is None:
        return None
    actor = opening.actor if opening.actor is not None else (spec.issuer.actor or spec.issuer.short_name)
    clause = f"{actor} {resolved.action}"
    if opening.purpose is not None:
        clause = f"để {opening.purpose}, {clause}"
    if not spec.implements:
        return clause[0].upper() + clause[1:]
    basis = join_bases([parent_citation(p, opening) for p in spec.implements], opening.join)
    separator = opening.separator or ("," if opening.verb.startswith(COMMA_VERBS) else ";")
    if separator == ".":
        clause = clause[0].upper() + clause[1:]
    return f"{opening.verb} {basis}{separator} {clause}"


# The numbers of the four levels of each scheme. "arabic" is "roman" without its top level: a "#" item is
# printed "1." and styled as the second level, so every scheme shares the same four heading styles.
class _Numbering:
    """Counters of the four numbered levels; headings and numbered paragraphs on a level share one."""

    def __init__(self, scheme: str, roman_form: str, letter_form: str, colon_run_in: bool = False) -> None:
        self.scheme = scheme
        # a numbered line ending in one of these runs into ordinary text; one ending in ":" stays a heading
        # (a title that introduces what follows) unless the spec's numbering.colon says "paragraph"
        self.run_in_endings = RUN_IN_ENDINGS if colon_run_in else tuple(e for e in RUN_IN_ENDINGS if e != ":")
        self.counters = [0, 0, 0, 0, 0]
        self.roman_sep = roman_form[1:]  # "." or "-"
        self.letter_sep = letter_form[1:]  # "." or ")"

    def level_of(self, markup_level: int) -> int:
        return min(markup_level + 1, 4) if self.scheme == "arabic" else markup_level

    @property
    def top(self) -> int:
        return 2 if self.scheme == "arabic" else 1

    def next(self, level: int) -> str | None:
        """The number of the next item on ``level``, or None when a parent level has not been opened."""
        if level > self.top and self.counters[level - 1] == 0 and level != 4:
            return None
        self.counters[level] += 1
        for deeper in range(level + 1, 5):
            self.counters[deeper] = 0
        c = self.counters
        if level == 1:
            return f"Điều {c[1]}." if self.scheme == "dieu" else f"{roman(c[1])}{self.roman_sep}"
        if level == 2:
            return f"{c[2]}."
        if level == 3:
            return self._letter(c[3]) if self.scheme == "dieu" else f"{c[2]}.{c[3]}."
        return self._letter(c[4])

    def _letter(self, count: int) -> str:
        index = count - 1
        letter = LETTERS[index] if index < len(LETTERS) else LETTERS[-1] + str(index)
        return f"{letter}{self.letter_sep}"


def numbering_gaps(parsed: ParsedBody, scheme: str) -> list[tuple[int, int]]:
    """(body line, level) of each numbered item whose parent level was never opened ("##" before any "#")."""
    numbering = _Numbering(scheme, "I.", "a)")
    gaps = []
    heading_level = 0
    for block in parsed.blocks:
        if block.kind == "heading" or (block.kind == "ordered" and not block.continuation):
            level = _level(block, numbering, heading_level)
            if numbering.next(level) is None:
                gaps.append((block.line, level if scheme != "arabic" else level - 1))
            if block.kind == "heading":
                heading_level = numbering.level_of(block.level)
    return gaps


def _level(block: Block, numbering: _Numbering, heading_level: int) -> int:
    if block.kind == "heading":
        return numbering.level_of(block.level)
    return min(max(heading_level, numbering.top - 1) + block.level, 4)


def compose(resolved: Resolved) -> Document:
    spec = resolved.spec
    profile = resolved.profile
    kind = resolved.kind
    elements = profile["elements"]

    body: list[Paragraph] = _kinh_gui(spec, elements) + _can_cu(spec, kind, elements)
    opening = opening_text(resolved)
    if opening is not None:
        body.append(Paragraph("opening", (Run(opening),)))
    numbering = _Numbering(spec.numbering.scheme or kind.numbering, spec.numbering.roman, spec.numbering.letter,
                           spec.numbering.colon == "paragraph")
    placed = any(block.kind == "slogans" for block in resolved.body.blocks)
    body.extend(_content(resolved.body, numbering, spec.slogans))
    if spec.slogans and not placed:
        number = numbering.next(numbering.top)
        body.append(Paragraph(f"heading{numbering.top}", (Run(f"{number} {spec.slogans.title}"),)))
        body.extend(_slogan_lines(spec.slogans, numbered=spec.slogans.numbered is not False))

    footnotes = tuple(
        Footnote(number, tuple(Paragraph("footnote", tuple(runs)) for runs in resolved.body.footnotes.get(number, [])))
        for number in sorted(resolved.body.footnotes)
    )
    issuer = spec.issuer
    subject = tuple(line.strip() for line in spec.subject.strip().splitlines() if line.strip())
    under_number: tuple[str, ...] = ()
    if kind.subject == "under_number":
        prefix = elements["subject_cv"].get("prefix", "")
        under_number, subject = (prefix + subject[0],) + subject[1:], ()
    organ = upper(issuer.header_name or issuer.name)
    header = Header(
        superior=upper(issuer.superior),
        organ=organ,
        number_line=number_line(spec, kind, profile),
        place_date=date_line(spec.place, spec.date, spec.blank_date, elements["place_date"].get("blank", "    ")),
        draft_mark=elements["draft_mark"]["text"] if spec.draft and "draft_mark" in elements else "",
        subject_under_number=under_number,
        organ_rule_mm=_organ_rule_mm(organ, profile),
    )
    separator = "" if not kind.type_line else (spec.separator or elements["separator"]["form"])
    return Document(
        profile=profile,
        regime=resolved.regime,
        header=header,
        type_name=upper(kind.name) if kind.type_line else "",
        subject_lines=subject,
        separator=separator,
        separator_rule_mm=_separator_rule_mm(subject, profile),
        body=tuple(body),
        footnotes=footnotes,
        closing=_closing(spec, kind, profile),
        date=spec.date,
        title=f"{kind.name} {header.number_line}",
        author=issuer.short_name,
        keywords={"subject": " ".join(spec.subject.split())},
    )


def _organ_rule_mm(organ: str, profile: dict[str, Any]) -> float:
    """State: the rule under the organ is a fraction (1/3–1/2, NĐ 30 ô 2) of its longest printed line."""
    fraction = profile["header"].get("organ_rule_fraction")
    if not fraction:
        return 0.0
    return fraction * _longest_mm(organ.split("\n"), profile["elements"]["organ"]["size"])


def _longest_mm(lines: Iterable[str], size_pt: float) -> float:
    """The printed length of the longest of ``lines`` in bold (the organ's name, the trích yếu)."""
    return max(text_width_mm(line, size_pt, bold=True) for line in lines)


def _separator_rule_mm(subject: tuple[str, ...], profile: dict[str, Any]) -> float:
    """The drawn rule under the trích yếu: the profile's length (Party), or a fraction of the trích yếu's
    longest line (State, NĐ 30 ô 5a: 1/3–1/2)."""
    separator = profile["elements"]["separator"]
    if "rule_fraction" in separator and subject:
        return separator["rule_fraction"] * _longest_mm(subject, profile["elements"]["subject"]["size"])
    return float(separator.get("rule_length_mm", 30))


def _kinh_gui(spec: Spec, elements: dict[str, Any]) -> list[Paragraph]:
    """"Kính gửi: X." on one line; several addressees one per line "- …;", the last ending "." (NĐ 30 ô 9a)."""
    if not spec.kinh_gui:
        return []
    form = elements["kinh_gui"]
    label = Run(form["text"], italic=bool(form.get("italic")))
    if len(spec.kinh_gui) == 1:
        return [Paragraph("kinh_gui", (label, Run(tab=True), Run(spec.kinh_gui[0] + form["last_end"])))]
    last = len(spec.kinh_gui) - 1
    lines = [f"- {text}{form['last_end'] if i == last else form['line_end']}" for i, text in enumerate(spec.kinh_gui)]
    return [Paragraph("kinh_gui", (label, Run(tab=True), Run(lines[0])))] + [Paragraph("kinh_gui_item", (Run(line),)) for line in lines[1:]]


def _can_cu(spec: Spec, kind: Kind, elements: dict[str, Any]) -> list[Paragraph]:
    """A Quyết định: the enacting authority, its căn cứ lines (";", the last per the regime), "QUYẾT ĐỊNH:"."""
    if not kind.can_cu:
        return []
    out = []
    if spec.enacting:
        out.append(Paragraph("enacting", (Run(upper(spec.enacting)),)))
    form = elements["can_cu"]
    last = len(spec.can_cu) - 1
    for index, line in enumerate(spec.can_cu):
        end = form["last_end"] if index == last else form["line_end"]
        out.append(Paragraph("can_cu", (Run(f"{form['prefix']}{line.rstrip(';,.')}{end}"),)))
    out.append(Paragraph("decides", (Run(elements["decides"]["text"]),)))
    return out


def _slogan_lines(slogans: Slogans, numbered: bool) -> list[Paragraph]:
    """The slogans, one per line: "1. …" numbered, else "- …" as a dash list."""
    if numbered:
        return [Paragraph("slogan", (Run(f"{index}. {slogan}"),)) for index, slogan in enumerate(slogans.items, start=1)]
    return [Paragraph("dash", (Run("- "), Run(slogan))) for slogan in slogans.items]


def _content(parsed: ParsedBody, numbering: _Numbering, slogans: Slogans | None = None) -> list[Paragraph]:
    out = []
    heading_level = 0  # level of the latest heading (numbered paragraphs don't open a level for lists)
    for block in parsed.blocks:
        if block.kind == "slogans":  # the "[khẩu hiệu]" line: the slogans go here (validation saw there are some)
            if slogans is not None:
                out.extend(_slogan_lines(slogans, numbered=slogans.numbered is True))
            continue
        out.append(_block_paragraph(block, numbering, heading_level))
        if block.kind == "heading":
            heading_level = numbering.level_of(block.level)
    return out


def _block_paragraph(block: Block, numbering: _Numbering, heading_level: int) -> Paragraph:
    runs = tuple(block.runs)
    if block.kind == "heading" or (block.kind == "ordered" and not block.continuation):
        level = _level(block, numbering, heading_level)
        number = numbering.next(level) or "?"  # validation refuses a level without its parent before compose
        text = "".join(r.text for r in runs).rstrip()
        if numbering.scheme == "dieu" and level == 1:
            return Paragraph("article", (Run(number + " ", bold=True),) + runs)
        run_in = block.kind == "ordered" or text.endswith(numbering.run_in_endings)
        if run_in:
            return Paragraph(f"numbered{level}", (Run(number + " "),) + runs)
        return Paragraph(f"heading{level}", (Run(number + " "),) + runs)
    if block.kind == "bullet" and not block.continuation:
        mark = "- " if block.level == 1 else "+ "
        return Paragraph("dash" if block.level == 1 else "plus", (Run(mark),) + runs)
    if block.kind == "quote":
        return Paragraph("quote", runs)
    return Paragraph("body", runs)


def _closing(spec: Spec, kind: Kind, profile: dict[str, Any]) -> Closing:
    rules = profile["elements"]["recipient"]
    lines = []
    if kind.like_recipients and spec.kinh_gui:
        lines.append(f"- {rules['like_above']}{rules['line_end']}")
    for recipient in spec.recipients:
        text = recipient.text + (" (b/c)" if recipient.bc else "")
        end = rules["line_end"] if recipient.end is None else recipient.end
        lines.append(f"- {text}{end}")
    archive = f" {spec.archive}" if spec.archive.strip() else ""
    lines.append(f"- {rules['archive_word']}{archive}{rules['last_end']}")
    sig = spec.signature
    if sig.authority in AUTHORITIES_WITH_COLLECTIVE:
        authority_line = upper(f"{sig.authority} {sig.on_behalf}")
        title_line = upper(sig.title)
    elif sig.authority == "Q.":
        authority_line = upper(f"Q. {sig.title}")
        title_line = ""
    else:
        authority_line = upper(sig.title)
        title_line = ""
    return Closing(profile["elements"]["noi_nhan"]["text"], tuple(lines), authority_line, title_line, sig.name)
