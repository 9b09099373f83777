"""The draft lifecycle: a draft leaves the number, the day, or the day and month blank (the printed lines keep
their shape) and carries the profile's "Dự thảo" mark; `check` warns on it; `gen-directive issue` fills the
blanks, removes the mark, keeps every other character of the spec, refuses a date before the parent's and
a number already taken in the same series; the issued document passes `check` with no warning."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from test_kinds import find, read

PARTY_DRAFT = """\
# Dự thảo lần 1 — gửi các ban xin ý kiến (comments stay)
type: huong-dan
issuer: lai-chau/thanh-uy-lai-chau/ban-tuyen-giao
draft: true            # left for the văn thư
blank_date: day_month
date: 2023-06-05       # ngày dự kiến
subject: 'tuyên truyền kết quả Hội nghị'
implements:
  - type: huong-dan
    number: 120
    date: 2023-06-01
    issuer: lai-chau/tinh-uy/ban-tuyen-giao
    subject: tuyên truyền kết quả Hội nghị Trung ương
body: |
  # MỤC ĐÍCH
  Nội dung.
recipients: [{text: Ban Tuyên giáo Tỉnh ủy, bc: true}]
signature: {name: Nguyễn Văn A}
"""

STATE_DRAFT = """\
type: ke-hoach
issuer: lai-chau/ubnd-xa-binh-lu
number: ""
draft: true
blank_date: day
date: 2026-04-10
subject: tuyên truyền an toàn thực phẩm
opening: {text: "Ủy ban nhân dân xã xây dựng Kế hoạch như sau:"}
body: |
  # MỤC ĐÍCH
  Nội dung.
signature: {authority: TM., on_behalf: Ủy ban nhân dân, title: Chủ tịch, name: Vàng A Dơ}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _findings(docx: Path) -> list[dict]:
    result = run_cli("--lang", "en", "check", "--format", "json", docx)
    report = json.loads(result.stdout)
    files = report if isinstance(report, list) else report.get("files", report)
    return [f for entry in files for f in entry.get("findings", [])]


def test_party_draft_keeps_the_shape_of_its_lines_and_carries_the_mark(tmp_path: Path) -> None:
    spec = _write(tmp_path, "hd.yaml", PARTY_DRAFT)
    result = run_cli(spec)
    assert result.returncode == 0, result.stderr
    paras = read(tmp_path / "hd.docx")
    texts = [p.text for p in paras]
    assert "Số     -HD/BTGThU" in texts
    assert "TP. Lai Châu, ngày    tháng    năm 2023" in texts
    mark = find(paras, "Dự thảo")
    assert paras.index(mark) == 0 and mark.style_id == "GDDraftMark"
    assert (mark.size(), mark.flag("i"), mark.flag("b")) == (14, True, False)
    assert mark.style.find("w:pPr/w:jc", {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}).get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "right"


def test_state_draft_blank_day_and_boxed_mark(tmp_path: Path) -> None:
    spec = _write(tmp_path, "kh.yaml", STATE_DRAFT)
    result = run_cli(spec)
    assert result.returncode == 0, result.stderr
    paras = read(tmp_path / "kh.docx")
    texts = [p.text for p in paras]
    assert "Số:       /KH-UBND" in texts and "Bình Lư, ngày    tháng 4 năm 2026" in texts
    mark = find(paras, "DỰ THẢO")
    assert mark.flag("b") and mark.style.find("w:rPr/w:bdr", {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}) is not None


def test_check_warns_on_a_draft_with_its_rule(tmp_path: Path) -> None:
    for name, text, rule in (("hd.yaml", PARTY_DRAFT, "HD36.PL1.o11b"), ("kh.yaml", STATE_DRAFT, "ND30.du-thao")):
        spec = _write(tmp_path, name, text)
        assert run_cli(spec).returncode == 0
        findings = _findings(spec.with_suffix(".docx"))
        drafts = [f for f in findings if f["rule"] == rule]
        assert [f["severity"] for f in drafts] == ["warning"], findings


def _assert_issued(docx: Path, lines: list[str], draft_mark: str) -> None:
    """The issued document prints ``lines`` and no draft mark, and check finds nothing to say about it."""
    texts = [p.text for p in read(docx)]
    assert all(line in texts for line in lines) and draft_mark not in texts, texts
    check = run_cli("--lang", "en", "check", docx)
    assert check.returncode == 0 and "0 error(s), 0 warning(s)" in check.stdout, check.stdout


