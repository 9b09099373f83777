"""The work folder and the sessions in it.

Everything the server writes is inside one work folder (a private temporary folder by default, removed when
the server stops): ``<work>/<session>/r<rev>/spec.yaml`` and, once previewed, ``document.docx``,
``document.pdf`` and ``page-N.png`` beside it. Session ids and revision numbers are made by the server and
file names are fixed, so no name a request carries ever reaches the file system.

A revision is immutable once written: the preview of revision 7 builds revision 7's YAML even while the clerk
types revision 8, so a page can never show a mix of two states.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import GeneratorError, Problem, SpecError
from .specdata import problem_json
from .worker import DOCX_NAME, Job, PreviewWorker

SPEC_NAME = "spec.yaml"
KEEP_REVISIONS = 4       # older revision folders are removed (the page shows the newest finished one)
MAX_SESSIONS = 64        # a local server has one clerk; more tabs than this evict the oldest session


@dataclass
class Revision:
    rev: int
    folder: Path
    text: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    job: Job | None = None

    @property
    def spec(self) -> Path:
        return self.folder / SPEC_NAME


@dataclass
class Session:
    id: str
    folder: Path
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_rev: int = 1
    revisions: dict[int, Revision] = field(default_factory=dict)


def validate_file(spec: Path, display: str = SPEC_NAME) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The CLI's own problems and warnings for a saved spec (``compose_spec``: load, validate, resolve,
    compose), as JSON; an empty first list means the spec builds."""
    from ..build import compose_spec

    def shown(problem: Problem) -> dict[str, Any]:
        return problem_json(replace(problem, file=display) if problem.file == str(spec) else problem)

    try:
        # The real path as the file's name: the spec's own registry files are found beside it.
        _document, loaded = compose_spec(spec, str(spec))
    except SpecError as exc:
        return [shown(p) for p in exc.problems], []
    except GeneratorError as exc:
        message = exc.message.replace(str(spec), display)
        return [{"path": [], "key": "", "message": message, "line": None, "column": None, "severity": "error", "text": message}], []
    return [], [shown(w) for w in loaded.warnings]


class Workspace:
    """The work folder, its sessions and the preview worker they share."""

    def __init__(self, root: Path, worker: PreviewWorker, beside: dict[str, bytes] | None = None) -> None:
        self.root = root
        self.worker = worker
        self.beside = beside or {}   # files the opened spec names (its registry files), copied to each revision
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def new_session(self) -> Session:
        session_id = secrets.token_hex(8)
        session = Session(session_id, self.root / session_id)
        session.folder.mkdir(parents=True)
        with self._lock:
            self._sessions[session_id] = session
            while len(self._sessions) > MAX_SESSIONS:
                oldest = next(iter(self._sessions))
                gone = self._sessions.pop(oldest)
                shutil.rmtree(gone.folder, ignore_errors=True)
        return session

    def session(self, session_id: Any) -> Session | None:
        if not isinstance(session_id, str):
            return None
        with self._lock:
            return self._sessions.get(session_id)

    def save(self, session: Session, text: str, *, preview: bool = True) -> Revision:
        """Write ``text`` as the session's next revision, validate it as the CLI would, and queue its
        preview when it builds."""
        with session.lock:
            rev = session.next_rev
            session.next_rev += 1
            folder = session.folder / f"r{rev}"
            folder.mkdir()
            revision = Revision(rev, folder, text)
            revision.spec.write_text(text, encoding="utf-8")
            for relative, content in self.beside.items():
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            session.revisions[rev] = revision
            for old in sorted(session.revisions)[:-KEEP_REVISIONS]:
                gone = session.revisions.pop(old)
                shutil.rmtree(gone.folder, ignore_errors=True)
        revision.problems, revision.warnings = validate_file(revision.spec)
        if preview and not revision.problems:
            revision.job = self.worker.submit(Job(session.id, rev, folder, revision.spec))
        return revision

    def revision(self, session: Session, rev: Any) -> Revision | None:
        if isinstance(rev, str) and rev.isdigit():
            rev = int(rev)
        if not isinstance(rev, int) or isinstance(rev, bool):
            return None
        with session.lock:
            return session.revisions.get(rev)

    def docx(self, revision: Revision) -> Path:
        """The revision's .docx: the preview's if it is there, else built now (the CLI's build)."""
        from ..build import build_document

        target = revision.folder / DOCX_NAME
        if revision.job is not None and revision.job.done.is_set() and target.is_file():
            return target
        staged = revision.folder / "download.docx"
        build_document(revision.spec, staged)
        return staged
