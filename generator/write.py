"""Write step: put finished bytes at the output path atomically.

The document is complete in memory before this runs. Bytes go to a temporary file beside the target (same
folder, so the same file system), are flushed to disk, then renamed over the target in one step: on any
failure the previous file is untouched and no partial file is left behind.

A process killed mid-write (SIGKILL, power loss) cannot clean up after itself, so every temporary file
and folder this tool makes is *locked* (``flock``) by the process that owns it for as long as it lives;
the kernel drops the lock when that process dies. The next run sweeps what an earlier, dead run left:
a leftover whose lock can be taken (and that is older than :data:`STALE_AFTER_SECONDS`, so a file a
concurrent run has only just created is never touched) is removed. Nothing else is ever removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no sweeping (a leftover stays, as before)
    fcntl = None  # type: ignore[assignment]

from .errors import FileProblem, os_reason
from .i18n import _


#: A leftover temporary file or folder younger than this is never swept (a concurrent run may be about to lock it).
STALE_AFTER_SECONDS = 60.0
_FOLDER_LOCK = ".lock"


def _lock(fd: int) -> bool:
    """Take the owner's lock on ``fd`` without waiting; True when taken (no other process holds it)."""
    if fcntl is None:  # pragma: no cover
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _is_abandoned(path: Path, lock_file: Path, now: float) -> bool:
    """True when ``path`` is older than STALE_AFTER_SECONDS and no living process holds ``lock_file``."""
    try:
        if now - path.lstat().st_mtime < STALE_AFTER_SECONDS or path.is_symlink():
            return False
        fd = os.open(lock_file, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        return _lock(fd)
    finally:
        os.close(fd)  # closing drops the lock we may have taken


def sweep_temp_files(folder: Path, *target_names: str) -> None:
    """Remove the ``.{name}.*.tmp`` files of earlier runs that died while writing one of ``target_names``
    (the folder is listed once, whatever their number)."""
    folder = Path(folder)
    now = time.time()
    names = set(target_names)
    try:
        # ".{name}.{random}.tmp", as write_atomic makes them: the target's name is what lies between
        candidates = [entry for entry in folder.iterdir() if entry.name.startswith(".") and entry.name.endswith(".tmp")
                      and entry.name[1:-4].rpartition(".")[0] in names]
    except OSError:
        return
    for entry in candidates:
        if entry.is_file() and _is_abandoned(entry, entry, now):
            _remove(str(entry))


def sweep_temp_folders(parent: Path, prefix: str) -> None:
    """Remove the ``{prefix}*`` folders (made by :func:`private_folder`) of earlier runs that died."""
    now = time.time()
    try:
        candidates = [entry for entry in Path(parent).iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in candidates:
        if entry.is_dir() and not entry.is_symlink() and _is_abandoned(entry, entry / _FOLDER_LOCK, now):
            shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def private_folder(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A temporary folder, locked while this process lives and removed when the block ends; folders of
    the same ``prefix`` left by dead runs are swept first."""
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    sweep_temp_folders(where, prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
    fd = os.open(folder / _FOLDER_LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        _lock(fd)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)


def write_atomic(target: Path, blob: bytes, display: str | None = None, durable: bool = True, sweep: bool = True) -> None:
    """``durable=False`` (a batch) leaves the flush to disk to one :func:`os.sync` at the end of the batch:
    the rename is atomic either way, so no reader ever sees a partial file; only a power cut before that
    sync could lose the new file (two fsyncs per document were most of a batch's time). ``sweep=False``:
    the caller swept the folder's leftovers already (a batch does it once per folder)."""
    target = Path(target)
    shown = display or str(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists() or any(p.exists() and not p.is_dir() for p in folder.parents):
            raise FileProblem(_("{file}: {folder} is a file, not a folder; choose another output path.").format(
                file=shown, folder=next((p for p in (folder, *folder.parents) if p.exists()), folder)))
        raise FileProblem(_("{file}: the folder {folder} does not exist; create it or choose another output path.").format(file=shown, folder=folder))
    if sweep:
        sweep_temp_files(folder, target.name)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileProblem(_("{file}: cannot write in {folder} ({reason}).").format(file=shown, folder=folder, reason=os_reason(exc))) from None
    _lock(handle)  # held until the file is closed: a sweep by another run leaves it alone
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(blob)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except OSError as exc:
        _remove(temp_name)
        raise FileProblem(_("{file}: cannot write the file ({reason}).").format(file=shown, reason=os_reason(exc))) from None
    except BaseException:
        _remove(temp_name)
        raise
    if durable:
        _sync_folder(folder)


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort, where a folder can be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
