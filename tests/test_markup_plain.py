"""The plain-body scanner (generator.markup.plain_body) against markdown-it.

The scanner answers only for bodies of headings, paragraphs and flat dash or numbered lists of plain words
(with plain "*" emphasis and one-line footnotes), and must then give exactly the blocks and footnotes
markdown-it gives; for anything else it must decline (None). The
property test draws bodies from lines chosen to sit on both sides of every boundary of that subset; the
fixed cases pin what is read fast, and that a plain spec is built without importing markdown-it at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.markup import Block, ParsedBody, parse_body, parse_markdown, plain_body
from generator.model import Run

ROOT = Path(__file__).resolve().parents[1]

# Lines on both sides of the subset's edges: what the scanner reads, and what it must leave to markdown-it.
LINES = [
    "# I. MỤC ĐÍCH, YÊU CẦU", "## Mục", "### Ba", "#### Bốn", "##### Năm", "#", "#x", "#  hai cách", "# a #", "# ",
    "- mục", "-  hai cách", "-x", "- - x", "- # x", "- 1. y", "- [khẩu hiệu]", "-", "- ",
    "1. Các chi bộ:", "2. Ủy ban", "3) ba", "1) một", "01. không", "1.  hai cách", "10. mười", "1.x", "2.", "1. - x",
    "1. # y", "2023 là năm", "10.000 người", "123456789. chín", "1234567890. mười",
    "[khẩu hiệu]", "[KHẨU HIỆU]", " [khẩu hiệu]", "văn bản", "Lưu ý: các cấp; các ngành.", "Tiếp. Câu",
    "> trích", "* sao", "+ cộng", "---", "***", "===", "___", "  thụt", "\tthụt", "    mã", "cuối  ", "cuối ", "cuối\\",
    "a *b* c", "a **b** c", "a _b_ c", "x [^1] y", "[^1]: chú", "`mã`", "~~gạch~~", "~~~", "```",
    "<b>html</b>", "&amp; &nbsp;", "[liên kết](url)", "![ảnh](a.png)", "<http://x.vn>", "| bảng | x |", "a [b] c",
    "", "", "", "  ", "\t", "\u00a0", "\u00a0đầu", "cuối\u00a0", "\u3000", "- \u00a0a", "# \u00a0a", "Số 5 #",
    "a\rb", "a\x00b", "a\\b",
    "**Lưu ý:** các cấp", "Đoạn **đậm** và *nghiêng*.", "**trước ngày 07/3/2025.**", "(*viết tắt*)", "a**b**c",
    "**a", "b**", "*a*", "***a***", "** a **", "**a **", "* a*", "*(a)*", "**(Đảng)**,", "x*y", "**Ghi chú (*)**",
    "- **Mục** đậm", "1. *nghiêng* số", "# **Đề mục**", "** a**", "«**a**»", "**a**—b", "*a**", "**a*",
    "*", "**", "* *", "*\ta*", "(*)", "ghi chú (*)",
    "x[^1]", "[^1]: chú", "[^2]: hai *b*", "[^a-b]: c", "y[^2] z", "**y[^1]**", "[^1]:chú", "[^1]:  chú", "[^x y]: z",
    "[^1] đầu dòng", "x [^1]: y", "x[^3]", "x[^]", "[^ 1]",
]
WORDS = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự .,:;-()/0123456789#*_[]^>\\", min_size=0, max_size=12)


def markdown_it_body(text: str) -> tuple[ParsedBody, list]:
    problems: list = []
    return parse_markdown(text, problems), problems


@settings(max_examples=int(os.environ.get("PLAIN_EXAMPLES", "1500")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(LINES), WORDS), max_size=10), st.booleans())
def test_the_scanner_gives_markdown_its_blocks_or_declines(lines: list[str], trailing_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    plain = plain_body(text)
    if plain is not None:
        assert (plain, []) == markdown_it_body(text), text


@pytest.mark.parametrize("text", [
    "# I. MỤC ĐÍCH\n\n- Một.\n- Hai.\n\n1. Các chi bộ:\n2. Ủy ban\nnối tiếp\n",
    "Đoạn một\nvẫn đoạn một\n3. không cắt được đoạn\n\n[khẩu hiệu]\n\n## Mục\n1) một\n2) hai\n",
    "Đoạn\n- gạch cắt đoạn\n- hai\n\n1. sau dòng trống\n",
])
def test_plain_bodies_are_read_by_the_scanner(text: str) -> None:
    plain = plain_body(text)
    assert plain is not None
    assert (plain, []) == markdown_it_body(text)


def test_what_the_scanner_reads() -> None:
    assert plain_body("# A\nĐoạn\nhai\n- x\ny\n\n1. z\n\n[Khẩu hiệu]") == ParsedBody([
        Block("heading", [Run("A")], level=1, line=1), Block("paragraph", [Run("Đoạn hai")], line=2),
        Block("bullet", [Run("x y")], level=1, line=4), Block("ordered", [Run("z")], level=1, line=7),
        Block("slogans", [], line=9)])
    assert plain_body("**Lưu ý:** gửi *trước ngày\n07/3/2025*.") == ParsedBody([
        Block("paragraph", [Run("Lưu ý:", bold=True), Run(" gửi "), Run("trước ngày 07/3/2025", italic=True), Run(".")], line=1)])
    assert plain_body("Một[^b] hai[^a] **ba[^b]**\n\n[^a]: Chú *a*.\n\n[^b]: Chú b") == ParsedBody(
        [Block("paragraph", [Run("Một"), Run(footnote=1), Run(" hai"), Run(footnote=2), Run(" "), Run("ba", bold=True), Run(footnote=1)], line=1)],
        {1: [[Run("Chú b")]], 2: [[Run("Chú "), Run("a", italic=True), Run(".")]]})


@pytest.mark.parametrize("text", [
    "a**b**c", "***a***", "**a *b* c**", "*a**", "«**a**»", "x[^1]", "[^1]: chú", "x[^1]\n[^1]: chú", "x[^1]\n\n[^1]: chú\nhai",
    "x[^1]\n\n[^1]: chú\n[^1]: lại", "x[^1]\n\n[^1]: chú [^1]", "x[^a b]", "x[^1\n\n[^1]: chú", "  thụt", "cuối  \nhai", "> trích", "1. a\n- b", "- a\n1. b",
    "1. a\n2) b", "##### năm", "- - x", "a\\b", "\tthụt", "\u00a0đầu", "a\rb",
])
def test_the_scanner_declines_the_rest(text: str) -> None:
    assert plain_body(text) is None
    assert parse_body(text, []) == markdown_it_body(text)[0]


def test_a_plain_spec_is_built_without_markdown_it(tmp_path: Path) -> None:
    """The point of the scanner: a plain body costs neither markdown-it's parse nor its import."""
    spec = ROOT / "examples" / "kinds" / "state-cong-van-ubnd.yaml"
    probe = ("import sys; from generator.build import build_document; build_document(sys.argv[1], sys.argv[2]); "
             "print(sorted(m for m in sys.modules if m.startswith(('markdown_it', 'mdit_py_plugins'))))")
    result = subprocess.run([sys.executable, "-c", probe, str(spec), str(tmp_path / "out.docx")],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("spec", sorted((ROOT / "examples").rglob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_body_is_read_by_the_scanner_as_markdown_it_reads_it(spec: Path) -> None:
    from generator.build import validate_loaded
    from generator.loader import load_yaml
    from generator.resolve import resolve

    loaded = load_yaml(spec)
    validated, problems = validate_loaded(loaded)
    body = resolve(validated, loaded, problems).spec.body
    assert plain_body(body) is not None
    assert (plain_body(body), []) == markdown_it_body(body)
