"""Raw OOXML, in one place (after python-docx's ``oxml``). This module: the WordprocessingML the generator
writes; :mod:`generator.oxml.read`: reading any .docx back with effective formatting (for check and init).

The template (templates/src/*) holds the page skeleton; this module writes what varies: body paragraphs
with their runs, footnote references and the footnotes themselves. Every piece of text goes through
:func:`text_xml`, which escapes XML's special characters, so "&", "<", ">", quotes and apostrophes in a
spec always arrive as text. Returned strings are ``Markup`` so the autoescaping Jinja environment inserts
them as they are.
"""

from __future__ import annotations

from markupsafe import Markup

from ..model import Footnote, Paragraph, Run

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# The template's paragraph style of each role the model uses; any other role is body text. Heading roles
# ("heading1" …) map to "GDHeading1" …; numbered, dash and plus items, quotes and slogans are body text.
STYLE_OF_ROLE = {
    "footnote": "GDFootnoteText",
    "kinh_gui": "GDKinhGui",
    "kinh_gui_item": "GDKinhGuiItem",
    "can_cu": "GDCanCu",
    "enacting": "GDEnacting",
    "decides": "GDDecides",
}
BODY_STYLE = "GDBody"
def escape(text: str) -> str:
    """XML character data. (xml.sax.saxutils does the same, but importing it pulls in urllib and ssl; chained
    ``replace`` is several times faster than ``str.translate`` with a mapping, and this runs for every run.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str) -> str:
    return escape(value).replace('"', "&quot;").replace("'", "&apos;")


def style_of(role: str) -> str:
    if role.startswith("heading") and role[7:].isdigit():
        return f"GDHeading{role[7:]}"
    return STYLE_OF_ROLE.get(role, BODY_STYLE)


def lines_xml(text: str) -> Markup:
    """Text for inside a template's ``w:t``: escaped, with each line break closing the text and writing
    Word's ``w:br`` (a header name printed on two lines, "ỦY BAN NHÂN DÂN" / "XÃ BÌNH LƯ")."""
    return Markup('</w:t><w:br/><w:t xml:space="preserve">'.join(escape(line) for line in str(text).split("\n")))


def text_xml(text: str) -> str:
    """A ``w:t`` element, with tabs and line breaks written as Word's own elements."""
    parts: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            parts.append("<w:br/>")
        for tab_index, chunk in enumerate(line.split("\t")):
            if tab_index:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


def run_properties(run: Run) -> str:
    props = ""
    if run.bold:
        props += "<w:b/><w:bCs/>"
    if run.italic:
        props += "<w:i/><w:iCs/>"
    if run.underline:
        props += '<w:u w:val="single"/>'
    return f"<w:rPr>{props}</w:rPr>" if props else ""


def run_xml(run: Run) -> str:
    if run.footnote is not None:
        return f'<w:r><w:rPr><w:rStyle w:val="GDFootnoteReference"/></w:rPr><w:footnoteReference w:id="{run.footnote}"/></w:r>'
    if run.line_break:
        return "<w:r><w:br/></w:r>"
    if run.tab:
        return f"<w:r>{run_properties(run)}<w:tab/></w:r>"
    return f"<w:r>{run_properties(run)}{text_xml(run.text)}</w:r>"


def paragraph_xml(paragraph: Paragraph, keep_next: bool = False) -> str:
    runs = "".join(run_xml(r) for r in paragraph.runs)
    keep = "<w:keepNext/>" if keep_next else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{attr(style_of(paragraph.role))}"/>{keep}</w:pPr>{runs}</w:p>'


def body_xml(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> Markup:
    """The body paragraphs; the last keeps with what follows (the Nơi nhận/signature table), so the
    signature never stands alone at the top of a page."""
    last = len(paragraphs) - 1
    return Markup("".join(paragraph_xml(p, keep_next=index == last) for index, p in enumerate(paragraphs)))


def footnote_xml(footnote: Footnote) -> str:
    """One ``w:footnote``; its first paragraph starts with the footnote mark, as Word writes it."""
    mark = '<w:r><w:rPr><w:rStyle w:val="GDFootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
    paragraphs = []
    for index, paragraph in enumerate(footnote.paragraphs or (Paragraph("footnote", ()),)):
        runs = "".join(run_xml(r) for r in paragraph.runs)
        lead = mark if index == 0 else ""
        paragraphs.append(f'<w:p><w:pPr><w:pStyle w:val="GDFootnoteText"/></w:pPr>{lead}{runs}</w:p>')
    return f'<w:footnote w:id="{footnote.number}">{"".join(paragraphs)}</w:footnote>'


def footnotes_xml(footnotes: tuple[Footnote, ...]) -> Markup:
    return Markup("".join(footnote_xml(f) for f in footnotes))
