"""Word files for the ``check`` tests, built the way a clerk's document looks.

A clerk starts from Word's blank document (theme fonts, Letter paper), sets Normal to Times New Roman 14,
makes a "Nội dung" paragraph style for the body, then formats the header and signature by hand: direct
bold/italic/size on runs, a borderless two-column table for the header and another for the signature, a
bottom border under the title, "Different first page" and a PAGE field in the header. Each keyword of
:func:`build_party` switches one thing so a test can mutate exactly one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import docx
import docx.document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class PartyDoc:
    superior: str = "THÀNH ỦY LAI CHÂU"
    organ: str = "BAN TUYÊN GIÁO"
    number: str = "Số 98-HD/BTGThU"
    place_date: str = "TP. Lai Châu, ngày 05 tháng 6 năm 2023"
    right_margin_mm: float = 15
    title_size: float = 15
    title_page: bool = True            # "Different first page": no number on page 1
    authority: str = "K/T TRƯỞNG BAN"
    signer_title: str = "PHÓ TRƯỞNG BAN"
    noi_nhan_state_style: bool = False  # NĐ 30's bold italic 12 instead of underlined 14
    theme_fonts: bool = False          # Normal left on the Office theme font (never set to Times New Roman)
    vntime_run: bool = False           # one body run typed in the legacy .VnTime font
    body_line_spacing_exact: bool = True
    archive: str = "- Lưu VP."
    recipient_bullet: str | None = None  # recipients as a Word bullet list with this glyph, "- " not typed
    closing_row_can_split: bool = False  # the Nơi nhận / signature row without "do not break row" (w:cantSplit)


def _border(paragraph: Paragraph, side: str = "bottom") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        edge.set(qn(key), value)
    bdr.append(edge)
    ppr.append(bdr)


def _line(cell_or_doc, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
          underline: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False) -> Paragraph:
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _set_bullet_glyph(document: docx.document.Document, style_name: str, glyph: str) -> None:
    """Make level 0 of the list behind ``style_name`` print ``glyph`` (Word's bullet dialog)."""
    num_id = document.styles[style_name].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract_id = num.abstractNumId.val
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
    level = next(lvl for lvl in abstract.findall(qn("w:lvl")) if lvl.get(qn("w:ilvl")) == "0")
    level.find(qn("w:lvlText")).set(qn("w:val"), glyph)


def _keep_row(table) -> None:  # noqa: ANN001 - python-docx's Table
    """The row cannot split across pages (w:cantSplit), as a careful clerk sets the signature table."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _page_field(paragraph: Paragraph, size: float = 14) -> None:
    """A complex PAGE field, as Word writes it (begin / instrText / separate / result / end)."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE   \\* MERGEFORMAT "
            run._r.append(instr)
        elif kind == "result":
            run.text = "2"
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)


BODY = [
    ("Thực hiện Hướng dẫn số 120-HD/BTGTU, ngày 01/6/2023 của Ban Tuyên giáo Tỉnh ủy Lai Châu về tuyên truyền "
     "kết quả Hội nghị Ban Chấp hành Trung ương Đảng giữa nhiệm kỳ khóa XIII; Ban Tuyên giáo Thành ủy hướng "
     "dẫn công tác tuyên truyền trên địa bàn thành phố như sau:", False),
    ("I. MỤC ĐÍCH, YÊU CẦU", True),
    ("1. Mục đích", True),
    ("Tuyên truyền sâu rộng trong cán bộ, đảng viên và Nhân dân về kết quả Hội nghị; tạo sự thống nhất về "
     "nhận thức và hành động trong toàn Đảng bộ thành phố.", False),
    ("- Các chi bộ, đảng bộ cơ sở tổ chức quán triệt đến cán bộ, đảng viên.", False),
    ("II. KHẨU HIỆU TUYÊN TRUYỀN", True),
    ("- Đảng Cộng sản Việt Nam quang vinh muôn năm!", False),
]


