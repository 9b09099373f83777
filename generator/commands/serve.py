"""``gen-directive serve [--port P] [--no-browser] [SPEC]``: the local web editor (:mod:`generator.serve`)."""

from __future__ import annotations

from pathlib import Path


def serve_command(spec: Path | None, port: int, open_browser: bool, debug: bool = False) -> int:
    from ..serve.app import run

    return run(spec, port, open_browser, quiet=not debug)
