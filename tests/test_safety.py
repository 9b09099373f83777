"""A spec from another organ is untrusted input: it cannot run code, exhaust the machine, reach files
outside its folder, corrupt the XML, lose a character, or leave a half-written file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from conftest import ROOT, run_cli
from docxtext import body_paragraphs
from generator import loader, write
from generator.build import build_document
from generator.errors import FileProblem, GeneratorError, SpecError, UnsafeInput, UnsafePath, UsageError
from generator.i18n import set_language
from generator.jinja_env import text_environment, xml_environment
from generator.loader import MAX_DEPTH, WrittenInt, confined_path, load_yaml, load_yaml_text
from test_errors import SPEC, edit


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language(None)


def problems(text: str) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_yaml_text(text, "spec.yaml")
    return [p.render() for p in info.value.problems]


# --- YAML: safe, bounded, nothing silently changed ---------------------------------------------------

def test_the_c_safe_loader_is_used_where_libyaml_is_there() -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    assert issubclass(loader._SpecLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/name:os.system", "!!binary", "!!set", "!!omap", "!foo"])
def test_tags_that_build_objects_are_refused(tag: str) -> None:
    found = problems(f"a: {tag} [x]\n" if "apply" in tag else f"a: {tag} x\n" if tag not in ("!!set",) else "a: !!set {x}\n")
    assert len(found) == 1 and "is not allowed in a spec" in found[0] and found[0].startswith("spec.yaml:1:4: ")


def test_nesting_is_refused_before_libyaml_builds_it() -> None:
    """libyaml's composer recurses in C: 100 000 nested brackets crashed the interpreter (SIGSEGV). Run
    in a child process so that a regression fails this test instead of killing the test run."""
    code = ("from generator.loader import load_yaml_text\nfrom generator.errors import SpecError\n"
            "try:\n    load_yaml_text('a: ' + '[' * 100000 + ']' * 100000, 'x.yaml')\n"
            "except SpecError as e:\n    print(e.message)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "LANG": "en_US.UTF-8", "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"x.yaml:1:{3 + MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels; refused.\n"


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    assert load_yaml_text("a: " + "[" * depth + "]" * depth, "x").data["a"] is not None


def _nested(style: str, depth: int) -> str:
    """A spec whose collections nest ``depth`` levels (the top mapping is level 1), written in ``style``."""
    inner = depth - 1
    if style == "flow lists":
        return "a: " + "[" * inner + "x" + "]" * inner + "\n"
    if style == "flow mappings":
        return "a: " + "{b: " * inner + "x" + "}" * inner + "\n"
    if style == "pairs in flow lists":  # [b: [b: x]]: each "b:" is a one-pair mapping, a level of its own
        return "a: " + "[b: " * (inner // 2) + "[" * (inner % 2) + "x" + "]" * (inner % 2) + "]" * (inner // 2) + "\n"
    if style == "block mappings":
        return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "x\n"
    if style == "compact block lists":
        return "a:\n  " + "- " * inner + "x\n"
    if style == "lists under keys":  # "k:" then "- " at the key's own column: the list has no token of its own
        pairs = (depth - 1) // 2
        text = "k0:" + "".join("\n" + " " * (2 * i) + f"- k{i + 1}:" for i in range(pairs))
        return text + (" x\n" if depth % 2 else "\n" + " " * (2 * pairs) + "- x\n")
    raise AssertionError(style)


NESTING_STYLES = ["flow lists", "flow mappings", "pairs in flow lists", "block mappings", "compact block lists", "lists under keys"]


def _event_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("style", NESTING_STYLES)
def test_our_token_scan_counts_levels_as_the_parser_does(style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan that answers when libyaml stops must refuse exactly what the event check refuses, at the
    same line and column; and the raw-text bound that lets most texts skip it never counts too few."""
    deep, fine = _nested(style, MAX_DEPTH + 1), _nested(style, MAX_DEPTH)
    assert _event_depth(deep) == MAX_DEPTH + 1 and _event_depth(fine) == MAX_DEPTH
    assert loader._nesting_bound(fine, 10**9) >= MAX_DEPTH
    with pytest.raises(SpecError) as by_events:
        loader._check_events(deep, "spec.yaml")
    monkeypatch.setattr(loader, "_nesting_bound", lambda text, limit: limit + 1)  # always scan
    with pytest.raises(SpecError) as by_tokens:
        loader._check_nesting(deep, "spec.yaml")
    assert by_tokens.value.message == by_events.value.message
    assert by_tokens.value.message.endswith(f": nesting deeper than {MAX_DEPTH} levels; refused.")
    loader._check_nesting(fine, "spec.yaml")
    loader._check_events(fine, "spec.yaml")


