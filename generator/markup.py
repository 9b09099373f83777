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
    plain = plain_body(text)
    if plain is not None:
        return plain
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
# an item of another list; so do the characters that start inline markup other than "*" and "[^" (escapes,
# "_", code) and the ones CommonMark rewrites (NUL, CR). Emphasis with "*" is read when it is plain: runs of
# one or two "*", each clearly opening or clearly closing (CommonMark's flanking rules, next to spaces,
# letters, digits or ASCII punctuation only), paired in turn with runs of the same length. Footnotes are
# read when each "[^label]" (letters, digits, "-") has one one-line text "[^label]: …" after a blank line,
# and each text is referred to.
_HEADING_LINE = re.compile(r"(#{1,4}) +(.*)\Z")
_NUMBERED_LINE = re.compile(r"([1-9][0-9]{0,8})([.)]) (?! )")
_DECLINED_START = re.compile(r"[>+=_#`~-]|\*(?:[ \t]|\**\Z)|[0-9]{1,9}[.)]|\[\^")
_DECLINED_TEXT = re.compile(r"[_\\`\x00\r]")
_STARS = re.compile(r"\*+")
_FOOTNOTE_LABEL = r"\[\^([0-9A-Za-z-]{1,20})\]"
_FOOTNOTE_TEXT = re.compile(_FOOTNOTE_LABEL + r": +(?=\S)(.*)\Z")
_FOOTNOTE_TEXT_LINE = re.compile(r"^" + _FOOTNOTE_LABEL + ":", re.MULTILINE)
_FOOTNOTE_REF = re.compile(_FOOTNOTE_LABEL + r"(?!:)")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _side(char: str) -> str | None:
    """How CommonMark's flanking rules see a character next to a "*" run: "space", "punct" or "other";
    None for a character this scanner leaves to markdown-it (Unicode punctuation, symbols, other spaces)."""
    if char in " \n":
        return "space"
    if char in _ASCII_PUNCTUATION:
        return "punct"
    if char.isalnum():
        return "other"
    return None


class _FootnoteNumbers:
    """The footnote texts a body defines (by label) and the numbers they get, in order of first reference."""

    def __init__(self, labels: set[str]) -> None:
        self.labels = labels
        self.numbers: dict[str, int] = {}

    def number(self, label: str) -> int | None:
        if label not in self.labels:
            return None
        return self.numbers.setdefault(label, len(self.numbers) + 1)


def _inline_runs(source: str, footnotes: _FootnoteNumbers | None = None) -> list[Run] | None:
    """The runs of one paragraph, heading or item (its lines joined by "\n"); None when its "*" are not
    plain emphasis or a "[^" is not a reference to a footnote text (``footnotes`` None: none may be here)."""
    if "*" not in source and "[^" not in source:
        return [Run(source.replace("\n", " "))]
    runs: list[Run] = []
    opener = ""  # the open emphasis's "*" run ("" when none is open)
    position = 0

    def add_text(end: int) -> bool:
        """The text from ``position`` to ``end`` as runs, each footnote reference in it as its mark."""
        piece = source[position:end]
        if "[^" in piece and (footnotes is None or "[^" in _FOOTNOTE_REF.sub("", piece)):
            return False
        bold, italic = len(opener) == 2, len(opener) == 1
        offset = 0
        for ref in _FOOTNOTE_REF.finditer(piece) if "[^" in piece else ():
            number = footnotes.number(ref.group(1)) if footnotes is not None else None
            if number is None:
                return False
            if ref.start() > offset:
                runs.append(Run(piece[offset:ref.start()].replace("\n", " "), bold, italic))
            runs.append(Run(footnote=number))
            offset = ref.end()
        if len(piece) > offset:
            runs.append(Run(piece[offset:].replace("\n", " "), bold, italic))
        return True

    for match in _STARS.finditer(source):
        start, end = match.span()
        before = _side(source[start - 1]) if start > 0 else "space"
        after = _side(source[end]) if end < len(source) else "space"
        if before is None or after is None or end - start > 2:
            return None
        left = after != "space" and (after != "punct" or before != "other")
        right = before != "space" and (before != "punct" or after != "other")
        if left == right or (left and opener) or (right and opener != match.group()):
            return None  # both or neither, nested, or closing what is not open: markdown-it decides
        if not add_text(start):
            return None
        opener = match.group() if left else ""
        position = end
    if opener or not add_text(len(source)):
        return None
    return _merge(runs)


