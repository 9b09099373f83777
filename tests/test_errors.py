"""Every way a clerk's spec or command line can be wrong gives one exact, located message, in Vietnamese by
default and in English with ``--lang en``; exit code 1 (the spec or a file is wrong) or 2 (the command line
is wrong); never a traceback; and the file at the output path is left as it was.

Each case runs the console script in a folder of its own (``cwd``), so the messages show the names a clerk
typed (``spec.yaml:14:5: …``). The texts are pinned whole: a change of wording is a deliberate change.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

ENV = {"PYTHONPATH": str(ROOT)}  # the checkout, whether or not the package is installed

SPEC = """\
type: huong-dan
number: 5
issuer:
  name: Ban Tuyên giáo
  superior: Thành ủy Lai Châu
  symbol: BTGThU
  short_name: Ban Tuyên giáo Thành ủy
  locality: thành phố
place: TP. Lai Châu
date: 2023-06-05
subject: tuyên truyền kết quả Hội nghị
implements:
  - type: Hướng dẫn
    number: 120
    symbol: HD/BTGTU
    date: 2023-06-01
    issuer: Ban Tuyên giáo Tỉnh ủy Lai Châu
    subject: tuyên truyền kết quả Hội nghị
body: |
  # MỤC ĐÍCH, YÊU CẦU
  Nội dung.
recipients:
  - Như trên
signature:
  title: Trưởng ban
  name: Nguyễn Văn A