def test_the_raw_text_bound_never_counts_too_few() -> None:
    """Random documents in every PyYAML dump style: the cheap bound is at least the parser's depth."""
    import random

    rnd = random.Random(8)
    for _ in range(400):
        value: object = "x"
        for level in range(rnd.randint(1, 45)):
            value = rnd.choice([{f"k{level}": value}, [value], [value, "y"], {"a": 1, f"k{level}": value}])
        text = yaml.safe_dump({"a": value}, default_flow_style=rnd.choice([None, True, False]), indent=rnd.choice([2, 3, 4]))
        assert loader._nesting_bound(text, 10**9) >= _event_depth(text), text


def test_the_bound_lets_every_example_skip_the_slow_scan() -> None:
    for spec in sorted((ROOT / "examples").rglob("*.yaml")):
        assert loader._nesting_bound(spec.read_text(encoding="utf-8"), MAX_DEPTH) <= MAX_DEPTH, spec.name


class _StopsAtFiveLevels(loader._SpecLoader):  # type: ignore[misc, valid-type]
    """A libyaml with a nesting limit of its own, lower than ours, worded its way."""

    def get_event(self):  # type: ignore[no-untyped-def]
        event = super().get_event()
        self._levels = getattr(self, "_levels", 0) + isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
        if self._levels > 5:
            raise yaml.parser.ParserError(None, None, "exceeded maximum nesting depth", event.start_mark)
        return event


