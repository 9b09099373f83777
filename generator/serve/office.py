"""A warm LibreOffice for the preview worker: a spare office, started ahead of the next conversion.

A ``soffice --convert-to`` call made under the profile of an office that is already running is handed to
that office through the profile's pipe, so it costs the layout and the export, not a start: 0.6–0.9 s for
the 10-page sample on this machine under load, where a call that starts its own office took 1.5–2.5 s.
LibreOffice ends such an office once it has done the conversion (with or without ``--accept``, measured),
so the worker keeps a *spare*: after each conversion a new headless office is started in the background,
under the other of two profiles (the office that just converted may still be closing on the first), ready
for the next edit.

When the spare is not ready yet (the clerk edits faster than an office starts, or it failed to start), the
documents are left to the caller, which converts them with :func:`generator.pdf.convert_to_pdf` (the CLI's
converter, a private profile): slower, never wrong. Inputs are staged under unique ASCII names in a private
inbox (every revision's file is ``document.docx``), and each PDF is moved beside its .docx once complete.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

CONVERT_TIMEOUT_SECONDS = 60.0
# A spare is used once it has had this long to start (a call that reached an office still starting would
# become an office itself; the output would be right, the time not).
WARM_UP_SECONDS = 3.0


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Stop an office and everything it started (its own process group: oosplash and soffice.bin)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            if os.name == "posix":
                os.killpg(process.pid, sig)
            else:  # pragma: no cover
                process.kill()
        except (ProcessLookupError, PermissionError):
            break
        try:
            process.wait(timeout=3)
            if sig == signal.SIGTERM:
                continue  # the group's other members get the SIGKILL too
        except subprocess.TimeoutExpired:
            continue
    if process.poll() is None:
        process.wait()


class WarmOffice:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.profiles = (root / "lo-profile-a", root / "lo-profile-b")
        self.program: str | None = None
        self.spare: subprocess.Popen[bytes] | None = None
        self.spare_profile = self.profiles[0]
        self.spare_started = 0.0
        self.used: list[subprocess.Popen[bytes]] = []   # offices that converted and are closing by themselves
        self.stopped = False

    def _base(self, profile: Path) -> list[str]:
        assert self.program is not None
        return [self.program, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
                "--nologo", "--norestore", "--nolockcheck"]

    def start(self) -> bool:
        """Start a spare office in the background; False when LibreOffice is not installed."""
        from ..errors import GeneratorError
        from ..pdf import find_soffice

        if self.stopped:
            return False
        if self.program is None:
            try:
                self.program = find_soffice()
            except GeneratorError:
                return False
        self.used = [p for p in self.used if p.poll() is None]
        profile = self.profiles[1] if self.spare_profile == self.profiles[0] else self.profiles[0]
        profile.mkdir(parents=True, exist_ok=True)
        try:
            self.spare = subprocess.Popen([*self._base(profile), "--nodefault"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, start_new_session=(os.name == "posix"))
        except OSError:
            self.spare = None
            return False
        self.spare_profile = profile
        self.spare_started = time.monotonic()
        return True

    def stop(self) -> None:
        self.stopped = True
        for process in [*self.used, *([self.spare] if self.spare else [])]:
            _kill(process)
        self.spare = None
        self.used = []

    def convert(self, documents: list[Path]) -> list[Path]:
        """Write ``X.pdf`` beside each ``X.docx`` through the spare office; returns the documents left
        unconverted (all of them when no spare is ready)."""
        spare = self.spare
        if self.program is None or not documents:
            return list(documents)
        if spare is None or spare.poll() is not None:
            self.start()  # gone (or never started): a new one for the next time
            return list(documents)
        if time.monotonic() - self.spare_started < WARM_UP_SECONDS:
            return list(documents)  # still starting: the caller converts cold, the spare stays for next time
        self.spare = None
        self.used.append(spare)
        try:
            return self._convert_with(self.spare_profile, documents)
        finally:
            self.start()

    def _convert_with(self, profile: Path, documents: list[Path]) -> list[Path]:
        with tempfile.TemporaryDirectory(prefix="convert-", dir=self.root) as work_name:
            work = Path(work_name)
            inbox, outbox = work / "in", work / "out"
            inbox.mkdir()
            outbox.mkdir()
            names = []
            for index, document in enumerate(documents):
                name = f"d{index:05d}"
                try:
                    os.link(document, inbox / f"{name}.docx")
                except OSError:
                    shutil.copyfile(document, inbox / f"{name}.docx")
                names.append(name)
            command = [*self._base(profile), "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outbox),
                       *(str(inbox / f"{name}.docx") for name in names)]
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=(os.name == "posix"))
            try:
                process.wait(timeout=CONVERT_TIMEOUT_SECONDS + 3 * len(documents))
            except subprocess.TimeoutExpired:  # the PDFs not made go the caller's way
                _kill(process)
            except BaseException:  # Ctrl-C: never leave a converting office behind
                _kill(process)
                raise
            missing = []
            for document, name in zip(documents, names):
                produced = outbox / f"{name}.pdf"
                if produced.is_file() and produced.read_bytes()[:5] == b"%PDF-":
                    os.replace(produced, document.with_suffix(".pdf"))
                else:
                    missing.append(document)
            return missing