def test_issue_fills_the_blanks_keeps_every_other_character_and_passes_check(tmp_path: Path) -> None:
    spec = _write(tmp_path, "hd.yaml", PARTY_DRAFT)
    result = run_cli("issue", spec, "--number", "98", "--date", "2023-06-06")
    assert result.returncode == 0, result.stderr
    issued = tmp_path / "hd-so-98.yaml"
    assert result.stdout.split() == [str(issued), str(tmp_path / "hd-so-98.docx")]
    expected = PARTY_DRAFT.replace("draft: true            # left for the văn thư\nblank_date: day_month\n", "number: 98\n")
    expected = expected.replace("date: 2023-06-05       # ngày dự kiến", "date: 2023-06-06       # ngày dự kiến")
    assert issued.read_text(encoding="utf-8") == expected
    assert spec.read_text(encoding="utf-8") == PARTY_DRAFT  # the draft is kept
    _assert_issued(tmp_path / "hd-so-98.docx", ["Số 98-HD/BTGThU", "TP. Lai Châu, ngày 06 tháng 6 năm 2023"], draft_mark="Dự thảo")


def test_issue_in_place_replaces_only_the_number_date_and_draft_lines(tmp_path: Path) -> None:
    spec = _write(tmp_path, "kh.yaml", STATE_DRAFT)
    result = run_cli("issue", spec, "--number", "5", "--date", "2026-04-15", "-o", spec)
    assert result.returncode == 0, result.stderr
    assert spec.read_text(encoding="utf-8") == STATE_DRAFT.replace('number: ""\ndraft: true\nblank_date: day\ndate: 2026-04-10',
                                                                    "number: 5\ndate: 2026-04-15")
    _assert_issued(tmp_path / "kh.docx", ["Số: 05/KH-UBND", "Bình Lư, ngày 15 tháng 4 năm 2026"], draft_mark="DỰ THẢO")


def test_issue_refuses_a_date_before_the_parent(tmp_path: Path) -> None:
    spec = _write(tmp_path, "hd.yaml", PARTY_DRAFT)
    result = run_cli("--lang", "en", "issue", spec, "--number", "98", "--date", "2023-05-31")
    assert result.returncode == 2
    assert result.stderr.strip() == (f"--date 2023-05-31 is before the parent it carries out ({spec}:11: Hướng dẫn số 120, dated "
                                     "01/6/2023); a document is issued on or after its parent's date.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hd.yaml"]


def test_issue_refuses_a_number_taken_in_the_same_series(tmp_path: Path) -> None:
    # State (NĐ 30 Điều 16): one series per organ per year, all types together: a Báo cáo 05 takes 05 from a Kế hoạch.
    _write(tmp_path, "bc.yaml", STATE_DRAFT.replace("type: ke-hoach", "type: bao-cao").replace('number: ""\ndraft: true\nblank_date: day\n', "number: 5\n"))
    spec = _write(tmp_path, "kh.yaml", STATE_DRAFT)
    result = run_cli("--lang", "en", "issue", spec, "--number", "5", "--date", "2026-04-15")
    assert result.returncode == 2
    assert result.stderr.strip() == (f"--number 5 is taken: {tmp_path / 'bc.yaml'} has it already in the same series (Ủy ban nhân dân xã, "
                                     "all types, year 2026); ask the văn thư for the next free number.")
    # another year is another series
    assert run_cli("issue", spec, "--number", "5", "--date", "2027-01-05").returncode == 0


def test_party_series_is_per_type_and_term(tmp_path: Path) -> None:
    # HD 36 §II.1.3.1: each type runs from 01 within a cấp ủy term: a Kế hoạch 98 does not take a Hướng dẫn's 98 …
    other = PARTY_DRAFT.replace("draft: true            # left for the văn thư\nblank_date: day_month\n", "number: 98\n")
    _write(tmp_path, "kh.yaml", other.replace("type: huong-dan\nissuer", "type: ke-hoach\nissuer"))
    spec = _write(tmp_path, "hd.yaml", PARTY_DRAFT)
    assert run_cli("issue", spec, "--number", "98", "--date", "2023-06-06").returncode == 0
    # … but a Hướng dẫn 98 of the same term does
    again = run_cli("--lang", "en", "issue", spec, "--number", "98", "--date", "2023-06-07", "-o", tmp_path / "again.yaml")
    assert again.returncode == 2 and "hd-so-98.yaml has it already in the same series" in again.stderr
    assert "the cấp ủy term from 01/7/2020" in again.stderr