"""


def edit(old: str, new: str, spec: str = SPEC) -> str:
    assert old in spec, old
    return spec.replace(old, new, 1)


OLD_OUTPUT = b"the previous document"


# Stands, in a pinned message, for a text quoted from a library (Jinja's "'x' is undefined"): a new release
# may reword it, so only our words around it are pinned.
UPSTREAM = "\u27e8upstream\u27e9"


def matches(expected: str, actual: str) -> bool:
    """``actual`` is ``expected``, where each UPSTREAM stands for any text on one line."""
    pattern = "[^\n]+".join(re.escape(part) for part in expected.split(UPSTREAM))
    return re.fullmatch(pattern, actual) is not None


@dataclass
class Case:
    files: dict[str, str | bytes | None]  # None: a folder
    args: list[str]
    code: int
    vi: str
    en: str
    output: str | None = "spec.docx"  # where a build would write: must keep its old bytes
    extra: dict[str, str] = field(default_factory=dict)


def alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcde", "bcdef"):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 10)}]")
    return "\n".join(lines) + "\n"


CASES: dict[str, Case] = {
    "yaml-syntax-error": Case(
        {"spec.yaml": "type: huong-dan\nsubject: [tuyên truyền\nplace: TP. Lai Châu\n"}, ["spec.yaml"], 1,
        'spec.yaml:3:6: lỗi cú pháp YAML: danh sách mở bằng "[" ở dòng 2 chưa được đóng: cần "," hoặc "]". Đoạn chữ bắt đầu bằng "[" phải đặt trong dấu ngoặc kép.',
        'spec.yaml:3:6: YAML syntax error: the list opened with "[" on line 2 is not closed: expected "," or "]". A text that starts with "[" must be in quotes.'),
    "yaml-tab-indentation": Case(
        {"spec.yaml": "issuer:\n\tname: Ban Tuyên giáo\n"}, ["spec.yaml"], 1,
        "spec.yaml:2:1: lỗi cú pháp YAML: dòng này thụt lề bằng phím Tab; hãy thụt lề bằng dấu cách.",
        "spec.yaml:2:1: YAML syntax error: a tab is used for indentation here; indent with spaces."),
    "yaml-colon-in-value": Case(
        {"spec.yaml": edit("subject: tuyên truyền kết quả Hội nghị", "subject: Về việc: tuyên truyền")}, ["spec.yaml"], 1,
        'spec.yaml:11:17: lỗi cú pháp YAML: có dấu ": " ở chỗ không thể bắt đầu một khóa mới. Nếu chính giá trị có chứa ": " thì đặt cả giá trị trong dấu ngoặc kép; nếu không, hãy kiểm tra thụt lề của dòng này.',
        'spec.yaml:11:17: YAML syntax error: a ": " where no new key can start. If the value itself contains ": ", put the whole value in quotes; otherwise check the indentation of this line.'),
    "unknown-key": Case(
        {"spec.yaml": edit("number: 5\n", "number: 5\nnumbr: 5\n")}, ["spec.yaml"], 1,
        'spec.yaml:3:1: numbr: khóa "numbr" không hợp lệ. Có phải ý bạn là "number"?',
        'spec.yaml:3:1: numbr: unknown key "numbr". Did you mean "number"?'),
    "wrong-type": Case(
        {"spec.yaml": edit("number: 5\n", 'number: 5\ndraft: "có"\n')}, ["spec.yaml"], 1,
        "spec.yaml:3:1: draft: cần true (có) hoặc false (không), nhưng lại là một đoạn chữ.",
        "spec.yaml:3:1: draft: expected true or false, got a text."),
    "impossible-date": Case(
        {"spec.yaml": edit("date: 2023-06-05", "date: 2023-02-30")}, ["spec.yaml"], 1,
        "spec.yaml:10:1: date: 2023-02-30 không phải là ngày có thật; hãy kiểm tra ngày và tháng.",
        "spec.yaml:10:1: date: 2023-02-30 is not a real date; check the day and the month."),
    "missing-required-field": Case(
        {"spec.yaml": edit("  name: Nguyễn Văn A\n", "")}, ["spec.yaml"], 1,
        'spec.yaml:24:1: signature: thiếu khóa bắt buộc "name" (họ tên người ký).',
        "spec.yaml:24:1: signature: the key \"name\" is required (the signer's name)."),
    "every-problem-at-once": Case(
        {"spec.yaml": edit("number: 5\n", "number: 0\n", edit("date: 2023-06-05", "date: 5/6/2023", edit("  name: Nguyễn Văn A\n", "  nam: Nguyễn Văn A\n")))},
        ["spec.yaml"], 1,
        "spec.yaml:2:1: number: phải từ 1 trở lên, nhưng lại là 0.\n"
        "spec.yaml:10:1: date: cần một ngày viết dạng YYYY-MM-DD (ví dụ 2023-06-05), nhưng lại là '5/6/2023'.\n"
        'spec.yaml:24:1: signature: thiếu khóa bắt buộc "name" (họ tên người ký).\n'
        'spec.yaml:26:3: signature.nam: khóa "nam" không hợp lệ. Có phải ý bạn là "name"?',
        "spec.yaml:2:1: number: must be 1 or more, got 0.\n"
        "spec.yaml:10:1: date: expected a date written YYYY-MM-DD (e.g. 2023-06-05), got '5/6/2023'.\n"
        "spec.yaml:24:1: signature: the key \"name\" is required (the signer's name).\n"
        'spec.yaml:26:3: signature.nam: unknown key "nam". Did you mean "name"?'),
    "empty-file": Case(
        {"spec.yaml": ""}, ["spec.yaml"], 1,
        "spec.yaml:1:1: tệp trống; tệp spec gồm các khóa như type, issuer, date, body.",
        "spec.yaml:1:1: the file is empty; a spec is a mapping of keys such as type, issuer, date, body."),
    "only-comments": Case(
        {"spec.yaml": "# type: huong-dan\n"}, ["spec.yaml"], 1,
        "spec.yaml:1:1: tệp trống; tệp spec gồm các khóa như type, issuer, date, body.",
        "spec.yaml:1:1: the file is empty; a spec is a mapping of keys such as type, issuer, date, body."),
    "list-instead-of-mapping": Case(
        {"spec.yaml": "- type: huong-dan\n- number: 5\n"}, ["spec.yaml"], 1,
        "spec.yaml:1:1: cấp ngoài cùng phải là một nhóm khóa (type:, issuer:, date:, …), nhưng lại là một danh sách.",
        "spec.yaml:1:1: the top level must be a mapping of keys (type:, issuer:, date:, …), got a list."),
    "missing-spec-file": Case(
        {}, ["nope.yaml"], 1,
        "nope.yaml: không tìm thấy tệp.",
        "nope.yaml: file not found.", output="nope.docx"),
    "spec-is-a-folder": Case(
        {"specs": None}, ["specs"], 1,
        "specs: không tìm thấy tệp spec nào (tệp spec là tệp .yaml hoặc .yml).",
        "specs: no spec found (a spec is a .yaml or .yml file).", output="specs.docx"),
    "not-utf8": Case(
        {"spec.yaml": "place: TP. Lai Ch\xe2u\n".encode("latin-1")}, ["spec.yaml"], 1,
        "spec.yaml:1:18: tệp không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8 (Unicode).",
        "spec.yaml:1:18: the file is not UTF-8 text; save it as UTF-8 (Unicode)."),
    "output-folder-missing": Case(
        {"spec.yaml": SPEC}, ["spec.yaml", "-o", "out/spec.docx"], 1,
        "out/spec.docx: thư mục out không tồn tại; hãy tạo thư mục hoặc chọn đường dẫn kết quả khác.",
        "out/spec.docx: the folder out does not exist; create it or choose another output path.", output=None),
    "output-folder-is-a-file": Case(
        {"spec.yaml": SPEC}, ["spec.yaml", "-o", "spec.yaml/spec.docx"], 1,
        "spec.yaml/spec.docx: spec.yaml là tệp, không phải thư mục; hãy chọn đường dẫn kết quả khác.",
        "spec.yaml/spec.docx: spec.yaml is a file, not a folder; choose another output path.", output=None),
    "output-is-a-folder": Case(
        {"spec.yaml": SPEC, "spec.docx": None}, ["spec.yaml"], 1,
        "spec.docx: là thư mục; hãy ghi tên tệp có đuôi .docx.",
        "spec.docx: is a folder; give a file name ending in .docx.", output=None),
    "output-is-the-spec": Case(
        {"spec.docx": SPEC}, ["spec.docx"], 2,
        "tệp kết quả spec.docx chính là tệp spec; hãy chọn đường dẫn kết quả khác (-o).",
        "the output spec.docx is the spec itself; choose another output path (-o).", output=None),
    "jinja-syntax-error": Case(
        {"spec.yaml": edit("place: TP. Lai Châu", 'place: "TP. {{ place "')}, ["spec.yaml"], 1,
        # Worded by generator/resolve.py: the reason is Jinja's own, in English in both languages (see the report).
        "spec.yaml:9:1: place: lỗi cú pháp Jinja trong đoạn chữ này (dòng 1 của đoạn): unexpected end of template, expected 'end of print statement'.",
        "spec.yaml:9:1: place: Jinja syntax error in this text (its line 1): unexpected end of template, expected 'end of print statement'."),
    "sandbox-escape": Case(
        {"spec.yaml": edit("place: TP. Lai Châu", 'place: "{{ place.__class__.__mro__[1].__subclasses__() }}"')}, ["spec.yaml"], 1,
        "spec.yaml:9:1: place: không được phép trong tệp spec (vùng cách ly): access to attribute '__class__' of 'str' object is unsafe.",
        "spec.yaml:9:1: place: not allowed in a spec (sandbox): access to attribute '__class__' of 'str' object is unsafe."),
    "undefined-name": Case(
        {"spec.yaml": edit("place: TP. Lai Châu", 'place: "TP. {{ tinh }}"')}, ["spec.yaml"], 1,
        # resolve.py's "{{ … }}" goes through str.format and prints as "{ … }": see the report.
        "spec.yaml:9:1: place: tên không xác định trong {{ … }}: " + UPSTREAM + ". Các tên được dùng: archive, blank_date, can_cu, date, draft, drafting_unit, enacting, implements, issuer, kinh_gui, number, numbering, opening, place, profile, recipients, separator, signature, slogans, subject, type.",
        "spec.yaml:9:1: place: unknown name in {{ … }}: " + UPSTREAM + ". Names you can use: archive, blank_date, can_cu, date, draft, drafting_unit, enacting, implements, issuer, kinh_gui, number, numbering, opening, place, profile, recipients, separator, signature, slogans, subject, type."),
    "raw-control-character": Case(
        {"spec.yaml": edit("place: TP. Lai Châu", "place: TP. Lai\x0bChâu")}, ["spec.yaml"], 1,
        "spec.yaml:9:15: tệp spec không được chứa ký tự điều khiển ẩn U+000B; hãy xóa ký tự đó (thường lẫn vào khi sao chép chữ từ Word hoặc PDF).",
        "spec.yaml:9:15: the invisible control character U+000B cannot be in a spec; delete it (it often comes with text copied from Word or a PDF)."),
    "duplicate-key": Case(
        {"spec.yaml": edit("date: 2023-06-05\n", "date: 2023-06-05\ndate: 2023-06-06\n")}, ["spec.yaml"], 1,
        'spec.yaml:11:1: date: khóa "date" xuất hiện hai lần (lần đầu ở dòng 10); hãy giữ lại một.',
        'spec.yaml:11:1: date: the key "date" appears twice (first on line 10); keep one.'),
    "python-tag": Case(
        {"spec.yaml": edit("place: TP. Lai Châu", 'place: !!python/object/apply:os.system ["echo pwned"]')}, ["spec.yaml"], 1,
        "spec.yaml:9:8: giá trị YAML không được phép: tệp spec không được dùng thẻ !!python/object/apply:os.system; hãy xóa thẻ, hoặc đặt giá trị trong dấu ngoặc kép.",
        "spec.yaml:9:8: YAML value not allowed: the tag !!python/object/apply:os.system is not allowed in a spec; remove it, or put the value in quotes."),
    "nesting-too-deep": Case(
        {"spec.yaml": "body: " + "[" * 10_000 + "]" * 10_000 + "\n"}, ["spec.yaml"], 1,
        "spec.yaml:1:46: lồng nhau quá 40 cấp; không chấp nhận.",
        "spec.yaml:1:46: nesting deeper than 40 levels; refused."),
    "alias-bomb": Case(
        {"spec.yaml": alias_bomb()}, ["spec.yaml"], 1,
        "spec.yaml:6:1: f: tệp bung ra hơn 200000 giá trị (do tham chiếu *?); không chấp nhận.",
        "spec.yaml:6:1: f: the file expands to more than 200000 values (aliases?); refused."),
    "file-too-large": Case(
        {"spec.yaml": 'body: "' + "x" * (2 * 1024 * 1024) + '"\n'}, ["spec.yaml"], 1,
        "spec.yaml:1:2097153: tệp có 2097161 byte; tệp spec chỉ được tối đa 2097152 byte, và vượt quá ở đây.",
        "spec.yaml:1:2097153: the file is 2097161 bytes; a spec may be at most 2097152 bytes, and it passes that here."),
    "unknown-option": Case(
        {"spec.yaml": SPEC}, ["spec.yaml", "--ouput", "x.docx"], 2,
        "Cách dùng: gen-directive build [OPTIONS] SPECS...\nGõ 'gen-directive build --help' để xem hướng dẫn.\n\n"
        "Lỗi: Không có tùy chọn '--ouput'. (Có phải ý bạn là một trong: '--out-dir', '--output'?)",
        "Usage: gen-directive build [OPTIONS] SPECS...\nTry 'gen-directive build --help' for help.\n\n"
        "Error: No such option '--ouput'. (Did you mean one of: '--out-dir', '--output'?)"),
    "no-spec-given": Case(
        {}, ["build"], 2,
        "Cách dùng: gen-directive build [OPTIONS] SPECS...\nGõ 'gen-directive build --help' để xem hướng dẫn.\n\nLỗi: Thiếu tham số 'SPECS...'.",
        "Usage: gen-directive build [OPTIONS] SPECS...\nTry 'gen-directive build --help' for help.\n\nError: Missing argument 'SPECS...'.", output=None),
    "one-output-for-two-specs": Case(
        {"a.yaml": SPEC, "b.yaml": SPEC}, ["a.yaml", "b.yaml", "-o", "spec.docx"], 2,
        "-o chỉ đặt tên cho một tệp kết quả; khi có nhiều tệp spec, hãy dùng --out-dir.",
        "-o names one output file; with several specs use --out-dir."),
    "two-specs-one-name": Case(
        {"a/spec.yaml": SPEC, "b/spec.yaml": SPEC, "out": None}, ["a/spec.yaml", "b/spec.yaml", "--out-dir", "out"], 2,
        "a/spec.yaml và b/spec.yaml sẽ cùng ghi ra out/spec.docx; hãy tạo chúng vào các thư mục khác nhau.",
        "a/spec.yaml and b/spec.yaml would both be written to out/spec.docx; build them into different folders.", output="out/spec.docx"),
    "output-not-docx": Case(
        {"spec.yaml": SPEC}, ["spec.yaml", "-o", "spec.pdf"], 2,
        "tệp kết quả spec.pdf phải có đuôi .docx.",
        "the output spec.pdf must end in .docx.", output="spec.pdf"),
}


def _setup(folder: Path, case: Case) -> Path | None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.output is None:
        return None
    old = folder / case.output
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(OLD_OUTPUT)
    return old


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", list(CASES))
def test_failure_message(name: str, lang: str, tmp_path: Path) -> None:
    case = CASES[name]
    _setup(tmp_path, case)
    before = _snapshot(tmp_path)
    args = case.args if lang == "vi" else ["--lang", "en", *case.args]
    result = run_cli(*args, cwd=tmp_path, env=ENV)
    expected = (case.vi if lang == "vi" else case.en) + "\n"
    assert matches(expected, result.stderr), f"{result.stderr!r} is not {expected!r}"
    assert result.returncode == case.code
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    # Nothing written, nothing half-written: the previous output (if any) and every other file as it was.
    assert _snapshot(tmp_path) == before


def test_output_under_proc_is_refused_in_both_languages(tmp_path: Path) -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("needs Linux /proc (a folder where nothing can be created, even by root)")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    vi = run_cli("spec.yaml", "-o", "/proc/spec.docx", cwd=tmp_path, env=ENV)
    en = run_cli("spec.yaml", "-o", "/proc/spec.docx", cwd=tmp_path, env={**ENV, "LANG": "en_US.UTF-8"})
    assert (vi.returncode, en.returncode) == (1, 1)
    assert vi.stderr == "/proc/spec.docx: không ghi được vào thư mục /proc (không có tệp hoặc thư mục này).\n"
    assert en.stderr == "/proc/spec.docx: cannot write in /proc (no such file or folder).\n"


def test_english_from_lang_environment_and_lang_after_the_command(tmp_path: Path) -> None:
    case = CASES["unknown-key"]
    _setup(tmp_path, case)
    from_env = run_cli("spec.yaml", cwd=tmp_path, env={**ENV, "LANG": "en_US.UTF-8"})
    after = run_cli("spec.yaml", "--lang", "en", cwd=tmp_path, env=ENV)
    after_build = run_cli("build", "spec.yaml", "--lang=en", cwd=tmp_path, env=ENV)
    vi_wins = run_cli("--lang", "vi", "spec.yaml", cwd=tmp_path, env={**ENV, "LANG": "en_US.UTF-8"})
    for result in (from_env, after, after_build):
        assert (result.returncode, result.stderr) == (1, case.en + "\n")
    assert (vi_wins.returncode, vi_wins.stderr) == (1, case.vi + "\n")


def test_escaped_control_character_is_removed_with_a_warning(tmp_path: Path) -> None:
    """An escape such as "\\x01" passes YAML's reader; the character is taken out (a Word file cannot hold
    it) and the clerk is told where, and the document is built."""
    (tmp_path / "spec.yaml").write_text(edit("place: TP. Lai Châu", 'place: "TP. Lai\\x01 Châu"'), encoding="utf-8")
    vi = run_cli("spec.yaml", cwd=tmp_path, env=ENV)
    en = run_cli("--lang", "en", "spec.yaml", "-o", "en.docx", cwd=tmp_path, env=ENV)
    assert (vi.returncode, en.returncode) == (0, 0)
    assert vi.stderr == "cảnh báo: spec.yaml:9:1: place: đã bỏ các ký tự mà tệp Word không chứa được: U+0001.\n"
    assert en.stderr == "warning: spec.yaml:9:1: place: removed characters a Word file cannot hold: U+0001.\n"
    assert vi.stdout == "spec.docx\n"
    from docxtext import body_paragraphs

    assert "TP. Lai Châu, ngày 05 tháng 6 năm 2023" in body_paragraphs(tmp_path / "spec.docx")


def test_debug_shows_the_traceback_and_the_message(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text("", encoding="utf-8")
    plain = run_cli("spec.yaml", cwd=tmp_path, env=ENV)
    debug = run_cli("--debug", "spec.yaml", cwd=tmp_path, env=ENV)
    debug_after = run_cli("spec.yaml", "--debug", cwd=tmp_path, env=ENV)
    assert "Traceback" not in plain.stderr
    for result in (debug, debug_after):
        assert result.returncode == 1
        assert "Traceback (most recent call last)" in result.stderr
        assert result.stderr.rstrip().endswith(CASES["empty-file"].vi)


def test_a_bug_is_an_internal_error_without_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Anything that is not a GeneratorError is a bug: one line saying so, exit 1, traceback only with --debug."""
    from generator import build, cli
    from generator.i18n import set_language

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(build, "build_document", broken)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    try:
        for args, traceback_shown in (([str(spec)], False), (["--debug", str(spec)], True)):
            with pytest.raises(SystemExit) as exit_info:
                cli.main(["--lang", "en", *args])
            assert exit_info.value.code == 1
            err = capsys.readouterr().err
            assert err.endswith("internal error (ZeroDivisionError: division by zero); run again with --debug and report it.\n")
            assert ("Traceback" in err) is traceback_shown
    finally:
        set_language(None)


