"""Document kinds: State documents (Nghị định 30/2020) and công văn of both regimes, built from
examples/kinds/, read back from the .docx (sizes, bold/italic, rules, number forms, Kính gửi, Nơi nhận,
signature) and from LibreOffice's print; wrong-regime specs refused; every problem reported in one run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import EXAMPLES, build_all, run_cli, unavailable

KINDS = EXAMPLES / "kinds"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PT_PER_MM = 72 / 25.4


def _val(el: etree._Element | None, attr: str = "val") -> str | None:
    return None if el is None else el.get(f"{{{W}}}{attr}")


class Para:
    """A paragraph with its effective style facts (paragraph style, then direct run properties)."""

    def __init__(self, p: etree._Element, styles: dict[str, etree._Element]) -> None:
        self.el = p
        self.style_id = _val(p.find("w:pPr/w:pStyle", NS)) or "Normal"
        self.style = styles.get(self.style_id)
        self.text = "".join(t.text or "" if t.tag == f"{{{W}}}t" else "\n" if t.tag == f"{{{W}}}br" else "\t"
                            for t in p.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab"))

    def _style_rpr(self, tag: str) -> etree._Element | None:
        style = self.style
        return None if style is None else style.find(f"w:rPr/w:{tag}", NS)

    def size(self) -> float | None:
        value = _val(self._style_rpr("sz"))
        return None if value is None else int(value) / 2

    def flag(self, tag: str) -> bool:
        """bold (b) / italic (i) / underline (u) of the paragraph's style."""
        el = self._style_rpr(tag)
        return el is not None and _val(el) not in ("0", "false", "none")

    def run_flag(self, index: int, tag: str) -> bool:
        runs = self.el.findall("w:r", NS)
        el = runs[index].find(f"w:rPr/w:{tag}", NS)
        return el is not None

    def border_bottom(self) -> bool:
        own = self.el.find("w:pPr/w:pBdr/w:bottom", NS)
        styled = None if self.style is None else self.style.find("w:pPr/w:pBdr/w:bottom", NS)
        return own is not None or styled is not None


def read(docx: Path) -> list[Para]:
    with zipfile.ZipFile(docx) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles_root = etree.fromstring(z.read("word/styles.xml"))
    styles = {s.get(f"{{{W}}}styleId"): s for s in styles_root.findall("w:style", NS)}
    return [Para(p, styles) for p in doc.iter(f"{{{W}}}p")]


