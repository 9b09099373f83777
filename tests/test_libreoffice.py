"""LibreOffice as the real reader: every example is built, printed to PDF, and the printed page checked.

python-docx only tells what the XML says; these tests look at what a reader actually lays out: page
size, where the header blocks land, the page number (a PAGE field that only a layout engine fills in),
the fonts that were really used, and how many pages each example prints on.

All examples are converted in ONE soffice call (as ``--pdf`` does), so the module costs one LibreOffice
start for the examples plus a few for the error paths. Without LibreOffice or poppler-utils the tests
are skipped on a developer machine and fail in CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import unavailable
import yaml

import generator as generator_package
from generator import pdf as pdfmod
from generator.errors import FileProblem, GeneratorError
from generator.pdf import (
    LibreOfficeMissing,
    PdfConversionError,
    PdfTimeout,
    convert_to_pdf,
    find_soffice,
    render_png,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DOC_TYPES = yaml.safe_load((ROOT / "data" / "doc_types.yaml").read_text(encoding="utf-8"))

# Pages each example prints on in LibreOffice 7.4 with Liberation Serif (metric-compatible with Times
# New Roman, so Word should agree). A change here means the layout moved: look at the PDF before
# re-pinning.
PINNED_PAGES: dict[str, int] = {
    "000-tri-thuc-nq27": 4,
    "001-ket-luan-69": 5,
    "002-hoi-nghi-giua-nhiem-ky": 10,
    "003-xay-dung-dang": 5,
    "004-ke-hoach-nq57": 4,
    "present-day-btgdvtu-2026": 2,
}

# Page geometry (PDF points; the origin is the top-left corner in pdftotext's bbox output).
PT_PER_MM = 72 / 25.4
A4_PT = (595.276, 841.890)
LEFT_MARGIN_MM, RIGHT_MARGIN_MM = 30.0, 15.0
TEXT_CENTRE_MM = LEFT_MARGIN_MM + (210.0 - LEFT_MARGIN_MM - RIGHT_MARGIN_MM) / 2  # 112.5 mm
TEXT_CENTRE_PT = TEXT_CENTRE_MM * PT_PER_MM
CENTRE_TOLERANCE_PT = 5 * PT_PER_MM
HEADER_ZONE_PT = 60 * PT_PER_MM  # the header blocks sit in the top ~60 mm of page 1
TOP_MARGIN_ZONE_PT = 20 * PT_PER_MM  # the page number lives in the 20 mm top margin
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
ALLOWED_FONT_FAMILIES = ("TimesNewRoman", "LiberationSerif")

SOFFICE_INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation2"


# --------------------------------------------------------------------------------------------------
# Reading the PDF with poppler


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre_x(self) -> float:
        return (self.x0 + self.x1) / 2

    def where(self) -> str:
        return (
            f"{self.text!r} at x {self.x0:.1f}–{self.x1:.1f} pt, y {self.y0:.1f}–{self.y1:.1f} pt "
            f"(centre {self.centre_x / PT_PER_MM:.1f} mm from the left edge, top {self.y0 / PT_PER_MM:.1f} mm)"
        )


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: list[list[Box]]  # each line's words, lines top to bottom

    def line_boxes(self) -> list[Box]:
        return [_union(" ".join(w.text for w in line), line) for line in self.lines]

    def find(self, phrase: str) -> Box | None:
        """First run of consecutive words on one line that spells ``phrase`` (top to bottom)."""
        tokens = _nfc(phrase).split()
        for line in self.lines:
            texts = [w.text for w in line]
            for start in range(len(texts) - len(tokens) + 1):
                if texts[start : start + len(tokens)] == tokens:
                    return _union(_nfc(phrase), line[start : start + len(tokens)])
        return None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _union(text: str, words: list[Box]) -> Box:
    return Box(text, min(w.x0 for w in words), min(w.y0 for w in words), max(w.x1 for w in words), max(w.y1 for w in words))


def read_pages(pdf_path: Path) -> list[Page]:
    """Every page's words with their boxes, from ``pdftotext -bbox-layout``."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf_path), "-"], capture_output=True, check=True, timeout=60
    ).stdout
    root = ET.fromstring(xhtml)
    pages: list[Page] = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines: list[list[Box]] = []
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = [
                Box(_nfc(w.text or ""), float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")))
                for w in line.iter("{http://www.w3.org/1999/xhtml}word")
            ]
            if words:
                lines.append(words)
        lines.sort(key=lambda ws: (min(w.y0 for w in ws), min(w.x0 for w in ws)))
        pages.append(Page(float(page.get("width")), float(page.get("height")), lines))
    return pages


def pdf_info(pdf_path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True, timeout=60).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_font_names(pdf_path: Path) -> list[str]:
    """Font names from pdffonts, without the ``ABCDEF+`` subset prefix."""
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True, timeout=60).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return [re.sub(r"^[A-Z]{6}\+", "", name) for name in names]


