"""``preview`` and ``--pdf`` touch only their own files and never reach outside the document."""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

import pytest

from hostile import limited_cli, linked_picture_docx, png, red_pixels
from test_libreoffice import soffice  # noqa: F401  (fixture: fails in CI when LibreOffice is missing)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        body = png((255, 0, 0))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def do_OPTIONS(self) -> None:  # noqa: N802
        type(self).hits.append("OPTIONS " + self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def beacon():
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Counter.hits
    server.shutdown()


def test_preview_never_fetches_a_linked_http_picture_nor_draws_a_local_file(soffice: str, beacon, tmp_path: Path) -> None:  # noqa: F811
    port, hits = beacon
    red = tmp_path / "secret.png"
    red.write_bytes(png((255, 0, 0), 200))
    (tmp_path / "web.docx").write_bytes(linked_picture_docx(f"http://127.0.0.1:{port}/beacon.png"))
    (tmp_path / "local.docx").write_bytes(linked_picture_docx(red.as_uri()))
    for name in ("web", "local"):
        result = limited_cli("preview", f"{name}.docx", cwd=tmp_path, memory=4 << 30, cpu=120)
        assert result.returncode == 0, result.stderr
        pages = sorted(tmp_path.glob(f"{name}-*.png"))
        assert pages and all(red_pixels(page) == 0 for page in pages), name
    assert hits == []


def test_the_private_profile_blocks_links_even_without_the_defused_copy(soffice: str, beacon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The LibreOffice settings alone hold: with the relationship left as the sender wrote it, nothing is fetched."""
    from generator import pdf

    port, hits = beacon
    monkeypatch.setattr(pdf, "_defuse_external_links", lambda source, staged: False)
    monkeypatch.setattr(pdf, "_network_jail", lambda: ())  # with the network there, as on any system
    monkeypatch.setenv("GEN_DIRECTIVE_LO_PROFILE_CACHE", "0")  # a fresh profile: only what this run writes
    (tmp_path / "web.docx").write_bytes(linked_picture_docx(f"http://127.0.0.1:{port}/beacon.png"))
    (produced,) = pdf.convert_to_pdf([tmp_path / "web.docx"])
    assert produced.is_file() and hits == []


def test_with_every_layer_off_the_picture_is_fetched(soffice: str, beacon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The control: the tests above can fail, since LibreOffice left to itself does fetch the picture."""
    from generator import pdf

    port, hits = beacon
    monkeypatch.setattr(pdf, "_defuse_external_links", lambda source, staged: False)
    monkeypatch.setattr(pdf, "_LOCKDOWN_ITEMS", ())
    monkeypatch.setattr(pdf, "_network_jail", lambda: ())
    monkeypatch.setenv("GEN_DIRECTIVE_LO_PROFILE_CACHE", "0")
    (tmp_path / "web.docx").write_bytes(linked_picture_docx(f"http://127.0.0.1:{port}/beacon.png"))
    pdf.convert_to_pdf([tmp_path / "web.docx"])
    assert [hit for hit in hits if hit == "/beacon.png"]


def test_preview_removes_only_pages_it_wrote(soffice: str, tmp_path: Path) -> None:  # noqa: F811
    from conftest import EXAMPLES

    mine = {name: f"clerk's {name}".encode() for name in ("photo-001.png", "photo-7.png", "photo-2024.png", "photo-1.png.bak")}
    for name, data in mine.items():
        (tmp_path / name).write_bytes(data)
    spec = (EXAMPLES / "huong-dan-ban-tuyen-giao.yaml")
    if not spec.exists():
        spec = sorted(EXAMPLES.glob("*.yaml"))[0]
    (tmp_path / "photo.yaml").write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
    for extra in spec.parent.glob("*.md"):
        (tmp_path / extra.name).write_bytes(extra.read_bytes())
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    first = limited_cli("preview", "photo.yaml", cwd=tmp_path, memory=4 << 30, cpu=120, env={"TMPDIR": str(private_tmp)})
    assert first.returncode == 0, first.stderr
    pages = first.stdout.split()
    assert pages and (tmp_path / ".photo.pages.json").is_file()
    # A page the clerk since edited is the clerk's now.
    (tmp_path / Path(pages[-1]).name).write_bytes(b"edited by the clerk")
    second = limited_cli("preview", "photo.yaml", cwd=tmp_path, memory=4 << 30, cpu=120)
    assert second.returncode == 0, second.stderr
    for name, data in mine.items():
        assert (tmp_path / name).read_bytes() == data
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".photo-png-")]
    assert list(private_tmp.iterdir()) == []  # a normal run leaves no temporary file or folder