def test_issue_refuses_bad_options_and_an_issued_spec(tmp_path: Path) -> None:
    spec = _write(tmp_path, "kh.yaml", STATE_DRAFT)
    bad_number = run_cli("--lang", "en", "issue", spec, "--number", "x5", "--date", "2026-04-15")
    assert bad_number.returncode == 2 and bad_number.stderr.strip() == (
        "--number x5: write the number the văn thư gives, a whole number from 1, e.g. --number 15.")
    bad_date = run_cli("--lang", "en", "issue", spec, "--number", "5", "--date", "15/4/2026")
    assert bad_date.returncode == 2 and bad_date.stderr.strip() == (
        "--date 15/4/2026: write the date of issue as YYYY-MM-DD, e.g. --date 2020-04-15.")
    assert run_cli("issue", spec, "--number", "5", "--date", "2026-04-15", "-o", spec).returncode == 0
    again = run_cli("--lang", "en", "issue", spec, "--number", "6", "--date", "2026-04-15")
    assert again.returncode == 2 and again.stderr.strip() == f"{spec}: the spec is not a draft (no draft: true); it is issued already."


def test_blank_date_only_in_a_draft(tmp_path: Path) -> None:
    spec = _write(tmp_path, "kh.yaml", STATE_DRAFT.replace('number: ""\ndraft: true\n', "number: 5\n"))
    result = run_cli("--lang", "en", "build", spec)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"{spec}:4:1: blank_date: only a draft (draft: true) leaves the date blank; "
                                     "an issued document has its whole date.")


def test_check_warns_on_a_blank_number_or_date_without_a_mark(tmp_path: Path) -> None:
    from check_fixtures import build_party

    blank_number = build_party(tmp_path / "so.docx", number="Số     -HD/BTGThU")
    blank_day = build_party(tmp_path / "ngay.docx", place_date="TP. Lai Châu, ngày    tháng 6 năm 2023")
    issued = build_party(tmp_path / "issued.docx")
    found = {docx.name: [(f["rule"], f["message"]) for f in _findings(docx) if f["rule"] == "HD36.PL1.o11b"]
             for docx in (blank_number, blank_day, issued)}
    assert found == {
        "so.docx": [("HD36.PL1.o11b", "The number is left blank: the document is a draft, not yet issued.")],
        "ngay.docx": [("HD36.PL1.o11b", "The date is left blank: the document is a draft, not yet issued.")],
        "issued.docx": [],
    }


def test_issue_keeps_windows_line_endings_and_adds_the_number_line_in_kind(tmp_path: Path) -> None:
    draft = PARTY_DRAFT.replace("\n", "\r\n")
    spec = tmp_path / "hd.yaml"
    spec.write_bytes(draft.encode("utf-8"))
    assert run_cli("issue", spec, "--number", "7", "--date", "2023-06-06", "-o", spec).returncode == 0
    expected = (PARTY_DRAFT.replace("draft: true            # left for the văn thư\nblank_date: day_month\n", "number: 7\n")
                .replace("date: 2023-06-05", "date: 2023-06-06").replace("\n", "\r\n"))
    assert spec.read_bytes() == expected.encode("utf-8")


def test_the_mark_goes_under_the_number_when_the_profile_says_so(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import copy

    from lxml import etree

    from generator import data, template_build
    from generator.build import compose_spec
    from generator.jinja_env import xml_environment
    from generator.oxml import lines_xml
    from generator.render import context

    original = data.profile

    def under_number(profile_id: str) -> dict:
        profile = copy.deepcopy(original(profile_id))
        profile["elements"]["draft_mark"]["position"] = "under_number"
        return profile

    monkeypatch.setattr(data, "profile", under_number)
    bundle = template_build.compile_template(template_build.build_template("party", "party-hd36"))
    document, _ = compose_spec(_write(tmp_path, "hd.yaml", PARTY_DRAFT))
    env = xml_environment()
    env.filters["lines"] = lines_xml
    part = next(p for p in bundle["parts"] if p["name"] == "word/document.xml")
    root = etree.fromstring(env.from_string(part["jinja"]).render(context(document)).encode("utf-8"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]
    assert texts[0] != "Dự thảo"
    assert texts[texts.index("Số     -HD/BTGThU") + 1] == "Dự thảo"