def test_our_nesting_message_answers_whatever_limit_libyaml_has(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_SpecLoader", _StopsAtFiveLevels)
    assert problems("body: " + "[" * 50 + "]" * 50 + "\n") == [f"spec.yaml:1:{6 + MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels; refused."]
    # Within our limit, what stops libyaml is reported as the syntax error it is (its words inside ours).
    found = problems("body: " + "[" * 10 + "]" * 10 + "\n")
    assert len(found) == 1 and found[0].startswith("spec.yaml:1:11: YAML syntax error: ")


@pytest.mark.parametrize("text", ["a: &x [*x]\n", "a: &x {b: *x}\n"])
def test_an_alias_that_contains_itself_is_refused(text: str) -> None:
    assert problems(text) == [f"spec.yaml:1:4: a: nesting deeper than {MAX_DEPTH} levels; refused."]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    assert problems("\n".join(lines)) == ["spec.yaml:6:1: f: the file expands to more than 200000 values (aliases?); refused."]


def test_too_many_values_are_refused() -> None:
    (found,) = problems("a: [" + "1," * 250_000 + "1]")
    assert found.startswith("spec.yaml:1:") and found.endswith(": the file has more than 200000 values; refused.")


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_bytes(b"a: " + b"x" * loader.MAX_FILE_BYTES)
    with pytest.raises(FileProblem, match=r"a spec may be at most 2097152 bytes"):
        load_yaml(spec, "big.yaml")


def test_duplicate_and_merge_keys_are_refused() -> None:
    assert problems("a: 1\nb: 2\na: 3\n") == ['spec.yaml:3:1: a: the key "a" appears twice (first on line 1); keep one.']
    assert problems("x: &x {a: 1}\ny:\n  <<: *x\n") == ["spec.yaml:3:3: y: merge keys (<<) are not allowed in a spec."]


def test_keys_and_numbers_stay_as_written() -> None:
    data = load_yaml_text("yes: 1\n1: a\n~: b\n2020-01-01: c\nnumber: 012\ntext: 012\nhex: 0x1F\ntime: 1:30\nbig: 1_000\nplus: +5\n", "x").data
    assert list(data) == ["yes", "1", "~", "2020-01-01", "number", "text", "hex", "time", "big", "plus"]
    assert data["number"] == 12 and str(data["text"]) == "012"  # YAML 1.1 would read octal 10
    assert isinstance(data["number"], WrittenInt) and f"{data['number']:02d}" == "12"
    assert (data["hex"], data["time"], data["big"], str(data["plus"])) == ("0x1F", "1:30", "1_000", "+5")


def test_an_impossible_date_stays_text_for_the_schema_to_locate() -> None:
    assert load_yaml_text("date: 2023-02-30\n", "x").data == {"date": "2023-02-30"}


def test_a_number_too_long_for_python_is_a_located_error() -> None:
    assert problems("number: " + "9" * 5000) == [
        "spec.yaml:1:9: YAML value not allowed: this number has too many digits (5000); put it in quotes if it is a text."]


def test_raw_control_characters_are_all_reported_with_line_and_column() -> None:
    found = problems("a: x\x01y\nb: \x7f\né: \x00\n" + "c: \x02\n" * 11)
    assert found[:3] == [
        "spec.yaml:1:5: the invisible control character U+0001 cannot be in a spec; delete it (it often comes with text copied from Word or a PDF).",
        "spec.yaml:2:4: the invisible control character U+007F cannot be in a spec; delete it (it often comes with text copied from Word or a PDF).",
        "spec.yaml:3:4: the invisible control character U+0000 cannot be in a spec; delete it (it often comes with text copied from Word or a PDF).",
    ]
    assert len(found) == loader.MAX_REPORTED + 1 and found[-1] == "spec.yaml: … and 4 more such characters."


def test_escaped_characters_xml_cannot_hold_are_removed_with_a_located_warning() -> None:
    loaded = load_yaml_text('a:\n  b: "x\\x01y\\uFFFEz\\x1b"\n  c: "\\t\\n\\r ok"\n', "spec.yaml")
    assert loaded.data == {"a": {"b": "xyz", "c": "\t\n\r ok"}}
    assert [w.render() for w in loaded.warnings] == [
        "spec.yaml:2:3: a.b: removed characters a Word file cannot hold: U+0001, U+001B, U+FFFE."]
    # lone surrogates cannot come through YAML (libyaml refuses the escape) but are stripped all the same
    assert loader.clean_text("a\ud800b", (), None) == "ab"


def test_text_is_normalised_to_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Thành ủy Lai Châu, Đảng, Nguyễn")
    assert nfd != unicodedata.normalize("NFC", nfd)
    loaded = load_yaml_text(f"place: {nfd}\n{unicodedata.normalize('NFD', 'ghi_chú')}: {nfd}\n", "x")
    assert loaded.data == {"place": "Thành ủy Lai Châu, Đảng, Nguyễn", "ghi_chú": "Thành ủy Lai Châu, Đảng, Nguyễn"}
    assert ("ghi_chú",) in loaded.marks


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "notepad.yaml"
    spec.write_bytes("place: TP. Lai Châu\n".encode("utf-16"))
    assert load_yaml(spec).data == {"place": "TP. Lai Châu"}


# --- Jinja: sandboxed, strict, autoescaped where it writes XML ---------------------------------------

def test_both_jinja_environments_are_sandboxed_and_strict() -> None:
    for env in (xml_environment(), text_environment()):
        assert isinstance(env, SandboxedEnvironment)
        assert env.undefined is StrictUndefined
    assert xml_environment().autoescape is True
    assert str(xml_environment().from_string("{{ v }}").render(v="A & <B>")) == "A &amp; &lt;B&gt;"


@pytest.mark.parametrize("expression", [
    "{{ place.__class__ }}",
    "{{ place.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ issuer.__class__.__base__ }}",
    "{{ place.format.__globals__ }}",
])
def test_sandbox_escapes_are_refused_as_unsafe(expression: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(edit("place: TP. Lai Châu", f"place: \"{expression}\""), encoding="utf-8")
    with pytest.raises(GeneratorError) as info:
        build_document(spec, tmp_path / "out.docx")
    assert isinstance(info.value, (UnsafeInput, SpecError))
    assert info.value.message.startswith(f"{spec}:9:1: place: ")
    assert not (tmp_path / "out.docx").exists()


# --- files a spec names stay inside its folder (or the configured roots) ------------------------------

@pytest.fixture
def tree(tmp_path: Path) -> dict[str, Path]:
    spec_dir = tmp_path / "organ" / "specs"
    (spec_dir / "bodies").mkdir(parents=True)
    (spec_dir / "bodies" / "a.md").write_text("x", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "t.docx").write_bytes(b"t")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    return {"spec_dir": spec_dir, "templates": templates, "secret": secret}


def test_confined_path_accepts_files_inside(tree: dict[str, Path]) -> None:
    spec_dir = tree["spec_dir"]
    assert confined_path(spec_dir, "bodies/a.md", [], ("body_file",)) == (spec_dir / "bodies" / "a.md").resolve()
    assert confined_path(spec_dir, "bodies/../bodies/a.md", [], ("body_file",)) == (spec_dir / "bodies" / "a.md").resolve()
    assert confined_path(spec_dir, "bodies\\a.md", [], ("body_file",)) == (spec_dir / "bodies" / "a.md").resolve()
    assert confined_path(spec_dir, "../../templates/t.docx", [tree["templates"]], ("template",)) == (tree["templates"] / "t.docx").resolve()


@pytest.mark.parametrize("name, message", [
    ("../../secret.txt", "\"../../secret.txt\" is outside the spec's folder"),
    ("..\\..\\secret.txt", "\"..\\..\\secret.txt\" is outside the spec's folder"),
    ("/etc/passwd", "\"/etc/passwd\" is an absolute path; name the file relative to the spec's folder."),
    ("~/secret.txt", "\"~/secret.txt\" is an absolute path"),
    ("C:\\Windows\\win.ini", "\"C:\\Windows\\win.ini\" is an absolute path"),
    ("a\0b", "a file name cannot contain the character U+0000."),
    ("", "expected a file name relative to the spec's folder, got ''."),
])
def test_confined_path_refuses_paths_that_leave(tree: dict[str, Path], name: str, message: str) -> None:
    with pytest.raises(UnsafePath) as info:
        confined_path(tree["spec_dir"], name, [tree["templates"]], ("blocks", 2, "file"))
    assert isinstance(info.value, UnsafeInput) and isinstance(info.value, SpecError)
    assert info.value.problems[0].path == ("blocks", 2, "file")
    assert message in info.value.problems[0].message


def test_confined_path_follows_symlinks(tree: dict[str, Path]) -> None:
    spec_dir = tree["spec_dir"]
    (spec_dir / "escape.txt").symlink_to(tree["secret"])
    (spec_dir / "escape_dir").symlink_to(tree["secret"].parent)
    (spec_dir / "inside.md").symlink_to(spec_dir / "bodies" / "a.md")
    for name in ("escape.txt", "escape_dir/secret.txt"):
        with pytest.raises(UnsafePath):
            confined_path(spec_dir, name, [], ("body_file",))
    assert confined_path(spec_dir, "inside.md", [], ("body_file",)) == (spec_dir / "bodies" / "a.md").resolve()


def test_confined_path_is_located_in_the_spec(tree: dict[str, Path]) -> None:
    loaded = load_yaml_text("type: huong-dan\nbody_file: ../../secret.txt\n", "spec.yaml")
    with pytest.raises(UnsafePath) as info:
        confined_path(tree["spec_dir"], loaded.data["body_file"], [], ("body_file",), loaded=loaded)
    assert info.value.message.startswith("spec.yaml:2:1: body_file: \"../../secret.txt\" is outside the spec's folder; ")


# --- XML special characters and markup survive into the document --------------------------------------

def _build(tmp_path: Path, spec_text: str) -> list[str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text, encoding="utf-8")
    result = build_document(spec, tmp_path / "out.docx")
    with zipfile.ZipFile(result.output) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))  # every part is well-formed XML
    return body_paragraphs(result.output)