def build_party(path: Path, **changes: object) -> Path:
    """Write a conformant Party Hướng dẫn (HD 36) to ``path``, with ``changes`` applied to :class:`PartyDoc`."""
    spec = replace(PartyDoc(), **changes)  # type: ignore[arg-type]
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(spec.right_margin_mm)
    section.header_distance = Mm(10)

    normal = document.styles["Normal"]
    if not spec.theme_fonts:
        normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    body_style = document.styles.add_style("Noi dung", 1)   # 1 = paragraph style
    body_style.base_style = normal
    fmt = body_style.paragraph_format
    fmt.first_line_indent = Mm(10)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing = Pt(18) if spec.body_line_spacing_exact else 1.5
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)

    # Header: borderless two-column table.
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    _line(left, spec.superior, first=True)
    _line(left, spec.organ, bold=True)
    _line(left, "*")
    _line(left, spec.number)
    title = _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=spec.title_size, first=True)
    _border(title)
    _line(right, spec.place_date, italic=True)

    # Type name, trích yếu, separator.
    blank = document.add_paragraph()
    blank.paragraph_format.space_after = Pt(0)
    _line(document, "HƯỚNG DẪN", bold=True, size=16)
    _line(document, "tuyên truyền kết quả Hội nghị Ban Chấp hành Trung ương Đảng", bold=True)
    _line(document, "giữa nhiệm kỳ khóa XIII", bold=True)
    _line(document, "-----")

    for text, heading in BODY:
        p = document.add_paragraph(style=body_style)
        if spec.vntime_run and text.startswith("Tuyên truyền"):
            first, rest = text.split(" ", 1)
            legacy = p.add_run(first + " ")
            legacy.font.name = ".VnTime"
            p.add_run(rest)
        else:
            run = p.add_run(text)
            run.bold = heading or None

    # Signature and recipients: another borderless table.
    document.add_paragraph(style=body_style)
    bottom = document.add_table(rows=1, cols=2)
    if not spec.closing_row_can_split:
        _keep_row(bottom)
    recipients, signature = bottom.rows[0].cells
    if spec.noi_nhan_state_style:
        _line(recipients, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    else:
        _line(recipients, "Nơi nhận:", underline=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for line in ("- Ban Tuyên giáo Tỉnh ủy (b/c),", "- Các chi bộ, đảng bộ cơ sở,", spec.archive):
        if spec.recipient_bullet is None:
            _line(recipients, line, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            item = _line(recipients, line[2:], size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
            item.style = document.styles["List Bullet"]
    if spec.recipient_bullet is not None:
        _set_bullet_glyph(document, "List Bullet", spec.recipient_bullet)
    _line(signature, spec.authority, bold=True, first=True)
    _line(signature, spec.signer_title)
    for _ in range(4):
        _line(signature, "")
    _line(signature, "Nguyễn Thị Hải Yến", bold=True)

    # Page numbers: PAGE field centred in the header, none on page 1.
    section.different_first_page_header_footer = spec.title_page
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)

    document.save(str(path))
    return path


def build_state(path: Path, **texts: str) -> Path:
    """A conformant State (NĐ 30) Quyết định: Quốc hiệu/Tiêu ngữ, rules under organ and motto, "Số:"."""
    values = {"number": "Số: 15/QĐ-UBND", "authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH",
              "archive": "- Lưu: VT, VP."}
    values.update(texts)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    _line(left, "ỦY BAN NHÂN DÂN", size=13, first=True)
    organ = _line(left, "TỈNH LAI CHÂU", bold=True, size=13)
    _border(organ)
    _line(left, values["number"], size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, first=True)
    motto = _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _border(motto)
    _line(right, "Lai Châu, ngày 05 tháng 02 năm 2024", italic=True)

    _line(document, "QUYẾT ĐỊNH", bold=True)
    _line(document, "Về việc ban hành Quy chế làm việc", bold=True)
    for text in ("Căn cứ Luật Tổ chức chính quyền địa phương;",
                 "Ủy ban nhân dân tỉnh quyết định ban hành Quy chế làm việc kèm theo Quyết định này."):
        p = document.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Mm(12.7)
        p.paragraph_format.space_after = Pt(6)
        p.paragraph_format.line_spacing = 1.15

    bottom = document.add_table(rows=1, cols=2)
    _keep_row(bottom)
    recipients, signature = bottom.rows[0].cells
    _line(recipients, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for line in ("- Như Điều 3;", values["archive"]):
        _line(recipients, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(signature, values["authority"], bold=True, first=True)
    _line(signature, values["title"], bold=True)
    _line(signature, "Nguyễn Văn A", bold=True)

    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number, 13)
    document.save(str(path))
    return path
