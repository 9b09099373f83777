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
* A .docx may come from anyone (``preview`` takes any file), so LibreOffice must not reach outside the
  document: the private profile sets ``BlockUntrustedRefererLinks`` (LibreOffice then refuses every
  linked image or object whose referrer, our document, is not a trusted location: no http request, no
  ``file:`` picture is drawn), never updates links on load and never runs macros; and, in depth, the staged
  copy has every external relationship other than a hyperlink pointed at nothing before LibreOffice
  sees it. A linked picture prints as missing (``check`` warns about it). Where the system allows it
  (Linux ``unshare -rn``: a user and network namespace, no privileges needed), soffice also runs with no
  network at all.
* Temporary folders are locked while in use and swept at start-up when a killed run left them
  (:func:`generator.write.private_folder`).
"""

from __future__ import annotations

import functools
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
from .write import private_folder, write_atomic

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

# Settings written into every private profile (registrymodifications.xcu): nothing outside the document.
_LOCKDOWN_ITEMS = (
    # Linked images/objects of a document that is not in a trusted location are not loaded (http or file:).
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    # Writer: update links when loading = never (0).
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("/org.openoffice.Office.Writer/Content/Update", "Field", "false"),
)
_XCU_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n')
_XCU_END = "</oor:items>"


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


def _lock_down_profile(profile: Path) -> None:
    """Add the settings of ``_LOCKDOWN_ITEMS`` to the profile (after whatever a seed had, so they win)."""
    xcu = profile / "user" / "registrymodifications.xcu"
    items = "".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
                    for path, name, value in _LOCKDOWN_ITEMS)
    try:
        text = xcu.read_text(encoding="utf-8") if xcu.is_file() else ""
    except (OSError, UnicodeDecodeError):
        text = ""
    if _XCU_END in text:
        text = text[: text.rindex(_XCU_END)] + items + _XCU_END + "\n"
    else:
        text = _XCU_HEAD + items + _XCU_END + "\n"
    xcu.parent.mkdir(parents=True, exist_ok=True)
    xcu.write_text(text, encoding="utf-8")


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


@functools.lru_cache(maxsize=1)
def _network_jail() -> tuple[str, ...]:
    """``("unshare", "-rn")`` when this system lets an unprivileged process enter a namespace without a
    network (checked once per process), else nothing: the profile settings alone then keep LibreOffice
    from fetching anything."""
    program = shutil.which("unshare") if sys.platform.startswith("linux") else None
    if program is None:
        return ()
    try:
        probe = subprocess.run([program, "-rn", "true"], stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ()
    return (program, "-rn") if probe.returncode == 0 else ()


def _run_soffice(command: list[str], timeout: float, count: int) -> bytes:
    """Run soffice in its own process group (without a network where possible); returns its output."""
    try:
        process = subprocess.Popen(
            [*_network_jail(), *command],
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


_HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_EXTERNAL_RE = re.compile(rb'TargetMode\s*=\s*["\']External["\']')


def _stage_input(source: Path, staged: Path) -> None:
    """Put ``source`` at ``staged``: a hard link is free; copy when linking is not possible. A document
    with external relationships other than hyperlinks (linked pictures, templates, frames…) is copied
    with those pointed at nothing instead, so no renderer can fetch them."""
    if _defuse_external_links(source, staged):
        return
    try:
        os.link(source, staged)
    except OSError:
        shutil.copyfile(source, staged)


def _defuse_external_links(source: Path, staged: Path) -> bool:
    """Write ``source`` to ``staged`` with every non-hyperlink external target replaced; False (nothing
    written) when there is none, or when the file is not a readable zip (LibreOffice then says so)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            rels = [m for m in members if m.filename.endswith(".rels") and m.file_size <= 16 * 1024 * 1024]
            changed: dict[str, bytes] = {}
            for member in rels:
                raw = archive.read(member)
                if not _EXTERNAL_RE.search(raw):
                    continue
                parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
                root = etree.fromstring(raw, parser)
                for rel in root:
                    if rel.get("TargetMode") == "External" and rel.get("Type") != _HYPERLINK_TYPE:
                        rel.set("Target", "about:blank")
                changed[member.filename] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if not changed:
                return False
            with zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as out:
                for member in members:
                    if member.filename in changed:
                        out.writestr(member, changed[member.filename])
                        continue
                    with archive.open(member) as src, out.open(member, "w") as dst:  # streamed, never whole in memory
                        shutil.copyfileobj(src, dst, 1024 * 1024)
            return True
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, RuntimeError, ValueError, EOFError, NotImplementedError):
        try:
            staged.unlink()
        except OSError:
            pass
        return False


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

    with private_folder("gen-directive-pdf-") as work:
        profile, inbox, outbox = work / "profile", work / "in", work / "out"
        inbox.mkdir()
        outbox.mkdir()
        seeded = _prepare_profile(profile, seed)
        _lock_down_profile(profile)
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


