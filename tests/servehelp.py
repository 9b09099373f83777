"""Helpers for the ``gen-directive serve`` tests: the server as a clerk starts it (the console script, in its
own process), HTTP calls with explicit Host headers, and values of an example spec as the page holds them."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conftest import gen_directive

URL_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    tmpdir: Path
    first_line: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                host: str | None = None, timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest(method, path, skip_host=True)
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body or b"")))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def token(self) -> str:
        _status, _headers, page = self.request("GET", "/")
        match = re.search(rb'name="gd-token" content="([^"]+)"', page)
        assert match, page[:500]
        return match.group(1).decode()

    def post(self, path: str, value: Any, token: str | None = None) -> tuple[int, Any]:
        status, _headers, body = self.request("POST", path, json.dumps(value).encode(),
                                              {"Content-Type": "application/json", "X-Gen-Directive-Token": token or self.token()})
        return status, json.loads(body)

    def get_json(self, path: str) -> Any:
        status, _headers, body = self.request("GET", path)
        assert status == 200, body
        return json.loads(body)

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a clerk stops it; returns the exit code and what it printed on stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            _out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        return self.process.returncode, err


def start_server(tmpdir: Path, *args: str) -> Server:
    env = {**os.environ, "LANG": "C.UTF-8", "TMPDIR": str(tmpdir), "PYTHONUNBUFFERED": "1"}
    env.pop("LC_ALL", None)
    process = subprocess.Popen([*gen_directive(), "serve", "--no-browser", "--port", "0", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = URL_LINE.search(line)
    if not match:
        process.kill()
        raise AssertionError(f"no URL printed: {line!r} {process.stderr.read() if process.stderr else ''}")
    return Server(process, int(match.group(1)), tmpdir, line.strip())


def example_values(spec: Path) -> dict[str, Any]:
    """An example's values as the page holds them (dates as YYYY-MM-DD), read with the spec loader."""
    from generator.loader import load_yaml
    from generator.serve.specdata import json_values

    return json_values(load_yaml(spec).data)


def wait_preview(server: Server, session: str, rev: int, limit: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while True:
        answer = server.get_json(f"/api/preview?session={session}&rev={rev}&wait=1")
        if answer["state"] != "pending" or time.monotonic() > deadline:
            return answer