def find(paras: list[Para], text: str) -> Para:
    found = [p for p in paras if p.text == text]
    assert found, f"no paragraph {text!r} in {[p.text for p in paras]}"
    return found[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(sorted(KINDS.glob("*.yaml")), tmp_path_factory.mktemp("kinds"))


def test_every_kind_example_passes_check_with_no_error(built: dict[str, Path]) -> None:
    result = run_cli("check", "--format", "json", *built.values())
    report = json.loads(result.stdout)
    files = report if isinstance(report, list) else report.get("files", report)
    assert result.returncode == 0, result.stdout
    assert "party-cong-van-btgdvtu" in result.stdout and "state-quyet-dinh-ubnd" in result.stdout
    assert files


def test_state_header_quoc_hieu_tieu_ngu_number_and_date(built: dict[str, Path]) -> None:
    paras = read(built["state-ke-hoach-ubnd-xa"])
    title = find(paras, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert (title.size(), title.flag("b")) == (12, True)
    motto = find(paras, "Độc lập - Tự do - Hạnh phúc")
    assert (motto.size(), motto.flag("b"), motto.border_bottom()) == (13, True, True)
    organ = find(paras, "ỦY BAN NHÂN DÂN\nXÃ BÌNH LƯ")
    assert (organ.size(), organ.flag("b")) == (12, True)
    rule = paras[paras.index(organ) + 1]
    assert rule.text == "" and rule.border_bottom()
    # the short rule: 1/3–1/2 of "ỦY BAN NHÂN DÂN" (40 mm at 12 pt bold) inside a 68 mm cell
    indent = int(rule.el.find("w:pPr/w:ind", NS).get(f"{{{W}}}left")) / 1440 * 25.4
    assert 1 / 3 <= (68 - 2 * indent) / 40.0 <= 1 / 2
    number = find(paras, "Số: 12/KH-UBND")
    assert (number.size(), number.flag("b")) == (13, False)
    date = find(paras, "Bình Lư, ngày 05 tháng 3 năm 2026")
    assert (date.size(), date.flag("i")) == (14, True)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in [p.text for p in paras] and "*" not in [p.text for p in paras]
    kind = find(paras, "KẾ HOẠCH")
    assert (kind.size(), kind.flag("b")) == (14, True)
    separator = paras[paras.index(kind) + 3]
    assert separator.text == "" and separator.border_bottom() and separator.style_id == "GDSeparatorRule"


def test_state_opening_cites_the_state_parent(built: dict[str, Path]) -> None:
    paras = read(built["state-ke-hoach-ubnd-xa"])
    assert any(p.text.startswith("Thực hiện Kế hoạch số 21/KH-UBND, ngày 05/02/2026 của Ủy ban nhân dân tỉnh Lai Châu về công tác phổ biến")
               for p in paras), [p.text for p in paras][:20]


def test_state_closing_and_signature(built: dict[str, Path]) -> None:
    paras = read(built["state-ke-hoach-ubnd-xa"])
    noi_nhan = find(paras, "Nơi nhận:")
    assert (noi_nhan.size(), noi_nhan.flag("b"), noi_nhan.flag("i"), noi_nhan.flag("u")) == (12, True, True, False)
    lines = [p for p in paras if p.style_id == "GDRecipient"]
    assert [p.size() for p in lines] == [11] * len(lines)
    assert all(p.text.endswith(";") for p in lines[:-1]) and lines[-1].text == "- Lưu: VT."
    authority = find(paras, "KT. CHỦ TỊCH")
    title = find(paras, "PHÓ CHỦ TỊCH")
    assert authority.flag("b") and title.flag("b")


def test_state_cong_van_number_vv_kinh_gui_and_nhu_tren(built: dict[str, Path]) -> None:
    paras = read(built["state-cong-van-ubnd"])
    texts = [p.text for p in paras]
    assert "Số: 45/UBND-VP" in texts
    vv = find(paras, "V/v triển khai Tháng hành động vì an toàn thực phẩm năm 2026")
    assert (vv.size(), vv.flag("b"), vv.flag("i")) == (12, False, False)
    assert "CÔNG VĂN" not in texts
    kinh_gui = [p.text for p in paras if p.style_id in ("GDKinhGui", "GDKinhGuiItem")]
    assert kinh_gui == ["Kính gửi:\t- Ủy ban MTTQ Việt Nam xã;", "- Các cơ quan, đơn vị trên địa bàn xã;", "- Trưởng các thôn, bản."]
    recipients = [p.text for p in paras if p.style_id == "GDRecipient"]
    assert recipients[0] == "- Như trên;" and recipients[-1] == "- Lưu: VT, VP."
    assert "TM. ỦY BAN NHÂN DÂN" in texts and "CHỦ TỊCH" in texts


def test_party_cong_van_trich_yeu_under_number_no_vv(built: dict[str, Path]) -> None:
    paras = read(built["party-cong-van-btgdvtu"])
    texts = [p.text for p in paras]
    assert "Số 45-CV/BTGDVTU" in texts and "ĐẢNG CỘNG SẢN VIỆT NAM" in texts and "*" in texts
    subject = find(paras, "tuyên truyền kỷ niệm 96 năm Ngày thành lập Mặt trận Dân tộc thống nhất Việt Nam")
    assert (subject.size(), subject.flag("i"), subject.flag("b")) == (12, True, False)
    assert texts.index(subject.text) == texts.index("Số 45-CV/BTGDVTU") + 1
    assert not any("V/v" in t for t in texts) and "CÔNG VĂN" not in texts and "-----" not in texts
    label = [p for p in paras if p.style_id == "GDKinhGui"][0]
    assert label.text.startswith("Kính gửi:\t- Các đảng ủy xã") and label.run_flag(0, "i") and not label.run_flag(2, "i")
    assert any(t.startswith("1. Tuyên truyền sâu rộng") for t in texts) and not any(t.startswith("I.") for t in texts)
    recipients = [p.text for p in paras if p.style_id == "GDRecipient"]
    assert recipients == ["- Như trên,", "- Thường trực Tỉnh ủy (b/c),", "- Lưu BTGDVTU."]
    assert "K/T TRƯỞNG BAN" in texts and "PHÓ TRƯỞNG BAN" in texts


def test_state_quyet_dinh_can_cu_and_dieu(built: dict[str, Path]) -> None:
    paras = read(built["state-quyet-dinh-ubnd"])
    texts = [p.text for p in paras]
    assert "Số: 86/QĐ-UBND" in texts and "QUYẾT ĐỊNH" in texts
    enacting = find(paras, "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ BÌNH LƯ")
    assert enacting.flag("b")
    can_cu = [p for p in paras if p.style_id == "GDCanCu"]
    assert [p.text for p in can_cu] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Phổ biến, giáo dục pháp luật ngày 20 tháng 6 năm 2012;",
        "Theo đề nghị của Trưởng phòng Văn hóa - Xã hội.",
    ]
    assert all(p.flag("i") for p in can_cu)
    decides = find(paras, "QUYẾT ĐỊNH:")
    assert decides.flag("b") and texts.index("QUYẾT ĐỊNH:") == texts.index(can_cu[-1].text) + 1
    articles = [p for p in paras if p.text.startswith("Điều ")]
    assert [p.text.split(" ", 2)[:2] for p in articles] == [["Điều", "1."], ["Điều", "2."], ["Điều", "3."]]
    assert all(p.run_flag(0, "b") for p in articles)
    assert "1. Tham mưu cho Ủy ban nhân dân xã chỉ đạo công tác phổ biến, giáo dục pháp luật trên địa bàn." in texts


# --------------------------------------------------------------------------------------------------
# The LibreOffice print of State documents


def _soffice() -> str:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None or shutil.which("pdftotext") is None:
        unavailable("LibreOffice and poppler-utils are needed (apt-get install libreoffice-writer-nogui poppler-utils)")
    assert program is not None
    return program


@pytest.fixture(scope="module")
def printed_state(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    _soffice()
    out = tmp_path_factory.mktemp("kinds-pdf")
    long_spec = out / "long.yaml"
    text = (KINDS / "state-ke-hoach-ubnd-xa.yaml").read_text(encoding="utf-8")
    long_spec.write_text(text.replace("# Tổ chức thực hiện", "## Nội dung bổ sung\n" + "  Tuyên truyền, phổ biến sâu rộng các quy định pháp luật mới đến mọi tầng lớp Nhân dân trên địa bàn.\n" * 30 + "  # Tổ chức thực hiện"), encoding="utf-8")
    result = run_cli(long_spec, "-o", out / "long.docx", "--pdf")
    assert result.returncode == 0, result.stderr
    pages: dict[str, list[str]] = {}
    for name, docx in [*built.items(), ("long", out / "long.docx")]:
        if name != "long":
            target = out / docx.name
            shutil.copy(docx, target)
            assert run_cli("check", target).returncode in (0, 1)
            subprocess.run([_soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(out), str(target)],
                           capture_output=True, timeout=180, env={**os.environ, "HOME": str(out)})
        pdf = (out / docx.name).with_suffix(".pdf")
        layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        pages[name] = layout.split("\f")
    return pages


def test_state_print_quoc_hieu_and_date_each_on_one_line(printed_state: dict[str, list[str]]) -> None:
    for name in ("state-ke-hoach-ubnd-xa", "state-cong-van-ubnd", "state-quyet-dinh-ubnd"):
        first = printed_state[name][0]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first, first[:600]
        assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Bình Lư, ngày 05 tháng 3 năm 2026" in printed_state["state-ke-hoach-ubnd-xa"][0]
    # "Số:" and the date share one printed line (ô 3 and ô 4)
    line = next(l for l in printed_state["state-cong-van-ubnd"][0].splitlines() if "Số: 45/UBND-VP" in l)
    assert "Bình Lư, ngày 10 tháng 4 năm 2026" in line


def test_state_print_page_numbers_from_page_two(printed_state: dict[str, list[str]]) -> None:
    pages = [p for p in printed_state["long"] if p.strip()]
    assert len(pages) >= 2
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert not pages[0].strip().splitlines()[0].strip().isdigit()


# --------------------------------------------------------------------------------------------------
# Wrong regime, and every problem in one run


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


STATE_WITH_PARTY_SIGNATURE = """\
type: ke-hoach
issuer: lai-chau/ubnd-xa-binh-lu
number: 3
date: 2026-03-05
subject: thử
opening: {text: "Mở đầu."}
body: Nội dung.
signature: {authority: T/M, on_behalf: Ban Thường vụ, title: Bí thư, name: A}
"""

PARTY_WITH_STATE_PROFILE = """\
type: huong-dan
profile: state
issuer: lai-chau/dang-uy-xa-binh-lu
number: 3
date: 2026-03-05
subject: thử
opening: {text: "Mở đầu."}
body: Nội dung.
signature: {name: A}
"""


def test_state_issuer_with_party_signature_is_refused(tmp_path: Path) -> None:
    _spec(tmp_path, STATE_WITH_PARTY_SIGNATURE)
    result = run_cli("--lang", "en", "spec.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "spec.yaml:8:13: signature.authority: T/M is not a form of the state regime of Ủy ban nhân dân xã Bình Lư; "
        "write one of TM., KT., TL., TUQ., Q..\n")
    assert not (tmp_path / "spec.docx").exists()


def test_party_issuer_with_state_profile_is_refused(tmp_path: Path) -> None:
    _spec(tmp_path, PARTY_WITH_STATE_PROFILE)
    result = run_cli("--lang", "en", "spec.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "spec.yaml:2:1: profile: profile: state, but the issuer Đảng ủy xã Bình Lư is a party organ; "
        "remove profile: or name an issuer of the state regime.\n")


def test_cong_van_without_kinh_gui_is_refused(tmp_path: Path) -> None:
    text = (KINDS / "state-cong-van-ubnd.yaml").read_text(encoding="utf-8")
    start, end = text.index("kinh_gui:"), text.index("body:")
    result = run_cli("--lang", "en", _spec(tmp_path, text[:start] + text[end:]))
    assert result.returncode == 1
    assert result.stderr.endswith("kinh_gui: a Công văn names its addressees: write kinh_gui: with one line per addressee.\n")


def test_every_stage_reports_in_one_run_in_file_order(tmp_path: Path) -> None:
    spec = _spec(tmp_path, """\
type: huong-dan
issuer: lai-chau/huyen-uy-tam-duong
number: 3
date: 2026-03-05
subject: thử
place: "{{ tinh }}"
opening: {text: "Mở đầu."}
body: |
  # Một
  ### Ba
sigature: {name: A}
signature: {name: A}
""")
    result = run_cli("--lang", "en", spec.name, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert [line.split(": ", 2)[:2] for line in lines] == [
        ["spec.yaml:2:1", "issuer"],
        ["spec.yaml:6:1", "place"],
        ["spec.yaml:10", "body"],
        ["spec.yaml:11:1", "sigature"],
    ], result.stderr
    assert "ceased on 30/6/2025" in lines[0] and "'tinh' is undefined" in lines[1]
    assert lines[2].endswith('a "###" item needs a "##" item before it.')
    assert 'unknown key "sigature"' in lines[3]


def test_a_date_before_hd36_is_built_under_hd36_with_a_warning(tmp_path: Path) -> None:
    text = (EXAMPLES / "002-hoi-nghi-giua-nhiem-ky.yaml").read_text(encoding="utf-8")
    import re

    spec = _spec(tmp_path, re.sub(r"(?m)^date: .*$", "date: 2017-06-05", text, count=1).replace("date: 2023-06-01", "date: 2017-06-01"))
    result = run_cli("--lang", "en", spec.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: spec.yaml:")
    assert "date: 05/6/2017 is before Hướng dẫn 36-HD/VPTW came into force (03/4/2018)" in result.stderr
    from generator import data
    import datetime as dt

    assert data.profile_for("party", dt.date(2017, 6, 5))["id"] == "party-hd36"


# --------------------------------------------------------------------------------------------------
# init reads State documents: the Quốc hiệu is never the organ; numbers and plain date lines of both regimes


STATE_PARENT = """\
type: ke-hoach
issuer: lai-chau/ubnd-tinh
number: 21
date: 2026-02-05
subject: công tác phổ biến, giáo dục pháp luật năm 2026
opening: {text: "Thực hiện Chương trình công tác năm 2026."}
body: |
  # Mục đích, yêu cầu
  Nâng cao nhận thức pháp luật.
  # Tổ chức thực hiện
  Các sở, ngành thực hiện.
signature: {name: Lê Văn Lương}
"""


def test_init_reads_a_state_parent_and_the_child_cites_it_in_its_regime(tmp_path: Path) -> None:
    from generator import registry as organ_registry
    from generator.parent_reader import read_parent

    (tmp_path / "parent.yaml").write_text(STATE_PARENT, encoding="utf-8")
    assert run_cli(tmp_path / "parent.yaml", "-o", tmp_path / "parent.docx").returncode == 0
    doc = read_parent(tmp_path / "parent.docx", organ_registry.shipped())
    assert doc.identity() == {"type": "Kế hoạch", "number": "21", "symbol": "KH-UBND", "date": "2026-02-05",
                              "issuer": "lai-chau/ubnd-tinh", "subject": "công tác phổ biến, giáo dục pháp luật năm 2026"}
    assert doc.regime == "state" and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in " ".join(doc.organ_lines)
    # headings typed in lower case and printed IN HOA by their style read as printed
    assert [(h.level, h.title) for h in doc.sections] == [(1, "MỤC ĐÍCH, YÊU CẦU"), (1, "TỔ CHỨC THỰC HIỆN")]
    result = run_cli("init", "--from", tmp_path / "parent.docx", "--issuer", "lai-chau/ubnd-xa-binh-lu", "-o", tmp_path / "child.yaml")
    assert result.returncode == 0, result.stderr
    assert run_cli(tmp_path / "child.yaml").returncode == 0
    paragraphs = [p.text for p in read(tmp_path / "child.docx")]
    assert "Số:       /KH-UBND" in paragraphs  # a draft keeps the line's shape
    assert any(p.startswith("Thực hiện Kế hoạch số 21/KH-UBND, ngày 05/02/2026 của Ủy ban nhân dân tỉnh Lai Châu về công tác") for p in paragraphs)


def test_number_and_date_lines_of_both_regimes_are_read() -> None:
    from generator.vocab import parse_date_line, parse_number_line

    assert parse_number_line("Số 38- HD/BTGHU") == parse_number_line("Số 38-HD/BTGHU")
    assert (parse_number_line("Số 38- HD/BTGHU").type_symbol, parse_number_line("Số 38- HD/BTGHU").regime) == ("HD", "party")
    state = parse_number_line("Số: 15/KH-UBND")
    assert (state.number, state.type_symbol, state.organ_symbol, state.regime) == ("15", "KH", "UBND", "state")
    cong_van = parse_number_line("Số: 45/UBND-VP")
    assert (cong_van.type_symbol, cong_van.organ_symbol) == ("", "UBND-VP")
    assert parse_number_line("Số:      /KH-UBND").number == ""
    import datetime as dt

    assert parse_date_line("Bình Gia, ngày 15 tháng 10 năm 2018") == ("Bình Gia", dt.date(2018, 10, 15))
    assert parse_date_line("Đắk Glong, ngày    tháng 4 năm 2020") == ("Đắk Glong", None)
    assert parse_date_line("Cộng Hòa xã Hội Chủ Nghĩa Việt Nam") is None


@pytest.mark.parametrize("day", ["2017-06-05", "2018-04-03", "2026-05-26", "2026-05-27", "2026-11-01"])
def test_build_and_check_choose_the_same_profile(day: str) -> None:
    import datetime as dt

    from generator import data
    from generator.check.catalog import profile_for_date

    when = dt.date.fromisoformat(day)
    for regime in ("party", "state"):
        assert profile_for_date(regime, when).id == data.profile_for(regime, when)["id"]
    assert data.profile_for("party", dt.date(2017, 6, 5))["id"] == "party-hd36"
    assert data.profile_for("party", dt.date(2026, 5, 27))["id"] == "party-hd05"


def _every_kind() -> list[tuple[str, str]]:
    from generator import data

    return [(type_id, regime) for type_id in data.doc_types() for regime in ("party", "state")
            if regime in data.kind(type_id, regime).regimes]


def test_every_kind_of_both_regimes_builds_and_passes_check(tmp_path: Path) -> None:
    from generator import data

    specs = []
    for type_id, regime in _every_kind():
        kind = data.kind(type_id, regime)
        issuer = "lai-chau/dang-uy-xa-binh-lu" if regime == "party" else "lai-chau/ubnd-xa-binh-lu"
        text = (f"type: {type_id}\nissuer: {issuer}\nnumber: 7\ndate: 2026-06-15\nsubject: thử nghiệm loại văn bản\n"
                "opening: {text: Mở đầu văn bản.}\nbody: |\n  # Nội dung thứ nhất\n  Đoạn văn.\n  # Nội dung thứ hai\n  Đoạn văn.\n"
                "signature: {name: Nguyễn Văn A}\n")
        if kind.kinh_gui != "none":
            text += "kinh_gui: [Các cơ quan, đơn vị]\n"
        if kind.can_cu:
            text += "can_cu: [Căn cứ Điều lệ, Căn cứ Quy chế làm việc]\n"
        spec = tmp_path / f"{type_id}-{regime}.yaml"
        spec.write_text(text, encoding="utf-8")
        specs.append(spec)
    (tmp_path / "out").mkdir()
    result = run_cli(*specs, "--out-dir", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    report = run_cli("check", "--format", "json", *sorted((tmp_path / "out").glob("*.docx")))
    assert report.returncode == 0, report.stdout[:3000]
    assert len(specs) >= 26
