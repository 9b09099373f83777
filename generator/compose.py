"""Compose step: turn a resolved spec into the document model.

Here the directive's wording rules live: the header lines, the generated opening paragraph, the numbering
of I. → 1. → 1.1. → a. (computed from the structure, so inserting a section renumbers what follows), dash
and plus items, slogans, recipients and the signature block.
"""

from __future__ import annotations

from typing import Any

from .dates import citation_date, date_line
from .errors import Problem, SpecError
from .i18n import _
from .markup import RUN_IN_ENDINGS, Block, parse_body
from .model import Closing, Document, Footnote, Header, Paragraph, Run
from .resolve import Resolved, render_text, template_context
from .spec import Parent, Spec

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


def number_line(spec: Spec, symbol: str, profile: dict[str, Any]) -> str:
    prefix = profile["elements"]["number"]["prefix"]
    if spec.number == "":
        # a draft leaves room for the văn thư to write the number by hand
        return f"{prefix}    -{symbol}/{spec.issuer.symbol}"
    return f"{prefix}{int(spec.number):02d}-{symbol}/{spec.issuer.symbol}"


def parent_citation(parent: Parent, opening: Any) -> str:
    comma = "," if opening.date_comma else ""
    subject = f"“{parent.subject}”" if opening.quote_subject else parent.subject
    text = f"{parent.type} số {parent.number}-{parent.symbol}{comma} ngày {citation_date(parent.date)} của {parent.issuer}"
    if opening.basis_extra:
        text += f" {opening.basis_extra}"
    text += f" về {subject}"
    if parent.short_name:
        text += f" ({opening.short_name_phrase} {parent.short_name})"
    return text


def opening_text(resolved: Resolved, problems: list[Problem]) -> str:
    spec = resolved.spec
    opening = spec.opening
    if opening.text is not None:
        return opening.text
    basis = "; ".join(parent_citation(p, opening) for p in spec.implements)
    actor = opening.actor if opening.actor is not None else (spec.issuer.actor or spec.issuer.short_name)
    action = opening.action
    if action is None:
        action = render_text(resolved.doc_type["action"], template_context(spec), ("opening", "action"), problems)
    return f"{opening.verb} {basis}{opening.separator} {actor} {action}"


class _Numbering:
    """Counters of the four numbered levels; headings and numbered paragraphs on a level share one."""

    def __init__(self, roman_form: str, letter_form: str) -> None:
        self.counters = [0, 0, 0, 0, 0]
        self.roman_sep = roman_form[1:]  # "." or "-"
        self.letter_sep = letter_form[1:]  # "." or ")"

    def next(self, level: int) -> str | None:
        """The number of the next item on ``level``, or None when a parent level has not been opened."""
        if level > 1 and self.counters[level - 1] == 0 and level != 4:
            return None
        self.counters[level] += 1
        for deeper in range(level + 1, 5):
            self.counters[deeper] = 0
        c = self.counters
        if level == 1:
            return f"{roman(c[1])}{self.roman_sep}"
        if level == 2:
            return f"{c[2]}."
        if level == 3:
            return f"{c[2]}.{c[3]}."
        index = c[4] - 1
        letter = LETTERS[index] if index < len(LETTERS) else LETTERS[-1] + str(index)
        return f"{letter}{self.letter_sep}"

    @property
    def depth(self) -> int:
        """The deepest level currently open (0 before the first heading)."""
        return max((lvl for lvl in range(1, 5) if self.counters[lvl]), default=0)


