"""``gen-directive check``: the effective-formatting reader, the recogniser and the rules.

The documents come from :mod:`check_fixtures`: a conformant Party Hướng dẫn built the way a clerk's Word
file looks (styles mixed with direct formatting, header/signature tables, PAGE field, titlePg), and
mutations of it that each break exactly one rule. Each mutation test asserts the *set* of rule ids found,
so a rule that fires too widely (or a recogniser that loses an element) fails the test.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_fixtures import build_party, build_state  # noqa: E402

from generator.check import check_file, run_check  # noqa: E402
from generator.check.catalog import load_catalog  # noqa: E402
from generator.check.recognise import recognise  # noqa: E402
from generator.oxml.read import open_docx  # noqa: E402


pytestmark = pytest.mark.usefixtures("english")  # messages are asserted in English (the message ids)


def rule_ids(path: Path, profile: str | None = None) -> set[str]:
    return {f.rule.id for f in check_file(path, profile).findings}


@pytest.fixture
def party(tmp_path: Path) -> Path:
    return build_party(tmp_path / "party.docx")


# ---------------------------------------------------------------- conformant documents


def test_conformant_party_document_has_no_findings_and_exit_0(party: Path) -> None:
    result = check_file(party)
    assert result.profile is not None and result.profile.id == "party-hd36"
    assert result.profile_source == "detected"
    assert [f.rule.id for f in result.findings] == []
    out = io.StringIO()
    assert run_check([party], stream=out) == 0
    assert "0 error(s), 0 warning(s)" in out.getvalue()


def test_conformant_state_document_is_detected_and_passes(tmp_path: Path) -> None:
    path = build_state(tmp_path / "state.docx")
    result = check_file(path)
    assert result.profile is not None and result.profile.id == "state-nd30"
    assert [f.rule.id for f in result.findings] == []


def test_recogniser_finds_every_element_of_the_clerk_document(party: Path) -> None:
    rec = recognise(open_docx(party))
    assert rec.regime == "party"
    assert rec.superior is not None and rec.superior.text == "THÀNH ỦY LAI CHÂU"
    assert rec.organ is not None and rec.organ.text == "BAN TUYÊN GIÁO"
    assert rec.star is not None and rec.number is not None and rec.number.text == "Số 98-HD/BTGThU"
    assert rec.place_date is not None and str(rec.date) == "2023-06-05"
    assert rec.doc_type is not None and rec.doc_type.text == "HƯỚNG DẪN"
    assert rec.subject is not None and len(rec.subject.segments) == 2
    assert rec.separator is not None
    assert [p.text[:12] for p in rec.body][:3] == ["Thực hiện Hư", "I. MỤC ĐÍCH,", "1. Mục đích"]
    assert [p.text for p in rec.slogans] == ["- Đảng Cộng sản Việt Nam quang vinh muôn năm!"]
    assert rec.authority is not None and rec.authority.text == "K/T TRƯỞNG BAN"
    assert rec.signer_title is not None and rec.signer_title.text == "PHÓ TRƯỞNG BAN"
    assert rec.signer_name is not None and rec.signer_name.text == "Nguyễn Thị Hải Yến"
    assert rec.noi_nhan is not None
    assert [r.text for r in rec.recipients][-1] == "- Lưu VP."


# ---------------------------------------------------------------- one mutation, one rule

MUTATIONS = [
    pytest.param({"number": "Số: 98-HD/BTGThU"}, "HD36.PL1.o3.hai-cham", id="colon-after-So"),
    pytest.param({"place_date": "TP. Lai Châu, ngày 05 tháng 04 năm 2023"}, "HD36.PL1.o4.ngay-thang", id="thang-04"),
    pytest.param({"place_date": "TP. Lai Châu, ngày 5 tháng 6 năm 2023"}, "HD36.PL1.o4.ngay-thang", id="ngay-5"),
    pytest.param({"place_date": "TP. Lai Châu ngày 05 tháng 6 năm 2023"}, "HD36.PL1.o4.ngay-thang", id="no-comma"),
    pytest.param({"right_margin_mm": 20}, "HD36.A1.le-phai", id="right-margin-20mm"),
    pytest.param({"title_size": 14}, "HD36.PL3.tieu-de", id="title-14pt"),
    pytest.param({"title_page": False}, "HD36.A1.so-trang-1", id="page-number-on-page-1"),
    pytest.param({"authority": "TM. BAN THƯỜNG VỤ"}, "HD36.PL1.o7.tham-quyen", id="TM-in-party-doc"),
    pytest.param({"noi_nhan_state_style": True}, "HD36.PL3.noi-nhan", id="state-style-noi-nhan"),
    pytest.param({"theme_fonts": True}, "HD36.A1.phong-theme", id="theme-fonts"),
    pytest.param({"vntime_run": True}, "HD36.A1.phong-tcvn3", id="VnTime-run"),
    pytest.param({"body_line_spacing_exact": False}, "HD36.A1.gian-dong", id="line-spacing-auto"),
    pytest.param({"archive": "- Lưu: VT, VP."}, "HD36.PL1.o9.luu", id="Luu-VT"),
    pytest.param({"number": "Số 98/HD-BTGThU"}, "HD36.PL1.o3.ky-hieu", id="state-style-number"),
    pytest.param({"number": "Số 8-HD/BTGThU"}, "HD36.PL1.o3.ky-hieu", id="number-without-zero"),
    pytest.param({"number": "Số 98-KH/BTGThU"}, "HD36.PL1.o3.loai", id="symbol-not-matching-type"),
    pytest.param({"signer_title": "PHÓ TRƯỞNG BAN", "authority": "K/T BÍ THƯ", "organ": "THÀNH ỦY LAI CHÂU",
                  "superior": "ĐẢNG BỘ TỈNH LAI CHÂU"}, "HD36.PL1.o7.kt-bi-thu", id="KT-BI-THU-on-cap-uy"),
]


@pytest.mark.parametrize(("changes", "expected"), MUTATIONS)
def test_each_mutation_is_caught_by_exactly_its_rule(tmp_path: Path, changes: dict[str, object], expected: str) -> None:
    path = build_party(tmp_path / "mutated.docx", **changes)
    assert rule_ids(path) == {expected}


def test_mutated_document_exits_1_and_names_the_rule(tmp_path: Path) -> None:
    path = build_party(tmp_path / "m.docx", right_margin_mm=20)
    out = io.StringIO()
    assert run_check([path], stream=out) == 1
    text = out.getvalue()
    assert "HD36.A1.le-phai" in text and "20 mm" in text and "15 mm" in text


def test_theme_font_resolving_to_times_new_roman_is_only_a_warning(tmp_path: Path) -> None:
    """With themeFontLang vi-VN Word takes the theme's "Viet" face; python-docx's theme maps majorFont/Viet
    to Times New Roman, so a heading style on +Headings shows TNR but still depends on the theme."""
    document = docx.Document()
    settings = document.settings.element
    lang = settings.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}themeFontLang")
    lang.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "vi-VN")
    document.add_paragraph("Đoạn văn", style="Heading 1")
    path = tmp_path / "theme.docx"
    document.save(str(path))
    doc = open_docx(path)
    run = doc.body.paragraphs[0].runs[0]
    assert run.format.theme_fonts["hAnsi"] == "majorHAnsi"
    assert run.format.fonts["hAnsi"] == "Times New Roman"
    theme_findings = [f for f in check_file(path).findings if f.rule.id == "HD36.A1.phong-theme"]
    assert theme_findings and all(f.severity == "warning" for f in theme_findings)


# ---------------------------------------------------------------- profiles


def test_party_guide_is_chosen_by_the_documents_date(tmp_path: Path) -> None:
    old = build_party(tmp_path / "old.docx")
    new = build_party(tmp_path / "new.docx", place_date="TP. Lai Châu, ngày 10 tháng 6 năm 2026")
    assert check_file(old).profile.id == "party-hd36"  # type: ignore[union-attr]
    assert check_file(new).profile.id == "party-hd05"  # type: ignore[union-attr]
    forced = check_file(old, "party-hd05")
    assert forced.profile.id == "party-hd05" and forced.profile_source == "option"  # type: ignore[union-attr]


def test_state_profile_forced_on_a_party_document_reports_the_mix(party: Path) -> None:
    ids = rule_ids(party, "state")
    assert "GEN.tron-che-do" in ids          # the Party title in a State document
    assert "ND30.PL1.o3.hai-cham" in ids     # "Số" without the colon NĐ 30 wants


def test_state_document_with_party_signature_forms(tmp_path: Path) -> None:
    path = build_state(tmp_path / "s.docx", authority="T/M ỦY BAN NHÂN DÂN")
    assert rule_ids(path) == {"ND30.PL1.o7.tham-quyen"}


def test_unknown_profile_is_a_usage_error(party: Path) -> None:
    out = io.StringIO()
    assert run_check([party], profile="party-hd99", stream=out) == 2
    assert "party-hd99" in out.getvalue()


# ---------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(("content", "expected"), [
    pytest.param(b"hello, not a zip", "not a Word .docx file", id="text"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Word 97", id="old-doc"),
    pytest.param(None, "not a Word document", id="zip-without-document"),
])
def test_unreadable_file_exits_2_with_a_message(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "bad.docx"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "x")
    else:
        path.write_bytes(content)
    out = io.StringIO()
    assert run_check([path], stream=out) == 2
    assert expected in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_missing_file_exits_2_and_the_highest_code_wins(party: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_check([party, tmp_path / "nope.docx"], stream=out) == 2
    assert "no such file" in out.getvalue()


# ---------------------------------------------------------------- output


def test_json_output_is_a_list_per_file_with_stable_keys(party: Path, tmp_path: Path) -> None:
    bad = build_party(tmp_path / "bad.docx", number="Số: 98-HD/BTGThU")
    out = io.StringIO()
    assert run_check([party, bad], output_format="json", stream=out) == 1
    data = json.loads(out.getvalue())
    assert [d["status"] for d in data] == ["conformant", "non-conformant"]
    assert list(data[1]) == ["file", "status", "exit_code", "profile", "profile_source", "errors", "warnings",
                             "message", "findings"]
    finding = data[1]["findings"][0]
    assert list(finding) == ["rule", "severity", "element", "part", "paragraph", "excerpt", "message", "count",
                             "citation"]
    assert finding["rule"] == "HD36.PL1.o3.hai-cham" and finding["element"] == "number"
    assert finding["excerpt"] == "Số: 98-HD/BTGThU" and len(finding["excerpt"]) <= 60
    again = io.StringIO()
    run_check([party, bad], output_format="json", stream=again)
    assert again.getvalue() == out.getvalue()


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = build_party(tmp_path / "bad.docx", title_size=14)
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain, tty = io.StringIO(), _Tty()
    run_check([bad], stream=plain)
    run_check([bad], stream=tty)
    assert "\033[" not in plain.getvalue() and "\033[" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    tty2 = _Tty()
    run_check([bad], stream=tty2)
    assert "\033[" not in tty2.getvalue()


# ---------------------------------------------------------------- effective formatting (oxml.read)


def test_toggle_properties_from_two_style_kinds_cancel_and_direct_wins(tmp_path: Path) -> None:
    document = docx.Document()
    para_style = document.styles.add_style("Dam", WD_STYLE_TYPE.PARAGRAPH)
    para_style.font.bold = True
    char_style = document.styles.add_style("DamKyTu", WD_STYLE_TYPE.CHARACTER)
    char_style.font.bold = True
    derived = document.styles.add_style("DamCon", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = para_style
    derived.font.size = Pt(13)
    p = document.add_paragraph(style="Dam")
    p.add_run("a")                                   # paragraph style only: bold
    p.add_run("b", style="DamKyTu")                  # paragraph + character style: they toggle off
    direct = p.add_run("c", style="DamKyTu")
    direct.bold = True                               # direct formatting is absolute
    q = document.add_paragraph(style="DamCon")
    q.add_run("d")                                   # inherited through basedOn: bold, size 13
    path = tmp_path / "toggle.docx"
    document.save(str(path))
    paras = open_docx(path).body.paragraphs
    assert [r.format.bold for r in paras[0].runs] == [True, False, True]
    assert paras[1].runs[0].format.bold is True and paras[1].runs[0].format.size_pt == 13


def test_reader_reads_fields_tabs_breaks_and_table_positions(party: Path, tmp_path: Path) -> None:
    doc = open_docx(party)
    header = doc.headers[doc.sections[0].headers["default"]]
    fields = [f for p in header.paragraphs for f in p.fields]
    assert [f.name for f in fields] == ["PAGE"] and fields[0].result_runs[0].text == "2"
    assert doc.sections[0].title_page is True
    assert round(doc.sections[0].margins_mm["right"]) == 15
    title = next(p for p in doc.body.paragraphs if p.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.cell is not None and (title.cell.table, title.cell.row, title.cell.column) == (1, 0, 1)
    assert title.format.border_bottom

    document = docx.Document()
    p = document.add_paragraph()
    p.add_run("BAN TUYÊN GIÁO\tĐẢNG CỘNG SẢN VIỆT NAM")
    p.add_run().add_break()
    p.add_run("dòng hai")
    path = tmp_path / "tabs.docx"
    document.save(str(path))
    assert open_docx(path).body.paragraphs[0].text == "BAN TUYÊN GIÁO\tĐẢNG CỘNG SẢN VIỆT NAM\ndòng hai"


def test_tabbed_header_without_a_table_is_recognised(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    for line in ("THÀNH ỦY LAI CHÂU\tĐẢNG CỘNG SẢN VIỆT NAM", "BAN TUYÊN GIÁO", "*",
                 "Số 98-HD/BTGThU\tTP. Lai Châu, ngày 05 tháng 6 năm 2023"):
        document.add_paragraph(line)
    document.add_paragraph("HƯỚNG DẪN")
    path = tmp_path / "tabs.docx"
    document.save(str(path))
    rec = recognise(open_docx(path))
    assert rec.party_title is not None and rec.party_title.segments[0].side == "right"
    assert rec.superior is not None and rec.superior.text == "THÀNH ỦY LAI CHÂU"
    assert rec.organ is not None and rec.organ.text == "BAN TUYÊN GIÁO"
    assert rec.number is not None and rec.place_date is not None and rec.doc_type is not None


# ---------------------------------------------------------------- the catalog


def test_every_rule_has_citation_severity_and_a_regime() -> None:
    catalog = load_catalog()
    assert len(catalog.rules) >= 60
    for rule in catalog.rules:
        assert rule.citation and rule.description and rule.severity in ("error", "warning")
        assert rule.id.startswith(("HD36.", "ND30.", "GEN."))
    assert catalog.not_checkable, "the rules a .docx cannot show are listed"


def test_docs_list_every_rule_id() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "check.md").read_text(encoding="utf-8")
    missing = [r.id for r in load_catalog().rules if f"`{r.id}`" not in text]
    assert missing == []


@pytest.mark.parametrize(("glyph", "expected"), [
    pytest.param("\uf02d", set(), id="symbol-dash-bullet"),      # Word's "-" bullet in the Symbol font
    pytest.param("-", set(), id="plain-dash-bullet"),
    pytest.param("\uf0b7", {"HD36.PL1.o9.dau-cau"}, id="round-bullet"),
])
def test_recipients_as_a_word_bullet_list(tmp_path: Path, glyph: str, expected: set[str]) -> None:
    path = build_party(tmp_path / "bullets.docx", recipient_bullet=glyph)
    rec = recognise(open_docx(path))
    assert [r.text for r in rec.recipients][-1] == "Lưu VP."
    assert rule_ids(path) == expected


GALLERY_HEADER = (
    '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr><w:docPartObj>'
    '<w:docPartGallery w:val="Page Numbers (Top of Page)"/><w:docPartUnique/></w:docPartObj></w:sdtPr>'
    '<w:sdtContent><w:p><w:pPr><w:jc w:val="{align}"/></w:pPr><w:fldSimple w:instr=" PAGE   \\* MERGEFORMAT ">'
    '<w:r><w:rPr><w:sz w:val="{half_points}"/></w:rPr><w:t>2</w:t></w:r></w:fldSimple></w:p></w:sdtContent></w:sdt>')


@pytest.mark.parametrize(("align", "size", "expected"), [
    pytest.param("center", 14, set(), id="conformant"),
    pytest.param("center", 12, {"HD36.A1.so-trang-trinh-bay"}, id="size-12"),
    pytest.param("right", 14, {"HD36.A1.so-trang-trinh-bay"}, id="right-aligned"),
])
def test_page_number_from_words_gallery(tmp_path: Path, align: str, size: int, expected: set[str]) -> None:
    """Word's Insert › Page Number puts a fldSimple PAGE inside a content control in the header."""
    from lxml import etree

    path = build_party(tmp_path / "gallery.docx")
    document = docx.Document(str(path))
    header = document.sections[0].header._element
    for p in list(header):
        header.remove(p)
    header.append(etree.fromstring(GALLERY_HEADER.replace("{align}", align).replace("{half_points}", str(size * 2))))
    document.save(str(path))
    assert rule_ids(path) == expected
