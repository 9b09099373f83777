"""``gen-directive serve`` over HTTP (no browser): loopback only, foreign hosts and missing tokens refused,
the CLI's own messages, byte-identical builds, 50 concurrent previews with no mixed output, init and
cascade, size limits, a clean stop on Ctrl-C. The browser side is tests/test_serve_browser.py."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import pytest

from conftest import EXAMPLES, GOLDEN, run_cli
from servehelp import Server, example_values, start_server, wait_preview

IMPOSSIBLE_DATE_VI = "2023-02-30 không phải là ngày có thật; hãy kiểm tra ngày và tháng."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("serve-tmp"))
    yield running
    running.stop()


def small_spec(marker: str, number: int = 7) -> dict:
    """A one-page Hướng dẫn whose trích yếu carries ``marker``."""
    return {
        "type": "huong-dan", "number": str(number), "issuer": "lai-chau/thanh-uy-lai-chau/ban-tuyen-giao",
        "date": "2023-06-05", "subject": f"tuyên truyền {marker}",
        "implements": [{"type": "huong-dan", "number": "120", "date": "2023-06-01",
                        "issuer": "lai-chau/tinh-uy/ban-tuyen-giao", "subject": "tuyên truyền kết quả Hội nghị"}],
        "body": f"# MỤC ĐÍCH\n\nNội dung {marker}.\n", "signature": {"name": "Nguyễn Văn A"},
    }


def new_session(server: Server, token: str) -> str:
    status, answer = server.post("/api/session", {}, token)
    assert status == 200, answer
    return answer["session"]


def test_listens_on_loopback_only(server: Server) -> None:
    assert server.first_line == f"Trình soạn thảo đang chạy tại http://127.0.0.1:{server.port}/ (Ctrl-C để dừng)."
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass
    # Linux answers all of 127/8; a socket bound to 127.0.0.1 alone refuses 127.0.0.2.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", server.port), timeout=5).close()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "192.168.1.10:{port}", "127.0.0.1.nip.io:{port}"])
def test_foreign_host_refused(server: Server, host: str) -> None:
    status, headers, body = server.request("GET", "/", host=host.format(port=server.port))
    assert status == 403
    assert body.decode().startswith(f"từ chối: trình soạn thảo này chỉ trả lời tại http://127.0.0.1:{server.port}/")
    assert "gd-token" not in body.decode()
    status, _headers, _body = server.request("GET", "/api/bootstrap", host=host.format(port=server.port))
    assert status == 403


def test_local_names_accepted(server: Server) -> None:
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"[::1]:{server.port}"):
        status, headers, _body = server.request("GET", "/", host=host)
        assert status == 200, host
        assert "script-src 'self'" in headers["content-security-policy"]


def test_foreign_origin_and_missing_token_refused(server: Server) -> None:
    token = server.token()
    status, _h, body = server.request("POST", "/api/session", b"{}", {"Content-Type": "application/json", "X-Gen-Directive-Token": token,
                                                                      "Origin": "http://evil.example"})
    assert status == 403 and "từ chối: yêu cầu đến từ một trang web khác" in body.decode()
    status, _h, body = server.request("POST", "/api/session", b"{}", {"Content-Type": "application/json"})
    assert status == 403 and "mã phiên" in body.decode()
    status, _h, body = server.request("POST", "/api/session", b"{}", {"Content-Type": "application/json", "X-Gen-Directive-Token": token + "x"})
    assert status == 403
    status, _h, _body = server.request("POST", "/api/session", b"{}", {"Content-Type": "application/json", "X-Gen-Directive-Token": token,
                                                                       "Origin": f"http://127.0.0.1:{server.port}"})
    assert status == 200


def test_paths_outside_the_work_folder_are_not_served(server: Server) -> None:
    token = server.token()
    session = new_session(server, token)
    for path in ("/static/../session.py", "/static/index.html/../../__init__.py", f"/files/{session}/1/../../../etc/passwd",
                 f"/files/{session}/../{session}/1/spec.yaml", "/files/x/1/spec.yaml", f"/files/{session}/1/%2e%2e%2fspec.yaml",
                 "/etc/passwd"):
        status, _h, _body = server.request("GET", path)
        assert status in (403, 404), path


def test_spec_error_is_the_clis_message_and_the_server_survives(server: Server, tmp_path: Path) -> None:
    token = server.token()
    session = new_session(server, token)
    values = small_spec("lỗi ngày")
    values["date"] = "2023-02-30"
    status, answer = server.post("/api/spec", {"session": session, "values": values}, token)
    assert status == 200
    assert [(p["key"], p["message"]) for p in answer["problems"]] == [("date", IMPOSSIBLE_DATE_VI)]
    assert answer["preview"] is False
    # The same file through the CLI gives the same message, at the same line.
    saved = tmp_path / "spec.yaml"
    saved.write_text(answer["yaml"], encoding="utf-8")
    result = run_cli(saved, env={"LANG": "vi_VN.UTF-8"})
    assert result.returncode == 1
    line = answer["problems"][0]["line"]
    assert result.stderr.strip() == f"{saved}:{line}:1: date: {IMPOSSIBLE_DATE_VI}"
    # Broken requests are answers, not crashes.
    for body in (b"{not json", b"[1, 2]", json.dumps({"session": session, "values": [1, 2]}).encode(),
                 json.dumps({"session": session, "values": {"type": {"a": [None]}, "date": 5}}).encode()):
        status, _h, _body = server.request("POST", "/api/spec", body, {"Content-Type": "application/json", "X-Gen-Directive-Token": token})
        assert status in (200, 400), body
    status, answer = server.post("/api/yaml", {"session": session, "yaml": "type: [unclosed\n"}, token)
    assert status == 200 and answer["values"] is None
    assert answer["problems"][0]["message"].startswith("lỗi cú pháp YAML")
    status, answer = server.post("/api/spec", {"session": session, "values": small_spec("sau lỗi")}, token)
    assert status == 200 and answer["problems"] == [] and answer["preview"] is True


def test_form_values_build_byte_identically_to_the_cli(server: Server, tmp_path: Path) -> None:
    token = server.token()
    session = new_session(server, token)
    spec = EXAMPLES / "002-hoi-nghi-giua-nhiem-ky.yaml"
    status, answer = server.post("/api/spec", {"session": session, "values": example_values(spec)}, token)
    assert status == 200 and answer["problems"] == [], answer["problems"]
    status, headers, docx = server.request("GET", f"/files/{session}/{answer['rev']}/document.docx")
    assert status == 200
    assert headers["content-disposition"] == "attachment; filename*=UTF-8''huong-dan-98.docx"
    saved = tmp_path / "saved.yaml"
    saved.write_text(answer["yaml"], encoding="utf-8")
    assert run_cli(saved, "-o", tmp_path / "saved.docx").returncode == 0
    assert run_cli(spec, "-o", tmp_path / "example.docx").returncode == 0
    assert docx == (tmp_path / "saved.docx").read_bytes() == (tmp_path / "example.docx").read_bytes()
    status, _h, yaml_download = server.request("GET", f"/files/{session}/{answer['rev']}/spec.yaml")
    assert yaml_download.decode() == answer["yaml"]
    assert "\ndate: 2023-06-05\n" in answer["yaml"] and "\nnumber: 98\n" in answer["yaml"]
    assert "subject: |\n  tuyên truyền kết quả Hội nghị\n  Ban Chấp hành" in answer["yaml"]


def test_fifty_concurrent_previews_never_mix(server: Server) -> None:
    import docx

    token = server.token()
    sessions = [new_session(server, token) for _ in range(50)]
    answers: dict[int, dict] = {}

    def edit(index: int) -> None:
        status, answer = server.post("/api/spec", {"session": sessions[index], "values": small_spec(f"mã-{index:02d}", index + 10)}, token)
        assert status == 200
        answers[index] = answer

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 50 and all(a["problems"] == [] and a["preview"] for a in answers.values())
    results: dict[int, dict] = {}

    def wait(index: int) -> None:
        results[index] = wait_preview(server, sessions[index], answers[index]["rev"])

    threads = [threading.Thread(target=wait, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index in range(50):
        result = results[index]
        assert result["state"] == "done", result
        assert result["pages"] == [f"/files/{sessions[index]}/{answers[index]['rev']}/page-1.png"]
        status, _h, png = server.request("GET", result["pages"][0])
        assert status == 200 and png.startswith(b"\x89PNG")
        status, _h, pdf = server.request("GET", f"/files/{sessions[index]}/{answers[index]['rev']}/document.pdf")
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert f"mã-{index:02d}" in text and f"Số {index + 10}-HD/BTGThU" in text
        assert [f"mã-{other:02d}" for other in range(50) if other != index and f"mã-{other:02d}" in text] == []
        status, _h, blob = server.request("GET", f"/files/{sessions[index]}/{answers[index]['rev']}/document.docx")
        paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(blob)).paragraphs)
        assert f"Nội dung mã-{index:02d}." in paragraphs


def test_preview_reports_check_findings_with_rule_ids(server: Server) -> None:
    token = server.token()
    session = new_session(server, token)
    status, answer = server.post("/api/spec", {"session": session, "values": example_values(EXAMPLES / "002-hoi-nghi-giua-nhiem-ky.yaml")}, token)
    result = wait_preview(server, session, answer["rev"])
    assert result["state"] == "done" and len(result["pages"]) == 10
    # The sample mixes old and new tone marks ("hoá" and "hòa"), as check says of the CLI's build too.
    assert [f["rule"] for f in result["findings"]] == ["GEN.bo-dau"]


def test_upload_limits(server: Server) -> None:
    token = server.token()
    session = new_session(server, token)
    status, _h, body = server.request("POST", f"/api/init?session={session}&issuer=lai-chau/dang-uy-xa-binh-lu&name=a.docx",
                                      b"", {"X-Gen-Directive-Token": token, "Content-Length": str(21 * 1024 * 1024)})
    assert status == 413 and "chỉ nhận tối đa 20971520 byte" in body.decode()
    status, _h, body = server.request("POST", f"/api/init?session={session}&issuer=lai-chau/dang-uy-xa-binh-lu&name=a.exe",
                                      b"MZ", {"X-Gen-Directive-Token": token})
    assert status == 422 and json.loads(body)["error"] == "văn bản cấp trên phải là tệp .docx, .txt hoặc .yaml."
    status, _h, body = server.request("POST", f"/api/init?session={session}&issuer=lai-chau/dang-uy-xa-binh-lu&date=2025-08-10&name=a.docx",
                                      b"PK\x03\x04 not a zip", {"X-Gen-Directive-Token": token})
    assert status == 422 and "a.docx" not in json.loads(body)["error"] and "parent.docx" in json.loads(body)["error"]


def test_init_and_cascade_fill_the_form(server: Server) -> None:
    token = server.token()
    session = new_session(server, token)
    parent = (GOLDEN / "002.txt").read_bytes()
    status, _h, body = server.request("POST", f"/api/init?session={session}&issuer=lai-chau/dang-uy-xa-binh-lu&date=2025-08-10&name=002.txt",
                                      parent, {"X-Gen-Directive-Token": token})
    assert status == 200, body
    answer = json.loads(body)
    assert answer["values"]["issuer"] == "lai-chau/dang-uy-xa-binh-lu"
    assert answer["values"]["implements"][0]["number"] == "98"
    assert answer["yaml"].startswith("# ")  # init's comment header is kept: the YAML is the source of truth
    status, answer = server.post("/api/cascade", {"session": session, "rev": answer["rev"], "to": "lai-chau/khong-co", "date": "2025-08-10"}, token)
    assert status == 422 and answer["error"].startswith('--issuer: không có cơ quan "lai-chau/khong-co". Có phải ý bạn là "lai-chau/ubnd-xa-khong-lao"?')
    session2 = new_session(server, token)
    status, answer = server.post("/api/yaml", {"session": session2, "yaml": (EXAMPLES / "chain" / "1-trung-uong.yaml").read_text(encoding="utf-8")}, token)
    assert answer["problems"] == []
    status, answer = server.post("/api/cascade", {"session": session2, "rev": answer["rev"], "to": "lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van",
                                                  "date": "2026-03-02"}, token)
    assert status == 200, answer
    assert answer["values"]["issuer"] == "lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van"
    assert answer["values"]["implements"][0]["issuer"] == "tw/ban-tuyen-giao-va-dan-van"


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    running = start_server(tmp_path)
    try:
        token = running.token()
        session = new_session(running, token)
        status, answer = running.post("/api/spec", {"session": session, "values": small_spec("dừng")}, token)
        assert wait_preview(running, session, answer["rev"])["state"] == "done"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gen-directive-serve-")]
        assert _processes_mentioning(tmp_path)  # LibreOffice runs with its profile in the work folder
    finally:
        code, err = running.stop()
    assert code == 0
    assert err.strip().endswith("Trình soạn thảo đã dừng.") and "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("gen-directive-serve-")]
    assert _processes_mentioning(tmp_path) == []  # no LibreOffice left behind


def _processes_mentioning(folder: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(folder).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_a_spec_opened_with_its_own_registry_file(tmp_path: Path) -> None:
    folder = tmp_path / "clerk"
    folder.mkdir()
    (folder / "my-organs.yaml").write_text(
        "organs:\n  lai-chau/dang-uy-xa-binh-lu/chi-bo-ban-1:\n    name: Chi bộ bản 1\n    superior: lai-chau/dang-uy-xa-binh-lu\n"
        "    header_superior: Đảng bộ xã Bình Lư\n    level: cell\n    symbol: CB\n    place: Bình Lư\n    locality: bản\n"
        "    area: bản 1\n    recipients: [Đảng ủy xã (b/c)]\n    signature: {authority: T/M, on_behalf: Chi bộ, title: Bí thư}\n",
        encoding="utf-8")
    spec = folder / "chi-bo.yaml"
    spec.write_text("registry: [my-organs.yaml]\ntype: huong-dan\nnumber: 5\nissuer: lai-chau/dang-uy-xa-binh-lu/chi-bo-ban-1\n"
                    "date: 2026-03-02\nsubject: tuyên truyền\nopening: {text: \"Mở đầu.\"}\nbody: |\n  # MỤC ĐÍCH\n  Nội dung.\n"
                    "signature: {name: Nguyễn Văn A}\n", encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    running = start_server(tmp_path / "tmp", str(spec))
    try:
        token = running.token()
        initial = running.get_json("/api/bootstrap")["initial"]
        assert initial["yaml"] == spec.read_text(encoding="utf-8")
        status, answer = running.post("/api/yaml", {"session": new_session(running, token), "yaml": initial["yaml"]}, token)
        assert answer["problems"] == [] and answer["preview"] is True
        status, _h, blob = running.request("GET", f"/files/{answer['session']}/{answer['rev']}/document.docx")
        assert run_cli(spec, "-o", tmp_path / "cli.docx").returncode == 0
        assert blob == (tmp_path / "cli.docx").read_bytes()
    finally:
        running.stop()
