"""The plain-body scanner (generator.markup.plain_blocks) against markdown-it.

The scanner answers only for bodies of headings, paragraphs and flat dash or numbered lists of plain words,
and must then give exactly the blocks markdown-it gives; for anything else it must decline (None). The
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

from generator.markup import Block, parse_body, parse_markdown, plain_blocks
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
]
WORDS = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự .,:;-()/0123456789#*_[]^>\\", min_size=0, max_size=12)


def markdown_it_blocks(text: str) -> tuple[list[Block], list]:
    problems: list = []
    return parse_markdown(text, problems).blocks, problems


@settings(max_examples=int(os.environ.get("PLAIN_EXAMPLES", "1500")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(LINES), WORDS), max_size=10), st.booleans())
def test_the_scanner_gives_markdown_its_blocks_or_declines(lines: list[str], trailing_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    plain = plain_blocks(text)
    if plain is not None:
        assert (plain, []) == markdown_it_blocks(text), text


@pytest.mark.parametrize("text", [
    "# I. MỤC ĐÍCH\n\n- Một.\n- Hai.\n\n1. Các chi bộ:\n2. Ủy ban\nnối tiếp\n",
    "Đoạn một\nvẫn đoạn một\n3. không cắt được đoạn\n\n[khẩu hiệu]\n\n## Mục\n1) một\n2) hai\n",
    "Đoạn\n- gạch cắt đoạn\n- hai\n\n1. sau dòng trống\n",
])
def test_plain_bodies_are_read_by_the_scanner(text: str) -> None:
    plain = plain_blocks(text)
    assert plain is not None
    assert (plain, []) == markdown_it_blocks(text)


def test_what_the_scanner_reads() -> None:
    assert plain_blocks("# A\nĐoạn\nhai\n- x\ny\n\n1. z\n\n[Khẩu hiệu]") == [
        Block("heading", [Run("A")], level=1, line=1), Block("paragraph", [Run("Đoạn hai")], line=2),
        Block("bullet", [Run("x y")], level=1, line=4), Block("ordered", [Run("z")], level=1, line=7),
        Block("slogans", [], line=9)]


@pytest.mark.parametrize("text", [
    "a *b* c", "a **b**", "x[^1]\n\n[^1]: chú", "  thụt", "cuối  \nhai", "> trích", "1. a\n- b", "- a\n1. b",
    "1. a\n2) b", "##### năm", "- - x", "a\\b", "\tthụt", "\u00a0đầu", "a\rb",
])
def test_the_scanner_declines_the_rest(text: str) -> None:
    assert plain_blocks(text) is None
    assert parse_body(text, []).blocks == markdown_it_blocks(text)[0]


def test_a_plain_spec_is_built_without_markdown_it(tmp_path: Path) -> None:
    """The point of the scanner: a plain body costs neither markdown-it's parse nor its import."""
    spec = ROOT / "examples" / "kinds" / "state-cong-van-ubnd.yaml"
    probe = ("import sys; from generator.build import build_document; build_document(sys.argv[1], sys.argv[2]); "
             "print(sorted(m for m in sys.modules if m.startswith(('markdown_it', 'mdit_py_plugins'))))")
    result = subprocess.run([sys.executable, "-c", probe, str(spec), str(tmp_path / "out.docx")],
                            capture_output=True, text=True, check=True, cwd=tmp_path)
    assert result.stdout.strip() == "[]"
