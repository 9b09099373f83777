"""Start and stop the editor: the work folder, the preview worker, the server, the browser."""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import Any

from ..i18n import _


def initial_spec(spec: Path | None) -> dict[str, Any]:
    """The spec named on the command line, read with the loader's limits, for the first session."""
    if spec is None:
        return {}
    from ..loader import read_text

    return {"yaml": read_text(spec, str(spec)).replace("\r\n", "\n"), "name": spec.name}


def beside_files(spec: Path | None) -> dict[str, bytes]:
    """The registry files the spec names (``registry:``), read once from its folder with the loader's gate
    and limits; every revision gets a copy, so the work folder stays the only place the server reads."""
    if spec is None:
        return {}
    from ..errors import GeneratorError
    from ..loader import confined_path, load_yaml, read_text

    try:
        data = load_yaml(spec).data
    except GeneratorError:
        return {}  # the page shows the spec's own problems
    names = data.get("registry") if isinstance(data, dict) else None
    files: dict[str, bytes] = {}
    base = spec.resolve().parent
    for index, name in enumerate(names if isinstance(names, list) else []):
        try:
            target = confined_path(base, str(name), [], ("registry", index))
            files[target.relative_to(base).as_posix()] = read_text(target, str(name)).encode("utf-8")
        except (GeneratorError, ValueError):
            continue  # left out: the page shows the CLI's message for it
    return files


def _stop_on_sigterm() -> None:
    """SIGTERM stops the server like Ctrl-C (a clean exit, the work folder removed)."""
    def handler(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def run(spec: Path | None, port: int, open_browser: bool, quiet: bool = True) -> int:
    from .server import EditorServer
    from .session import Workspace
    from .worker import PreviewWorker

    initial = initial_spec(spec)
    root = Path(tempfile.mkdtemp(prefix="gen-directive-serve-"))
    from .office import WarmOffice

    worker = PreviewWorker(office=WarmOffice(root))
    try:
        server = EditorServer(port, Workspace(root, worker, beside_files(spec)), initial, quiet=quiet)
    except OSError as exc:
        shutil.rmtree(root, ignore_errors=True)
        from ..errors import UsageError, os_reason

        raise UsageError(_("cannot listen on 127.0.0.1:{port} ({reason}); choose another --port.").format(port=port, reason=os_reason(exc))) from None
    worker.start()
    _stop_on_sigterm()
    print(_("The editor is at {url} (Ctrl-C stops it).").format(url=server.url), flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        worker.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(_("The editor has stopped."), file=sys.stderr, flush=True)
    return 0
