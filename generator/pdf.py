"""PDF route: LibreOffice (``soffice --headless``) turns finished .docx files into PDFs.

LibreOffice is also the project's reference *reader*: the PDF shows how the document really prints
(page breaks, the PAGE field in the header, fonts), which python-docx cannot tell.

Why it is built the way it is (figures in ``bench/PDF_FIGURES.md``):

* Starting soffice costs about a second; each extra document in the same process costs about a tenth
  of that. So a batch is always converted by **one** soffice process, never one per document.
* Every run gets a **private throwaway profile** (``-env:UserInstallation``): a soffice already running
  under the user's own profile would otherwise swallow the request and exit at once without output,
  and concurrent runs must not share one profile. A brand-new profile makes LibreOffice do its
  first-start work (graphics self-test, then a restart of itself), so after the first successful run
  we keep a pristine copy of that profile in the user's cache as a *seed* and copy it into each new
  throwaway profile; that saves the first-start cost on every later run.
* Inputs are hard-linked (or copied) into the private work folder under plain ASCII names: no
  collisions between equal names from different folders, no LibreOffice lock files beside the user's
  files, no dependence on the file-name encoding of the environment (CI often runs with ``LANG=C``).
* The soffice process runs in its own process group with a time limit; on timeout the whole group
  (the ``soffice`` wrapper, ``oosplash`` and ``soffice.bin``) is killed.
* Each PDF lands beside its .docx through a temporary file and ``os.replace``: a reader never sees
  half a PDF, and a failed run leaves the previous PDF as it was.
* soffice exits with 0 even when it could not load a file, so success is judged by the outputs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .errors import FileProblem, GeneratorError
from .i18n import _
from .system import FONT_PACKAGE, LIBREOFFICE_PACKAGE, POPPLER_PACKAGE, apt_install
from .write import write_atomic

#: Environment variable naming the soffice program to use (a path, or a name looked up on PATH).
SOFFICE_ENV = "GEN_DIRECTIVE_SOFFICE"
#: Set to ``0`` to never use or create the cached seed profile (every run then starts cold).
PROFILE_CACHE_ENV = "GEN_DIRECTIVE_LO_PROFILE_CACHE"

# Timeout: a generous allowance for one cold start (first start after install, slow CI machine) plus
# a per-document allowance ~30x what a document measured in batch (≈0.1 s).
TIMEOUT_BASE_SECONDS = 60.0
TIMEOUT_PER_DOCUMENT_SECONDS = 3.0

# Where LibreOffice lives when it is installed but not on PATH.
_WELL_KNOWN_SOFFICE = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)

_INSTALL_HINT = apt_install(LIBREOFFICE_PACKAGE, FONT_PACKAGE)


class LibreOfficeMissing(GeneratorError):
    """No soffice program could be found (or the one named by GEN_DIRECTIVE_SOFFICE is not there)."""


class PdfConversionError(GeneratorError):
    """soffice ran but did not produce every PDF asked for."""


class PdfTimeout(PdfConversionError):
    """soffice did not finish within the time limit and was killed."""


class PopplerMissing(GeneratorError):
    """pdftoppm (poppler-utils) is needed for PNG previews and is not installed."""


# --------------------------------------------------------------------------------------------------
# Finding LibreOffice


def find_soffice() -> str:
    """The soffice program to run: ``$GEN_DIRECTIVE_SOFFICE`` if set, else ``soffice``/``libreoffice`` on PATH.

    Raises :class:`LibreOfficeMissing` with installation advice when none is found.
    """
    override = os.environ.get(SOFFICE_ENV, "").strip()
    if override:
        # A path is taken as it is; a bare name ("soffice7.6") is looked up on PATH.
        candidate = override if os.sep in override or (os.altsep and os.altsep in override) else shutil.which(override)
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
        raise LibreOfficeMissing(
            _(
                "LibreOffice was not found at {path} (named by {env}). "
                "Point {env} at the soffice program, or unset it and install LibreOffice "
                "(Debian/Ubuntu: {command})."
            ).format(path=override, env=SOFFICE_ENV, command=_INSTALL_HINT)
        )
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in _WELL_KNOWN_SOFFICE:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise LibreOfficeMissing(
        _(
            "making a PDF needs LibreOffice, and soffice was not found on PATH. "
            "Install it (Debian/Ubuntu: {command}) or set {env} to the soffice program."
        ).format(command=_INSTALL_HINT, env=SOFFICE_ENV)
    )


def default_timeout(count: int) -> float:
    """Seconds allowed for converting ``count`` documents in one soffice process."""
    return TIMEOUT_BASE_SECONDS + TIMEOUT_PER_DOCUMENT_SECONDS * max(count, 1)


# --------------------------------------------------------------------------------------------------
# The seed profile cache


def _cache_root() -> Path | None:
    """``$XDG_CACHE_HOME/gen-directive`` (default ``~/.cache``); None without a usable home folder."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    # Without HOME, expanduser leaves "~" as it is: never create a cache relative to the working folder.
    return Path(base) / "gen-directive" if os.path.isabs(base) else None


