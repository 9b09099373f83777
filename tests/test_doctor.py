"""``gen-directive doctor`` and the font check of ``--pdf`` and ``preview``, both ways.

The font check asks fontconfig which font prints "Times New Roman" and whether it has every Vietnamese
letter. To see it fail, a private fontconfig file (FONTCONFIG_FILE) offers one font only: this machine's
Times New Roman substitute cut down to ASCII with fontTools, as Debian 12's Liberation 1.07 lacks ơ/ư and
the letters with two marks. With the machine's own fonts (what .ci/run installs) it must pass. Like the
other LibreOffice tests, a missing tool fails in CI (``CI=true``) and skips on a developer machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli, unavailable
from generator.system import FontCoverage, font_problems, parse_charset
from generator.vocab import VIETNAMESE_LETTERS

ASCII_LETTERS = sum(letter.isascii() for letter in VIETNAMESE_LETTERS)  # a b c d e g h … y, both cases
LACKS = len(VIETNAMESE_LETTERS) - ASCII_LETTERS
INSTALL = "apt-get install -y --no-install-recommends"




@pytest.fixture(scope="module")
def real_font() -> Path:
    """The file this machine prints Times New Roman with (Liberation Serif 2 where .ci/run ran)."""
    if shutil.which("fc-match") is None:
        unavailable("fc-match not found (Debian/Ubuntu: apt-get install fontconfig)")
    found = subprocess.run(["fc-match", "-f", "%{file}", "Times New Roman"], capture_output=True, text=True, check=True, timeout=60).stdout
    return Path(found)


@pytest.fixture(scope="module")
def ascii_fontconfig(real_font: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose fontconfig knows one font: ``real_font`` without any letter beyond ASCII."""
    from fontTools import subset

    folder = tmp_path_factory.mktemp("ascii-font")
    fonts = folder / "fonts"
    fonts.mkdir()
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the family name: fontconfig must see "Liberation Serif" as before
    font = subset.load_font(str(real_font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x7F))
    subsetter.subset(font)
    subset.save_font(font, str(fonts / real_font.name), options)
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config), "XDG_CACHE_HOME": str(folder / "xdg")}


def _family(env: dict[str, str]) -> tuple[str, str]:
    out = subprocess.run(["fc-match", "-f", "%{family[0]}|%{file}", "Times New Roman"], capture_output=True, text=True,
                         check=True, timeout=60, env={**os.environ, **env}).stdout
    family, _, file = out.partition("|")
    return family, file


def _soffice() -> None:
    from generator.pdf import LibreOfficeMissing, find_soffice

    try:
        find_soffice()
    except LibreOfficeMissing as exc:
        unavailable(exc.message)


# --- the alphabet and fontconfig's charset ------------------------------------------------------

def test_the_vietnamese_alphabet_is_complete_and_precomposed() -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 178  # (12 vowels × 6 + 17 consonants) × 2
    assert all(unicodedata.is_normalized("NFC", letter) and len(letter) == 1 for letter in VIETNAMESE_LETTERS)
    assert set("ơưđĐƠƯấỘệỴỹẫằ") <= set(VIETNAMESE_LETTERS) and not set("fjwzç") & set(VIETNAMESE_LETTERS)
    assert ASCII_LETTERS == 44 and LACKS == 134


def test_fontconfig_charset_ranges() -> None:
    assert parse_charset("20-7e a0-17f 1ea0-1ef9 2026") == [(0x20, 0x7E), (0xA0, 0x17F), (0x1EA0, 0x1EF9), (0x2026, 0x2026)]
    assert parse_charset("") == []


def test_one_problem_per_family_and_letters() -> None:
    regular = FontCoverage("Times New Roman", "Liberation Serif", "/r.ttf", "ơư")
    bold = FontCoverage("Times New Roman:bold", "Liberation Serif", "/b.ttf", "ơư")
    other = FontCoverage("Times New Roman:italic", "DejaVu Serif", "/i.ttf", "")
    fine = FontCoverage("Times New Roman:bold:italic", "Tinos", "/bi.ttf", "")
    assert font_problems([regular, bold, other, fine]) == [regular, other]


# --- doctor, both ways -------------------------------------------------------------------------

def test_doctor_passes_on_this_machine(real_font: Path) -> None:
    _soffice()
    if shutil.which("pdftoppm") is None:
        unavailable("pdftoppm not found (Debian/Ubuntu: apt-get install poppler-utils)")
    result = run_cli("doctor")
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[0].startswith("LibreOffice: ") and lines[0].endswith("): tốt.") and " (LibreOffice " in lines[0]
    assert lines[1].startswith("poppler: ") and lines[1].endswith("): tốt.") and "pdftoppm version" in lines[1]
    family, file = _family({})
    assert lines[2] == f'phông chữ: "Times New Roman" được in bằng phông {family} ({file}), cùng độ rộng chữ với Times New Roman và có đủ 178 chữ tiếng Việt: tốt.'
    assert lines[3:] == ["Máy đã có đủ mọi thứ --pdf và preview cần."]


