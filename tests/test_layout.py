"""Layout facts of a generated directive, read back with python-docx (an independent reader, not our
writer's code): every rule of the Party profile, HD 36 numbers from format-rules.md §A."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Length

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE = "002-hoi-nghi-giua-nhiem-ky"  # the sample with header, slogans and signature
MM = 36000  # EMU per millimetre


def mm(length: Length | None) -> float:
    assert length is not None
    return round(length / MM, 1)


class Effective:
    """Effective paragraph/run formatting: run → paragraph style chain → document defaults."""

    def __init__(self, document: docx.document.Document) -> None:
        self.document = document
        defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        size = defaults.find(f"{W}sz")
        self.default_size = int(size.get(f"{W}val")) / 2 if size is not None else 10

    def _style_chain(self, paragraph):
        style = paragraph.style
        while style is not None:
            yield style
            style = style.base_style

    def run_attr(self, paragraph, attr: str):
        for run in paragraph.runs:
            value = getattr(run.font, attr)
            if value is not None:
                return value
        for style in self._style_chain(paragraph):
            value = getattr(style.font, attr)
            if value is not None:
                return value
        return None

    def size(self, paragraph) -> float:
        value = self.run_attr(paragraph, "size")
        return value.pt if value is not None else self.default_size

    def para_attr(self, paragraph, attr: str):
        value = getattr(paragraph.paragraph_format, attr)
        if value is not None:
            return value
        for style in self._style_chain(paragraph):
            value = getattr(style.paragraph_format, attr)
            if value is not None:
                return value
        return None


@pytest.fixture(scope="module")
def sample(built_examples: dict[str, Path]) -> Path:
    return built_examples[SAMPLE]


@pytest.fixture(scope="module")
def document(sample: Path) -> docx.document.Document:
    return docx.Document(str(sample))


@pytest.fixture(scope="module")
def eff(document) -> Effective:
    return Effective(document)


def find(document, text: str):
    """The paragraph (body or table cell) whose text is ``text`` or starts with it."""
    pools = list(document.paragraphs)
    for table in document.tables:
        for cell in table._cells:
            pools.extend(cell.paragraphs)
    for paragraph in pools:
        if paragraph.text.strip() == text or paragraph.text.startswith(text):
            return paragraph
    raise AssertionError(f"no paragraph {text!r}")


def test_page_is_a4_with_party_margins(document) -> None:
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert mm(section.top_margin) == 20.0
    assert mm(section.bottom_margin) == 20.0
    assert mm(section.left_margin) == 30.0
    assert mm(section.right_margin) == 15.0
    assert mm(section.header_distance) == 10.0


def test_times_new_roman_everywhere_and_no_theme_fonts(sample: Path) -> None:
    with zipfile.ZipFile(sample) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
        names = z.namelist()
    font_attributes = " ".join(re.findall(r"<w:rFonts ([^>]*)/>", xml))
    fonts = set(re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', font_attributes))
    assert fonts == {"Times New Roman"}
    assert "Theme" not in xml  # no asciiTheme/hAnsiTheme…: theme fonts resolve differently per machine
    assert "word/theme/theme1.xml" not in names


def test_header_table_borderless_two_columns(document) -> None:
    table = document.tables[0]
    assert len(table.columns) == 2
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    assert {b.get(f"{W}val") for b in borders} == {"nil"}
    left, right = table.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["THÀNH ỦY LAI CHÂU", "BAN TUYÊN GIÁO", "*", "Số 98-HD/BTGThU"]
    assert [p.text for p in right.paragraphs if p.text] == ["ĐẢNG CỘNG SẢN VIỆT NAM", "TP. Lai Châu, ngày 05 tháng 6 năm 2023"]


@pytest.mark.parametrize("text,size,bold,italic", [
    ("THÀNH ỦY LAI CHÂU", 14, None, None),
    ("BAN TUYÊN GIÁO", 14, True, None),
    ("*", 14, None, None),
    ("Số 98-HD/BTGThU", 14, None, None),
    ("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True, None),
    ("TP. Lai Châu, ngày 05 tháng 6 năm 2023", 14, None, True),
    ("HƯỚNG DẪN", 16, True, None),
    ("tuyên truyền kết quả Hội nghị", 14, True, None),
    ("-----", 14, None, None),
])
def test_header_elements_size_style_centred(document, eff, text, size, bold, italic) -> None:
    paragraph = find(document, text)
    assert eff.size(paragraph) == size
    assert bool(eff.run_attr(paragraph, "bold")) == bool(bold)
    assert bool(eff.run_attr(paragraph, "italic")) == bool(italic)
    assert eff.para_attr(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER


def test_number_line_has_no_colon_and_date_is_padded_per_rule(document) -> None:
    assert find(document, "Số 98").text == "Số 98-HD/BTGThU"
    assert re.fullmatch(r"TP\. Lai Châu, ngày \d\d tháng ([3-9]|1[0-2]|0[12]) năm \d{4}", find(document, "TP. Lai").text)


def test_title_rule_is_as_long_as_the_title(document) -> None:
    title = find(document, "ĐẢNG CỘNG SẢN VIỆT NAM")
    border = title.style.element.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert border is not None and border.get(f"{W}val") == "single"
    cell = document.tables[0].rows[0].cells[1]
    cell_width_mm = mm(cell.width)
    margins = document.tables[0]._tbl.tblPr.find(f"{W}tblCellMar")
    cell_margin_mm = int(margins.find(f"{W}left").get(f"{W}w")) / 1440 * 25.4
    ind = title.paragraph_format
    rule_mm = cell_width_mm - 2 * cell_margin_mm - mm(ind.left_indent) - mm(ind.right_indent)
    # the title is 72.9 mm wide in Times New Roman bold 15 pt; the rule may exceed it by ~1 mm of slack
    assert 72.9 <= rule_mm <= 74.5


def test_body_paragraphs(document, eff) -> None:
    opening = find(document, "Thực hiện Hướng dẫn số 120-HD/BTGTU")
    for paragraph in (opening, find(document, "- Tuyên truyền sâu rộng, nhằm")):
        assert eff.size(paragraph) == 14
        assert eff.para_attr(paragraph, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert mm(eff.para_attr(paragraph, "first_line_indent")) == 10.0
        assert eff.para_attr(paragraph, "space_after").pt == 6
        assert eff.para_attr(paragraph, "line_spacing_rule") == WD_LINE_SPACING.EXACTLY
        assert eff.para_attr(paragraph, "line_spacing").pt == 18
        assert not eff.run_attr(paragraph, "bold")


def test_headings_numbered_from_structure(document, eff) -> None:
    level1 = find(document, "I. MỤC ĐÍCH, YÊU CẦU")
    assert eff.run_attr(level1, "bold") and eff.run_attr(level1, "all_caps")
    assert eff.run_attr(find(document, "1. Mục đích"), "bold")
    texts = [p.text for p in document.paragraphs]
    numbers = [t.split(" ")[0] for t in texts if re.match(r"^(I|II|III|IV)\. ", t)]
    assert numbers == ["I.", "II.", "III.", "IV."]
    assert "1.8. Đấu tranh, ngăn chặn" in "\n".join(texts)
    assert any(t.startswith("d. Phân tích những tồn tại") for t in texts)


def test_slogans_are_the_last_section(document) -> None:
    texts = [p.text for p in document.paragraphs if p.text]
    start = texts.index("IV. MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN")
    slogans = texts[start + 1:]
    assert len(slogans) == 16
    assert slogans[0] == "1. Đảng Cộng sản Việt Nam - Người lãnh đạo, tổ chức mọi thắng lợi của cách mạng Việt Nam!"
    assert slogans[-1].startswith("16. Chủ tịch Hồ Chí Minh vĩ đại")


def test_closing_table(document, eff) -> None:
    table = document.tables[-1]
    left, right = table.rows[0].cells
    label = left.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert eff.size(label) == 14 and eff.run_attr(label, "underline") and not eff.run_attr(label, "bold")
    recipients = [p.text for p in left.paragraphs[1:]]
    assert all(r.startswith("- ") for r in recipients)
    assert all(r.endswith(",") for r in recipients[:-1])
    assert recipients[-1] == "- Lưu."
    assert all(eff.size(p) == 12 for p in left.paragraphs[1:])
    authority = right.paragraphs[0]
    assert authority.text == "TRƯỞNG BAN" and eff.run_attr(authority, "bold") and eff.size(authority) == 14
    name = right.paragraphs[-1]
    assert eff.run_attr(name, "bold") and eff.size(name) == 14
    assert mm(eff.para_attr(name, "space_before")) >= 20  # room for the signature and seal


def test_kt_signature_title_not_bold(built_examples) -> None:
    document = docx.Document(str(built_examples["001-ket-luan-69"]))
    eff = Effective(document)
    right = document.tables[-1].rows[0].cells[1]
    authority, title = right.paragraphs[0], right.paragraphs[1]
    assert (authority.text, title.text) == ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")
    assert eff.run_attr(authority, "bold") and not eff.run_attr(title, "bold")
    assert eff.size(title) == 14


def test_page_number_field_from_page_two(document, sample) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer is True
    default_xml = section.header._element.xml
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", default_xml)
    header_paragraph = section.header.paragraphs[0]
    eff = Effective(document)
    assert eff.para_attr(header_paragraph, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert eff.size(header_paragraph) == 14
    assert "PAGE" not in section.first_page_header._element.xml


def test_footnotes_are_real_word_footnotes(built_examples) -> None:
    path = built_examples["003-xay-dung-dang"]
    with zipfile.ZipFile(path) as z:
        body = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    assert body.count("<w:footnoteReference ") == 1
    assert '<w:footnote w:id="1">' in notes and "Quy định số 101-QĐ/TW" in notes
    assert "relationships/footnotes" in rels and "footnotes+xml" in types
