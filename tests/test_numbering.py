"""Numbering by the document's own scheme: a numbered line ending in ":" stays a heading unless the spec says
numbering.colon: paragraph; Arabic at the top (1., 1.1., a)) per spec; the escape "1\\." for a literal
number at a line start."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import compose_spec

SPEC = """\
type: huong-dan
issuer: lai-chau/thanh-uy-lai-chau/ban-tuyen-giao
number: 98
date: 2023-06-05
subject: tuyên truyền
opening: {{text: "Mở đầu."}}
numbering: {numbering}
body: |
  # Nhiệm vụ:
  ## Tuyên truyền trên báo chí:
  Nội dung.
  ### Tổ chức hội nghị.
  1\\. Chỉ thị số 05 là văn bản gốc.
signature: {{name: Nguyễn Văn A}}
"""


def _body(tmp_path: Path, numbering: str) -> list[tuple[str, str]]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(numbering=numbering), encoding="utf-8")
    document, _ = compose_spec(spec)
    return [(p.role, p.text) for p in document.body if p.role != "opening"]


@pytest.mark.parametrize(("numbering", "expected"), [
    pytest.param("{}", [("heading1", "I. Nhiệm vụ:"), ("heading2", "1. Tuyên truyền trên báo chí:"), ("body", "Nội dung."),
                        ("numbered3", "1.1. Tổ chức hội nghị."), ("body", "1. Chỉ thị số 05 là văn bản gốc.")], id="colon-heading"),
    pytest.param("{colon: paragraph}", [("numbered1", "I. Nhiệm vụ:"), ("numbered2", "1. Tuyên truyền trên báo chí:"), ("body", "Nội dung."),
                                        ("numbered3", "1.1. Tổ chức hội nghị."), ("body", "1. Chỉ thị số 05 là văn bản gốc.")], id="colon-paragraph"),
    pytest.param("{scheme: arabic}", [("heading2", "1. Nhiệm vụ:"), ("heading3", "1.1. Tuyên truyền trên báo chí:"), ("body", "Nội dung."),
                                      ("numbered4", "a) Tổ chức hội nghị."), ("body", "1. Chỉ thị số 05 là văn bản gốc.")], id="arabic-top"),
])
def test_numbered_lines(tmp_path: Path, numbering: str, expected: list[tuple[str, str]]) -> None:
    assert _body(tmp_path, numbering) == expected
