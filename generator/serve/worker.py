"""The preview worker: the real pages of a revision, rendered off the request threads.

One thread owns LibreOffice. It takes every job waiting at that moment as one batch, drops the jobs a
newer revision of the same session has made useless, builds each .docx with the CLI's
:func:`~generator.build.build_document`, converts the whole batch with **one** soffice run
(:func:`~generator.pdf.convert_to_pdf`: a start costs ~1 s, each extra document ~0.1 s, and its seeded
profile makes every start warm), then renders each PDF to PNG with two pdftoppm processes (odd and even
pages, one per core) and runs ``check`` on the .docx.

Each job writes only in its own revision folder, under fixed names, so concurrent previews can never mix
their outputs; a job's result is published once, when it is complete.

Measured alternative (kept out): a persistent soffice that later ``--convert-to`` calls are forwarded to
saved nothing on this machine (1.30 s against 1.24 s for the 10-page sample), because LibreOffice's own
start is cheap once the profile is seeded and the layout of the pages dominates; a UNO connection would
need python3-uno, which the package cannot count on.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GeneratorError
from ..i18n import _

PAGE_DPI = 72
DOCX_NAME = "document.docx"
PDF_NAME = "document.pdf"


@dataclass
class Job:
    """One preview: the spec of one revision of one session, and, once ``done`` is set, its result."""

    session: str
    rev: int
    folder: Path
    spec: Path
    submitted: float = field(default_factory=time.perf_counter)
    state: str = "pending"                  # pending → done | error | superseded
    pages: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)

    def finish(self, state: str, message: str = "") -> None:
        self.state, self.message = state, message
        self.seconds = time.perf_counter() - self.submitted
        self.done.set()

    def as_json(self) -> dict[str, Any]:
        return {"session": self.session, "rev": self.rev, "state": self.state, "pages": self.pages,
                "findings": self.findings, "message": self.message, "seconds": round(self.seconds, 3)}


def _render_pages(pdf: Path, folder: Path, dpi: int) -> list[str]:
    """Every page of ``pdf`` as ``page-N.png`` in ``folder`` (odd and even pages rendered side by side)."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise GeneratorError(_("making PNG previews needs pdftoppm (Debian/Ubuntu: apt-get install poppler-utils)."))
    commands = [[program, "-png", "-r", str(dpi), which, str(pdf), str(folder / "page")] for which in ("-o", "-e")]
    processes = [subprocess.Popen(c, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
    failed = ""
    for process in processes:
        try:
            _unused, error = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            error = b"timeout"
        if process.returncode not in (0, 99) and not failed:  # 99: "no even pages" in a one-page PDF
            failed = error.decode("utf-8", "replace").strip()
    pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if not pages:
        raise GeneratorError(_("{file}: pdftoppm could not render the pages.").format(file=pdf.name) + (f"\n{failed}" if failed else ""))
    return [p.name for p in pages]


class PreviewWorker:
    """A single thread that turns submitted jobs into pages, in batches."""

    def __init__(self, dpi: int = PAGE_DPI) -> None:
        self.dpi = dpi
        self._pending: list[Job] = []
        self._latest: dict[str, int] = {}
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="preview-worker", daemon=True)
        self.batches: list[int] = []         # sizes of the batches run (for tests and the log)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        with self._condition:
            self._stopping = True
            for job in self._pending:
                job.finish("superseded")
            self._pending.clear()
            self._condition.notify_all()
        self._thread.join(timeout)

    def submit(self, job: Job) -> Job:
        with self._condition:
            if self._stopping:
                job.finish("error", _("the server is stopping."))
                return job
            self._latest[job.session] = max(job.rev, self._latest.get(job.session, 0))
            self._pending.append(job)
            self._condition.notify()
        return job

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._pending and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                batch, self._pending = self._pending, []
                latest = dict(self._latest)
            current = []
            for job in batch:
                if job.rev < latest.get(job.session, 0):
                    job.finish("superseded")  # the clerk has typed on: only the newest revision is worth a render
                else:
                    current.append(job)
            if current:
                self.batches.append(len(current))
                try:
                    self._process(current)
                except Exception as exc:  # a bug must not kill the worker: every waiting page gets an answer
                    for job in current:
                        if not job.done.is_set():
                            job.finish("error", _("internal error ({kind}: {reason}); run again with --debug and report it.").format(kind=type(exc).__name__, reason=exc))

    def _process(self, jobs: list[Job]) -> None:
        from ..build import build_document
        from ..pdf import convert_to_pdf

        built: list[Job] = []
        for job in jobs:
            try:
                build_document(job.spec, job.folder / DOCX_NAME)
                built.append(job)
            except GeneratorError as exc:
                job.finish("error", exc.message)
        if not built:
            return
        conversion_error = ""
        try:
            convert_to_pdf([job.folder / DOCX_NAME for job in built])
        except GeneratorError as exc:  # the PDFs that did come out are still used
            conversion_error = exc.message
        for job in built:
            if not (job.folder / PDF_NAME).is_file():
                job.finish("error", conversion_error or _("LibreOffice could not convert {files} to PDF (is it a valid .docx?).").format(files=DOCX_NAME))
                continue
            try:
                job.pages = _render_pages(job.folder / PDF_NAME, job.folder, self.dpi)
                job.findings = _findings(job.folder / DOCX_NAME)
                job.finish("done")
            except GeneratorError as exc:
                job.finish("error", exc.message)


def _findings(docx: Path) -> list[dict[str, Any]]:
    """``check``'s findings on the built file, in page order, with their rule ids."""
    from ..check import check_file
    from ..check.report import sort_findings

    result = check_file(docx)
    if result.unreadable:
        return [{"rule": "", "severity": "error", "message": result.unreadable, "citation": "", "excerpt": ""}]
    return [f.as_dict() for f in sort_findings(result.findings)]