SPECIALS = "A & B <c> \"d\" 'e' \\ f ]]> &amp; {x}"


def test_xml_special_characters_survive_in_every_field(tmp_path: Path) -> None:
    quoted = "'" + SPECIALS.replace("'", "''") + "'"
    text = SPEC
    for old in ("place: TP. Lai Châu", "subject: tuyên truyền kết quả Hội nghị", "  - Như trên", "  name: Nguyễn Văn A",
                "    issuer: Ban Tuyên giáo Tỉnh ủy Lai Châu"):
        key = old.split(":")[0] if ":" in old else old.rstrip("Như trên")
        text = edit(old, f"{key}: {quoted}" if ":" in old else f"  - {quoted}", text)
    paragraphs = _build(tmp_path, text)
    everything = "\n".join(paragraphs)
    assert f"{SPECIALS}, ngày 05 tháng 6 năm 2023" in paragraphs  # place
    assert SPECIALS in everything  # subject, signer's name
    assert f"- {SPECIALS}," in paragraphs  # recipient
    assert f"của {SPECIALS} về" in everything  # the parent's issuer in the opening


def test_markdown_specials_in_the_body_through_backslash_escapes(tmp_path: Path) -> None:
    body = ("  Xem \\[1] và \\*không đậm\\* A & B <dự thảo> \"q\" 'a' \\\\ \\# hết &amp; &#65; `x` <b>y</b> "
            "[link](http://x) http://z.vn ~~s~~ | a | b |\n")
    paragraphs = _build(tmp_path, edit("  Nội dung.\n", body))
    assert ("Xem [1] và *không đậm* A & B <dự thảo> \"q\" 'a' \\ # hết &amp; &#65; `x` <b>y</b> "
            "[link](http://x) http://z.vn ~~s~~ | a | b |") in paragraphs


