"""The batch machinery of ``gen-directive build``: which files a PATH names, and building many specs on
several worker processes.

Finding specs. A PATH is a file, a folder or a glob pattern:

* a **file** named on the command line is built whatever it holds: the clerk asked for it, so a file that
  is not a spec fails with the loader's located message;
* a **folder** is searched recursively for ``*.yaml`` and ``*.yml``; hidden files and folders (a name
  starting with ``.``: ``.git``, ``.venv``, ``.github``…) are not entered, nor are symlinked folders
  (no loops);
* a **glob** (``specs/**/*.yaml``, quoted so the shell leaves it to us) matches files and folders the same
  way; ``**`` crosses folders.

A YAML file *found* in a folder or by a glob may be something else than a spec: an organ registry
(``organs:``), a profile, a CI configuration. It is built when one of its top-level keys (a ``key:`` line
at column 0) is a key every spec must have (``type``, ``issuer``, ``date``, ``subject``, ``signature``,
read from the spec's definition); otherwise it is skipped with a note. So a spec with a mistake in it
(a misspelt key, a missing date) still has its other required keys and fails loudly, while a registry or a
profile, which has none of them, is passed over.

Outputs. With ``--out-dir``, a spec found in a folder keeps its place below that folder (``specs/a/x.yaml``
given as ``specs`` → ``OUT/a/x.docx``); a file named on the command line lands in ``OUT`` by its name;
a glob's matches keep their place below the pattern's fixed leading folders. Without ``--out-dir`` each
output is written beside its spec.

Workers. Specs are built by :func:`build_one`, which calls :func:`generator.build.build_document`, in
``-j N`` worker processes, a few specs per task (one task per spec cost more in messages than in work).
On Linux the command imports the pipeline and compiles the templates once, then forks its workers: each
starts warm in a millisecond. It forks only while it runs no other thread (a fork copies one thread and
whatever locks the others held); otherwise, and where fork is not the platform's way, the workers come
from a fork server that imported the pipeline, or are spawned. Each worker is initialised once
(language, working folder, the pipeline imported). A worker that dies (a crash, the kernel's OOM killer)
breaks the pool; the specs left unfinished are then built one at a time in a fresh worker until the one
that kills it is found and reported as a failure, and the run goes on. ``-j 1`` builds in the command's
own process.

Temporary files. Every output is written atomically (a temporary file renamed over it); the leftovers
of an earlier run that died are swept once per output folder before the batch starts, not once per
document (a folder of N outputs would be listed N times).
"""

from __future__ import annotations

import glob
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..errors import GeneratorError, SpecError, UsageError, os_reason
from ..i18n import _

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

SPEC_SUFFIXES = (".yaml", ".yml")
_GLOB_MAGIC = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Job:
    """One spec to build and where its output goes."""

    spec: Path
    output: Path
    explicit: bool = True  # named on the command line (not found in a folder or by a glob)


@dataclass
class Outcome:
    """What became of one spec: the record ``--report json`` prints."""

    spec: str
    output: str
    ok: bool
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pdf: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def internal(cls, spec: str, output: str, exc: BaseException) -> Outcome:
        """A spec whose build raised past the worker's own handling (a bug): reported, and the batch goes on."""
        return cls(spec, output, False, [internal_error(exc)])


@dataclass
class Found:
    """The jobs the PATH arguments name, and the files passed over (with why)."""

    jobs: list[Job]
    skipped: list[str]


# --------------------------------------------------------------------------------------------------
# Finding the specs


def required_spec_keys() -> frozenset[str]:
    """The top-level keys every spec must have, from the spec's own definition."""
    from ..spec import SPEC

    return frozenset(key for key, option in SPEC.fields.items() if option.required)


def _has_top_level_key(text: str, keys: frozenset[str]) -> bool:
    """Whether one of ``keys`` is a top-level key of ``text`` (``key:`` at column 0, plain or quoted, then a
    space or the line's end), searched up to the first one: a spec says ``type:`` or ``issuer:`` in its
    first lines."""
    names = "|".join(sorted(map(re.escape, keys)))
    pattern = re.compile(rf"""^(?:"[ \t]*(?:{names})[ \t]*"|'[ \t]*(?:{names})[ \t]*'|(?:{names}))[ \t]*:(?:[ \t]|$)""", re.MULTILINE)
    return pattern.search(text) is not None


