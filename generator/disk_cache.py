"""What this package reads from its own shipped files, parsed once and kept in the user's cache folder.

A single build reads the hand-written registry (``data/organs/*.yaml``), the profiles and the body
templates' block names; parsing them again on every call cost about a fifth of a call's own work. A cache
entry is keyed by the file's content and by the code and versions that parsed it (this package's version,
the parser's source, PyYAML, Python), so an edited file or an upgrade never meets a stale entry. Only the
package's own files are cached: a spec and a clerk's own registry files are parsed every time (nothing a
spec holds is ever written here). An unreadable, unwritable or broken cache only costs the parse.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from .paths import user_cache_dir

T = TypeVar("T")


def cache_dir() -> Path:
    return user_cache_dir() / "data"


@lru_cache(maxsize=None)
def _versions() -> str:
    """What a parsed value also depends on besides its source: the parsing code and its libraries."""
    import yaml

    from . import __version__

    here = Path(__file__).resolve().parent
    code = hashlib.sha256()
    for module in ("loader.py", "registry.py", "data.py", "bodies.py", "schema.py", "disk_cache.py"):
        code.update((here / module).read_bytes())
    return f"{__version__}\0{yaml.__version__}\0{sys.implementation.cache_tag}\0{code.hexdigest()}"


def cached(kind: str, source: bytes, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for the same ``kind`` and ``source`` before (kept pickled)."""
    key = hashlib.sha256(f"{kind}\0{_versions()}\0".encode("utf-8", "surrogatepass") + source).hexdigest()
    path = cache_dir() / f"{key[:40]}.pickle"
    try:
        with open(path, "rb") as stream:
            return pickle.load(stream)  # noqa: S301 - written by this package, in the user's own cache folder
    except Exception:  # noqa: BLE001 - missing, unreadable or broken: parse again
        pass
    value = compute()
    store(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def store(path: Path, blob: bytes) -> None:
    """Written beside, then renamed: a reader never meets half an entry. Failures are silent (a cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(blob)
        os.replace(temp, path)
    except OSError:
        pass
