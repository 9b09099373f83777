"""Keeping the closing together: the last body paragraph keeps with the Nơi nhận / signature table, the
table's row cannot split, the signature lines keep with the signer's name, widow/orphan control is on; the
LibreOffice print of documents written so that the closing falls on the page break shows the signature block
whole, never the name alone on the next page; `check` flags a signature table that can split."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from check_fixtures import build_party
from conftest import run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

SPEC = """\
type: ke-hoach
issuer: lai-chau/ubnd-xa-binh-lu
number: 12
date: 2026-03-05
subject: tuyên truyền an toàn thực phẩm
opening: {{text: "Ủy ban nhân dân xã xây dựng Kế hoạch như sau:"}}
body: |
  # MỤC ĐÍCH, YÊU CẦU
{filler}{extra}  Các cơ quan, đơn vị nghiêm túc triển khai thực hiện Kế hoạch này./.
signature: {{authority: KT., on_behalf: Chủ tịch, title: Phó Chủ tịch, name: Lò Văn Pọm}}
"""
FILLER = "  Tuyên truyền, phổ biến sâu rộng các quy định pháp luật về an toàn thực phẩm đến mọi tầng lớp Nhân dân, các cơ sở sản xuất, kinh doanh trên địa bàn xã.\n\n"
EXTRA = "  Thực hiện đúng quy định.\n\n"
VARIANTS = range(0, 8)   # 0–1: the closing fits on page 1; 2–6: it reaches the page foot; 7: the body fills page 1


def _soffice() -> str:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice and poppler-utils are needed (apt-get install libreoffice-writer-nogui poppler-utils)")
        pytest.skip("LibreOffice not installed")
    return program


def _spec(folder: Path, extra: int) -> Path:
    path = folder / f"closing-{extra:02d}.yaml"
    path.write_text(SPEC.format(filler=FILLER * 9, extra=EXTRA * extra), encoding="utf-8")
    return path


def test_the_closing_is_kept_together_in_the_docx(tmp_path: Path) -> None:
    spec = _spec(tmp_path, 0)
    assert run_cli(spec).returncode == 0
    with zipfile.ZipFile(spec.with_suffix(".docx")) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    assert styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", NS) is not None
    body = doc.find("w:body", NS)
    closing = body.findall("w:tbl", NS)[-1]
    assert closing.find("w:tr/w:trPr/w:cantSplit", NS) is not None
    last_body = closing.getprevious()
    assert "".join(last_body.itertext()).endswith("Kế hoạch này./.")
    assert last_body.find("w:pPr/w:keepNext", NS) is not None
    for style_id in ("GDAuthority", "GDSignerTitle"):
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert style.find("w:pPr/w:keepNext", NS) is not None and style.find("w:pPr/w:keepLines", NS) is not None


def _without_keeps(docx: Path, target: Path) -> Path:
    """The same document with every keep taken out (cantSplit, keepNext, keepLines, widowControl): the
    control that shows the variants really put the closing on the page break."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                text = blob.decode("utf-8")
                for tag in ("<w:cantSplit/>", "<w:keepNext/>", "<w:keepLines/>", "<w:widowControl/>"):
                    text = text.replace(tag, "")
                blob = text.encode("utf-8")
            out.writestr(info, blob)
    return target


def _pages(pdf: Path) -> list[str]:
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in layout.split("\f") if p.strip()]


def _page_of(pages: list[str], text: str) -> int:
    found = [i for i, page in enumerate(pages) if text in page]
    assert len(found) == 1, (text, found)
    return found[0]


CLOSING = ("Kế hoạch này./.", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lò Văn Pọm")


def test_print_never_splits_the_signature_block(tmp_path: Path) -> None:
    soffice = _soffice()
    specs = [_spec(tmp_path, extra) for extra in VARIANTS]
    result = run_cli(*specs, "--pdf", env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    loose = [_without_keeps(spec.with_suffix(".docx"), tmp_path / f"loose-{spec.stem}.docx") for spec in specs]
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, loose)],
                   capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)}, check=True)
    on_page_two = 0
    for spec in specs:
        pages = _pages(spec.with_suffix(".pdf"))
        where = {text: _page_of(pages, text) for text in CLOSING}
        assert len(set(where.values())) == 1, (spec.name, where)   # last paragraph, Nơi nhận, KT., title, name together
        on_page_two += where["Lò Văn Pọm"] == 1
    assert on_page_two >= 1
    # the control: without the keeps, the same documents split the signature as the clerks saw it (the name
    # alone on page 2, "KT. CHỦ TỊCH" apart from "PHÓ CHỦ TỊCH")
    split = [{text: _page_of(_pages(docx.with_suffix(".pdf")), text) for text in CLOSING} for docx in loose]
    assert any(w["Lò Văn Pọm"] != w["PHÓ CHỦ TỊCH"] for w in split), split
    assert any(w["KT. CHỦ TỊCH"] != w["PHÓ CHỦ TỊCH"] for w in split), split


def test_check_flags_a_signature_table_that_can_split(tmp_path: Path) -> None:
    import docx

    kept = build_party(tmp_path / "kept.docx")
    loose = build_party(tmp_path / "loose.docx", closing_row_can_split=True)
    # a row that may split, but whose signature lines keep with the next: the block still holds together
    lines_kept = build_party(tmp_path / "lines-kept.docx", closing_row_can_split=True)
    document = docx.Document(str(lines_kept))
    for paragraph in document.tables[-1].rows[0].cells[1].paragraphs:
        if paragraph.text in ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"):
            paragraph.paragraph_format.keep_with_next = True
    document.save(str(lines_kept))
    result = run_cli("--lang", "en", "check", "--format", "json", kept, loose, lines_kept)
    report = json.loads(result.stdout)
    files = report if isinstance(report, list) else report.get("files", report)
    by_file = {Path(entry["file"]).name: [f for f in entry["findings"] if f["rule"] == "HD36.PL1.o7.giu-khoi"] for entry in files}
    assert by_file["kept.docx"] == [] and by_file["lines-kept.docx"] == []
    assert [(f["severity"], f["message"]) for f in by_file["loose.docx"]] == [(
        "warning", "The row of the signature table may split across pages (no “Do not break row” / w:cantSplit): "
                   "the signer's name can end up alone on the next page.")]