def _text(head: bytes) -> str:
    return head.decode("utf-8", "replace").removeprefix("\ufeff")  # a byte-order mark is not part of the first key


def not_a_spec(path: Path, required: frozenset[str]) -> str | None:
    """Why a YAML file found in a folder is not a spec (a note), or None when it is to be built."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(16 * 1024)  # the first lines hold a spec's keys; a 256 KB read costs its allocation
            if not _has_top_level_key(_text(head), required):
                head += stream.read(240 * 1024)
    except OSError:
        return None  # let the build report it, located
    if _has_top_level_key(_text(head), required):
        return None
    return _("{file}: skipped, not a spec (none of the keys {keys} at the top level).").format(
        file=path, keys=", ".join(f"{key}:" for key in sorted(required)))


def _walk(folder: Path) -> Iterable[Path]:
    """Every ``*.yaml``/``*.yml`` below ``folder``, hidden names and symlinked folders left out, sorted."""
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(SPEC_SUFFIXES):
                yield Path(root) / name


def _fixed_prefix(pattern: str) -> Path:
    """The leading folders of a glob pattern that hold no wildcard (``a/b/**/*.yaml`` → ``a/b``)."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if _GLOB_MAGIC.search(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def find_jobs(paths: list[Path], out_dir: Path | None, default_output: Callable[[Path], Path]) -> Found:
    """The jobs the PATH arguments name, in the order given (a folder's files sorted), each spec once."""
    jobs: list[Job] = []
    skipped: list[str] = []
    required: frozenset[str] | None = None

    def output_for(spec: Path, base: Path | None) -> Path:
        if out_dir is None:
            return default_output(spec)
        relative = Path(spec.name) if base is None else spec.relative_to(base)
        return out_dir / default_output(relative)

    def add_found(spec: Path, base: Path) -> None:
        nonlocal required
        if required is None:
            required = required_spec_keys()
        note = not_a_spec(spec, required)
        if note:
            skipped.append(note)
        else:
            jobs.append(Job(spec, output_for(spec, base), explicit=False))

    for path in paths:
        text = str(path)
        if path.is_dir():
            for spec in _walk(path):
                add_found(spec, path)
        elif not path.exists() and _GLOB_MAGIC.search(text):
            base = _fixed_prefix(text)
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise UsageError(_("{pattern}: no file matches this pattern.").format(pattern=text))
            for match in map(Path, matches):
                if any(part.startswith(".") and part not in (".", "..") for part in match.relative_to(base).parts):
                    continue
                if match.is_dir():
                    for spec in _walk(match):
                        add_found(spec, base)
                elif match.name.lower().endswith(SPEC_SUFFIXES):
                    add_found(match, base)
        else:
            jobs.append(Job(path, output_for(path, None)))
    return Found(jobs, skipped)


def unique(jobs: list[Job]) -> list[Job]:
    """Each (spec, output) pair once: ``build specs specs/a.yaml`` names ``specs/a.yaml`` twice."""
    seen: set[tuple[str, str]] = set()
    kept: list[Job] = []
    for job in jobs:
        key = (os.path.normcase(os.path.realpath(job.spec)), os.path.normcase(os.path.abspath(job.output)))
        if key not in seen:
            seen.add(key)
            kept.append(job)
    return kept


# --------------------------------------------------------------------------------------------------
# Building one spec (in a worker, or in the command's process with -j 1)

_debug = False


def init_worker(language: str, debug: bool, folder: str) -> None:
    """Run once in each worker: the parent's language and working folder (a fork server keeps the one it
    started in), and the pipeline imported before the first spec."""
    import signal

    from ..i18n import set_language

    global _debug
    _debug = debug
    os.chdir(folder)
    set_language(language)
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    warm_up()


def warm_up() -> None:
    """Import the whole pipeline and read what every spec needs (every profile's template, the kinds and
    profiles, the shipped registry, the body snippets) now: once in the command's process before it forks
    its workers, rather than once in each worker while its first spec is timed."""
    import importlib

    for name in PIPELINE:
        importlib.import_module(name)
    from .. import bodies, data, registry
    from ..render import compile_all

    compile_all()
    data.doc_types()
    for profile_id in data.profile_ids():
        data.profile(profile_id)
    registry.shipped()
    bodies.environment().get_template(bodies.SNIPPETS)


