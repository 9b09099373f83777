"""Body templates: the usual bodies (a propaganda HƯỚNG DẪN, a KẾ HOẠCH quán triệt…) as Jinja templates whose
sections are blocks, and a library of the paragraphs that recur from one directive to the next.

A spec names a template (``body_template: huong-dan-tuyen-truyen``) and changes its blocks::

    blocks:
      muc_dich: |              # a text replaces the block
        - Tuyên truyền sâu rộng …
      hinh_thuc:
        append: |              # or: prepend, text, drop: true
          - Tổ chức hội thảo …

Templates live in ``templates/bodies/*.md.j2``; the snippet macros in ``templates/bodies/_snippets.j2`` are
there as ``snippets`` (``{{ snippets.chi_bo_co_so() }}``) both in the templates and in the spec's own block
texts and body. Everything is rendered by one :class:`~jinja2.sandbox.SandboxedEnvironment` whose loader
only reads ``templates/bodies`` (no path can leave it), with ``StrictUndefined``. The result is the same
light markup a ``body:`` holds; :mod:`generator.markup` parses it.

A mistake names its place: ``body_template: template huong-dan-tuyen-truyen.md.j2, line 12: …`` for the
shipped template, ``blocks.muc_dich: … (its line 3)`` for the spec's own text.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .errors import Problem
from .i18n import _
from .jinja_env import CompileOnceSandbox, bounded_render, render_spec_text
from .paths import TEMPLATES_DIR

BODIES_DIR = TEMPLATES_DIR / "bodies"
SUFFIX = ".md.j2"
SNIPPETS = "_snippets.j2"


class MissingBlock(Exception):
    """A template block that only the spec can fill was left empty."""

    def __init__(self, name: str, what: str) -> None:
        super().__init__(name)
        self.name = name
        self.what = what


def _required(name: str, what: str = "") -> str:
    raise MissingBlock(name, what)


@lru_cache(maxsize=None)
def environment() -> SandboxedEnvironment:
    from .jinja_cache import bytecode_cache

    env = CompileOnceSandbox(loader=FileSystemLoader(str(BODIES_DIR)), bytecode_cache=bytecode_cache(), undefined=StrictUndefined, autoescape=False,
                               keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["required"] = _required
    return env


def template_ids() -> list[str]:
    """The body templates a spec may name (``templates/bodies/*.md.j2``; ``_*`` files are parts)."""
    if not BODIES_DIR.is_dir():
        return []
    return sorted(p.name[: -len(SUFFIX)] for p in BODIES_DIR.glob("*" + SUFFIX) if not p.name.startswith("_"))


@lru_cache(maxsize=None)
def template_blocks(template_name: str) -> tuple[str, ...]:
    """Every block name a template offers, its parents' included (in order of first appearance); read once
    for the shipped templates as they are (:mod:`generator.disk_cache`)."""
    from .disk_cache import cached

    sources = b"".join(p.name.encode() + b"\0" + p.read_bytes() + b"\0" for p in sorted(BODIES_DIR.glob("*.j2")))
    return cached("blocks:" + template_name, sources, lambda: _parse_blocks(template_name))


def _parse_blocks(template_name: str) -> tuple[str, ...]:
    env = environment()
    seen: list[str] = []
    name: str | None = template_name
    visited: set[str] = set()
    while name and name not in visited:
        visited.add(name)
        source, _filename, _uptodate = env.loader.get_source(env, name)  # type: ignore[union-attr]
        tree = env.parse(source, name)
        for block in tree.find_all(nodes.Block):
            if block.name not in seen:
                seen.append(block.name)
        parent = next(iter(tree.find_all(nodes.Extends)), None)
        name = parent.template.value if parent is not None and isinstance(parent.template, nodes.Const) else None
    return tuple(seen)


def _where(exc: BaseException) -> tuple[str, int | None]:
    """The template file and line where a Jinja error happened (innermost template frame)."""
    if isinstance(exc, TemplateSyntaxError):
        return (exc.name or exc.filename or "<template>"), exc.lineno
    found: tuple[str, int | None] = ("<template>", getattr(exc, "lineno", None))
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (Path(filename).name if filename.endswith(".j2") else filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _reason(exc: BaseException) -> str:
    return (getattr(exc, "message", None) or str(exc)).rstrip(".")


def _problem(exc: BaseException, path: tuple[str | int, ...], in_spec_text: bool) -> Problem:
    """A located problem for a Jinja error: in the spec's own text, or in a shipped template."""
    where, line = _where(exc)
    unsafe = isinstance(exc, SecurityError)
    if isinstance(exc, MissingBlock):
        return Problem(("blocks",), _("the body template needs your text for block \"{name}\"{what}: add it under blocks:.").format(
            name=exc.name, what=f" ({exc.what})" if exc.what else ""))
    if in_spec_text and where == "<template>":
        message = _("in this text (its line {line}): {reason}.").format(line=line if line is not None else "?", reason=_reason(exc))
    else:
        message = _("template {template}, line {line}: {reason}.").format(template=where, line=line if line is not None else "?", reason=_reason(exc))
    if unsafe:
        message = _("not allowed in a spec (sandbox): {reason}").format(reason=message)
    return Problem(path, message, severity="unsafe" if unsafe else "error")


_RENDER_ERRORS = (TemplateError, MissingBlock, TypeError, ValueError, ArithmeticError, AttributeError, LookupError, OverflowError)


def context(base: dict[str, Any]) -> dict[str, Any]:
    """The values templates and block texts see: the spec's own, plus ``snippets``."""
    ctx = dict(base)
    try:
        ctx["snippets"] = environment().get_template(SNIPPETS).make_module(vars=dict(base))
    except TemplateNotFound:  # pragma: no cover - a broken installation
        ctx["snippets"] = {}
    return ctx


def render_text(text: str, ctx: dict[str, Any], path: tuple[str | int, ...], problems: list[Problem]) -> str:
    """A text of the spec (the body, a block) rendered with the snippets at hand."""
    try:
        return render_spec_text(environment(), text, ctx)
    except _RENDER_ERRORS as exc:
        problems.append(_problem(exc, path, in_spec_text=True))
        return text


def render_template(template_id: str, changes: dict[str, Any], ctx: dict[str, Any], problems: list[Problem]) -> str:
    """The body from ``template_id`` with the spec's block ``changes`` (name → BlockChange)."""
    env = environment()
    template_name = template_id + SUFFIX
    try:
        available = template_blocks(template_name)
    except TemplateNotFound:
        problems.append(Problem(("body_template",), _("no body template \"{name}\"; templates: {names}.").format(name=template_id, names=", ".join(template_ids()))))
        return ""
    except TemplateSyntaxError as exc:
        problems.append(_problem(exc, ("body_template",), in_spec_text=False))
        return ""
    before = len(problems)
    texts: dict[str, str] = {}
    lines = ["{% extends " + _quote(template_name) + " %}"]
    for name, change in changes.items():
        if name not in available:
            close = difflib.get_close_matches(name, list(available), n=1, cutoff=0.6)
            hint = _(" Did you mean \"{suggestion}\"?").format(suggestion=close[0]) if close else ""
            problems.append(Problem(("blocks", name), _("the template {template} has no block \"{name}\".").format(template=template_id, name=name)
                                    + hint + _(" Its blocks: {names}.").format(names=", ".join(available))))
            continue
        single = change.text is not None and change.prepend is None and change.append is None and not change.drop
        parts: dict[str, str] = {}
        for key in ("text", "prepend", "append"):
            value = getattr(change, key)
            if value is not None:
                path: tuple[str | int, ...] = ("blocks", name) if single else ("blocks", name, key)
                parts[key] = render_text(value, ctx, path, problems).strip("\n")
        if change.drop:
            lines.append("{% block " + name + " %}{% endblock %}")
            continue
        body = []
        if "prepend" in parts:
            texts[f"{name}:prepend"] = parts["prepend"]
            body.append("{{ block_texts[" + _quote(f"{name}:prepend") + "] }}\n\n")
        if "text" in parts:
            texts[f"{name}:text"] = parts["text"]
            body.append("{{ block_texts[" + _quote(f"{name}:text") + "] }}")
        else:
            body.append("{{ super() }}")
        if "append" in parts:
            texts[f"{name}:append"] = parts["append"]
            body.append("\n\n{{ block_texts[" + _quote(f"{name}:append") + "] }}")
        lines.append("{% block " + name + " %}" + "".join(body) + "{% endblock %}")
    if len(problems) > before:
        return ""
    try:
        out = bounded_render(env.from_string("\n".join(lines)), {**ctx, "block_texts": texts})
    except _RENDER_ERRORS as exc:
        problems.append(_problem(exc, ("body_template",), in_spec_text=False))
        return ""
    return tidy(out)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tidy(text: str) -> str:
    """At most one blank line between blocks, none at the ends: what a clerk would have typed."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
