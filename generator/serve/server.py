"""The HTTP side of ``gen-directive serve``: the standard library's ``ThreadingHTTPServer``.

Why no framework: the editor needs a dozen JSON routes, a few static files and four checks on every
request, and each of those checks is easier to read (and to test) written out than configured; the standard
library adds no dependency to a tool installed on office machines.

Safety, in the order a request meets it:

1. the socket listens on 127.0.0.1 only;
2. the ``Host`` header must name this server on a loopback name (``127.0.0.1``, ``localhost``, ``[::1]``)
   and an ``Origin`` header, when sent, must be this server too — so a web page that rebinds its own domain
   name to 127.0.0.1 (DNS rebinding) is refused, whatever its JavaScript does;
3. a request that changes anything is a POST carrying the session token, which only the editor page served
   to a local Host knows (a form or an image on another site cannot send it);
4. request bodies are size-limited before they are read; uploads are parsed by ``init`` itself, with the
   limits ``check`` uses;
5. files are only ever named by the server (session ids, revision numbers, fixed names) inside its work
   folder; the page is served with a strict Content-Security-Policy (no inline script, nothing from elsewhere).

A spec error is an answer, never an exception: every route runs inside one handler that turns a
:class:`~generator.errors.GeneratorError` into a JSON message and anything else into a 500 with the reason,
and the server goes on.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import traceback
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import GeneratorError, SpecError
from ..i18n import _, current_language
from .session import SPEC_NAME, Revision, Session, Workspace
from .specdata import json_values, problem_json, yaml_from_values
from .worker import DOCX_NAME, PDF_NAME

TOKEN_HEADER = "X-Gen-Directive-Token"
MAX_JSON_BYTES = 3 * 1024 * 1024          # a spec is at most 2 MB (the loader's limit), plus JSON quoting
MAX_UPLOAD_BYTES = 20 * 1024 * 1024       # an incoming directive; init reads it with check's limits
PREVIEW_WAIT_SECONDS = 25.0
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
STATIC_FILES = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8",
                "favicon.svg": "image/svg+xml"}
UPLOAD_SUFFIXES = (".docx", ".txt", ".yaml", ".yml")
_PAGE_NAME = re.compile(r"^page-\d{1,4}\.png$")
_ORGAN_ID = re.compile(r"^[a-z0-9][a-z0-9/_-]{0,200}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
}


class Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class EditorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    request_queue_size = 128       # the listen backlog: a page fires several requests at once, tests fire 50

    def __init__(self, port: int, workspace: Workspace, bootstrap: dict[str, Any], quiet: bool = True) -> None:
        super().__init__(("127.0.0.1", port), EditorHandler)
        self.workspace = workspace
        self.bootstrap_data = bootstrap
        self.token = secrets.token_urlsafe(32)
        self.quiet = quiet
        self.port = self.server_address[1]
        self.allowed_hosts = {f"{name}:{self.port}" for name in LOOPBACK_NAMES}
        self.allowed_origins = {f"http://{host}" for host in self.allowed_hosts}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def static_text(name: str) -> bytes:
    return resources.files("generator.serve").joinpath("static", name).read_bytes()


class EditorHandler(BaseHTTPRequestHandler):
    server: EditorServer
    server_version = "gen-directive"
    sys_version = ""

    # ------------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if not self.server.quiet:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse_method()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _refuse_method(self) -> None:
        self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, _("this editor only answers GET and POST."))

    def _handle(self, method: str) -> None:
        try:
            self._check_host()
            url = urllib.parse.urlsplit(self.path)
            query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
            if method == "POST":
                self._check_token()
            route = self._route(method, url.path)
            route(query)
        except Refused as exc:
            self._send_text(exc.status, exc.message)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except GeneratorError as exc:
            self._send_json({"error": exc.message}, HTTPStatus.UNPROCESSABLE_ENTITY)
        except Exception as exc:  # a bug: say so, keep serving
            if not self.server.quiet:
                traceback.print_exc()
            try:
                self._send_json({"error": _("internal error ({kind}: {reason}); run again with --debug and report it.").format(
                    kind=type(exc).__name__, reason=exc)}, HTTPStatus.INTERNAL_SERVER_ERROR)
            except OSError:
                pass

    def _check_host(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            raise Refused(HTTPStatus.FORBIDDEN, _("refused: this editor answers only at {url} (the request was for \"{host}\").").format(
                url=self.server.url, host=host[:100]))
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower() not in self.server.allowed_origins:
            raise Refused(HTTPStatus.FORBIDDEN, _("refused: a request from another site (\"{origin}\").").format(origin=origin[:100]))

    def _check_token(self) -> None:
        given = self.headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(given.encode("utf-8", "replace"), self.server.token.encode()):
            raise Refused(HTTPStatus.FORBIDDEN, _("refused: the request does not carry this editor's token; reload the page."))

    def _route(self, method: str, path: str) -> Any:
        routes = {
            ("GET", "/"): self._index,
            ("GET", "/api/bootstrap"): self._bootstrap,
            ("GET", "/api/organ"): self._organ,
            ("GET", "/api/preview"): self._preview,
            ("POST", "/api/session"): self._new_session,
            ("POST", "/api/spec"): self._from_values,
            ("POST", "/api/yaml"): self._from_yaml,
            ("POST", "/api/init"): self._init,
            ("POST", "/api/cascade"): self._cascade,
        }
        if (method, path) in routes:
            return routes[(method, path)]
        if method == "GET" and path.startswith("/static/") and path[len("/static/"):] in STATIC_FILES:
            name = path[len("/static/"):]
            return lambda _query: self._send(HTTPStatus.OK, static_text(name), STATIC_FILES[name], cache=True)
        if method == "GET" and path.startswith("/files/"):
            return lambda query: self._file(path, query)
        raise Refused(HTTPStatus.NOT_FOUND, _("not found."))

    def _read_body(self, limit: int) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise Refused(HTTPStatus.LENGTH_REQUIRED, _("the request has no length.")) from None
        if length < 0 or length > limit:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _("the request is {size} bytes; at most {limit} are accepted.").format(size=length, limit=limit))
        return self.rfile.read(length)

    def _json_body(self) -> dict[str, Any]:
        if not (self.headers.get("Content-Type") or "").lower().startswith("application/json"):
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _("expected a JSON request."))
        try:
            value = json.loads(self._read_body(MAX_JSON_BYTES).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Refused(HTTPStatus.BAD_REQUEST, _("the request is not valid JSON.")) from None
        if not isinstance(value, dict):
            raise Refused(HTTPStatus.BAD_REQUEST, _("the request is not valid JSON."))
        return value

    def _session(self, value: Any) -> Session:
        session = self.server.workspace.session(value)
        if session is None:
            raise Refused(HTTPStatus.NOT_FOUND, _("this editing session has ended; reload the page."))
        return session

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, *, cache: bool = False,
              download: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "private, max-age=600" if cache else "no-store")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if download:
            self.send_header("Content-Disposition", "attachment; filename*=UTF-8''" + urllib.parse.quote(download))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, value: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    # ------------------------------------------------------------------ routes

    def _index(self, _query: dict[str, str]) -> None:
        page = static_text("index.html").decode("utf-8")
        page = page.replace("{{TOKEN}}", self.server.token).replace("{{LANG}}", current_language())
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def _bootstrap(self, _query: dict[str, str]) -> None:
        from .ui import bootstrap

        self._send_json(bootstrap(self.server.bootstrap_data))

    def _organ(self, query: dict[str, str]) -> None:
        from .ui import organ_card

        organ_id, date = query.get("id", ""), query.get("date", "")
        if not _ORGAN_ID.match(organ_id):
            self._send_json({"found": False})
            return
        self._send_json(organ_card(organ_id, date if _DATE.match(date) else ""))

    def _new_session(self, _query: dict[str, str]) -> None:
        self._read_body(MAX_JSON_BYTES)
        session = self.server.workspace.new_session()
        self._send_json({"session": session.id})

    def _answer(self, session: Session, revision: Revision, values: Any) -> None:
        self._send_json({
            "session": session.id,
            "rev": revision.rev,
            "yaml": revision.text,
            "values": values,
            "problems": revision.problems,
            "warnings": revision.warnings,
            "preview": revision.job is not None,
        })

    def _from_values(self, _query: dict[str, str]) -> None:
        """The form's values → YAML text → a saved revision, validated by the CLI's code."""
        from ..schema_export import spec_json_schema

        body = self._json_body()
        session = self._session(body.get("session"))
        try:
            text = yaml_from_values(body.get("values"), spec_json_schema(), SPEC_NAME)
        except SpecError as exc:
            self._send_json({"session": session.id, "rev": None, "yaml": None, "values": None,
                             "problems": [problem_json(p) for p in exc.problems], "warnings": [], "preview": False})
            return
        revision = self.server.workspace.save(session, text)
        self._answer(session, revision, None)

    def _from_yaml(self, _query: dict[str, str]) -> None:
        """YAML typed (or loaded) by the clerk → a saved revision, and the values for the form."""
        body = self._json_body()
        session = self._session(body.get("session"))
        text = body.get("yaml")
        if not isinstance(text, str):
            raise Refused(HTTPStatus.BAD_REQUEST, _("the request is not valid JSON."))
        self._save_text(session, text.replace("\r\n", "\n"))

    def _save_text(self, session: Session, text: str) -> None:
        from ..loader import load_yaml_text

        revision = self.server.workspace.save(session, text)
        try:
            values = json_values(load_yaml_text(text, SPEC_NAME).data)
        except GeneratorError:
            values = None  # the YAML does not parse: the problems say where; the form keeps its values
        self._answer(session, revision, values if isinstance(values, dict) else None)

    def _preview(self, query: dict[str, str]) -> None:
        session = self._session(query.get("session"))
        revision = self.server.workspace.revision(session, query.get("rev"))
        if revision is None or revision.job is None:
            self._send_json({"state": "none", "rev": query.get("rev")})
            return
        revision.job.done.wait(PREVIEW_WAIT_SECONDS if query.get("wait") else 0)
        answer = revision.job.as_json()
        base = f"/files/{session.id}/{revision.rev}/"
        answer["pages"] = [base + name for name in answer["pages"]]
        self._send_json(answer)

    def _file(self, path: str, query: dict[str, str]) -> None:
        parts = path.split("/")
        if len(parts) != 5:
            raise Refused(HTTPStatus.NOT_FOUND, _("not found."))
        _empty, _files, session_id, rev, name = parts
        session = self._session(session_id)
        revision = self.server.workspace.revision(session, rev)
        if revision is None:
            raise Refused(HTTPStatus.NOT_FOUND, _("not found."))
        stem = download_stem(revision)
        if name == SPEC_NAME:
            self._send(HTTPStatus.OK, revision.spec.read_bytes(), "application/yaml; charset=utf-8", download=f"{stem}.yaml")
        elif name == DOCX_NAME:
            if revision.problems:
                raise GeneratorError("\n".join(p["text"] for p in revision.problems))
            docx = self.server.workspace.docx(revision)
            self._send(HTTPStatus.OK, docx.read_bytes(),
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document", download=f"{stem}.docx")
        elif name == PDF_NAME:
            job = revision.job
            if job is None:
                raise GeneratorError("\n".join(p["text"] for p in revision.problems) or _("not found."))
            job.done.wait(120)
            if job.state != "done":
                raise GeneratorError(job.message or _("the preview of this version was not made; edit again to make it."))
            self._send(HTTPStatus.OK, (revision.folder / PDF_NAME).read_bytes(), "application/pdf", download=f"{stem}.pdf")
        elif _PAGE_NAME.match(name) and (revision.folder / name).is_file():
            self._send(HTTPStatus.OK, (revision.folder / name).read_bytes(), "image/png", cache=True)
        else:
            raise Refused(HTTPStatus.NOT_FOUND, _("not found."))

    # ------------------------------------------------------------------ init and cascade

    def _run_child_command(self, session: Session, args: list[str]) -> None:
        """Run ``gen-directive init``/``cascade`` (the CLI itself, in its own process: its reader's limits, its
        messages) and load the child spec it writes as the session's next revision."""
        output = session.folder / "child.yaml"
        command = [sys.executable, "-m", "generator", "--lang", current_language(), *args, "-o", str(output), "--force"]
        try:
            result = subprocess.run(command, cwd=session.folder, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise GeneratorError(_("reading the parent took too long and was stopped.")) from None
        if result.returncode != 0 or not output.is_file():
            message = result.stderr.decode("utf-8", "replace").strip() or _("the command failed.")
            self._send_json({"error": message.replace(str(session.folder) + "/", "")}, HTTPStatus.UNPROCESSABLE_ENTITY)
            return
        text = output.read_text(encoding="utf-8")
        output.unlink()
        self._save_text(session, text)

    def _init(self, query: dict[str, str]) -> None:
        session = self._session(query.get("session"))
        name = Path(query.get("name", "")).name
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise GeneratorError(_("the incoming directive must be a .docx, .txt or .yaml file."))
        organ, date = query.get("issuer", ""), query.get("date", "")
        if not _ORGAN_ID.match(organ):
            raise GeneratorError(_("choose your organ (the issuing organ) first."))
        data = self._read_body(MAX_UPLOAD_BYTES)
        upload = session.folder / "uploads"
        upload.mkdir(exist_ok=True)
        parent = upload / ("parent" + suffix)  # the clerk's file name never reaches the file system
        parent.write_bytes(data)
        args = ["init", "--from", str(parent), "--issuer", organ]
        if _DATE.match(date):
            args += ["--date", date]
        self._run_child_command(session, args)

    def _cascade(self, _query: dict[str, str]) -> None:
        body = self._json_body()
        session = self._session(body.get("session"))
        revision = self.server.workspace.revision(session, body.get("rev"))
        organ, date = str(body.get("to", "")), str(body.get("date", ""))
        if revision is None:
            raise GeneratorError(_("there is no spec to cascade yet."))
        if not _ORGAN_ID.match(organ):
            raise GeneratorError(_("choose the organ below first."))
        args = ["cascade", str(revision.spec), "--to", organ]
        if _DATE.match(date):
            args += ["--date", date]
        self._run_child_command(session, args)


def download_stem(revision: Revision) -> str:
    """``huong-dan-98`` for the downloads of a Hướng dẫn numbered 98 (``van-ban`` when unknown)."""
    match_type = re.search(r"^type:\s*([a-z-]+)\s*$", revision.text, re.M)
    match_number = re.search(r"^number:\s*'?\"?(\d+)", revision.text, re.M)
    parts = [m.group(1) for m in (match_type, match_number) if m]
    return "-".join(parts) or "van-ban"
