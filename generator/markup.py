"""The body's light markup, parsed with markdown-it-py (CommonMark) and its footnote plugin.

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

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .errors import Problem
from .i18n import _
from .model import Run

MAX_HEADING_LEVEL = 4
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
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).use(footnote_plugin)
    md.disable(["html_block", "html_inline", "code", "fence", "link", "image", "autolink", "hr", "lheading",
                "reference", "entity", "backticks", "table"], ignoreInvalid=True)
    return md


def parse_body(text: str, problems: list[Problem], path: tuple[str | int, ...] = ("body",)) -> ParsedBody:
    env: dict = {}
    tokens = _parser().parse(text, env)
    body = ParsedBody(blocks=[])
    _Walker(tokens, body, problems, path, env).walk()
    _check_footnotes(text, env, problems, path)
    return body


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
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
            elif kind == "list_item_open":
                item_paragraphs.append(0)
            elif kind == "list_item_close":
                item_paragraphs.pop()
            elif kind == "blockquote_open":
                quote_depth += 1
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
    # markdown-it leaves a reference without a definition as plain "[^label]" text: find those
    for match in re.finditer(r"(?<!\\)\[\^([^\]\s]+)\](?!:)", text):  # "\\[^1]" is an escaped, literal mark
        if match.group(1) not in defined:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(Problem(path, _("footnote [^{label}] has no text; add a line \"[^{label}]: …\".").format(label=match.group(1)), line=line))
