"""Test helpers: read a .docx back with lxml only (independent of the generator's own code), and
normalise seed text dumps."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _para_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
        out.append(el.text or "" if el.tag == f"{{{W}}}t" else " ")
    return "".join(out)


def body_paragraphs(path: Path) -> list[str]:
    """Paragraph texts in reading order; a table is read row by row, cell by cell."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find("w:body", NS)
    return [_para_text(p) for p in body.iter(f"{{{W}}}p")]


def footnote_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        if "word/footnotes.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("word/footnotes.xml"))
    notes = []
    for fn in root.findall("w:footnote", NS):
        if fn.get(f"{{{W}}}type") in ("separator", "continuationSeparator"):
            continue
        notes.append(" ".join(_para_text(p) for p in fn.findall("w:p", NS)))
    return notes


SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"


def split_seed(text: str) -> tuple[str, list[str]]:
    """Seed dump → (body text, footnote texts), conversion noise removed.

    Noise: "[bookmark: …]" marks, "[footnoteRef:N]" marks, superscript footnote marks, the dump's
    Markdown emphasis asterisks. Footnote bodies appear inline as "[N: text]" or as a line starting
    with a superscript digit; they are taken out and returned separately.
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    footnotes = [m.group(1) for m in re.finditer(r"\[\d+:\s*(.*?)\]\s*$", text, flags=re.M)]
    text = re.sub(r"\[\d+:\s*.*?\]\s*$", "", text, flags=re.M)
    text = re.sub(r"\[footnoteRef:\d+\]", "", text)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and stripped[0] in SUPERSCRIPTS:
            footnotes.append(stripped.lstrip(SUPERSCRIPTS).strip())
            continue
        lines.append(line)
    text = "\n".join(lines)
    text = "".join(ch for ch in text if ch not in SUPERSCRIPTS)
    return text, footnotes


def squash(text: str) -> str:
    """Whitespace is conversion noise (tabs, page-end breaks, spaces the dump drops or adds); so is '*'."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).replace("*", "")