def docx_text(docx_path: Path) -> str:
    """All text of the main story (tags stripped), to know what the header is meant to contain."""
    with zipfile.ZipFile(docx_path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return _nfc(re.sub(r"<[^>]+>", "", xml))


# --------------------------------------------------------------------------------------------------
# Fixtures




@pytest.fixture(scope="session")
def soffice() -> str:
    try:
        program = find_soffice()
    except LibreOfficeMissing as exc:
        unavailable(exc.message)
    for tool in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not found (Debian/Ubuntu: apt-get install poppler-utils)")
    return program


@pytest.fixture(scope="module", autouse=True)
def private_lo_cache(tmp_path_factory: pytest.TempPathFactory):
    """Keep the seed-profile cache of these tests away from the user's ~/.cache (and start it empty,
    so both the cold and the seeded path run)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield




@dataclass
class Printed:
    name: str
    docx: Path
    pdf: Path
    pages: list[Page]
    info: dict[str, str]
    fonts: list[str]
    source_text: str


@pytest.fixture(scope="module")
def printed_examples(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Every example built with ``python -m generator SPEC -o NAME.docx``, then ALL converted in one call."""
    out = tmp_path_factory.mktemp("lo-examples")
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    # The builds must run the same `generator` these tests import: the installed package in CI (pytest -P),
    # the checkout when the tests run from it uninstalled. The working folder is neutral either way.
    if Path(generator_package.__file__).resolve().parents[1] == ROOT:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    # The builds are independent processes: start them all, then wait.
    running = {
        spec.stem: subprocess.Popen(
            [sys.executable, "-m", "generator", str(spec), "-o", str(out / f"{spec.stem}.docx")],
            cwd=out,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for spec in EXAMPLES
    }
    failures = []
    for name, process in running.items():
        _stdout, stderr = process.communicate(timeout=120)
        if process.returncode != 0:
            failures.append(f"{name}: exit {process.returncode}\n{stderr}")
    assert not failures, "examples did not build:\n" + "\n".join(failures)
    docx_files = [out / f"{spec.stem}.docx" for spec in EXAMPLES]
    pdfs = convert_to_pdf(docx_files)
    assert pdfs == [d.with_suffix(".pdf") for d in docx_files]
    return {
        d.stem: Printed(d.stem, d, p, read_pages(p), pdf_info(p), pdf_font_names(p), docx_text(d))
        for d, p in zip(docx_files, pdfs)
    }


@pytest.fixture(params=[spec.stem for spec in EXAMPLES])
def printed(request: pytest.FixtureRequest, printed_examples: dict[str, Printed]) -> Printed:
    return printed_examples[request.param]


def _type_title(example: str) -> str:
    spec = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8"))
    return _nfc(DOC_TYPES[spec["type"]]["name"].upper())


def _dump(page: Page, limit_pt: float) -> str:
    """The lines in the top ``limit_pt`` of a page, with coordinates: what a failure message shows."""
    return "\n".join("  " + box.where() for box in page.line_boxes() if box.y0 < limit_pt)


# --------------------------------------------------------------------------------------------------
# The printed page, per example


def test_every_example_has_a_pinned_page_count() -> None:
    assert sorted(PINNED_PAGES) == sorted(spec.stem for spec in EXAMPLES), (
        "an example was added or removed: pin its page count in PINNED_PAGES"
    )


def test_page_count_is_pinned(printed: Printed) -> None:
    assert len(printed.pages) == int(printed.info["Pages"])
    assert len(printed.pages) == PINNED_PAGES.get(printed.name), (
        f"{printed.name} prints on {len(printed.pages)} pages (pinned: {PINNED_PAGES.get(printed.name)})"
    )


def test_every_page_is_a4(printed: Printed) -> None:
    for number, page in enumerate(printed.pages, 1):
        assert abs(page.width - A4_PT[0]) <= 1 and abs(page.height - A4_PT[1]) <= 1, (
            f"page {number} is {page.width:.1f} × {page.height:.1f} pt, not A4 595 × 842"
        )
    assert "595.3" in printed.info["Page size"] and "841.89" in printed.info["Page size"], printed.info["Page size"]


def test_party_title_top_right_of_page_one(printed: Printed) -> None:
    assert PARTY_TITLE in printed.source_text, "every example is a Party document"
    first = printed.pages[0]
    title = first.find(PARTY_TITLE)
    assert title is not None, f"{PARTY_TITLE!r} not found on page 1; its top reads:\n{_dump(first, HEADER_ZONE_PT)}"
    assert title.y1 <= HEADER_ZONE_PT, f"party title too low: {title.where()}"
    assert title.centre_x > TEXT_CENTRE_PT, f"party title not in the right half of the text area: {title.where()}"


def test_star_under_the_organ_in_left_half(printed: Printed) -> None:
    assert PARTY_TITLE in printed.source_text, "every example is a Party document"
    first = printed.pages[0]
    stars = [box for box in first.line_boxes() if box.text == "*" and box.y0 < HEADER_ZONE_PT]
    assert stars, f"no '*' line in the top 60 mm of page 1:\n{_dump(first, HEADER_ZONE_PT)}"
    star = stars[0]
    assert star.centre_x < TEXT_CENTRE_PT, f"'*' not in the left half: {star.where()}"
    organ_above = [
        # Line boxes include leading and overlap a little: "above" compares the tops.
        box
        for box in first.line_boxes()
        if box.y0 < star.y0 - 2 and box.x1 < TEXT_CENTRE_PT and box.text != "*"
    ]
    assert organ_above, f"no organ name above the '*' in the left half:\n{_dump(first, HEADER_ZONE_PT)}"
    # Centred under the organ name (the line right above it), within 5 mm.
    organ = organ_above[-1]
    assert abs(star.centre_x - organ.centre_x) <= CENTRE_TOLERANCE_PT, (
        f"'*' not centred under the organ name: {star.where()} vs {organ.where()}"
    )


def test_type_name_centred_on_text_area(printed: Printed) -> None:
    first = printed.pages[0]
    title = _type_title(printed.name)
    found = first.find(title)
    assert found is not None, f"{title!r} not found on page 1:\n{_dump(first, HEADER_ZONE_PT * 1.5)}"
    assert abs(found.centre_x - TEXT_CENTRE_PT) <= CENTRE_TOLERANCE_PT, (
        f"{title!r} is not centred on the text area (centre should be {TEXT_CENTRE_MM} mm): {found.where()}"
    )


def test_no_page_number_on_page_one(printed: Printed) -> None:
    first = printed.pages[0]
    numbers = [box for box in first.line_boxes() if box.text.isdigit() and box.y0 < TOP_MARGIN_ZONE_PT]
    assert not numbers, "page 1 shows a page number: " + "; ".join(b.where() for b in numbers)


def test_page_two_number_centred_in_top_margin(printed: Printed) -> None:
    assert len(printed.pages) >= 2, "every example runs to a second page (page counts are pinned)"
    second = printed.pages[1]
    numbers = [box for box in second.line_boxes() if box.text == "2" and box.y0 < TOP_MARGIN_ZONE_PT]
    assert numbers, f"no '2' in the top 20 mm of page 2; it reads:\n{_dump(second, TOP_MARGIN_ZONE_PT * 2)}"
    number = numbers[0]
    assert number.y1 <= TOP_MARGIN_ZONE_PT, f"page number reaches below the top margin: {number.where()}"
    assert abs(number.centre_x - TEXT_CENTRE_PT) <= CENTRE_TOLERANCE_PT, f"page number not centred: {number.where()}"


def test_fonts_are_times_new_roman_or_liberation_serif(printed: Printed) -> None:
    assert printed.fonts, "pdffonts found no fonts"
    wrong = [name for name in printed.fonts if not name.replace(" ", "").startswith(ALLOWED_FONT_FAMILIES)]
    assert not wrong, f"fonts other than Times New Roman / Liberation Serif: {wrong}"


# --------------------------------------------------------------------------------------------------
# convert_to_pdf itself, on stand-in documents that do not depend on the generator


def make_standin_docx(path: Path, paragraphs: int = 20) -> Path:
    """A small directive-like .docx: A4, header table, PAGE field in the default header, titlePg.

    The PAGE field's cached result is "1" on purpose: only a layout engine that updates fields prints
    "2" on page 2.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run_xml in (
        '<w:r %s><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r %s><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r %s><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r %s><w:t>1</w:t></w:r>",
        '<w:r %s><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        header._p.append(parse_xml(run_xml % nsdecls("w")))
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "BAN TUYÊN GIÁO"
    table.cell(0, 1).text = PARTY_TITLE
    table.cell(1, 0).text = "*"
    table.cell(2, 0).text = "Số 98-HD/BTGThU"
    table.cell(2, 1).text = "TP. Lai Châu, ngày 05 tháng 6 năm 2023"
    title = document.add_paragraph("HƯỚNG DẪN")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index in range(paragraphs):
        document.add_paragraph(f"Đoạn {index}: tuyên truyền sâu rộng kết quả Hội nghị Trung ương trong cán bộ, đảng viên và Nhân dân.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_batch_writes_every_pdf_beside_its_docx(soffice: str, tmp_path: Path) -> None:
    # Same file name in two folders, a Vietnamese name, and a stale PDF to be replaced.
    inputs = [
        make_standin_docx(tmp_path / "a" / "x.docx"),
        make_standin_docx(tmp_path / "Hướng dẫn" / "x.docx"),
        make_standin_docx(tmp_path / "a" / "Kế hoạch số 01.docx", paragraphs=10),
    ]
    (tmp_path / "a" / "x.pdf").write_bytes(b"stale")
    pdfs = convert_to_pdf(inputs)
    assert pdfs == [p.with_suffix(".pdf") for p in inputs]
    for produced in pdfs:
        assert produced.read_bytes().startswith(b"%PDF-"), produced
    assert [int(pdf_info(p)["Pages"]) for p in pdfs] == [2, 2, 1]
    # Nothing else left beside the inputs: no temporary files, no LibreOffice lock files.
    leftovers = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.suffix not in (".docx", ".pdf"))
    assert leftovers == []
    # The PAGE field was recomputed on layout: "2" on page 2 (cached text was "1"), nothing on page 1.
    pages = read_pages(pdfs[0])
    assert not [b for b in pages[0].line_boxes() if b.text.isdigit() and b.y0 < TOP_MARGIN_ZONE_PT]
    number = [b for b in pages[1].line_boxes() if b.text == "2" and b.y0 < TOP_MARGIN_ZONE_PT]
    assert number and abs(number[0].centre_x - TEXT_CENTRE_PT) <= CENTRE_TOLERANCE_PT, _dump(pages[1], 80)


def test_same_file_twice_is_converted_once(soffice: str, tmp_path: Path) -> None:
    docx = make_standin_docx(tmp_path / "twice.docx", paragraphs=3)
    assert convert_to_pdf([docx, tmp_path / "." / "twice.docx"]) == [tmp_path / "twice.pdf", tmp_path / "twice.pdf"]


def test_empty_batch_starts_nothing() -> None:
    assert convert_to_pdf([]) == []


def test_not_a_docx_is_refused_before_libreoffice(tmp_path: Path, english: None) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("plain text, not a Word file")
    with pytest.raises(FileProblem) as caught:
        convert_to_pdf([text], soffice="/nonexistent/soffice")
    assert caught.value.message == f"{text}: is not a Word .docx file."
    with pytest.raises(FileProblem) as caught:
        convert_to_pdf([tmp_path / "missing.docx"], soffice="/nonexistent/soffice")
    assert caught.value.message == f"{tmp_path / 'missing.docx'}: no such file."


def test_unloadable_docx_is_a_clear_error_and_the_rest_still_converts(soffice: str, tmp_path: Path, english: None) -> None:
    good = make_standin_docx(tmp_path / "good.docx", paragraphs=3)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("hello.txt", "a zip, but not a Word document")
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf([good, broken])
    assert caught.value.message.startswith(f"LibreOffice could not convert {broken} to PDF (is it a valid .docx?).")
    assert isinstance(caught.value, GeneratorError) and caught.value.exit_code == 1
    assert (tmp_path / "good.pdf").read_bytes().startswith(b"%PDF-")
    assert not (tmp_path / "broken.pdf").exists()


def test_missing_soffice_named_by_env_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, english: None) -> None:
    missing = tmp_path / "no-such-dir" / "soffice"
    monkeypatch.setenv("GEN_DIRECTIVE_SOFFICE", str(missing))
    expected = (
        f"LibreOffice was not found at {missing} (named by GEN_DIRECTIVE_SOFFICE). "
        "Point GEN_DIRECTIVE_SOFFICE at the soffice program, or unset it and install LibreOffice "
        f"(Debian/Ubuntu: {SOFFICE_INSTALL_HINT})."
    )
    with pytest.raises(LibreOfficeMissing) as caught:
        find_soffice()
    assert caught.value.message == expected
    assert caught.value.exit_code == 1
    # convert_to_pdf reports the same, before doing any work.
    docx = make_standin_docx(tmp_path / "doc.docx", paragraphs=1)
    with pytest.raises(LibreOfficeMissing) as caught:
        convert_to_pdf([docx])
    assert caught.value.message == expected
    assert not (tmp_path / "doc.pdf").exists()


def test_missing_soffice_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, english: None) -> None:
    monkeypatch.delenv("GEN_DIRECTIVE_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pdfmod, "_WELL_KNOWN_SOFFICE", ())
    with pytest.raises(LibreOfficeMissing) as caught:
        find_soffice()
    assert caught.value.message == (
        "making a PDF needs LibreOffice, and soffice was not found on PATH. "
        f"Install it (Debian/Ubuntu: {SOFFICE_INSTALL_HINT}) or set GEN_DIRECTIVE_SOFFICE to the soffice program."
    )


def test_env_var_override_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "my-soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GEN_DIRECTIVE_SOFFICE", str(fake))
    assert find_soffice() == str(fake)


def _live_group_members(pgid: int) -> list[int]:
    """Processes (not zombies) still in process group ``pgid``, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def test_timeout_kills_libreoffice_and_says_so(soffice: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, english: None) -> None:
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(pdfmod.subprocess, "Popen", recording_popen)
    docx = make_standin_docx(tmp_path / "slow.docx", paragraphs=5)
    begun = time.monotonic()
    with pytest.raises(PdfTimeout) as caught:
        convert_to_pdf([docx], timeout=0.2)
    assert time.monotonic() - begun < 10, "the timeout did not stop the wait"
    assert caught.value.message == (
        "LibreOffice did not finish converting 1 document(s) to PDF within 0.2 s and was stopped. "
        "Try again, or convert fewer documents at once."
    )
    assert isinstance(caught.value, PdfConversionError)
    assert not (tmp_path / "slow.pdf").exists()
    # The whole process group (wrapper, oosplash, soffice.bin) is gone, not just the direct child.
    assert len(started) == 1
    if Path("/proc/self/stat").exists():
        deadline = time.monotonic() + 5
        while _live_group_members(started[0].pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _live_group_members(started[0].pid) == []


def test_default_timeout_scales_with_batch_size() -> None:
    assert pdfmod.default_timeout(20) > pdfmod.default_timeout(1) >= 30


# --------------------------------------------------------------------------------------------------
# PNG pages and preview


def test_render_png_one_image_per_page(soffice: str, printed_examples: dict[str, Printed], tmp_path: Path) -> None:
    example = printed_examples["present-day-btgdvtu-2026"] if "present-day-btgdvtu-2026" in printed_examples else next(iter(printed_examples.values()))
    images = render_png(example.pdf, tmp_path / "png", dpi=30)
    assert len(images) == len(example.pages)
    for image in images:
        assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # A second render of a shorter PDF removes the pages an earlier render wrote that no longer exist (as
    # its manifest records them); a file it did not write, even one named like a page, is left alone.
    import hashlib
    import json

    from generator.pdf import manifest_path

    manifest = manifest_path(tmp_path / "png", example.pdf.stem)
    record = json.loads(manifest.read_text(encoding="utf-8"))
    record["pages"][f"{example.pdf.stem}-99.png"] = hashlib.sha256(b"old").hexdigest()
    manifest.write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "png" / f"{example.pdf.stem}-99.png").write_bytes(b"old")
    (tmp_path / "png" / f"{example.pdf.stem}-98.png").write_bytes(b"the clerk's own")
    assert render_png(example.pdf, tmp_path / "png", dpi=30) == images
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == sorted(
        [p.name for p in images] + [manifest.name, f"{example.pdf.stem}-98.png"])


def test_preview_of_a_spec_and_of_a_docx(soffice: str, printed_examples: dict[str, Printed], tmp_path: Path) -> None:
    from generator.commands.preview import preview

    spec = EXAMPLES[-1]
    pages = preview(spec, tmp_path / "from-spec")
    count = PINNED_PAGES[spec.stem]
    width = len(str(count))  # page numbers are zero-padded so the names sort in page order
    assert [p.name for p in pages] == [f"{spec.stem}-{n:0{width}d}.png" for n in range(1, count + 1)]
    # Only the pages, and the list of them that a later preview reads (never a page it did not write).
    assert sorted(p.name for p in (tmp_path / "from-spec").iterdir()) == sorted([p.name for p in pages] + [f".{spec.stem}.pages.json"])

    example = printed_examples[spec.stem]
    docx_copy = tmp_path / "input" / "doc.docx"
    docx_copy.parent.mkdir()
    shutil.copyfile(example.docx, docx_copy)
    pages = preview(docx_copy, None)
    assert len(pages) == len(example.pages)
    assert all(p.parent == docx_copy.parent for p in pages)
    # Preview leaves only images beside the input: no PDF.
    assert not (docx_copy.parent / "doc.pdf").exists()


def test_first_run_leaves_a_seed_profile_for_the_next(printed_examples: dict[str, Printed]) -> None:
    # printed_examples made the module's first conversion, from an empty cache.
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "gen-directive"
    seeds = sorted(p for p in cache.iterdir() if p.name not in ("jinja", "data"))  # compiled templates and parsed data live beside the seeds
    assert [p.name.startswith("lo-profile-") for p in seeds] == [True], seeds  # one seed, no staging left over
    assert (seeds[0] / "user" / "registrymodifications.xcu").is_file()
    assert not list(seeds[0].rglob(".lock"))


def test_profile_cache_can_be_turned_off(soffice: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("GEN_DIRECTIVE_LO_PROFILE_CACHE", "0")
    docx = make_standin_docx(tmp_path / "doc.docx", paragraphs=2)
    assert convert_to_pdf([docx]) == [tmp_path / "doc.pdf"]
    # (LibreOffice's fontconfig may cache in XDG_CACHE_HOME too; our folder must not appear.)
    assert not (tmp_path / "cache" / "gen-directive").exists()


def test_render_png_without_poppler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, english: None) -> None:
    from generator.pdf import PopplerMissing

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PopplerMissing) as caught:
        render_png(tmp_path / "x.pdf", tmp_path)
    assert caught.value.message == "making PNG previews needs pdftoppm (Debian/Ubuntu: apt-get install -y --no-install-recommends poppler-utils)."
