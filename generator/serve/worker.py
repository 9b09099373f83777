"""The preview worker: the real pages of a revision, rendered off the request threads.

One thread owns LibreOffice. It takes every job waiting at that moment as one batch, drops the jobs a
newer revision of the same session has made useless, builds each .docx with the CLI's
:func:`~generator.build.build_document`, converts the whole batch with one call to the warm LibreOffice
(:mod:`.office`; :func:`~generator.pdf.convert_to_pdf` when that fails), renders each PDF to PNG (pdftoppm,
odd and even pages side by side) and runs ``check`` on the .docx while LibreOffice works.

Each job writes only in its own revision folder, under fixed names, so concurrent previews can never mix
their outputs; a job's result is published once, when it is complete.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GeneratorError
from ..i18n import _
from .office import WarmOffice

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
    timings: dict[str, float] = field(default_factory=dict)   # seconds per step, for the log and bench/
    done: threading.Event = field(default_factory=threading.Event)

    def finish(self, state: str, message: str = "") -> None:
        self.state, self.message = state, message
        self.seconds = time.perf_counter() - self.submitted
        self.done.set()

    def as_json(self) -> dict[str, Any]:
        return {"session": self.session, "rev": self.rev, "state": self.state, "pages": self.pages,
                "findings": self.findings, "message": self.message, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}


def _render_pages(pdf: Path, folder: Path, dpi: int) -> list[str]:
    """Every page of ``pdf`` as ``page-N.png`` in ``folder``.

    pdftoppm renders raw pixmaps (odd and even pages side by side, one process per core) and the PNGs are
    written here with zlib's fastest level: pdftoppm's own PNG encoder took 3.3 s for the 10 pages of the
    largest sample where this takes 0.35 s, and a page of black text on white compresses well either way.
    """
    program = shutil.which("pdftoppm")
    if program is None:
        from ..pdf import PopplerMissing
        from ..system import POPPLER_PACKAGE, apt_install

        raise PopplerMissing(_("making PNG previews needs pdftoppm (Debian/Ubuntu: {command}).").format(command=apt_install(POPPLER_PACKAGE)))
    commands = [[program, "-r", str(dpi), which, str(pdf), str(folder / "pixmap")] for which in ("-o", "-e")]
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
    pixmaps = sorted(folder.glob("pixmap-*.ppm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if not pixmaps:
        raise GeneratorError(_("{file}: pdftoppm could not render the pages.").format(file=pdf.name) + (f"\n{failed}" if failed else ""))
    names = []
    for pixmap in pixmaps:
        name = f"page-{int(pixmap.stem.rsplit('-', 1)[1])}.png"
        (folder / name).write_bytes(ppm_to_png(pixmap.read_bytes()))
        pixmap.unlink()
        names.append(name)
    return names


def ppm_to_png(data: bytes) -> bytes:
    """A binary PPM (P6, 8 bits, as pdftoppm writes it) as a PNG: no filter, zlib level 1."""
    magic, width, height, maxval, pixels = _ppm_header(data)
    if magic != b"P6" or maxval != 255:
        raise GeneratorError(_("{file}: pdftoppm could not render the pages.").format(file="ppm"))
    stride = width * 3
    rows = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def _ppm_header(data: bytes) -> tuple[bytes, int, int, int, bytes]:
    """The four header fields of a PPM and its pixels (comments are not written by pdftoppm)."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position:position + 1].isspace():
            position += 1
        start = position
        while not data[position:position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    return fields[0], int(fields[1]), int(fields[2]), int(fields[3]), data[position + 1:]


class PreviewWorker:
    """A single thread that turns submitted jobs into pages, in batches."""

    def __init__(self, dpi: int = PAGE_DPI, office: WarmOffice | None = None) -> None:
        self.dpi = dpi
        self.office = office
        self._pending: list[Job] = []
        self._latest: dict[str, int] = {}
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="preview-worker", daemon=True)
        self.batches: list[int] = []         # sizes of the batches run (for tests and the log)

    def start(self) -> None:
        if self.office is not None:
            self.office.start()
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        with self._condition:
            self._stopping = True
            for job in self._pending:
                job.finish("superseded")
            self._pending.clear()
            self._condition.notify_all()
        self._thread.join(timeout)
        if self.office is not None:
            self.office.stop()

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
        started = time.perf_counter()
        for job in jobs:
            job.timings["queued"] = started - job.submitted
            try:
                build_document(job.spec, job.folder / DOCX_NAME)
                built.append(job)
            except GeneratorError as exc:
                job.finish("error", exc.message)
        after_build = time.perf_counter()
        for job in built:
            job.timings["build"] = after_build - started
        if not built:
            return
        # check reads only the .docx: it runs while LibreOffice converts.
        findings: dict[int, list[dict[str, Any]]] = {}
        checker = threading.Thread(target=lambda: findings.update({id(job): _findings(job.folder / DOCX_NAME) for job in built}),
                                   name="preview-check", daemon=True)
        checker.start()
        conversion_error = ""
        documents = [job.folder / DOCX_NAME for job in built]
        if self.office is not None:  # the warm LibreOffice; what it leaves out goes the CLI's way
            documents = self.office.convert(documents)
        try:
            if documents:
                convert_to_pdf(documents)
        except GeneratorError as exc:  # the PDFs that did come out are still used
            conversion_error = exc.message
        after_pdf = time.perf_counter()
        for job in built:
            if not (job.folder / PDF_NAME).is_file():
                job.finish("error", conversion_error or _("LibreOffice could not convert {files} to PDF (is it a valid .docx?).").format(files=DOCX_NAME))
                continue
            try:
                job.timings["pdf"] = after_pdf - after_build
                before_png = time.perf_counter()
                job.pages = _render_pages(job.folder / PDF_NAME, job.folder, self.dpi)
                job.timings["png"] = time.perf_counter() - before_png
                checker.join()
                job.findings = findings.get(id(job), [])
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
