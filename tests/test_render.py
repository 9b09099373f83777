"""The renderer: compiled docxtpl bundles rendered straight into the zip (issue: speed and correctness).

- the build path imports neither docxtpl nor python-docx (nor lxml);
- core properties are escaped exactly once; text that looks like docxtpl's escapes ({_{ … }_}) is kept;
- every example's parts are pinned (golden digests of the uncompressed parts: the same spec, the same bytes);
- a .docx template edited by hand is compiled again (cached by its content hash) instead of a stale bundle used.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, GOLDEN, example_specs, run_cli

DIGESTS = GOLDEN / "outputs.json"
ALL_SPECS = example_specs() + sorted((EXAMPLES / "chain").glob("*.yaml")) + sorted((EXAMPLES / "kinds").glob("*.yaml"))


def parts_digest(docx: Path) -> str:
    """sha256 over every part's name and uncompressed bytes, in package order (independent of zlib's version)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(docx) as package:
        for info in package.infolist():
            digest.update(info.filename.encode() + b"\0" + package.read(info) + b"\0")
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
    return digest.hexdigest()


def _key(spec: Path) -> str:
    return spec.relative_to(EXAMPLES).with_suffix("").as_posix()


def test_build_path_imports_neither_docxtpl_nor_python_docx(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from generator.build import build_document\n"
        f"build_document({str(EXAMPLES / '002-hoi-nghi-giua-nhiem-ky.yaml')!r}, {str(tmp_path / 'out.docx')!r})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'docxtpl', 'lxml', 'ssl', 'http'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_example_gives_its_pinned_parts(tmp_path: Path) -> None:
    result = run_cli(*ALL_SPECS, "--out-dir", tmp_path)
    assert result.returncode == 0, result.stderr
    found = {_key(spec): parts_digest(tmp_path / f"{spec.stem}.docx") for spec in ALL_SPECS}
    if os.environ.get("UPDATE_GOLDEN") == "1":
        DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    pinned = json.loads(DIGESTS.read_text(encoding="utf-8"))
    assert found == pinned, "an output changed: look at it, then UPDATE_GOLDEN=1 python -P -m pytest tests/test_render.py"


def _spec_with(tmp_path: Path, subject: str = "thử", place: str = "Bình Lư") -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "type: huong-dan\nissuer: lai-chau/dang-uy-xa-binh-lu\nnumber: 3\ndate: 2026-03-05\n"
        f"subject: {json.dumps(subject, ensure_ascii=False)}\nplace: {json.dumps(place, ensure_ascii=False)}\n"
        "opening: {text: Mở đầu.}\nbody: Nội dung.\nsignature: {name: A}\n", encoding="utf-8")
    return spec


def test_core_properties_are_escaped_once(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    spec = _spec_with(tmp_path, subject="A & B <c> \"d\" 'e'")
    result = run_cli(spec, "-o", tmp_path / "out.docx")
    assert result.returncode == 0, result.stderr
    core = zipfile.ZipFile(tmp_path / "out.docx").read("docProps/core.xml").decode()
    assert "<dc:subject>A &amp; B &lt;c&gt; &#34;d&#34; &#39;e&#39;</dc:subject>" in core
    assert docx.Document(str(tmp_path / "out.docx")).core_properties.subject == "A & B <c> \"d\" 'e'"


def test_text_that_looks_like_docxtpl_escapes_is_kept(tmp_path: Path) -> None:
    spec = _spec_with(tmp_path, place="TP. {_{ Lai }_} Châu {_% x %_}")
    result = run_cli(spec, "-o", tmp_path / "out.docx")
    assert result.returncode == 0, result.stderr
    document = zipfile.ZipFile(tmp_path / "out.docx").read("word/document.xml").decode()
    assert "TP. {_{ Lai }_} Châu {_% x %_}, ngày" in document


def test_an_edited_template_is_compiled_again_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import render, template_build
    from generator.build import compose_spec

    original = template_build.template_path("party-hd36").read_bytes()
    with zipfile.ZipFile(template_build.template_path("party-hd36")) as source:
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    edited = tmp_path / "party-hd36.docx"
    with zipfile.ZipFile(edited, "w") as target:
        for name, blob in parts:
            if name == "word/header1.xml":
                blob = blob.replace(b"<w:t>2</w:t>", b"<w:t>2</w:t></w:r><w:r><w:t xml:space=\"preserve\"> {{ header.number_line }}</w:t>")
            target.writestr(name, blob)
    assert edited.read_bytes() != original
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(render, "template_path", lambda profile_id: edited)
    render._compiled_parts.cache_clear()
    try:
        document, _loaded = compose_spec(EXAMPLES / "002-hoi-nghi-giua-nhiem-ky.yaml")
        blob = render.render(document)
    finally:
        render._compiled_parts.cache_clear()
    header = zipfile.ZipFile(__import__("io").BytesIO(blob)).read("word/header1.xml").decode()
    assert " Số 98-HD/BTGThU</w:t>" in header
    digest = hashlib.sha256(edited.read_bytes()).hexdigest()
    assert (tmp_path / "cache" / "gen-directive" / "compiled" / f"{digest}.json").is_file()


def test_compiled_templates_are_kept_on_disk_and_a_broken_entry_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import jinja_cache
    from generator.jinja_env import CompileOnceSandbox

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    env = CompileOnceSandbox(autoescape=True)
    first = jinja_cache.from_string(env, "<w:t>{{ name }}</w:t>")
    entries = list((tmp_path / "gen-directive" / "jinja").glob("*.code"))
    assert len(entries) == 1
    again = jinja_cache.from_string(env, "<w:t>{{ name }}</w:t>")
    assert first.render(name="A & B") == again.render(name="A & B") == "<w:t>A &amp; B</w:t>"
    entries[0].write_bytes(b"not marshal data")
    assert jinja_cache.from_string(env, "<w:t>{{ name }}</w:t>").render(name="<") == "<w:t>&lt;</w:t>"
    assert entries[0].read_bytes() != b"not marshal data"  # written again, whole


def test_a_specs_own_texts_are_never_cached_on_disk(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    spec = _spec_with(tmp_path, place="{{ issuer.area | upper }} QZXJ")  # compiled (not a plain lookup)
    result = run_cli(spec, "-o", tmp_path / "out.docx", env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    entries = [p for p in (cache / "gen-directive").rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} >= {"jinja", "data"}  # our templates and data are kept…
    assert all(b"QZXJ" not in p.read_bytes() for p in entries)  # …the spec's texts never


def test_the_package_writer_is_a_plain_deterministic_zip() -> None:
    """generator.oxml.package writes what zipfile writes for the same parts (local headers, central
    directory, end record), with the fixed time and mode; a part deflated once reads back the same."""
    import io

    from generator.oxml.package import deflated, package

    parts = [("[Content_Types].xml", b"<Types/>" * 50), ("word/document.xml", "Tiếng Việt & <x>".encode() * 500), ("empty.xml", b"")]
    shared = deflated(*parts[0])
    blob = package([shared, *(deflated(name, content) for name, content in parts[1:])])
    assert blob == package([deflated(name, content) for name, content in parts])  # a cached entry is the same bytes
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, i.date_time, i.compress_type, i.external_attr >> 16, i.create_system) for i in archive.infolist()] == [
            (name, (1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, 0o644, 3) for name, _ in parts]
        assert [archive.read(name) for name, _ in parts] == [content for _, content in parts]
    reference = io.BytesIO()
    with zipfile.ZipFile(reference, "w") as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, content)
    assert blob == reference.getvalue()
