"""``gen-directive doctor``: can this machine make PDFs and previews that print right?

It checks what ``--pdf`` and ``preview`` need and nothing builds without: LibreOffice (found and runs:
its version), poppler's pdftoppm, and that the font fontconfig gives for "Times New Roman" (each style a
directive uses) has every Vietnamese letter. One line per part; for what is missing, the command that
installs it. Exit code 0 when everything is there, 1 when a part is missing.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass

from ..i18n import _

_VERSION_TIMEOUT_SECONDS = 60.0


@dataclass
class Part:
    """The finding about one part: its line of the report, and the package that would fix it (None: ok)."""

    line: str
    package: str | None = None


def _version(command: list[str]) -> tuple[str | None, str]:
    """The first non-empty line ``command`` prints (stdout, else stderr), or None and why it did not run."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=_VERSION_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, _("no answer within {seconds:g} s").format(seconds=_VERSION_TIMEOUT_SECONDS)
    except OSError as exc:
        return None, exc.strerror or str(exc)
    text = (done.stdout or done.stderr).decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        return None, _("exit code {code}").format(code=done.returncode)
    return lines[0], ""


def check_libreoffice() -> Part:
    from ..pdf import LibreOfficeMissing, find_soffice
    from ..system import LIBREOFFICE_PACKAGE

    try:
        soffice = find_soffice()
    except LibreOfficeMissing:
        return Part(_("LibreOffice: not found; --pdf and preview need it."), LIBREOFFICE_PACKAGE)
    version, reason = _version([soffice, "--version"])
    if version is None:
        return Part(_("LibreOffice: {path} does not run ({reason}).").format(path=soffice, reason=reason), LIBREOFFICE_PACKAGE)
    return Part(_("LibreOffice: {path} ({version}): ok.").format(path=soffice, version=version))


def check_poppler() -> Part:
    import shutil

    from ..system import POPPLER_PACKAGE

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return Part(_("poppler: pdftoppm not found; preview needs it."), POPPLER_PACKAGE)
    version, reason = _version([pdftoppm, "-v"])
    if version is None:
        return Part(_("poppler: {path} does not run ({reason}).").format(path=pdftoppm, reason=reason), POPPLER_PACKAGE)
    return Part(_("poppler: {path} ({version}): ok.").format(path=pdftoppm, version=version))


def check_font() -> list[Part]:
    from ..system import FONT_PACKAGE, FONTCONFIG_PACKAGE, TIMES_NEW_ROMAN, font_problems, lacking_font_message, times_new_roman_coverage
    from ..vocab import VIETNAMESE_LETTERS

    coverage = times_new_roman_coverage()
    if coverage is None:
        return [Part(_("font: fc-match (fontconfig) not found, so nothing can tell which font prints \"{font}\".").format(font=TIMES_NEW_ROMAN),
                     FONTCONFIG_PACKAGE)]
    problems = font_problems(coverage)
    if problems:
        return [Part(_("font: {message}").format(message=lacking_font_message(entry)), FONT_PACKAGE) for entry in problems]
    regular = coverage[0]  # bold and italic come from the same family; the regular file names it
    return [Part(_("font: \"{font}\" prints as {family} ({file}), with Times New Roman's widths and all {total} Vietnamese letters: ok.").format(
        font=TIMES_NEW_ROMAN, family=regular.family, file=regular.file, total=len(VIETNAMESE_LETTERS)))]


def doctor() -> int:
    """Print one line per part; the install command for what is missing. 0: all there; 1: something missing."""
    from ..system import apt_install

    parts = [check_libreoffice(), check_poppler(), *check_font()]
    for part in parts:
        print(part.line)
    missing = list(dict.fromkeys(part.package for part in parts if part.package))
    if missing:
        print(_("To install what is missing (Debian/Ubuntu, as root): {command}").format(command=apt_install(*missing)))
        return 1
    print(_("Everything --pdf and preview need is here."))
    return 0