# --- atomic writes: the old file or the new one, never half of one ---------------------------------

@pytest.fixture
def spec_and_old_output(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = tmp_path / "spec.docx"
    out.write_bytes(b"the previous document")
    return spec, out


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(spec_and_old_output, monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = spec_and_old_output

    def refuse(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write.os, "replace", refuse)
    with pytest.raises(FileProblem) as info:
        build_document(spec, out)
    assert info.value.message == f"{out}: cannot write the file (permission denied)."
    assert out.read_bytes() == b"the previous document"
    assert _only(out.parent) == ["spec.docx", "spec.yaml"]


def test_a_failed_render_writes_nothing(spec_and_old_output, monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = spec_and_old_output
    import generator.render

    def broken(document: object) -> bytes:
        raise GeneratorError("template party-hd36.docx, line 3: boom.")

    monkeypatch.setattr(generator.render, "render", broken)
    with pytest.raises(GeneratorError):
        build_document(spec, out)
    assert out.read_bytes() == b"the previous document"
    assert _only(out.parent) == ["spec.docx", "spec.yaml"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(spec_and_old_output, monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = spec_and_old_output

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(write.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_document(spec, out)
    assert out.read_bytes() == b"the previous document"
    assert _only(out.parent) == ["spec.docx", "spec.yaml"]


def test_a_folder_where_nothing_can_be_created(spec_and_old_output, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, where chmod does not stop a write: the refusal is simulated."""
    spec, out = spec_and_old_output

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    with pytest.raises(FileProblem) as info:
        build_document(spec, out)
    assert info.value.message == f"{out}: cannot write in {out.parent} (permission denied)."
    assert out.read_bytes() == b"the previous document"


def test_a_successful_write_replaces_the_file_whole(spec_and_old_output) -> None:
    spec, out = spec_and_old_output
    build_document(spec, out)
    assert zipfile.is_zipfile(out)
    assert _only(out.parent) == ["spec.docx", "spec.yaml"]
    assert (out.stat().st_mode & 0o777) == 0o644


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_the_spec_itself_is_never_the_output(tmp_path: Path, link: str) -> None:
    spec = tmp_path / "spec.docx"
    spec.write_text(SPEC, encoding="utf-8")
    alias = tmp_path / "alias.docx"
    (alias.symlink_to if link == "symlink" else alias.hardlink_to)(spec)
    for target in (spec, alias, tmp_path / "." / "spec.docx"):
        with pytest.raises(UsageError, match="is the spec itself"):
            build_document(spec, target)
    assert spec.read_text(encoding="utf-8") == SPEC


# --- bounded expressions: one line of a spec must not tie up the machine ----------------------------------

@pytest.mark.parametrize("expression,reason", [
    ("{{ 7 ** 20000000 }}", "the exponent 20000000 is larger than 64"),
    ("{{ 'x' * 300000000 }}", "the repeated text would be longer than 100000 characters"),
    ("{% for i in range(100000) %}{{ 'x' * 99999 }}{% endfor %}", "the text would be longer than 1000000 characters"),
])
def test_huge_expressions_are_refused_fast(tmp_path: Path, expression: str, reason: str) -> None:
    import time

    source = (Path(__file__).resolve().parents[1] / "examples" / "present-day-btgdvtu-2026.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(re.sub(r"(?m)^place: .*$", "place: " + json.dumps(expression), source), encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("--lang", "en", spec, "-o", tmp_path / "out.docx")
    assert time.perf_counter() - started < 20
    assert result.returncode == 1
    line = [l for l in result.stderr.splitlines() if "place:" in l][0]
    assert line.endswith(f"place: not allowed in a spec (sandbox): {reason}."), result.stderr
    assert not (tmp_path / "out.docx").exists()


def test_escaped_footnote_mark_is_text(tmp_path: Path) -> None:
    from generator.errors import Problem
    from generator.markup import parse_body

    problems: list[Problem] = []
    body = parse_body("Xem \\[^1] hết.\n", problems)
    assert problems == []
    assert "".join(r.text for r in body.blocks[0].runs) == "Xem [^1] hết."
