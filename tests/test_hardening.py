"""Every attack class of issue 14, pinned: the refusal's exact message (located), and the run held under the
kernel's limits (``hostile.limited_cli``: 500 MB of address space, 5 s of CPU), never a timing assert.

A run that needed more memory or time would be killed by the kernel (a negative return code) or end in a
MemoryError, and fail here; a passing case is a located, translated message with exit 1 or 2.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, GOLDEN, gen_directive
from hostile import assert_refused, docx, limited_cli

BASE = (EXAMPLES / "present-day-btgdvtu-2026.yaml").read_text(encoding="utf-8")


def spec_with_place(tmp_path: Path, place: str) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(re.sub(r"(?m)^place: .*$", lambda _m: "place: " + json.dumps(place), BASE), encoding="utf-8")
    return Path(spec.name)  # the runs use cwd=tmp_path: messages name the file as a clerk typed it


def place_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if "place" in line)


# --- Jinja: one budget for loops, recursion and growth ------------------------------------------------

JINJA_ATTACKS = {
    "nested range": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                     "not allowed in a spec (sandbox): more than 100000 steps (loop rounds and calls); a spec's text needs far fewer."),
    "repeated squaring": ("{% set ns = namespace(n=7) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n }}",
                          "not allowed in a spec (sandbox): the number would have more than 16384 binary digits."),
    "power chain": ("{{ ((10 ** 60) ** 60) ** 60 }}", "not allowed in a spec (sandbox): the number would have more than 16384 binary digits."),
    "ljust": ("{{ 'x'.ljust(1000000000) }}", "not allowed in a spec (sandbox): the text would be longer than 1000000 characters."),
    "center": ("{{ 'x'|center(1000000000) }}", "not allowed in a spec (sandbox): the text would be longer than 1000000 characters."),
    "printf star": ("{{ '%*s' % (1000000000, 'x') }}", "not allowed in a spec (sandbox): the text would be longer than 1000000 characters."),
    "format width": ("{{ '{:>{}}'.format('x', 999999999) }}", "not allowed in a spec (sandbox): the text would be longer than 1000000 characters."),
    "doubling +": ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
                   "not allowed in a spec (sandbox): the text would be longer than 1000000 characters."),
    "doubling ~": ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
                   "not allowed in a spec (sandbox): the text would be longer than 1000000 characters."),
    "macro recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
                        "not allowed in a spec (sandbox): calls nested more than 40 deep (a macro that calls itself?)."),
    "recursive loop fan-out": ("{% for x in range(100) recursive %}{{ loop(range(100000)) if loop.depth < 3 else '' }}{% endfor %}",
                               "not allowed in a spec (sandbox): more than 100000 steps (loop rounds and calls); a spec's text needs far fewer."),
    "lipsum": ("{{ lipsum(100000) }}", "not allowed in a spec (sandbox): lipsum() is limited to 20 paragraphs of at most 1000 words."),
    "printed list": ("{% set a = ['x'] * 100000 %}{{ [a] * 100000 }}", "not allowed in a spec (sandbox): the text would be longer than 2000000 characters."),
}


@pytest.mark.parametrize("name", JINJA_ATTACKS)
def test_jinja_attack_is_refused_within_the_budget(tmp_path: Path, name: str) -> None:
    expression, message = JINJA_ATTACKS[name]
    result = limited_cli(spec_with_place(tmp_path, expression), "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert_refused(result, code=1)
    line = place_line(result.stderr)
    assert re.match(r"spec\.yaml:\d+:\d+: place: ", line), line
    assert line.endswith(message), line
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("expression,code", [('{{ "\\ud800" }}', "U+D800"), ('{{ "\\x00" }}', "U+0000")])
def test_a_character_word_cannot_hold_made_by_jinja_is_a_located_error(tmp_path: Path, expression: str, code: str) -> None:
    result = limited_cli(spec_with_place(tmp_path, expression), "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert_refused(result, code=1)
    assert place_line(result.stderr).endswith(
        f"place: cannot render this text: the text it makes holds the character {code}, which a Word file cannot hold "
        "(a lone surrogate or a control character); remove what makes it."), result.stderr
    assert not (tmp_path / "out.docx").exists()


# --- YAML, Unicode, special files ------------------------------------------------------------------------

def test_aliases_are_bounded_by_the_size_they_expand_to(tmp_path: Path) -> None:
    aliases = "\n".join("  - *s" for _ in range(1000))
    spec = tmp_path / "spec.yaml"
    spec.write_text(BASE.rstrip("\n") + "\nx-long: &s " + json.dumps("x" * 100_000) + "\nx-many:\n" + aliases + "\n", encoding="utf-8")
    result = limited_cli(spec.name, "-o", "out.docx", cwd=tmp_path)
    assert_refused(result, code=1)
    assert re.search(r"^spec\.yaml:\d+:\d+: x-many\[\d+\]: the file expands to more than 8388608 characters "
                     r"\(a value repeated through aliases \"\*…\"\?\); refused\.", result.stderr), result.stderr


@pytest.mark.parametrize("how", ["raw", "escaped"])
def test_a_long_run_of_combining_marks_is_refused(tmp_path: Path, how: str) -> None:
    marks = "".join("\u0301\u0323\u0309\u0300"[i % 4] for i in range(240_000 if how == "raw" else 49_000))
    value = json.dumps("a" + marks, ensure_ascii=(how == "escaped"))
    spec = tmp_path / "spec.yaml"
    spec.write_text(re.sub(r"(?m)^place: .*$", lambda _m: "place: " + value, BASE), encoding="utf-8")
    result = limited_cli(spec, "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert_refused(result, "more than 30 combining marks (accents) in a row on one letter; refused (Vietnamese needs at most two).", code=1)
    assert re.search(r"spec\.yaml:\d+:\d+: ", result.stderr), result.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
def test_special_files_are_refused_before_they_are_read(tmp_path: Path, device: str) -> None:
    if device == "fifo":
        path = tmp_path / "spec.yaml"
        os.mkfifo(path)
    else:
        path = Path(device)
    result = limited_cli(path, "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert_refused(result, f"{path}: not a regular file (a device, pipe or socket); give a file saved on disk.")
    parent = limited_cli("init", "--from", path, "--issuer", "lai-chau/dang-uy-xa-binh-lu", "-o", tmp_path / "c.yaml", cwd=tmp_path)
    assert_refused(parent)
    assert "not a regular file" in parent.stderr or "give a Word file" in parent.stderr, parent.stderr


# --- Markdown: nothing dropped --------------------------------------------------------------------------

def body_spec(tmp_path: Path, body: str) -> Path:
    spec = tmp_path / "spec.yaml"
    data = yaml.safe_load(BASE)
    data.pop("body_file", None)
    data["body"] = body
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return spec


@pytest.mark.parametrize("body,message", [
    ("".join("  " * i + f"- mục {i}\n" for i in range(50)), "line 10 of the body: lists nested more than 9 levels deep; refused (Word numbers at most 9 levels). Indent less."),
    ("- " * 1000 + "chữ sau\n", "line 1 of the body: lists nested more than 9 levels deep; refused (Word numbers at most 9 levels). Indent less."),
    (">" * 20 + " trích dẫn\n", "line 1 of the body: quotes (\">\") nested more than 10 deep; refused."),
])
def test_deep_nesting_is_refused_with_its_line_not_dropped(tmp_path: Path, body: str, message: str) -> None:
    result = limited_cli(body_spec(tmp_path, body), "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert_refused(result, message, code=1)


def test_fifty_thousand_footnote_openers_are_text_and_fast(tmp_path: Path) -> None:
    from docxtext import body_paragraphs

    result = limited_cli(body_spec(tmp_path, "Mở đầu " + "[^" * 50_000 + " kết thúc.\n"), "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert any(p.endswith("[^[^[^ kết thúc.") and p.count("[^") == 50_000 for p in body_paragraphs(tmp_path / "out.docx"))


# --- .docx: bounded reading ---------------------------------------------------------------------------

def _zip(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _docx_file(tmp_path: Path, name: str, body: str, **kwargs: object) -> Path:
    path = tmp_path / name
    path.write_bytes(docx(body, **kwargs))  # type: ignore[arg-type]
    return path


def test_a_zip_bomb_is_refused_while_inflating(tmp_path: Path) -> None:
    good = zipfile.ZipFile(_docx_file(tmp_path, "seed.docx", "<w:p/>"))
    members = {info.filename: good.read(info) for info in good.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 4_000_000)
    path = _zip(tmp_path, "bomb.docx", members)
    result = limited_cli("check", path, cwd=tmp_path)
    assert_refused(result, code=2)
    assert result.stdout.strip() == f"{path}: part word/document.xml is larger than 16777216 bytes when unpacked; refused (no Word document part is that large)."


def test_preview_refuses_a_zip_bomb_before_libreoffice_sees_it(tmp_path: Path) -> None:
    good = zipfile.ZipFile(_docx_file(tmp_path, "seed.docx", "<w:p/>"))
    members = {info.filename: good.read(info) for info in good.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 4_000_000)
    _zip(tmp_path, "bomb.docx", members)
    result = limited_cli("preview", "bomb.docx", cwd=tmp_path, env={"GEN_DIRECTIVE_SOFFICE": "/nonexistent/soffice"})
    assert_refused(result, code=2)
    assert result.stderr == "bomb.docx: part word/document.xml is larger than 16777216 bytes when unpacked; refused (no Word document part is that large).\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.docx", "seed.docx"]


def test_a_zip_whose_headers_lie_is_measured_not_believed(tmp_path: Path) -> None:
    path = _docx_file(tmp_path, "liar.docx", "<w:p/>" * 3_000_000)
    data = bytearray(path.read_bytes())
    # Make every size field of document.xml claim 100 bytes (local header and central directory).
    name = b"word/document.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[start + size_offset:start + size_offset + 4] = (100).to_bytes(4, "little")
            start += 4
    path.write_bytes(bytes(data))
    result = limited_cli("check", path, cwd=tmp_path)
    assert_refused(result, code=2)
    # Only the 100 bytes the headers announce are inflated; the checksum then fails.
    assert result.stdout.startswith(f"{path}: damaged ZIP package ("), result.stdout


@pytest.mark.parametrize("body,message", [
    ("<w:p>" + "<w:r><w:t>x</w:t></w:r>" * 200_000 + "</w:p>", "word/document.xml has more than 200000 XML elements; refused."),
    ("<w:p>" + "<w:r><w:t>x</w:t></w:r>" * 6_000 + "</w:p>", "paragraph 1 of document has more than 5000 runs; refused (Word never writes that many)."),
    ("<w:p><w:r>" + "<w:ins>" * 300 + "</w:ins>" * 300 + "</w:r></w:p>", "word/document.xml nests elements more than 200 deep; refused."),
])
def test_large_or_deep_documents_are_refused_in_bounds(tmp_path: Path, body: str, message: str) -> None:
    path = _docx_file(tmp_path, "big.docx", body)
    result = limited_cli("check", path, cwd=tmp_path)
    assert_refused(result, code=2)
    assert result.stdout.strip() == f"{path}: {message}"


@pytest.mark.parametrize("command", ["check", "init"])
def test_the_most_runs_the_limits_allow_are_read_in_bounds(tmp_path: Path, command: str) -> None:
    """19 paragraphs of 4,999 runs (just under both limits): once quadratic (a paragraph of 200,000 runs took
    over 300 s), now linear."""
    path = _docx_file(tmp_path, "runs.docx", ("<w:p>" + "<w:r><w:t>ab </w:t></w:r>" * 4_999 + "</w:p>") * 19)
    if command == "check":
        result = limited_cli("check", path, cwd=tmp_path)
        assert result.returncode == 1 and "internal error" not in result.stdout, result.stdout[-2000:]
    else:
        result = limited_cli("init", "--from", path, "--issuer", "lai-chau/dang-uy-phuong-tan-phong", "-o", tmp_path / "c.yaml", cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-2000:]


def test_a_dtd_is_refused(tmp_path: Path) -> None:
    path = _docx_file(tmp_path, "dtd.docx", "<w:p/>")
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1)
    path = _zip(tmp_path, "dtd.docx", members)
    result = limited_cli("check", path, cwd=tmp_path)
    assert_refused(result, code=2)
    assert result.stdout.strip() == f"{path}: word/document.xml declares a DTD or entities, which a Word document never does; refused."


def test_absurd_numbers_are_garbage_not_crashes(tmp_path: Path) -> None:
    huge = "9" * 5000
    body = (f'<w:p><w:pPr><w:spacing w:before="{huge}" w:after="1e400" w:line="inf"/><w:ind w:left="-{huge}" w:firstLine="nan"/></w:pPr>'
            f'<w:r><w:rPr><w:sz w:val="{huge}"/></w:rPr><w:sym w:char="{"F" * 40}"/><w:t>x</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>Số {huge}-HD/BTGThU</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>TP. Lai Châu, ngày {huge} tháng {huge} năm {huge}</w:t></w:r></w:p>'
            f'<w:p><w:r><w:t>Hà Nội, ngày 01 tháng 01 năm 99999999999</w:t></w:r></w:p>'
            '<w:p><w:r><w:pict><v:line xmlns:v="urn:schemas-microsoft-com:vml" from="1e400pt,0" to="-1e400pt,0"/></w:pict></w:r></w:p>')
    path = _docx_file(tmp_path, "numbers.docx", body)
    result = limited_cli("check", path, cwd=tmp_path)
    assert result.returncode in (0, 1) and "internal error" not in result.stdout + result.stderr, result.stdout + result.stderr


def test_control_characters_from_a_document_are_escaped_and_one_bad_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    body = '<w:p><w:r><w:t>ĐẢNG CỘNG SẢN VIỆT NAM</w:t></w:r></w:p><w:p><w:r><w:sym w:char="1B"/><w:t>[2K[1A erased</w:t></w:r></w:p>'
    escape = _docx_file(tmp_path, "escape.docx", body)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    result = limited_cli("check", broken, escape, cwd=tmp_path)
    assert "\x1b" not in result.stdout and "internal error" not in result.stdout, result.stdout
    assert result.returncode == 2
    assert f"{broken}: not a Word .docx file (it is not a ZIP package)." in result.stdout
    assert f"{escape}  [" in result.stdout  # the second file was checked too


def test_check_warns_about_a_linked_picture(tmp_path: Path) -> None:
    from hostile import linked_picture_docx

    path = tmp_path / "linked.docx"
    path.write_bytes(linked_picture_docx("http://192.0.2.1/beacon.png"))
    result = limited_cli("check", path, cwd=tmp_path)
    assert "safety.linked-content" in result.stdout
    assert ("the document links to content outside the file (http://192.0.2.1/beacon.png); a reader that fetches it contacts "
            "that address. Insert the picture itself instead.") in result.stdout


# --- init writes data, never code ----------------------------------------------------------------------

PARENT = (GOLDEN / "002.txt").read_text(encoding="utf-8")


def _child(tmp_path: Path, parent_text: str, name: str = "parent.txt", *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    parent = tmp_path / name
    parent.write_text(parent_text, encoding="utf-8")
    child = tmp_path / "child.yaml"
    result = limited_cli("init", "--from", parent, "--issuer", "lai-chau/dang-uy-phuong-tan-phong", "--date", "2026-02-01", "-o", child, *extra, cwd=tmp_path)
    return result, child


def test_jinja_in_a_parent_stays_text_in_the_child(tmp_path: Path) -> None:
    from generator.jinja_env import bounded_render, text_environment

    hostile = "{{ 7*7 }} {% for i in range(1000000000) %}x{% endfor %} {# c #}"
    text = PARENT.replace("tuyên truyền kết quả Hội nghị", "tuyên truyền " + hostile + " Hội nghị", 1)
    assert text != PARENT
    result, child = _child(tmp_path, text.replace("KHẨU HIỆU", "KHẨU HIỆU\n- " + hostile, 1))
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load(child.read_text(encoding="utf-8"))
    values = [spec["subject"], spec["implements"][0]["subject"], *[s for s in (spec.get("slogans") or []) if isinstance(s, str)]]
    rendered = [bounded_render(text_environment().from_string(v), {"issuer": {"area": "phường Tân Phong"}}) for v in values]
    assert any(hostile in r for r in rendered) and not any("49" in r and "7*7" not in r for r in rendered)
    built = limited_cli(child, "-o", tmp_path / "child.docx", cwd=tmp_path)
    assert built.returncode in (0, 1) and "internal error" not in built.stderr


def test_a_parent_file_name_cannot_inject_yaml(tmp_path: Path) -> None:
    result, child = _child(tmp_path, PARENT, "x\nplace: HACKED PLACE\n#.txt")
    assert result.returncode == 0, result.stderr
    spec = yaml.safe_load(child.read_text(encoding="utf-8"))
    assert spec.get("place") != "HACKED PLACE"
    assert "x\\nplace: HACKED PLACE\\n#.txt" in child.read_text(encoding="utf-8")


def test_control_characters_of_a_parent_never_make_an_unreadable_child(tmp_path: Path) -> None:
    from generator.loader import load_yaml

    text = PARENT.replace("tuyên truyền kết quả Hội nghị", "tuyên truyền\x00 kết\x85\x9b\ud800 quả Hội nghị", 1)
    assert text != PARENT
    parent = tmp_path / "parent.txt"
    parent.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = limited_cli("init", "--from", parent, "--issuer", "lai-chau/dang-uy-phuong-tan-phong", "--date", "2026-02-01", "-o", tmp_path / "c.yaml", cwd=tmp_path)
    if result.returncode == 0:
        load_yaml(tmp_path / "c.yaml")
    else:
        assert_refused(result)
        assert not (tmp_path / "c.yaml").exists()


@pytest.mark.parametrize("command", ["init", "cascade"])
def test_the_child_never_replaces_its_parent_even_with_force(tmp_path: Path, command: str) -> None:
    parent = tmp_path / "parent.yaml"
    parent.write_text(BASE, encoding="utf-8")
    args = (["init", "--from", parent, "--issuer"] if command == "init" else ["cascade", parent, "--to"])
    result = limited_cli(*args, "lai-chau/dang-uy-xa-binh-lu", "--date", "2026-12-01", "-o", parent, "--force", cwd=tmp_path)
    assert_refused(result, code=2)
    assert f"-o {parent} is the parent {parent}; the child spec never replaces its parent (--force does not change that). Choose another -o." in result.stderr
    assert parent.read_text(encoding="utf-8") == BASE


def test_a_huge_text_parent_is_refused_with_its_line(tmp_path: Path) -> None:
    result, child = _child(tmp_path, "\n".join(f"I. D{i}" for i in range(190_000)))
    assert_refused(result)
    assert not child.exists()


# --- the command line -----------------------------------------------------------------------------------

def test_a_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        result = subprocess.run([*gen_directive(), "--lang", "en", "--help"], stdout=write, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write)
    assert b"internal error" not in result.stderr and b"Traceback" not in result.stderr, result.stderr
    assert result.stderr == b""


def test_building_a_folder_is_a_message(tmp_path: Path) -> None:
    result = limited_cli("build", ".", cwd=tmp_path)
    assert_refused(result, code=1)
    assert result.stderr == ".: no spec found (a spec is a .yaml or .yml file).\n"  # a folder is a batch (issue 11): an empty one says so


@pytest.mark.parametrize("text,fragment", [
    ("HƯỚNG DẪN\n" + "[1:" * 150_000 + " x]\n", None),  # the footnote-body pattern, once quadratic
    ("HƯỚNG DẪN\na" + "\u0301\u0323" * 50_000 + "\n", "more than 30 combining marks (accents) in a row on one letter"),
])
def test_hostile_parent_texts_are_read_in_bounds(tmp_path: Path, text: str, fragment: str | None) -> None:
    result, child = _child(tmp_path, text)
    if fragment is None:
        assert result.returncode == 0, result.stderr
        yaml.safe_load(child.read_text(encoding="utf-8"))
    else:
        assert_refused(result, fragment)
        assert re.search(r"parent\.txt:2:\d+: ", result.stderr), result.stderr


@pytest.mark.parametrize("error,message", [
    (MemoryError, "the input needs more memory than this machine allows; refused (see \"Safety\" in the README for the limits).\n"),
    (RecursionError, "the input is nested too deeply to be processed; refused (see \"Safety\" in the README for the limits).\n"),
])
def test_memory_and_recursion_errors_are_never_internal_errors(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                                error: type[BaseException], message: str) -> None:
    """The last line behind every limit: whatever runs out, the clerk reads a sentence, exit 1."""
    from generator import cli
    from generator.commands import build

    def explode(*args: object, **kwargs: object) -> int:
        raise error()

    monkeypatch.setattr(build, "build_many", explode)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--lang", "en", "build", "x.yaml"])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err == message
