"""What the machine must have for ``--pdf`` and ``preview``: LibreOffice, poppler's pdftoppm, and a font
with every Vietnamese letter where the documents ask for Times New Roman.

LibreOffice asks fontconfig for "Times New Roman"; on Linux fontconfig answers with a metric-compatible
substitute (Liberation Serif). Liberation 1.07 (Debian 12's ``fonts-liberation``) has no ơ/ư and none of
the letters with two marks (ấ, ộ, ệ…): LibreOffice then takes those letters from another font (DejaVu
Serif), so "ĐẢNG CỘNG SẢN VIỆT NAM" wraps, words split at each switch and a document prints on one page
more. A machine with no Liberation font at all prints Times New Roman as DejaVu Serif, whose letters are
wider. Nothing fails, so nobody notices: :func:`font_warning` says it before a PDF is made, and
``gen-directive doctor`` says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from .i18n import _
from .vocab import VIETNAMESE_LETTERS

# Debian/Ubuntu packages. fonts-liberation2 is Liberation 2 on Debian 12 and a name for it on Debian 13
# (where fonts-liberation became version 2 too).
LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"
POPPLER_PACKAGE = "poppler-utils"
FONT_PACKAGE = "fonts-liberation2"
FONTCONFIG_PACKAGE = "fontconfig"

# The font the profiles ask for, in each style a directive uses.
TIMES_NEW_ROMAN = "Times New Roman"
# Families with Times New Roman's letter widths (fontconfig's 30-metric-aliases.conf): any other (DejaVu Serif,
# the usual answer on a machine with no Liberation font) breaks lines and pages differently, letters or not.
TIMES_METRIC_FAMILIES = ("Times New Roman", "Liberation Serif", "Tinos")
_STYLES = ("", ":bold", ":italic", ":bold:italic")
_SHOWN_LETTERS = 24  # missing letters listed before "…"
_FC_TIMEOUT_SECONDS = 30


def apt_install(*packages: str) -> str:
    """The command that installs ``packages`` on Debian or Ubuntu."""
    return "apt-get install -y --no-install-recommends " + " ".join(packages)


@dataclass(frozen=True)
class FontCoverage:
    """The font fontconfig gives for one style of Times New Roman, and the Vietnamese letters it lacks."""

    pattern: str
    family: str
    file: str
    missing: str

    @property
    def same_widths(self) -> bool:
        return self.family in TIMES_METRIC_FAMILIES

    @property
    def wrong(self) -> bool:
        return bool(self.missing) or not self.same_widths

    def letters(self) -> str:
        shown = self.missing[:_SHOWN_LETTERS]
        return " ".join(shown) + (" …" if len(self.missing) > _SHOWN_LETTERS else "")


def parse_charset(text: str) -> list[tuple[int, int]]:
    """fontconfig's ``%{charset}``: hexadecimal code points and ranges, "20-7e a0-17f 1ea0-1ef9"."""
    ranges = []
    for part in text.split():
        low, _dash, high = part.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return ranges


def _covers(ranges: list[tuple[int, int]], code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def times_new_roman_coverage() -> list[FontCoverage] | None:
    """For each style of Times New Roman, the font fontconfig substitutes and what it lacks; None when
    fontconfig's ``fc-match`` is not installed (then nobody can say which font LibreOffice will use)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    patterns = [TIMES_NEW_ROMAN + style for style in _STYLES]
    # One process per style, all at once: ~20 ms in all instead of ~80.
    processes = [subprocess.Popen([fc_match, "-f", "%{family[0]}|%{file}|%{charset}", pattern],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for pattern in patterns]
    found = []
    for pattern, process in zip(patterns, processes):
        try:
            out, _err = process.communicate(timeout=_FC_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            out = b""
        family, _bar, rest = out.decode("utf-8", "replace").partition("|")
        file, _bar, charset = rest.partition("|")
        ranges = parse_charset(charset)
        missing = "".join(letter for letter in VIETNAMESE_LETTERS if not _covers(ranges, ord(letter)))
        found.append(FontCoverage(pattern, family or "?", file or "?", missing))
    return found


def font_problems(coverage: list[FontCoverage]) -> list[FontCoverage]:
    """The styles whose font lacks Vietnamese letters or Times New Roman's widths; one per family and
    letters missing (the bold of a family lacking what its regular lacks would only repeat the line)."""
    seen: set[tuple[str, str]] = set()
    problems = []
    for entry in coverage:
        if entry.wrong and (entry.family, entry.missing) not in seen:
            seen.add((entry.family, entry.missing))
            problems.append(entry)
    return problems


def lacking_font_message(entry: FontCoverage) -> str:
    if not entry.missing:
        return _("\"{font}\" prints as {family} ({file}), which does not have Times New Roman's letter widths, "
                 "so lines and pages break differently.").format(font=entry.pattern, family=entry.family, file=entry.file)
    return _("\"{font}\" prints as {family} ({file}), which lacks {count} of the {total} Vietnamese letters ({letters}). "
             "LibreOffice takes them from another font, so lines and pages break differently.").format(
        font=entry.pattern, family=entry.family, file=entry.file, count=len(entry.missing), total=len(VIETNAMESE_LETTERS),
        letters=entry.letters())


def font_warning() -> str | None:
    """One warning when the font that prints Times New Roman lacks Vietnamese letters or its widths (the PDF is still
    made: the clerk may have no other machine), with what to install; None when it has them all or when
    fontconfig is not there to ask (LibreOffice's own error then says more)."""
    coverage = times_new_roman_coverage()
    problems = font_problems(coverage or [])
    if not problems:
        return None
    return _("warning: {message}").format(message=" ".join(lacking_font_message(entry) for entry in problems) + " "
                                          + _("Install Liberation Serif 2: {command}").format(command=apt_install(FONT_PACKAGE)))
