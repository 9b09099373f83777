"""The document model that compose builds and render writes: headings, paragraphs, runs, footnotes.

It knows nothing of XML. Each paragraph carries a ``role`` (what element of the directive it is, the
vocabulary ``check`` also uses) and a ``style`` (the template's paragraph style id that gives it its
layout).
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


@dataclass(frozen=True)
class Paragraph:
    role: str
    style: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join("\n" if r.line_break else r.text for r in self.runs)


@dataclass(frozen=True)
class Footnote:
    number: int
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Header:
    party_title: str
    superior: str
    organ: str
    number_line: str
    place_date: str


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
    header: Header
    type_name: str
    subject_lines: tuple[str, ...]
    separator_rule: bool
    body: tuple[Paragraph, ...]
    footnotes: tuple[Footnote, ...]
    closing: Closing
    date: dt.date
    title: str
    author: str
    keywords: dict[str, str] = field(default_factory=dict)