def compose(resolved: Resolved) -> Document:
    spec = resolved.spec
    profile = resolved.profile
    problems: list[Problem] = []
    parsed = parse_body(spec.body, problems)

    body: list[Paragraph] = [Paragraph("opening", "GDBody", (Run(opening_text(resolved, problems)),))]
    numbering = _Numbering(spec.numbering.roman, spec.numbering.letter)
    heading_level = 0  # level of the latest heading (numbered paragraphs don't open a level for lists)
    for block in parsed.blocks:
        body.append(_block_paragraph(block, numbering, heading_level, problems))
        if block.kind == "heading":
            heading_level = block.level

    if spec.slogans:
        number = numbering.next(1)
        body.append(Paragraph("heading1", "GDHeading1", (Run(f"{number} {spec.slogans.title}"),)))
        for index, slogan in enumerate(spec.slogans.items, start=1):
            body.append(Paragraph("slogan", "GDBody", (Run(f"{index}. {slogan}"),)))

    if problems:
        raise SpecError(problems)

    footnotes = tuple(
        Footnote(number, tuple(Paragraph("footnote", "GDFootnoteText", tuple(runs)) for runs in parsed.footnotes.get(number, [])))
        for number in sorted(parsed.footnotes)
    )
    issuer = spec.issuer
    header = Header(
        party_title=profile["elements"]["party_title"]["text"],
        superior=upper(issuer.superior),
        organ=upper(issuer.name),
        number_line=number_line(spec, resolved.doc_type["symbol"], profile),
        place_date=date_line(spec.place, spec.date),
    )
    return Document(
        profile=profile,
        header=header,
        type_name=upper(resolved.doc_type["name"]),
        subject_lines=tuple(line.strip() for line in spec.subject.strip().splitlines() if line.strip()),
        separator_rule=spec.separator == "rule",
        body=tuple(body),
        footnotes=footnotes,
        closing=_closing(spec, profile),
        date=spec.date,
        title=f"{resolved.doc_type['name']} {header.number_line}",
        author=issuer.short_name,
        keywords={"subject": " ".join(spec.subject.split())},
    )


def _block_paragraph(block: Block, numbering: _Numbering, heading_level: int, problems: list[Problem]) -> Paragraph:
    runs = tuple(block.runs)
    if block.kind == "heading" or (block.kind == "ordered" and not block.continuation):
        level = block.level if block.kind == "heading" else min(heading_level + block.level, 4)
        number = numbering.next(level)
        if number is None:
            marks = "#" * level
            problems.append(Problem(("body",), _("line {line} of the body: a \"{marks}\" item needs a \"{parent}\" item before it.").format(
                line=block.line, marks=marks, parent="#" * (level - 1))))
            number = "?"
        text = "".join(r.text for r in runs).rstrip()
        run_in = block.kind == "ordered" or text.endswith(RUN_IN_ENDINGS)
        if run_in:
            return Paragraph(f"numbered{level}", "GDBody", (Run(number + " "),) + runs)
        return Paragraph(f"heading{level}", f"GDHeading{level}", (Run(number + " "),) + runs)
    if block.kind == "bullet" and not block.continuation:
        mark = "- " if block.level == 1 else "+ "
        return Paragraph("dash" if block.level == 1 else "plus", "GDBody", (Run(mark),) + runs)
    if block.kind == "quote":
        return Paragraph("quote", "GDBody", runs)
    return Paragraph("body", "GDBody", runs)


def _closing(spec: Spec, profile: dict[str, Any]) -> Closing:
    rules = profile["elements"]["recipient"]
    lines = []
    for recipient in spec.recipients:
        text = recipient.text + (" (b/c)" if recipient.bc else "")
        end = rules["line_end"] if recipient.end is None else recipient.end
        lines.append(f"- {text}{end}")
    archive = f" {spec.archive}" if spec.archive.strip() else ""
    lines.append(f"- {rules['archive_word']}{archive}{rules['last_end']}")
    sig = spec.signature
    if sig.authority in ("T/M", "T/L", "K/T"):
        authority_line = upper(f"{sig.authority} {sig.on_behalf}")
        title_line = upper(sig.title)
    elif sig.authority == "Q.":
        authority_line = upper(f"Q. {sig.title}")
        title_line = ""
    else:
        authority_line = upper(sig.title)
        title_line = ""
    return Closing(profile["elements"]["noi_nhan"]["text"], tuple(lines), authority_line, title_line, sig.name)
