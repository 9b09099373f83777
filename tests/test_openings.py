"""Openings that fit real bases, each option pinned with the sentence it prints (docs/spec.md shows the same):
unnumbered, undated, subject-less and free-text bases; per-parent date form, comma, quotes and "về"; several
parents joined as Vietnamese joins them; the separator before the action; "Căn cứ" and "Để …"."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from docxtext import body_paragraphs
from generator.build import compose_spec

HEAD = """\
type: huong-dan
issuer: lai-chau/thanh-uy-lai-chau/ban-tuyen-giao
number: 98
date: 2023-06-05
subject: tuyên truyền
body: Nội dung.
signature: {name: Nguyễn Văn A}
"""
HD120 = """\
  - type: huong-dan
    number: 120
    date: 2023-06-01
    issuer: lai-chau/tinh-uy/ban-tuyen-giao
    subject: tuyên truyền kết quả Hội nghị Trung ương
"""
KH21 = """\
  - type: ke-hoach
    number: 21
    symbol: KH/TU
    date: 2023-03-31
    issuer: Tỉnh ủy Lai Châu
    subject: thực hiện Chỉ thị 05
"""
BASIS = "Hướng dẫn số 120-HD/BTGTU, ngày 01/6/2023 của Ban Tuyên giáo Tỉnh ủy Lai Châu về tuyên truyền kết quả Hội nghị Trung ương"
ACTION = "Ban Tuyên giáo Thành ủy hướng dẫn công tác tuyên truyền trên địa bàn thành phố như sau:"

CASES = [
    pytest.param(HD120, "{}", f"Thực hiện {BASIS}; {ACTION}", id="default"),
    pytest.param("  - {type: Hướng dẫn, issuer: Ban Tuyên giáo Tỉnh ủy}\n", "{}",
                 f"Thực hiện Hướng dẫn của Ban Tuyên giáo Tỉnh ủy; {ACTION}", id="unnumbered-undated-no-subject"),
    pytest.param("  - {text: chương trình công tác năm 2017 của Ban Chấp hành Đảng bộ huyện}\n", "{}",
                 f"Thực hiện chương trình công tác năm 2017 của Ban Chấp hành Đảng bộ huyện; {ACTION}", id="free-text"),
    pytest.param(KH21 + "    date_form: long\n    date_comma: false\n", "{}",
                 f"Thực hiện Kế hoạch số 21-KH/TU ngày 31 tháng 3 năm 2023 của Tỉnh ủy Lai Châu về thực hiện Chỉ thị 05; {ACTION}",
                 id="per-parent-long-date-no-comma"),
    pytest.param(HD120, "{date_form: long}",
                 f"Thực hiện Hướng dẫn số 120-HD/BTGTU, ngày 01 tháng 6 năm 2023 của Ban Tuyên giáo Tỉnh ủy Lai Châu về tuyên truyền kết quả Hội nghị Trung ương; {ACTION}",
                 id="opening-long-date"),
    pytest.param(KH21 + "    about: false\n    quote_subject: true\n", "{}",
                 f"Thực hiện Kế hoạch số 21-KH/TU, ngày 31/3/2023 của Tỉnh ủy Lai Châu “thực hiện Chỉ thị 05”; {ACTION}",
                 id="per-parent-no-ve-quoted"),
    pytest.param(HD120 + KH21 + "    quote_subject: true\n", "{}",
                 f"Thực hiện {BASIS}; Kế hoạch số 21-KH/TU, ngày 31/3/2023 của Tỉnh ủy Lai Châu về “thực hiện Chỉ thị 05”; {ACTION}",
                 id="quotes-for-one-parent-only"),
    pytest.param(HD120 + KH21 + "  - {text: ý kiến chỉ đạo của Thường trực Thành ủy}\n", "{join: \"; và\"}",
                 f"Thực hiện {BASIS}; Kế hoạch số 21-KH/TU, ngày 31/3/2023 của Tỉnh ủy Lai Châu về thực hiện Chỉ thị 05 và ý kiến chỉ đạo của Thường trực Thành ủy; {ACTION}",
                 id="join-semicolon-and"),
    pytest.param(HD120 + "  - {text: ý kiến chỉ đạo của Thường trực Thành ủy}\n", "{join: \", và\"}",
                 f"Thực hiện {BASIS} và ý kiến chỉ đạo của Thường trực Thành ủy; {ACTION}", id="join-two-with-va"),
    pytest.param(HD120, "{separator: .}", f"Thực hiện {BASIS}. {ACTION}", id="separator-full-stop"),
    pytest.param(HD120, "{separator: \",\"}", f"Thực hiện {BASIS}, {ACTION}", id="separator-comma"),
    pytest.param(HD120, "{verb: Căn cứ}", f"Căn cứ {BASIS}, {ACTION}", id="verb-can-cu"),
    pytest.param(HD120, "{verb: Để triển khai thực hiện có hiệu quả}", f"Để triển khai thực hiện có hiệu quả {BASIS}, {ACTION}", id="verb-de"),
    pytest.param(HD120, "{purpose: \"kịp thời định hướng dư luận\"}",
                 f"Thực hiện {BASIS}; để kịp thời định hướng dư luận, {ACTION}", id="basis-then-purpose"),
    pytest.param("  []\n", "{purpose: \"kịp thời định hướng dư luận\"}",
                 f"Để kịp thời định hướng dư luận, {ACTION}", id="purpose-alone"),
    pytest.param(HD120, "{separator: ., purpose: \"kịp thời định hướng dư luận\"}",
                 f"Thực hiện {BASIS}. Để kịp thời định hướng dư luận, {ACTION}", id="purpose-after-full-stop"),
]


def _spec(tmp_path: Path, implements: str, opening: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(HEAD + f"implements:\n{implements}" + f"opening: {opening}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("implements", "opening", "expected"), CASES)
def test_opening_prints(tmp_path: Path, implements: str, opening: str, expected: str) -> None:
    document, _ = compose_spec(_spec(tmp_path, implements, opening))
    printed = [p.text for p in document.body if p.role == "opening"]
    assert printed == [expected]


def test_opening_in_the_docx(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "  - {type: Hướng dẫn, issuer: Ban Tuyên giáo Tỉnh ủy}\n", "{separator: .}")
    assert run_cli(spec).returncode == 0
    assert f"Thực hiện Hướng dẫn của Ban Tuyên giáo Tỉnh ủy. {ACTION}" in body_paragraphs(spec.with_suffix(".docx"))


def test_a_parent_without_type_or_issuer_is_refused(tmp_path: Path, english: None) -> None:
    spec = _spec(tmp_path, "  - {number: 3, date: 2023-01-02}\n", "{}")
    result = run_cli("--lang", "en", spec)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{spec}:9:5: implements[0]: the key \"type\" is required (the parent's type as written in the text (Hướng dẫn) or its id (huong-dan)), unless the basis is written out in text:.",
        f"{spec}:9:5: implements[0]: the key \"issuer\" is required (the parent's issuer as named in the text, or its registry id), unless the basis is written out in text:.",
        f"{spec}:9:5: implements[0]: the key \"symbol\" is required (the parent's symbol, e.g. HD/BTGTU (derived when issuer is a registry id)), unless issuer is a registry id.",
    ], result.stderr