def _profile_cache_enabled() -> bool:
    return os.environ.get(PROFILE_CACHE_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def _seed_dir(soffice: str) -> Path | None:
    """Seed profile folder for this LibreOffice build: a profile made by another version is not reused."""
    root = _cache_root()
    if root is None:
        return None
    real = os.path.realpath(soffice)
    # The wrapper script rarely changes between versions; soffice.bin beside it (when there) does.
    probe = os.path.join(os.path.dirname(real), "soffice.bin")
    try:
        stat = os.stat(probe if os.path.exists(probe) else real)
        identity = f"{real}|{stat.st_size}|{stat.st_mtime_ns}"
    except OSError:
        identity = real
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return root / f"lo-profile-{digest}"


def _prepare_profile(profile: Path, seed: Path | None) -> bool:
    """Fill the throwaway ``profile`` folder from ``seed`` if there is one; True when seeded."""
    if seed is not None and (seed / "user").is_dir():
        try:
            shutil.copytree(seed, profile, symlinks=True)
            return True
        except OSError:
            # A half-copied profile could confuse LibreOffice: start from an empty one instead.
            shutil.rmtree(profile, ignore_errors=True)
    profile.mkdir(parents=True, exist_ok=True)
    return False


def _store_seed(profile: Path, seed: Path) -> None:
    """Keep a copy of a profile that just worked as the seed; best effort, never an error."""
    if seed.exists():
        return
    try:
        seed.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{seed.name}.", dir=seed.parent))
        try:
            shutil.copytree(profile, staging / "p", symlinks=True, ignore=shutil.ignore_patterns(".lock", ".~lock*"))
            # rename is atomic: other processes see either no seed or a whole one.
            os.rename(staging / "p", seed)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError:
        pass  # read-only home, a concurrent run won the race, …: the next run simply starts cold


# --------------------------------------------------------------------------------------------------
# Running soffice


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill soffice and everything it started (wrapper script → oosplash → soffice.bin)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def _tail(text: bytes, lines: int = 8) -> str:
    """Last lines of soffice's output, minus known noise, for an error message."""
    decoded = text.decode("utf-8", "replace").splitlines()
    kept = [line for line in decoded if line.strip() and "javaldx" not in line]
    return "\n".join(kept[-lines:])


def _run_soffice(command: list[str], timeout: float, count: int) -> bytes:
    """Run soffice in its own process group; returns its combined output."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=(os.name == "posix"),
        )
    except OSError as exc:
        raise LibreOfficeMissing(
            _("cannot start LibreOffice ({program}): {reason}. Install it (Debian/Ubuntu: {command}).").format(
                program=command[0], reason=exc.strerror or exc, command=_INSTALL_HINT
            )
        ) from None
    try:
        output, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PdfTimeout(
            _(
                "LibreOffice did not finish converting {count} document(s) to PDF within {seconds:g} s "
                "and was stopped. Try again, or convert fewer documents at once."
            ).format(count=count, seconds=timeout)
        ) from None
    except BaseException:
        # Ctrl-C and friends: never leave an orphaned soffice behind.
        _kill_group(process)
        raise
    if process.returncode != 0:
        detail = _tail(output)
        raise PdfConversionError(
            _("LibreOffice failed (exit code {code}) while converting to PDF.").format(code=process.returncode)
            + (f"\n{detail}" if detail else "")
        )
    return output


def _stage_input(source: Path, staged: Path) -> None:
    """Put ``source`` at ``staged``: a hard link is free; copy when linking is not possible."""
    try:
        os.link(source, staged)
    except OSError:
        shutil.copyfile(source, staged)


def convert_to_pdf(
    docx_paths: list[Path],
    timeout: float | None = None,
    *,
    soffice: str | None = None,
) -> list[Path]:
    """Write ``X.pdf`` beside each ``X.docx`` with one soffice process; returns the PDFs in input order.

    ``timeout`` (seconds) defaults to :func:`default_timeout` for the number of documents. Raises
    :class:`LibreOfficeMissing`, :class:`PdfTimeout`, :class:`PdfConversionError` or
    :class:`~generator.errors.FileProblem`. A PDF is either whole or not there (never half-written);
    when some documents fail, the others' PDFs are still written and the error names the failures.
    """
    sources = [Path(p) for p in docx_paths]
    if not sources:
        return []
    for source in sources:
        if not source.is_file():
            raise FileProblem(_("{file}: no such file.").format(file=source))
        # LibreOffice would happily "convert" any non-Word file as plain text: refuse it here.
        if not zipfile.is_zipfile(source):
            raise FileProblem(_("{file}: is not a Word .docx file.").format(file=source))
    # The same file named twice is converted once.
    unique: list[Path] = []
    seen: set[Path] = set()
    for source in sources:
        key = source.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(source)

    program = soffice or find_soffice()
    limit = default_timeout(len(unique)) if timeout is None else timeout
    seed = _seed_dir(program) if _profile_cache_enabled() else None

    with tempfile.TemporaryDirectory(prefix="gen-directive-pdf-") as work_name:
        work = Path(work_name)
        profile, inbox, outbox = work / "profile", work / "in", work / "out"
        inbox.mkdir()
        outbox.mkdir()
        seeded = _prepare_profile(profile, seed)
        staged_names: list[str] = []
        for index, source in enumerate(unique):
            name = f"d{index:05d}"
            _stage_input(source, inbox / f"{name}.docx")
            staged_names.append(name)

        command = [
            program,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            # Name the Writer filter: a .docx is then never opened by another component.
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outbox),
            *(str(inbox / f"{name}.docx") for name in staged_names),
        ]
        output = _run_soffice(command, limit, len(unique))

        # The PDFs that did come out are delivered even when others failed: in a batch of twenty, one
        # broken file should not cost the other nineteen.
        targets: dict[Path, Path] = {}
        missing: list[Path] = []
        for source, name in zip(unique, staged_names):
            produced = outbox / f"{name}.pdf"
            if not _looks_like_pdf(produced):
                missing.append(source)
                continue
            target = source.with_suffix(".pdf")
            write_atomic(target, produced.read_bytes())  # PDFs of directives are small: read whole
            targets[source.resolve()] = target
        if missing:
            detail = _tail(output)
            raise PdfConversionError(
                _("LibreOffice could not convert {files} to PDF (is it a valid .docx?).").format(
                    files=", ".join(str(m) for m in missing)
                )
                + (f"\n{detail}" if detail else "")
            )
        if seed is not None and not seeded:
            _store_seed(profile, seed)
    return [targets[source.resolve()] for source in sources]


def _looks_like_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(5) == b"%PDF-"
    except OSError:
        return False


# --------------------------------------------------------------------------------------------------
# PNG previews


def render_png(pdf_path: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """Render every page of ``pdf_path`` to ``out_dir/<stem>-<page>.png``; returns them in page order.

    Page numbers in the names are zero-padded to the page count, so the names sort in page order.
    Page images left over from an earlier, longer version of the same PDF are removed, so the folder
    always shows exactly the current pages.
    """
    pdf_path, out_dir = Path(pdf_path), Path(out_dir)
    program = shutil.which("pdftoppm")
    if program is None:
        raise PopplerMissing(
            _("making PNG previews needs pdftoppm (Debian/Ubuntu: {command}).").format(command=apt_install(POPPLER_PACKAGE))
        )
    if not pdf_path.is_file():
        raise FileProblem(_("{file}: no such file.").format(file=pdf_path))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(
            _("{file}: cannot write in {folder} ({reason}).").format(file=pdf_path, folder=out_dir, reason=exc.strerror)
        ) from None
    stem = pdf_path.stem
    # Render privately first, then move page by page: no half-written image is ever visible.
    with tempfile.TemporaryDirectory(prefix=f".{stem}-png-", dir=out_dir) as work_name:
        work = Path(work_name)
        result = subprocess.run(
            [program, "-png", "-r", str(dpi), str(pdf_path), str(work / "page")],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_BASE_SECONDS,
        )
        rendered = sorted(work.glob("page-*.png"), key=_page_number)
        if result.returncode != 0 or not rendered:
            detail = result.stderr.decode("utf-8", "replace").strip()
            raise PdfConversionError(
                _("{file}: pdftoppm could not render the pages.").format(file=pdf_path) + (f"\n{detail}" if detail else "")
            )
        width = len(str(len(rendered)))
        pages: list[Path] = []
        for image in rendered:
            target = out_dir / f"{stem}-{_page_number(image):0{width}d}.png"
            os.replace(image, target)  # same folder tree: the finished page appears in one step
            pages.append(target)
    keep = {page.name for page in pages}
    pattern = re.compile(rf"{re.escape(stem)}-\d+\.png")
    for stale in out_dir.glob(f"{glob_escape(stem)}-*.png"):
        if pattern.fullmatch(stale.name) and stale.name not in keep:
            try:
                stale.unlink()
            except OSError:
                pass
    return pages


def _page_number(image: Path) -> int:
    return int(image.stem.rsplit("-", 1)[1])


def glob_escape(text: str) -> str:
    """Escape glob metacharacters in a file-name part."""
    return re.sub(r"([*?\[])", r"[\1]", text)


if __name__ == "__main__":  # pragma: no cover - manual check: python -m generator.pdf FILE.docx…
    for produced in convert_to_pdf([Path(arg) for arg in sys.argv[1:]]):
        print(produced)
