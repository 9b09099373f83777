"""Write step: put finished bytes at the output path atomically.

The document is complete in memory before this runs. Bytes go to a temporary file beside the target (same
folder, so the same file system), are flushed to disk, then renamed over the target in one step: on any
failure the previous file is untouched and no partial file is left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import FileProblem, os_reason
from .i18n import _


def write_atomic(target: Path, blob: bytes, display: str | None = None, durable: bool = True) -> None:
    """``durable=False`` (a batch) leaves the flush to disk to one :func:`os.sync` at the end of the batch:
    the rename is atomic either way, so no reader ever sees a partial file; only a power cut before that
    sync could lose the new file (two fsyncs per document were most of a batch's time)."""
    target = Path(target)
    shown = display or str(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists() or any(p.exists() and not p.is_dir() for p in folder.parents):
            raise FileProblem(_("{file}: {folder} is a file, not a folder; choose another output path.").format(
                file=shown, folder=next((p for p in (folder, *folder.parents) if p.exists()), folder)))
        raise FileProblem(_("{file}: the folder {folder} does not exist; create it or choose another output path.").format(file=shown, folder=folder))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileProblem(_("{file}: cannot write in {folder} ({reason}).").format(file=shown, folder=folder, reason=os_reason(exc))) from None
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
