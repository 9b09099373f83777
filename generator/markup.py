"""The body's light markup, parsed with markdown-it-py (CommonMark) and its footnote plugin.

Most bodies are headings, paragraphs and dash lists of plain words: for those a line scanner here gives the
very blocks markdown-it gives (a differential test holds the two together) in a fraction of its time and
without importing it. Anything outside that plain subset (emphasis, escapes, footnotes, quotes, ordered or
nested lists, indented or trailing-space lines…) goes to markdown-it: the scanner only ever answers where
it is sure, and declines otherwise.

A problem found here carries its line in the body text (``Problem.line``); resolve turns it into the line in
the spec file.

Only the constructs a directive needs are enabled: headings (the numbered levels), paragraphs, bullet and
ordered lists, block quotes, emphasis, backslash escapes and footnotes. Everything else (HTML, links,
code, tables, entities, setext headings, rules) is switched off so that what a clerk types stays text:
"<dự thảo>", "A & B", "[1]" and "-----" come out exactly as written.

The result is a flat list of :class:`Block` in reading order with each block's nesting facts; numbering
and styles are decided later, in compose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from typing import TYPE_CHECKING

from .errors import Problem
from .i18n import _
from .model import Run

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MAX_HEADING_LEVEL = 4
# Nesting a body may use (README "Safety"). Word numbers 9 list levels; a quote in a quote in a quote is
# already rare. markdown-it stops building blocks past its ``maxNesting`` and silently drops what is deeper,
# so that is set far above these limits: anything it would drop lies past a limit and is refused, with
# its line, before anything is lost.
MAX_LIST_DEPTH = 9
MAX_QUOTE_DEPTH = 10
_PARSER_NESTING = 50
MAX_FOOTNOTE_LABEL = 100
MAX_REPORTED = 10
# A paragraph of just this marker places the spec's slogans there (a dash or numbered list), not in a last
# section of their own.
SLOGANS_MARKER = "[khẩu hiệu]"
RUN_IN_ENDINGS = (".", ":", ";", "!", "?", "…")


@dataclass
class Block:
    kind: str  # "heading", "ordered", "bullet", "paragraph", "quote", "slogans" (the marker's place)
    runs: list[Run]
    level: int = 0  # heading level, or list nesting depth
    line: int = 0  # 1-based line in the body text
    continuation: bool = False  # a further paragraph inside a list item


@dataclass
class ParsedBody:
    blocks: list[Block]
    footnotes: dict[int, list[list[Run]]] = field(default_factory=dict)  # footnote number -> paragraphs


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": _PARSER_NESTING}).use(footnote_plugin)
    # "footnote_inline" (^[text]) is not part of the spec language, and its label scan is quadratic on
    # "[^[^[^…": off, so "^[" stays text.
    md.disable(["html_block", "html_inline", "code", "fence", "link", "image", "autolink", "hr", "lheading",
                "reference", "entity", "backticks", "table", "footnote_inline"], ignoreInvalid=True)
    original = md.inline.ruler.__rules__[md.inline.ruler.__find__("footnote_ref")].fn
    md.inline.ruler.at("footnote_ref", _linear_footnote_ref(original))
    return md


_LABEL_STOP = re.compile(r"[ \n\]]")


def _linear_footnote_ref(original):  # type: ignore[no-untyped-def]
    """The plugin's footnote-reference rule, called only where a short label closes: its own scan for
    the closing "]" runs from every "[^", which made 50,000 "[^" on one line take half a minute."""
    cache: dict[str, object] = {"src": None, "from": -1, "stop": -1}

    def rule(state, silent):  # type: ignore[no-untyped-def]
        src, start = state.src, state.pos
        if not src.startswith("[^", start):
            return False
        begin = start + 2
        if cache["src"] is src and cache["from"] <= begin <= cache["stop"]:  # type: ignore[operator]
            stop = cache["stop"]
        else:
            found = _LABEL_STOP.search(src, begin)
            stop = found.start() if found else len(src)
            cache.update({"src": src, "from": begin, "stop": stop})
        if stop >= state.posMax or src[stop] != "]" or stop - begin > MAX_FOOTNOTE_LABEL:  # type: ignore[operator, index]
            return False
        return original(state, silent)

    return rule


def parse_body(text: str, problems: list[Problem], path: tuple[str | int, ...] = ("body",)) -> ParsedBody:
    plain = plain_blocks(text)
    if plain is not None:
        return ParsedBody(blocks=plain)
    return parse_markdown(text, problems, path)


def parse_markdown(text: str, problems: list[Problem], path: tuple[str | int, ...] = ("body",)) -> ParsedBody:
    """The body parsed by markdown-it: every construct of the spec language."""
    env: dict = {}
    tokens = _parser().parse(text, env)
    body = ParsedBody(blocks=[])
    _Walker(tokens, body, problems, path, env).walk()
    _check_footnotes(text, env, problems, path)
    return body


# -- the plain subset ------------------------------------------------------------------------------------
# The lines the scanner reads: a heading "# …" to "#### …" (spaces after the marks), a dash item "- …", a
# numbered item "1. …" or "1) …" (one space after the mark), a blank line (spaces only) and a text line.
# A line that starts or ends with any whitespace (indentation, a hard break, a no-break space markdown-it
# would strip), that could start anything else (a quote, another list marker, a "[^" footnote, a rule, a
# fence) or that ends in "#" or a backslash makes the scanner decline, as does a list mark directly under
# an item of another list; so do the characters that start inline markup (emphasis, escapes, code,
# footnote marks) and the ones CommonMark rewrites (NUL, CR).
_HEADING_LINE = re.compile(r"(#{1,4}) +(.*)\Z")
_NUMBERED_LINE = re.compile(r"([1-9][0-9]{0,8})([.)]) (?! )")
_DECLINED_START = re.compile(r"[>*+=_#`~-]|[0-9]{1,9}[.)]|\[\^")
_DECLINED_TEXT = re.compile(r"[*_\\`\x00\r]|\[\^")


def _list_item(line: str) -> tuple[str, str, str, str] | None:
    """(kind, mark, content, number) of a "- …", "1. …" or "1) …" line, else None."""
    if line.startswith("- "):
        return "bullet", "-", line[2:], ""
    numbered = _NUMBERED_LINE.match(line) if "0" <= line[0] <= "9" else None
    if numbered is None:
        return None
    return "ordered", numbered.group(2), line[numbered.end():], numbered.group(1)


def plain_blocks(text: str) -> list[Block] | None:
    """The blocks of a body written in the plain subset, exactly as markdown-it gives them; None when the
    body uses anything else (the caller then parses it with markdown-it)."""
    if _DECLINED_TEXT.search(text):
        return None
    blocks: list[Block] = []
    open_kind = ""  # "paragraph", "bullet" or "ordered": the block a text line continues ("" after a blank)
    mark = ""  # the open item's list mark ("-", "." or ")")
    lines: list[str] = []  # the open block's lines so far
    start = 0  # and its first line

    def close() -> None:
        if not open_kind:
            return
        joined = " ".join(lines)  # a line break inside a paragraph is a soft break: a space (as markdown-it)
        if open_kind == "paragraph" and joined.lower() == SLOGANS_MARKER:
            blocks.append(Block("slogans", [], line=start))
        else:
            blocks.append(Block(open_kind, [Run(joined)], level=0 if open_kind == "paragraph" else 1, line=start))

    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" "):  # blank (spaces only)
            close()
            open_kind = ""
            continue
        if line[0].isspace() or line[-1].isspace() or line[-1] in "#\\":
            return None
        if line[0] == "#":
            heading = _HEADING_LINE.match(line)
            if heading is None or heading.group(2)[0].isspace():
                return None
            close()
            open_kind = ""
            blocks.append(Block("heading", [Run(heading.group(2))], level=len(heading.group(1)), line=number))
            continue
        item = _list_item(line)
        if item is not None and item[0] == "ordered" and open_kind == "paragraph" and item[3] != "1":
            item = None  # only an item numbered 1 may interrupt a paragraph: this line goes on with it
        elif _DECLINED_START.match(line) and item is None:
            return None
        if item is not None:
            kind, item_mark, content, _number = item
            if open_kind in ("bullet", "ordered") and (open_kind != kind or mark != item_mark):
                return None  # a list mark right under an item of another list: markdown-it's own rules
            if content[0].isspace() or _DECLINED_START.match(content):
                return None
            close()
            open_kind, mark, lines, start = kind, item_mark, [content], number
            continue
        if open_kind:  # a text line goes on with the open paragraph (or, lazily, the open item)
            lines.append(line)
        else:
            open_kind, lines, start = "paragraph", [line], number
    close()
    return blocks


class _Walker:
    def __init__(self, tokens: list[Token], body: ParsedBody, problems: list[Problem], path: tuple[str | int, ...], env: dict) -> None:
        self.tokens = tokens
        self.body = body
        self.problems = problems
        self.path = path
        self.footnote_numbers: dict[int, int] = {}  # markdown-it footnote id -> our number (order of first reference)

    def walk(self) -> None:
        list_stack: list[str] = []  # "bullet" / "ordered"
        item_paragraphs: list[int] = []  # paragraphs seen in each open list item
        quote_depth = 0
        in_footnote: int | None = None
        footnote_paras: list[list[Run]] = []
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                level = int(tok.tag[1])
                line = tok.map[0] + 1 if tok.map else 0
                if level > MAX_HEADING_LEVEL:
                    self.problems.append(Problem(self.path, _("at most {limit} heading levels (#, ##, ###, ####) are allowed.").format(limit=MAX_HEADING_LEVEL), line=line))
                self.body.blocks.append(Block("heading", self.inline(tokens[i + 1]), level=min(level, MAX_HEADING_LEVEL), line=line))
                i += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                list_stack.append("bullet" if kind == "bullet_list_open" else "ordered")
                if len(list_stack) > MAX_LIST_DEPTH:
                    self.refuse(tok, _("lists nested more than {limit} levels deep; refused (Word numbers at most {limit} levels). Indent less."), MAX_LIST_DEPTH)
                    return
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
            elif kind == "list_item_open":
                item_paragraphs.append(0)
            elif kind == "list_item_close":
                item_paragraphs.pop()
            elif kind == "blockquote_open":
                quote_depth += 1
                if quote_depth > MAX_QUOTE_DEPTH:
                    self.refuse(tok, _("quotes (\">\") nested more than {limit} deep; refused."), MAX_QUOTE_DEPTH)
                    return
            elif kind == "blockquote_close":
                quote_depth -= 1
            elif kind == "footnote_open":
                in_footnote = tok.meta["id"]
                footnote_paras = []
            elif kind == "footnote_close":
                number = self.footnote_numbers.get(in_footnote) if in_footnote is not None else None
                if number is not None:
                    self.body.footnotes[number] = footnote_paras
                in_footnote = None
            elif kind == "inline":
                runs = self.inline(tok)
                line = tok.map[0] + 1 if tok.map else 0
                if in_footnote is not None:
                    footnote_paras.append(runs)
                elif quote_depth:
                    self.body.blocks.append(Block("quote", [Run(r.text, r.bold, True, r.underline, r.footnote, r.line_break) for r in runs], line=line))
                elif list_stack:
                    first = item_paragraphs[-1] == 0
                    item_paragraphs[-1] += 1
                    depth = sum(1 for k in list_stack if k == list_stack[-1])
                    self.body.blocks.append(Block(list_stack[-1], runs, level=depth, line=line, continuation=not first))
                elif "".join(r.text for r in runs).strip().lower() == SLOGANS_MARKER and not any(r.footnote for r in runs):
                    self.body.blocks.append(Block("slogans", [], line=line))
                else:
                    self.body.blocks.append(Block("paragraph", runs, line=line))
            i += 1

    def refuse(self, token: Token, message: str, limit: int) -> None:
        """A nesting limit passed: a located problem, and no blocks (nothing half kept)."""
        line = token.map[0] + 1 if token.map else 0
        self.problems.append(Problem(self.path, message.format(limit=limit), line=line))
        self.body.blocks.clear()

    def inline(self, token: Token) -> list[Run]:
        runs: list[Run] = []
        bold = italic = 0
        for child in token.children or []:
            t = child.type
            if t == "text":
                if child.content:
                    runs.append(Run(child.content, bold > 0, italic > 0))
            elif t == "softbreak":
                runs.append(Run(" ", bold > 0, italic > 0))  # a line break inside a paragraph joins its lines (Markdown)
            elif t == "hardbreak":
                runs.append(Run(line_break=True))
            elif t == "strong_open":
                bold += 1
            elif t == "strong_close":
                bold -= 1
            elif t == "em_open":
                italic += 1
            elif t == "em_close":
                italic -= 1
            elif t == "footnote_ref":
                fid = child.meta["id"]
                number = self.footnote_numbers.setdefault(fid, len(self.footnote_numbers) + 1)
                runs.append(Run(footnote=number))
            else:  # anything else a plugin might produce: keep its source text
                if child.content:
                    runs.append(Run(child.content, bold > 0, italic > 0))
        return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same format (fewer, cleaner w:r in the document)."""
    out: list[Run] = []
    for run in runs:
        prev = out[-1] if out else None
        if (prev and run.footnote is None and prev.footnote is None and not run.line_break and not prev.line_break
                and (prev.bold, prev.italic, prev.underline) == (run.bold, run.italic, run.underline)):
            out[-1] = Run(prev.text + run.text, run.bold, run.italic, run.underline)
        else:
            out.append(run)
    return out