def test_a_stale_page_from_an_earlier_longer_preview_is_removed(soffice: str, tmp_path: Path) -> None:  # noqa: F811
    import json

    from generator.pdf import render_png

    (tmp_path / "d.docx").write_bytes(linked_picture_docx("about:blank"))
    from generator.pdf import convert_to_pdf

    (pdf,) = convert_to_pdf([tmp_path / "d.docx"])
    out = tmp_path / "out"
    out.mkdir()
    ours = out / "d-9.png"
    ours.write_bytes(b"page nine of an earlier version")
    import hashlib

    (out / ".d.pages.json").write_text(json.dumps({"pages": {"d-9.png": hashlib.sha256(ours.read_bytes()).hexdigest(),
                                                             "../d.docx": "x"}}), encoding="utf-8")
    pages = render_png(pdf, out, dpi=20)
    assert [p.name for p in pages] == ["d-1.png"] and not ours.exists() and (tmp_path / "d.docx").exists()


def test_soffice_runs_without_a_network_where_the_system_allows(soffice: str, beacon, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The third layer alone (no lockdown settings, no defused copy): nothing reaches the loopback server."""
    from generator import pdf

    if not pdf._network_jail():
        pytest.skip("this system does not allow an unprivileged network namespace")
    port, hits = beacon
    monkeypatch.setattr(pdf, "_defuse_external_links", lambda source, staged: False)
    monkeypatch.setattr(pdf, "_LOCKDOWN_ITEMS", ())
    monkeypatch.setenv("GEN_DIRECTIVE_LO_PROFILE_CACHE", "0")  # no cached profile that has the settings
    (tmp_path / "web.docx").write_bytes(linked_picture_docx(f"http://127.0.0.1:{port}/beacon.png"))
    (produced,) = pdf.convert_to_pdf([tmp_path / "web.docx"])
    assert produced.is_file() and hits == []


def test_leftovers_of_a_killed_run_are_swept_and_a_living_runs_are_not(tmp_path: Path) -> None:
    from generator import write

    dead = tmp_path / "gen-directive-pdf-dead"
    dead.mkdir()
    (dead / ".lock").write_bytes(b"")
    living = tmp_path / "gen-directive-pdf-living"
    living.mkdir()
    fd = os.open(living / ".lock", os.O_CREAT | os.O_RDWR)
    # A living run: another process holds the lock.
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", f"import fcntl,os,time; fd=os.open({str(living / '.lock')!r}, os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX); print(1, flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == b"1"
    os.close(fd)
    stale_tmp = tmp_path / ".x.docx.abc123.tmp"
    stale_tmp.write_bytes(b"half")
    old = time.time() - 3600
    for path in (dead, living, stale_tmp):
        os.utime(path, (old, old))
    try:
        with write.private_folder("gen-directive-pdf-", tmp_path) as mine:
            assert mine.is_dir()
        write.write_atomic(tmp_path / "x.docx", b"new")
    finally:
        holder.kill()
        holder.wait()
    assert not dead.exists() and living.exists() and not stale_tmp.exists() and not mine.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen-directive-pdf-living", "x.docx"]