def build_one(spec: str, output: str) -> Outcome:
    """Build one spec; every failure becomes the outcome's messages (never an exception)."""
    from ..build import build_document

    start = time.perf_counter()
    messages: list[str] = []
    warnings: list[str] = []
    try:
        folder = Path(output).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise GeneratorError(_("{file}: cannot write in {folder} ({reason}).").format(
                file=output, folder=folder, reason=os_reason(exc))) from None
        # the batch syncs once at its end, and swept the output folders before it started
        result = build_document(Path(spec), Path(output), durable=False, sweep=False)
        warnings = [warning.render() for warning in result.warnings]
    except SpecError as exc:
        messages = [problem.render() for problem in exc.problems] or [exc.message]
    except GeneratorError as exc:
        messages = [exc.message]
    except Exception as exc:  # a bug: reported with the spec, and the batch goes on
        messages = [internal_error(exc)]
        if _debug:
            import traceback

            messages.append(traceback.format_exc())
    return Outcome(spec, output, not messages, messages, warnings, round(time.perf_counter() - start, 6))


def internal_error(exc: BaseException) -> str:
    return _("internal error ({kind}: {reason}); run again with --debug and report it.").format(kind=type(exc).__name__, reason=exc)


def convert_many(outputs: list[str]) -> tuple[list[str], list[str | None], str | None]:
    """Convert ``outputs`` to PDF in one LibreOffice run: (the outputs, the PDF of each or None, the error)."""
    from ..pdf import convert_to_pdf

    pdfs = [Path(o).with_suffix(".pdf") for o in outputs]
    before = [_identity(pdf) for pdf in pdfs]
    try:
        return outputs, [str(path) for path in convert_to_pdf([Path(o) for o in outputs])], None
    except GeneratorError as exc:
        # convert_to_pdf delivers the PDFs it could make even when it reports others: a PDF written by this
        # run is a new file (written atomically, so a new inode) where the old one was.
        return outputs, [str(pdf) if _identity(pdf) not in (None, old) else None for pdf, old in zip(pdfs, before)], exc.message
    except Exception as exc:  # a bug: every document of the run is reported
        return outputs, [None] * len(outputs), internal_error(exc)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_mtime_ns


# --------------------------------------------------------------------------------------------------
# Running the jobs

Worker = Callable[[str, str], Outcome]