def _check_footnotes(text: str, env: dict, problems: list[Problem], path: tuple[str | int, ...]) -> None:
    """Every footnote reference has its text and every footnote text is referenced."""
    refs = env.get("footnotes", {}).get("refs", {})
    used_labels = {entry.get("label") for entry in env.get("footnotes", {}).get("list", {}).values()}
    for label_key, value in refs.items():
        label = label_key[1:] if label_key.startswith(":") else label_key
        if label not in used_labels:
            problems.append(Problem(path, _("footnote [^{label}] has a text but nothing refers to it; put [^{label}] where the mark belongs, or delete the footnote.").format(label=label)))
    defined = {(k[1:] if k.startswith(":") else k) for k in refs}
    # markdown-it leaves a reference without a definition as plain "[^label]" text: find those. The label is
    # taken atomically ("(?=(…))\\1"): no backtracking, so "[^[^[^…" costs one pass, not a quadratic one.
    line, counted, missing = 1, 0, 0
    for match in _UNDEFINED_REF.finditer(text):  # "\\[^1]" is an escaped, literal mark
        if match.group(1) not in defined:
            missing += 1
            if missing > MAX_REPORTED:
                continue
            line += text.count("\n", counted, match.start())
            counted = match.start()
            problems.append(Problem(path, _("footnote [^{label}] has no text; add a line \"[^{label}]: …\".").format(label=match.group(1)), line=line))
    if missing > MAX_REPORTED:
        problems.append(Problem(path, _("… and {count} more footnote marks without a text.").format(count=missing - MAX_REPORTED)))


_UNDEFINED_REF = re.compile(r"(?<!\\)\[\^(?=([^\]\s\[]+))\1\](?!:)")