#: The list of the page images a preview wrote, kept beside them: ``.<stem>.pages.json``.
MANIFEST_SUFFIX = ".pages.json"


def manifest_path(out_dir: Path, stem: str) -> Path:
    return Path(out_dir) / f".{stem}{MANIFEST_SUFFIX}"


def _read_manifest(path: Path) -> dict[str, str]:
    """Page name → sha256 of the bytes we wrote; {} when there is no (readable) manifest."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pages = data.get("pages") if isinstance(data, dict) else None
    if not isinstance(pages, dict):
        return {}
    return {name: digest for name, digest in pages.items()
            if isinstance(name, str) and isinstance(digest, str) and "/" not in name and "\\" not in name and name not in ("", ".", "..")}


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def render_png(pdf_path: Path, out_dir: Path, dpi: int = 60, *, stem: str | None = None) -> list[Path]:
    """Render every page of ``pdf_path`` to ``out_dir/<stem>-<page>.png``; returns them in page order.

    Page numbers in the names are zero-padded to the page count, so the names sort in page order.
    Page images an earlier preview *wrote* and this one does not (the document got shorter) are removed,
    so the folder shows exactly the current pages. Which files those are is read from a manifest the
    previews keep (``.<stem>.pages.json``), never guessed from names: a clerk's own ``photo-7.png``
    beside ``photo.docx`` is not ours, and a page image the clerk has since changed is not removed either.
    """
    import json

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
    stem = stem or pdf_path.stem
    manifest = manifest_path(out_dir, stem)
    earlier = _read_manifest(manifest)
    # Render privately first, then move page by page: no half-written image is ever visible.
    with private_folder(f".{stem}-png-", out_dir) as work:
        try:
            result = subprocess.run(
                [program, "-png", "-r", str(dpi), str(pdf_path), str(work / "page")],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT_BASE_SECONDS,
            )
        except subprocess.TimeoutExpired:
            raise PdfTimeout(_("{file}: pdftoppm did not finish rendering the pages within {seconds:g} s and was stopped.").format(
                file=pdf_path, seconds=TIMEOUT_BASE_SECONDS)) from None
        rendered = sorted(work.glob("page-*.png"), key=_page_number)
        if result.returncode != 0 or not rendered:
            detail = result.stderr.decode("utf-8", "replace").strip()
            raise PdfConversionError(
                _("{file}: pdftoppm could not render the pages.").format(file=pdf_path) + (f"\n{detail}" if detail else "")
            )
        width = len(str(len(rendered)))
        pages: list[Path] = []
        written: dict[str, str] = {}
        for image in rendered:
            target = out_dir / f"{stem}-{_page_number(image):0{width}d}.png"
            digest = _digest(image)
            os.replace(image, target)  # same folder tree: the finished page appears in one step
            pages.append(target)
            if digest is not None:
                written[target.name] = digest
    for name, digest in earlier.items():
        if name in written:
            continue
        stale = out_dir / name
        if stale.is_file() and not stale.is_symlink() and _digest(stale) == digest:  # still exactly what we wrote
            try:
                stale.unlink()
            except OSError:
                pass
    record = json.dumps({"pages": written}, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    write_atomic(manifest, record)
    return pages


def _page_number(image: Path) -> int:
    return int(image.stem.rsplit("-", 1)[1])


if __name__ == "__main__":  # pragma: no cover - manual check: python -m generator.pdf FILE.docx…
    for produced in convert_to_pdf([Path(arg) for arg in sys.argv[1:]]):
        print(produced)
