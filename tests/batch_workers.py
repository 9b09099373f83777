"""Worker functions for tests of the batch pool: importable by name in a "spawn" worker process."""

from __future__ import annotations

import os
from pathlib import Path


def crash_on_named_spec(spec: str, output: str):
    """Build like the real worker, but die (as a segfault or the OOM killer would) on ``crash.yaml``."""
    from generator.commands.batch import build_one

    if Path(spec).name == "crash.yaml":
        os._exit(70)
    return build_one(spec, output)


def exit_on_named_spec(spec: str, output: str):
    """Build like the real worker, but raise SystemExit (past build_one's handling) on ``exit.yaml``."""
    from generator.commands.batch import build_one

    if Path(spec).name == "exit.yaml":
        raise SystemExit(3)
    return build_one(spec, output)
