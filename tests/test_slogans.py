"""Slogans where the document puts them: their own last section (numbered, as before), or, where a
"[khẩu hiệu]" line of the body places them, a dash list (or numbered with numbered: true) inside a point,
with the text that follows."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from docxtext import body_paragraphs

SPEC = """\
type: cong-van
issuer: lai-chau/ubnd-xa-binh-lu
number: 45
date: 2026-04-10
subject: tuyên truyền
kinh_gui: [Các thôn, bản]
body: |
  Ủy ban nhân dân xã đề nghị:
  # Tổ chức tuyên truyền.
  # Treo băng rôn, khẩu hiệu với các nội dung sau:

  [khẩu hiệu]

  Các đơn vị hoàn thành trước ngày 20/4/2026.
  # Báo cáo kết quả.

  Đề nghị các cơ quan, đơn vị thực hiện./.
slogans:{numbered}
  items:
    - Nhiệt liệt chào mừng Đại hội!
    - Đảng Cộng sản Việt Nam quang vinh muôn năm!
signature: {{authority: TM., on_behalf: Ủy ban nhân dân, title: Chủ tịch, name: Vàng A Dơ}}
"""


def _build(tmp_path: Path, text: str) -> list[str]:
    spec = tmp_path / "cv.yaml"
    spec.write_text(text, encoding="utf-8")
    result = run_cli(spec)
    assert result.returncode == 0, result.stderr
    paragraphs = body_paragraphs(spec.with_suffix(".docx"))
    start = paragraphs.index("Ủy ban nhân dân xã đề nghị:")
    return paragraphs[start:paragraphs.index("Nơi nhận:")]


def test_slogans_as_dashes_inside_a_point_with_text_after(tmp_path: Path) -> None:
    assert _build(tmp_path, SPEC.format(numbered="")) == [
        "Ủy ban nhân dân xã đề nghị:",
        "1. Tổ chức tuyên truyền.",
        "2. Treo băng rôn, khẩu hiệu với các nội dung sau:",
        "- Nhiệt liệt chào mừng Đại hội!",
        "- Đảng Cộng sản Việt Nam quang vinh muôn năm!",
        "Các đơn vị hoàn thành trước ngày 20/4/2026.",
        "3. Báo cáo kết quả.",
        "Đề nghị các cơ quan, đơn vị thực hiện./.",
    ]


def test_slogans_numbered_inside_a_point(tmp_path: Path) -> None:
    printed = _build(tmp_path, SPEC.format(numbered="\n  numbered: true"))
    assert printed[3:5] == ["1. Nhiệt liệt chào mừng Đại hội!", "2. Đảng Cộng sản Việt Nam quang vinh muôn năm!"]
    assert printed[6] == "3. Báo cáo kết quả."   # the point numbers go on


def test_without_the_marker_the_slogans_are_the_last_section(tmp_path: Path) -> None:
    printed = _build(tmp_path, SPEC.format(numbered="").replace("  [khẩu hiệu]\n\n", ""))
    assert printed[-3:] == ["4. MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN", "1. Nhiệt liệt chào mừng Đại hội!",
                            "2. Đảng Cộng sản Việt Nam quang vinh muôn năm!"]


def test_a_marker_without_slogans_and_a_second_marker_are_refused(tmp_path: Path) -> None:
    spec = tmp_path / "cv.yaml"
    text = SPEC.format(numbered="").split("slogans:")[0] + "signature: {authority: TM., on_behalf: Ủy ban nhân dân, title: Chủ tịch, name: Vàng A Dơ}\n"
    spec.write_text(text.replace("  # Báo cáo kết quả.\n", "  # Báo cáo kết quả.\n\n  [khẩu hiệu]\n"), encoding="utf-8")
    result = run_cli("--lang", "en", spec)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{spec}:12: body: \"[khẩu hiệu]\" places the slogans here, but the spec has none; write slogans: with their lines, or remove this line.",
        f"{spec}:17: body: the slogans are placed once; remove this second \"[khẩu hiệu]\" line.",
    ]
