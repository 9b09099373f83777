"""Write step: put finished bytes at the output path atomically.

The document is complete in memory before this runs. Bytes go to a temporary file beside the target,
are flushed to disk, then renamed over the target in one step: on any failure the previous file is
untouched and no partial file is left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import FileProblem
from .i18n import _


def write_atomic(target: Path, blob: bytes, display: str | None = None) -> None:
    shown = display or str(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileProblem(_("{file}: the folder {folder} does not exist; create it or choose another output path.").format(file=shown, folder=folder))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileProblem(_("{file}: cannot write in {folder} ({reason}).").format(file=shown, folder=folder, reason=exc.strerror)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(blob)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except OSError as exc:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise FileProblem(_("{file}: cannot write the file ({reason}).").format(file=shown, reason=exc.strerror)) from None
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
