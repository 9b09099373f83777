"""``gen-directive build PATH… [-o OUT] [--out-dir DIR] [-j N] [--pdf] [--report json]``: one spec, or a batch.

One spec file: built in this process; its error is the command's error (message and exit code), as a clerk
expects. Several specs, or a folder or a glob: a batch (:mod:`generator.commands.batch` finds the specs and
runs the workers). In a batch every spec is built, failures are reported with their spec as they come (in
input order) and the run goes on; stdout lists the outputs (or, with ``--report json``, holds one JSON
array of records), stderr the failures, warnings, notes and a closing summary; the exit code is 1 when any
spec failed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

from ..errors import FileProblem, UsageError, os_reason
from ..i18n import _, current_language

if TYPE_CHECKING:
    from .batch import Found, Job, Outcome

def check_targets(jobs: list[Job], output: Path | None, out_dir: Path | None) -> list[Job]:
    """Apply ``-o``; two specs may not write one file (the second would replace the first)."""
    from .batch import Job, unique

    if output is not None and len(jobs) > 1:
        raise UsageError(_("-o names one output file; with several specs use --out-dir."))
    if output is not None and out_dir is not None:
        raise UsageError(_("use either -o or --out-dir, not both."))
    if output is not None:
        jobs = [Job(job.spec, output, job.explicit) for job in jobs]
    jobs = unique(jobs)
    seen: dict[str, Path] = {}
    for job in jobs:
        key = os.path.normcase(os.path.abspath(job.output))
        if key in seen:
            raise UsageError(_("{first} and {second} would both be written to {output}; build them into different folders.").format(
                first=seen[key], second=job.spec, output=job.output))
        seen[key] = job.spec
    return jobs


def _make_out_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(_("{folder}: cannot create the output folder ({reason}).").format(folder=out_dir, reason=os_reason(exc))) from None


def build_many(paths: list[Path], output: Path | None, out_dir: Path | None, pdf: bool, jobs: int | None = None,
               report: str = "text", debug: bool = False) -> int:
    from ..build import default_output

    started = time.perf_counter()
    if len(paths) == 1 and report == "text" and _names_one_file(paths[0]):  # the common call: no batch machinery
        if output is not None and out_dir is not None:
            raise UsageError(_("use either -o or --out-dir, not both."))
        if out_dir is not None:
            _make_out_dir(out_dir)
        target = output if output is not None else (out_dir / default_output(Path(paths[0].name)) if out_dir else default_output(paths[0]))
        return _build_single(paths[0], target, pdf)
    from .batch import find_jobs

    found = find_jobs(paths, out_dir, default_output)
    work = check_targets(found.jobs, output, out_dir)
    if out_dir is not None:
        _make_out_dir(out_dir)
    if not work:
        for note in found.skipped:
            print(note, file=sys.stderr)
        raise FileProblem(_("{paths}: no spec found (a spec is a .yaml or .yml file).").format(paths=", ".join(str(p) for p in paths)))
    workers = max(1, jobs if jobs is not None else _cores())
    return Batch(work, found, workers, pdf, report, debug, started).run()


def _cores() -> int:
    """The cores this process may run on (a CI container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _names_one_file(path: Path) -> bool:
    """A PATH that is neither a folder nor a glob pattern (a missing file too: the build reports it)."""
    return not path.is_dir() and (path.exists() or not any(char in str(path) for char in "*?["))


def _build_single(spec: Path, output: Path, pdf: bool) -> int:
    """One spec named on the command line: its error is the command's error."""
    from ..build import build_document

    result = build_document(spec, output)
    for warning in result.warnings:
        print(_("warning: {message}").format(message=warning.render()), file=sys.stderr)
    print(result.output)
    if pdf:
        from ..pdf import convert_to_pdf

        _warn_about_fonts()
        for pdf_path in convert_to_pdf([result.output]):
            print(pdf_path)
    return 0


def _warn_about_fonts() -> None:
    """The PDF is still made, but the clerk must know it will not print right (``gen-directive doctor``)."""
    from ..system import font_warning

    warning = font_warning()
    if warning:
        print(warning, file=sys.stderr)


class Batch:
    """A batch run: the jobs, the workers, the report in input order, the progress bar on a terminal."""

    def __init__(self, jobs: list[Job], found: Found, workers: int, pdf: bool, report: str, debug: bool, started: float) -> None:
        self.jobs = jobs
        self.found = found
        self.workers = workers
        self.pdf = pdf
        self.report = report
        self.debug = debug
        self.started = started
        self.outcomes: list[Outcome | None] = [None] * len(jobs)
        self.reported = 0  # outcomes before this index are reported
        self.done = 0
        self.failed = 0
        self.bar = None
        self.deferred: list[Callable[[], None]] = []

    # -- the run ----------------------------------------------------------------------------------

    def run(self) -> int:
        from .batch import run_jobs

        for note in self.found.skipped:
            print(note, file=sys.stderr)
        self._start_bar()
        try:
            run_jobs(self.jobs, self.workers, self._on_done, language=current_language(), debug=self.debug)
        finally:
            self._end_bar()
            if hasattr(os, "sync"):
                os.sync()  # the outputs were written without one fsync each: flush them all to disk once
        if self.pdf:
            self._convert_pdfs()
        outcomes = [o for o in self.outcomes if o is not None]
        if self.report == "json":
            import json

            sys.stdout.write(json.dumps([o.as_dict() for o in outcomes], ensure_ascii=False, indent=2) + "\n")
        failed = sum(not o.ok for o in outcomes)
        built = len(outcomes) - failed
        seconds = time.perf_counter() - self.started
        print(_("{built} built, {failed} failed, {skipped} skipped in {seconds:.2f} s ({rate:.1f} documents/s).").format(
            built=built, failed=failed, skipped=len(self.found.skipped), seconds=seconds,
            rate=built / seconds if seconds > 0 else 0.0), file=sys.stderr)
        return 1 if failed else 0

    def _on_done(self, index: int, outcome: Outcome) -> None:
        self.outcomes[index] = outcome
        self.done += 1
        self.failed += not outcome.ok
        while self.reported < len(self.outcomes) and self.outcomes[self.reported] is not None:
            self._emit(self.outcomes[self.reported])  # type: ignore[arg-type]
            self.reported += 1
        if self.bar is not None:
            self.bar.update(1, current_item=self._rate_text())

    def _emit(self, outcome: Outcome) -> None:
        """Report one spec (in input order): its output on stdout, its problems on stderr."""
        lines: list[tuple[TextIO, str]] = []
        if outcome.ok and self.report == "text":
            lines.append((sys.stdout, outcome.output))
        lines += [(sys.stderr, _("warning: {message}").format(message=w)) for w in outcome.warnings]
        lines += [(sys.stderr, _located(outcome.spec, m)) for m in outcome.messages]
        self._write(lines)

    def _write(self, lines: list[tuple[TextIO, str]]) -> None:
        if self.bar is not None:  # the bar owns the terminal line: print after it
            self.deferred.append(lambda: self._write_now(lines))
        else:
            self._write_now(lines)

    @staticmethod
    def _write_now(lines: list[tuple[TextIO, str]]) -> None:
        for stream, line in lines:
            print(line, file=stream)
        sys.stdout.flush()

    # -- the progress bar (stderr, on a terminal only) --------------------------------------------

    def _start_bar(self) -> None:
        if not _is_terminal(sys.stderr):
            return
        import click

        self.bar = click.progressbar(length=len(self.jobs), label=_("Building"), file=sys.stderr, show_pos=True,
                                     show_eta=False, item_show_func=lambda text: text)
        self.bar.__enter__()
        self.bar.update(0, current_item=self._rate_text())

    def _end_bar(self) -> None:
        if self.bar is None:
            return
        bar, self.bar = self.bar, None
        bar.__exit__(None, None, None)
        for write in self.deferred:
            write()
        self.deferred = []

    def _rate_text(self) -> str:
        seconds = time.perf_counter() - self.started
        return _("{rate:.1f} documents/s, {failed} failed").format(rate=self.done / seconds if seconds > 0 else 0.0, failed=self.failed)

    # -- PDF ----------------------------------------------------------------------------------------

    def _convert_pdfs(self) -> None:
        """All outputs to PDF, one LibreOffice run per worker; a spec whose PDF failed is a failure."""
        from .batch import run_pdf

        _warn_about_fonts()
        built = [o for o in self.outcomes if o is not None and o.ok]
        by_output = {o.output: o for o in built}
        lines: list[tuple[TextIO, str]] = []
        for share, made, error in run_pdf([o.output for o in built], self.workers):
            for docx, made_pdf in zip(share, made):
                outcome = by_output[docx]
                if made_pdf is not None:
                    outcome.pdf = made_pdf
                    if self.report == "text":
                        lines.append((sys.stdout, made_pdf))
                elif error:
                    outcome.ok = False
                    outcome.messages.append(error)
                    lines.append((sys.stderr, _located(outcome.spec, error)))
        self._write_now(lines)


def _located(spec: str, message: str) -> str:
    """The message with its spec in front, unless it already starts with the spec (a located message)."""
    return message if message.startswith(spec) else f"{spec}: {message}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
