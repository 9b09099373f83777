"""A warm LibreOffice for the preview worker.

The editor starts one headless soffice with a profile of its own inside the work folder and keeps it
running. A conversion is then an ordinary ``soffice --convert-to`` call under the *same* profile:
LibreOffice hands such a call to the running instance (through the profile's pipe) instead of starting a
second office, so the call costs the layout and the export, not a start. On this 2-core machine under the
load of other jobs that saved 1.2 s per conversion of the 10-page sample (2.3 s against 3.5 s; on a quiet
machine the start is cheap and both take ≈ 1.2 s).

If the warm instance is not there (it failed to start, crashed, or is still starting), the same call simply
starts an office of its own and converts — slower, never wrong. If the call fails or leaves a PDF out, the
worker falls back to :func:`generator.pdf.convert_to_pdf`, the CLI's converter.

Inputs are staged under unique ASCII names in a private inbox (every revision's file is ``document.docx``),
and each PDF is moved beside its .docx only once complete.
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
# A conversion waits until the warm instance has had this long to start: a call that arrives while the
# instance is still starting would become the office itself, and the starting one would then hand its own
# (empty) request over and quit — no harm to the output, but the next calls would start cold.
WARM_UP_SECONDS = 5.0


class WarmOffice:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.profile = root / "lo-profile"
        self.program: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def _base(self) -> list[str]:
        assert self.program is not None
        return [self.program, f"-env:UserInstallation={self.profile.resolve().as_uri()}", "--headless", "--invisible",
                "--nologo", "--norestore", "--nolockcheck"]

    def start(self) -> bool:
        """Start the warm instance in the background; False when LibreOffice is not installed."""
        from ..errors import GeneratorError
        from ..pdf import find_soffice

        try:
            self.program = find_soffice()
        except GeneratorError:
            return False
        self.profile.mkdir(parents=True, exist_ok=True)
        try:
            self.process = subprocess.Popen([*self._base(), "--nodefault"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=(os.name == "posix"))
        except OSError:
            self.process = None
            return False
        self.started_at = time.monotonic()
        return True

    def _ready(self) -> None:
        """Restart the warm instance if it has gone; give a starting one time to take the pipe."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            if not self.start():
                return
        remaining = WARM_UP_SECONDS - (time.monotonic() - self.started_at)
        if remaining > 0:
            time.sleep(remaining)

    def stop(self) -> None:
        """Stop the warm instance and everything it started (its own process group)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGTERM)
            else:  # pragma: no cover
                process.terminate()
            process.wait(timeout=5)
        except (ProcessLookupError, PermissionError):
            pass
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()

    def convert(self, documents: list[Path]) -> list[Path]:
        """Write ``X.pdf`` beside each ``X.docx``; returns the documents whose PDF could not be made."""
        if self.program is None or not documents:
            return list(documents)
        self._ready()
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
            command = [*self._base(), "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outbox),
                       *(str(inbox / f"{name}.docx") for name in names)]
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=(os.name == "posix"))
            try:
                process.wait(timeout=CONVERT_TIMEOUT_SECONDS + 3 * len(documents))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                process.wait()
            except BaseException:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                raise
            missing = []
            for document, name in zip(documents, names):
                produced = outbox / f"{name}.pdf"
                if produced.is_file() and produced.read_bytes()[:5] == b"%PDF-":
                    os.replace(produced, document.with_suffix(".pdf"))
                else:
                    missing.append(document)
            return missing
