"""Where the packaged templates and data live.

In a checkout they are the top-level ``templates/`` and ``data/``; an installed package carries them as
``generator/_templates`` and ``generator/_data`` (setup.cfg maps one onto the other), so the same code
finds them from any working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _pick(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


TEMPLATES_DIR = _pick("_templates", "templates")
DATA_DIR = _pick("_data", "data")


def user_cache_dir() -> Path:
    """Where a user's own compiled templates are cached ($XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gen-directive"