def run_jobs(jobs: list[Job], workers: int, on_done: Callable[[int, Outcome], None], *, language: str,
             debug: bool, worker: Worker = build_one) -> None:
    """Build every job; ``on_done(index, outcome)`` is called as each finishes (in any order)."""
    sweep_outputs(jobs)
    if workers <= 1 or len(jobs) <= 1:
        global _debug
        _debug = debug
        for index, job in enumerate(jobs):
            on_done(index, worker(str(job.spec), str(job.output)))
        return
    pending = list(range(len(jobs)))
    chunk = max(1, min(MAX_CHUNK, len(jobs) // (workers * 4)))
    while pending:
        unfinished = _run_pool(jobs, pending, min(workers, len(pending)), chunk, on_done, language, debug, worker)
        if not unfinished:
            break
        # The pool broke: a worker died. Build the unfinished specs one by one until the culprit is found
        # (the first ones in input order were the ones in flight), then go parallel again.
        pending = _isolate(jobs, unfinished, workers, chunk, on_done, language, debug, worker)


def sweep_outputs(jobs: list[Job]) -> None:
    """Remove what dead runs left beside the outputs, listing each output folder once."""
    from ..write import sweep_temp_files

    by_folder: dict[Path, list[str]] = {}
    for job in jobs:
        by_folder.setdefault(job.output.parent, []).append(job.output.name)
    for folder, names in by_folder.items():
        sweep_temp_files(folder, *names)


PIPELINE = ("generator.build", "generator.spec", "generator.resolve", "generator.compose", "generator.render", "generator.write")
MAX_CHUNK = 8  # specs per task: fewer messages, yet the workers still finish together


def _pool(count: int, language: str, debug: bool) -> ProcessPoolExecutor:
    """Workers forked from this process once it is warm (Linux, no other thread running); otherwise from a
    fork server that has imported the pipeline once, or spawned."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        warm_up()
        for stream in (sys.stdout, sys.stderr):  # a forked worker must not print this process's pending output again
            stream.flush()
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["generator.commands.batch", *PIPELINE])
    else:  # pragma: no cover - Windows, macOS
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=init_worker,
                               initargs=(language, debug, os.getcwd()))


def run_chunk(worker: Worker, pairs: list[tuple[str, str]]) -> list[Outcome]:
    """One task in a worker: a few specs, each with its own outcome (an exception is that spec's failure)."""
    outcomes = []
    for spec, output in pairs:
        try:
            outcomes.append(worker(spec, output))
        except (Exception, SystemExit) as exc:  # raised past build_one's own handling: still one spec's failure
            outcomes.append(Outcome.internal(spec, output, exc))
    return outcomes


def _run_pool(jobs: list[Job], indices: list[int], count: int, chunk: int, on_done: Callable[[int, Outcome], None],
              language: str, debug: bool, worker: Worker) -> list[int]:
    """Build ``indices`` on ``count`` workers, ``chunk`` specs per task; returns the indices left unfinished
    when the pool broke."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    unfinished: list[int] = []
    executor = _pool(count, language, debug)
    try:
        tasks = [indices[start:start + chunk] for start in range(0, len(indices), chunk)]
        futures: dict[Future, list[int]] = {
            executor.submit(run_chunk, worker, [(str(jobs[i].spec), str(jobs[i].output)) for i in task]): task for task in tasks}
        waiting = set(futures)
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: futures[f][0]):
                task = futures[future]
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    unfinished.extend(task)
                    continue
                except (Exception, SystemExit) as exc:  # the task itself failed (its results could not be sent back)
                    outcomes = [Outcome.internal(str(jobs[i].spec), str(jobs[i].output), exc) for i in task]
                for index, outcome in zip(task, outcomes):
                    on_done(index, outcome)
    except BaseException:
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)
    return sorted(unfinished)


def _isolate(jobs: list[Job], unfinished: list[int], workers: int, chunk: int, on_done: Callable[[int, Outcome], None],
             language: str, debug: bool, worker: Worker) -> list[int]:
    """Build the first unfinished jobs alone; a job whose worker dies is reported as crashed. Returns the
    jobs still to build in parallel."""
    from concurrent.futures.process import BrokenProcessPool

    probe = unfinished[: chunk * (2 * workers + 2)]  # at most this many were in the workers or their queue
    executor = _pool(1, language, debug)
    try:
        for index in probe:
            job = jobs[index]
            try:
                outcome = executor.submit(worker, str(job.spec), str(job.output)).result()
            except BrokenProcessPool:
                executor.shutdown(wait=True)
                executor = _pool(1, language, debug)
                outcome = Outcome(str(job.spec), str(job.output), False, [_(
                    "{file}: the worker process building it stopped unexpectedly (a crash, or out of memory).").format(file=job.spec)])
            except (Exception, SystemExit) as exc:
                outcome = Outcome.internal(str(job.spec), str(job.output), exc)
            on_done(index, outcome)
    except BaseException:
        _stop_workers(executor)
        raise
    executor.shutdown(wait=True)
    return unfinished[len(probe):]


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """On Ctrl-C (or any error here), end the workers now instead of waiting for their current spec."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # before shutdown forgets them
    for process in processes:
        try:
            process.kill()
        except Exception:  # pragma: no cover - already gone
            pass
    for process in processes:
        process.join(timeout=5)
    # With the workers gone the pool's manager thread ends at once; waiting for it releases the pool's
    # queues and semaphores (else multiprocessing's resource tracker warns about them at exit).
    executor.shutdown(wait=True, cancel_futures=True)


def run_pdf(outputs: list[str], workers: int) -> list[tuple[list[str], list[str | None], str | None]]:
    """Convert ``outputs`` with one LibreOffice run per worker (contiguous, even shares, in input order).

    LibreOffice does the work in its own processes, so the workers here are threads that wait for it."""
    shares = split_evenly(outputs, max(1, min(workers, len(outputs))))
    if len(shares) <= 1:
        return [convert_many(share) for share in shares]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(shares)) as executor:
        return list(executor.map(convert_many, shares))


def split_evenly(items: list[str], parts: int) -> list[list[str]]:
    size, extra = divmod(len(items), parts)
    shares, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < extra else 0)
        if end > start:
            shares.append(items[start:end])
        start = end
    return shares