def test_doctor_fails_when_the_font_lacks_vietnamese_letters(ascii_fontconfig: dict[str, str]) -> None:
    family, file = _family(ascii_fontconfig)
    result = run_cli("--lang", "en", "doctor", env=ascii_fontconfig)
    assert result.returncode == 1
    assert result.stdout.splitlines()[2:] == [
        f'font: "Times New Roman" prints as {family} ({file}), which lacks {LACKS} of the 178 Vietnamese letters '
        "(ă â ê ô ơ ư đ à ả ã á ạ ằ ẳ ẵ ắ ặ ầ ẩ ẫ ấ ậ è ẻ …). LibreOffice takes them from another font, so lines and pages break differently.",
        f"To install what is missing (Debian/Ubuntu, as root): {INSTALL} fonts-liberation2",
    ]
    vi = run_cli("doctor", env=ascii_fontconfig)
    assert vi.returncode == 1 and vi.stdout.splitlines()[-1] == f"Để cài những gì còn thiếu (Debian/Ubuntu, với quyền root): {INSTALL} fonts-liberation2"


def test_doctor_fails_when_times_new_roman_prints_in_a_font_of_other_widths(tmp_path: Path) -> None:
    """A machine with DejaVu only (the image before .ci/run): every Vietnamese letter, but wider ones."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSerif.ttf").is_file():
        unavailable("DejaVu Serif is not installed (Debian/Ubuntu: apt-get install fonts-dejavu-core)")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for font in [dejavu / "DejaVuSerif.ttf", *dejavu.glob("DejaVuSerif-*.ttf")]:
        (fonts / font.name).symlink_to(font)
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                      f"  <dir>{fonts}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    env = {"FONTCONFIG_FILE": str(config)}
    family, file = _family(env)
    assert family == "DejaVu Serif"
    result = run_cli("--lang", "en", "doctor", env=env)
    assert result.returncode == 1
    assert result.stdout.splitlines()[2:] == [
        f'font: "Times New Roman" prints as DejaVu Serif ({file}), which does not have Times New Roman\'s letter widths, so lines and pages break differently.',
        f"To install what is missing (Debian/Ubuntu, as root): {INSTALL} fonts-liberation2",
    ]


def test_doctor_names_every_missing_part_and_one_install_command(tmp_path: Path) -> None:
    """No LibreOffice (the one named is not there), no pdftoppm and no fc-match on an empty PATH."""
    result = run_cli("--lang", "en", "doctor", env={"PATH": str(tmp_path), "GEN_DIRECTIVE_SOFFICE": str(tmp_path / "soffice")})
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "LibreOffice: not found; --pdf and preview need it.",
        "poppler: pdftoppm not found; preview needs it.",
        'font: fc-match (fontconfig) not found, so nothing can tell which font prints "Times New Roman".',
        f"To install what is missing (Debian/Ubuntu, as root): {INSTALL} libreoffice-writer-nogui poppler-utils fontconfig",
    ]


# --- the warning of --pdf and preview ----------------------------------------------------------

WARNING_END = (f"which lacks {LACKS} of the 178 Vietnamese letters (ă â ê ô ơ ư đ à ả ã á ạ ằ ẳ ẵ ắ ặ ầ ẩ ẫ ấ ậ è ẻ …). "
               f"LibreOffice takes them from another font, so lines and pages break differently. "
               f"Install Liberation Serif 2: {INSTALL} fonts-liberation2")


def test_pdf_warns_when_the_font_lacks_vietnamese_letters(ascii_fontconfig: dict[str, str], tmp_path: Path) -> None:
    _soffice()
    family, file = _family(ascii_fontconfig)
    spec = EXAMPLES / "present-day-btgdvtu-2026.yaml"
    result = run_cli("--lang", "en", spec, "-o", tmp_path / "out.docx", "--pdf", env=ascii_fontconfig)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f'warning: "Times New Roman" prints as {family} ({file}), {WARNING_END}\n'
    assert (tmp_path / "out.pdf").stat().st_size > 0  # the PDF is still made


def test_preview_warns_too_and_a_good_font_gives_no_warning(ascii_fontconfig: dict[str, str], tmp_path: Path) -> None:
    _soffice()
    if shutil.which("pdftoppm") is None:
        unavailable("pdftoppm not found (Debian/Ubuntu: apt-get install poppler-utils)")
    family, file = _family(ascii_fontconfig)
    spec = EXAMPLES / "present-day-btgdvtu-2026.yaml"
    lacking = run_cli("--lang", "en", "preview", spec, "--out-dir", tmp_path / "a", env=ascii_fontconfig)
    assert lacking.returncode == 0, lacking.stderr
    assert lacking.stderr == f'warning: "Times New Roman" prints as {family} ({file}), {WARNING_END}\n'
    good = run_cli("--lang", "en", "preview", spec, "--out-dir", tmp_path / "b", env={"XDG_CACHE_HOME": ascii_fontconfig["XDG_CACHE_HOME"]})
    assert good.returncode == 0 and good.stderr == ""
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(p.name for p in (tmp_path / "a").iterdir()) != []