def test_batch_reports_every_failing_spec_and_builds_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    (tmp_path / "typo.yaml").write_text(CASES["unknown-key"].files["spec.yaml"], encoding="utf-8")  # type: ignore[arg-type]
    result = run_cli("--lang", "en", "empty.yaml", "good.yaml", "typo.yaml", "--out-dir", ".", cwd=tmp_path, env=ENV)
    assert result.returncode == 1
    assert result.stdout == "good.docx\n"
    summary = result.stderr.splitlines()[-1]
    assert result.stderr.splitlines()[:-1] == [
        "empty.yaml:1:1: the file is empty; a spec is a mapping of keys such as type, issuer, date, body.",
        'typo.yaml:3:1: numbr: unknown key "numbr". Did you mean "number"?',
    ]
    assert re.fullmatch(r"1 built, 2 failed, 0 skipped in \d+\.\d\d s \(\d+\.\d documents/s\)\.", summary), summary
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == ["good.docx"]


def test_exit_codes_are_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| 0 | done" in readme
    assert "| 1 | the spec or a file is wrong" in readme
    assert "| 2 | the command line is wrong" in readme
    assert "No traceback is printed unless `--debug` is given." in readme


if os.environ.get("GEN_DIRECTIVE_PRINT_MESSAGES"):  # pragma: no cover - a helper for re-pinning
    def test_print_messages(tmp_path: Path) -> None:
        for name, case in CASES.items():
            folder = tmp_path / name
            folder.mkdir()
            _setup(folder, case)
            for lang in ("vi", "en"):
                args = case.args if lang == "vi" else ["--lang", "en", *case.args]
                print(name, lang, repr(run_cli(*args, cwd=folder, env=ENV).stderr))
