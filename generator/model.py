"""The document model that compose builds and a renderer writes: header, body paragraphs, runs, footnotes,
closing.

It knows nothing of XML or of any template: each paragraph carries a ``role`` (what element of the directive
it is — the vocabulary ``check`` also uses), and each renderer decides how a role looks (the .docx renderer
maps roles to the template's paragraph styles in :mod:`generator.oxml`). Lengths that depend on the text
(rules that must be a fraction of a name's printed length) are computed by compose, in millimetres.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Run:
    text: str = ""
    bold: bool = False
    italic: bool = False
    underline: bool = False
    footnote: int | None = None  # a footnote reference mark instead of text
    line_break: bool = False  # a line break (w:br) instead of text
    tab: bool = False  # a tab (w:tab) instead of text


@dataclass(frozen=True)
class Paragraph:
    role: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join("\n" if r.line_break else "\t" if r.tab else r.text for r in self.runs)


@dataclass(frozen=True)
class Footnote:
    number: int
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Header:
    superior: str                 # the line above the organ ("" for none); may hold "\n"
    organ: str                    # the issuing organ, upper case; may hold "\n"
    number_line: str              # "Số 98-HD/BTGThU" (Party) / "Số: 15/KH-UBND" (State)
    place_date: str               # "TP. Lai Châu, ngày 05 tháng 6 năm 2023"
    subject_under_number: tuple[str, ...] = ()  # a công văn's trích yếu, under the number
    organ_rule_mm: float = 0.0    # State: the rule under the organ (1/3–1/2 of its name)
    draft_mark: str = ""          # a draft's mark ("Dự thảo", "DỰ THẢO"); "" once issued


@dataclass(frozen=True)
class Closing:
    noi_nhan: str
    recipients: tuple[str, ...]
    authority_line: str
    title_line: str
    name: str


@dataclass(frozen=True)
class Document:
    profile: dict[str, Any]
    regime: str
    header: Header
    type_name: str                # "" when the kind prints no type line (công văn)
    subject_lines: tuple[str, ...]
    separator: str                # "hyphens", "rule" or "" (none)
    separator_rule_mm: float
    body: tuple[Paragraph, ...]
    footnotes: tuple[Footnote, ...]
    closing: Closing
    date: dt.date
    title: str
    author: str
    keywords: dict[str, str] = field(default_factory=dict)