def _list_item(line: str) -> tuple[str, str, str, str] | None:
    """(kind, mark, content, number) of a "- …", "1. …" or "1) …" line, else None."""
    if line.startswith("- "):
        return "bullet", "-", line[2:], ""
    numbered = _NUMBERED_LINE.match(line) if "0" <= line[0] <= "9" else None
    if numbered is None:
        return None
    return "ordered", numbered.group(2), line[numbered.end():], numbered.group(1)


def plain_body(text: str) -> ParsedBody | None:
    """The body, when it is written in the plain subset, exactly as markdown-it parses it; None when it
    uses anything else (the caller then parses it with markdown-it)."""
    if _DECLINED_TEXT.search(text):
        return None
    labels = _FOOTNOTE_TEXT_LINE.findall(text)
    if len(set(labels)) != len(labels):
        return None  # a label defined twice: markdown-it keeps the first, and says nothing
    footnotes = _FootnoteNumbers(set(labels))
    texts: dict[str, list[Run]] = {}  # label → its footnote text
    blocks: list[Block] = []
    open_kind = ""  # "paragraph", "bullet", "ordered" or "footnote": what the next text line continues
    mark = ""  # the open item's list mark ("-", "." or ")"), or the open footnote's label
    lines: list[str] = []  # the open block's lines so far
    start = 0  # and its first line

    def close() -> bool:
        """End the open block; False when its text is not plain."""
        if not open_kind:
            return True
        runs = _inline_runs("\n".join(lines), None if open_kind == "footnote" else footnotes)
        if runs is None:
            return False
        if open_kind == "footnote":
            texts[mark] = runs
        elif open_kind == "paragraph" and "".join(r.text for r in runs).lower() == SLOGANS_MARKER and not any(r.footnote for r in runs):
            blocks.append(Block("slogans", [], line=start))
        else:
            blocks.append(Block(open_kind, runs, level=0 if open_kind == "paragraph" else 1, line=start))
        return True

    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" "):  # blank (spaces only)
            if not close():
                return None
            open_kind = ""
            continue
        if line[0].isspace() or line[-1].isspace() or line[-1] in "#\\" or open_kind == "footnote":
            return None  # (a footnote text takes one line here)
        if line[0] == "#":
            heading = _HEADING_LINE.match(line)
            if heading is None or heading.group(2)[0].isspace():
                return None
            runs = _inline_runs(heading.group(2), footnotes)
            if runs is None or not close():
                return None
            open_kind = ""
            blocks.append(Block("heading", runs, level=len(heading.group(1)), line=number))
            continue
        if line.startswith("[^"):
            definition = _FOOTNOTE_TEXT.match(line)
            if definition is None or open_kind:
                return None
            open_kind, mark, lines, start = "footnote", definition.group(1), [definition.group(2)], number
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
            if content[0].isspace() or _DECLINED_START.match(content) or not close():
                return None
            open_kind, mark, lines, start = kind, item_mark, [content], number
            continue
        if open_kind:  # a text line goes on with the open paragraph (or, lazily, the open item)
            lines.append(line)
        else:
            open_kind, lines, start = "paragraph", [line], number
    if not close() or set(footnotes.numbers) != footnotes.labels:
        return None  # (a footnote text nothing refers to is markdown-it's to report)
    numbered = sorted(footnotes.numbers.items(), key=lambda item: item[1])
    return ParsedBody(blocks=blocks, footnotes={number: [texts[label]] for label, number in numbered})


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
