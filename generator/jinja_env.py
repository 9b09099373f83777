"""The Jinja environments: sandboxed, strict, bounded, and created once per process.

* ``xml_environment`` renders the .docx parts (docxtpl templates, compiled at template-build time):
  autoescape on, so ``&`` and ``<`` in a value survive as text instead of breaking the XML.
* ``text_environment`` renders Jinja expressions inside the spec's own text fields (``{{ issuer.locality }}``);
  its output is plain text that is escaped later, when it is written as XML, so it must not be escaped twice.

Both are ``SandboxedEnvironment`` with ``StrictUndefined``: a spec from another organ cannot reach Python
internals, and a misspelt name is an error instead of an empty string.

**The budget.** A spec's expressions fill a name or a number into a sentence; nothing legitimate needs
more than a few hundred steps. Without bounds one line (``{{ 7 ** 20000000 }}``, nested ``range`` loops,
``'x'.ljust(10**9)``, a string doubled thirty times, a macro calling itself) costs minutes or gigabytes.
Every render (:func:`bounded_render`, a top-level ``render`` or module, including the snippets and the templates it
includes) gets one :class:`Budget`, enforced *where the work happens*:

* steps: every loop iteration and every call counts one (:data:`MAX_STEPS`);
* calls nest at most :data:`MAX_CALL_DEPTH` deep (macro recursion ends in a message, not a RecursionError);
* output: every piece a template writes, in macros and ``{% set %}`` blocks too, counts against
  :data:`MAX_OUTPUT_CHARS`;
* values: no operation may make a text longer than :data:`MAX_TEXT_LENGTH`, a list longer than
  :data:`MAX_ITEMS` or a whole number wider than :data:`MAX_INT_BITS`; the operators ``*``, ``**``, ``+``,
  ``%`` and ``~``, the string methods (``ljust``, ``center``, ``format``, ``replace``, ``join`` …) and every
  filter are checked *before* they build their result, from their arguments' sizes;
* ``lipsum`` is limited to :data:`MAX_LIPSUM` paragraphs.

The loop and output hooks are added to the parsed template (a small AST rewrite in
:meth:`BoundedSandbox._parse`): a ``for`` iterates through ``__budget_iter__`` and every output piece passes
``__budget_out__``. Passing a limit raises :class:`BudgetExceeded` (a ``SecurityError``), whose message is
translated; callers report it at the key path of the text, like any sandbox refusal.

**Output fit for a Word file.** :func:`bounded_render` refuses a result holding a lone surrogate or a
character XML 1.0 cannot carry (``{{ "\\ud800" }}``): :class:`UnfitOutput`, reported at the key path.
"""

from __future__ import annotations

import re
import string
import threading
from functools import lru_cache
from typing import Any, Callable

from jinja2 import StrictUndefined, Template, nodes, pass_context
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment

from .i18n import _

MAX_EXPONENT = 64
MAX_REPEATED_LENGTH = 100_000
MAX_RENDERED_LENGTH = 1_000_000
MAX_STEPS = 100_000
MAX_CALL_DEPTH = 40
MAX_OUTPUT_CHARS = 2_000_000
MAX_TEXT_LENGTH = 1_000_000
MAX_ITEMS = 100_000
MAX_INT_BITS = 16_384
MAX_LIPSUM = 20

# XML 1.0 forbids C0 controls other than tab, newline and carriage return, U+FFFE/U+FFFF and surrogates.
_UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BudgetExceeded(SecurityError):
    """A render passed one of the limits above; the message says which, in the clerk's language."""


class UnfitOutput(TemplateRuntimeError):
    """Rendered text holds a character a Word file cannot (a lone surrogate, a C0 control)."""


class Budget:
    """What one render has spent."""

    __slots__ = ("steps", "depth", "output", "max_steps", "max_output")

    def __init__(self, max_steps: int = MAX_STEPS, max_output: int = MAX_OUTPUT_CHARS) -> None:
        self.steps = 0
        self.depth = 0
        self.output = 0
        self.max_steps = max_steps
        self.max_output = max_output

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.max_steps:
            raise BudgetExceeded(_("more than {limit} steps (loop rounds and calls); a spec's text needs far fewer").format(limit=self.max_steps))

    def write(self, size: int) -> None:
        self.output += size
        if self.output > self.max_output:
            raise BudgetExceeded(_("the text would be longer than {limit} characters").format(limit=self.max_output))


_local = threading.local()


def _current() -> Budget:
    budget = getattr(_local, "budget", None)
    if budget is None:  # a call outside any render (a macro of a module kept from an earlier render)
        budget = Budget()
    return budget


class _Scope:
    """Enter: the render's budget (a new one for an outermost render, the running one for a nested one),
    sized by the environment (the .docx parts of a long document write far more than a spec's text)."""

    def __init__(self, environment: Any = None) -> None:
        self.steps = getattr(environment, "step_limit", MAX_STEPS)
        self.output = getattr(environment, "output_limit", MAX_OUTPUT_CHARS)

    def __enter__(self) -> Budget:
        depth = getattr(_local, "scopes", 0)
        if depth == 0:
            _local.budget = Budget(self.steps, self.output)
        _local.scopes = depth + 1
        return _local.budget

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        _local.scopes -= 1
        if _local.scopes == 0:
            _local.budget = None
        if isinstance(error, RecursionError):
            raise BudgetExceeded(_("calls nested too deeply (a macro that calls itself?)")) from None
        if isinstance(error, MemoryError):
            raise BudgetExceeded(_("the text needs more memory than a spec may use")) from None


# --------------------------------------------------------------------------------------------------
# Size checks, done before a result is built


def _too_long(limit: int) -> BudgetExceeded:
    return BudgetExceeded(_("the text would be longer than {limit} characters").format(limit=limit))


def _too_many(limit: int) -> BudgetExceeded:
    return BudgetExceeded(_("the list would have more than {limit} items").format(limit=limit))


def _too_wide(limit: int) -> BudgetExceeded:
    return BudgetExceeded(_("the number would have more than {limit} binary digits").format(limit=limit))


def _printed_size(value: Any, limit: int = MAX_TEXT_LENGTH) -> int:
    """An upper estimate of ``len(str(value))`` found without building it, stopping once past ``limit``
    (a list holding the same long list 100,000 times prints as billions of characters)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 2
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        total = 2
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
                total += 4 * len(item)
            elif isinstance(item, (list, tuple, set, frozenset)):
                stack.extend(item)
                total += 2 + 2 * len(item)
            elif isinstance(item, str):
                total += len(item) + 2
            elif isinstance(item, int) and not isinstance(item, bool):
                total += item.bit_length() // 3 + 2
            else:
                total += 24
            if total > limit:
                return total
        return total
    return 0


def _check_printed(*values: Any) -> None:
    total = 0
    for value in values:
        total += _printed_size(value)
        if total > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)


def _check_result(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)
    elif isinstance(value, (list, tuple, dict, set)):
        if len(value) > MAX_ITEMS:
            raise _too_many(MAX_ITEMS)
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise _too_wide(MAX_INT_BITS)
    return value


def _int_arg(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


_PRINTF_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}?")


def _check_printf(fmt: str, args: Any) -> None:
    """``fmt % args``: every written width and precision, and every argument a ``*`` may take, bounded."""
    starred = False
    for match in _PRINTF_WIDTH.finditer(fmt):
        for group in match.groups():
            if group == "*":
                starred = True
            elif group and int(group) > MAX_TEXT_LENGTH:
                raise _too_long(MAX_TEXT_LENGTH)
    values = args if isinstance(args, tuple) else (args,)
    if starred and any(_int_arg(v) > MAX_TEXT_LENGTH for v in values):
        raise _too_long(MAX_TEXT_LENGTH)
    _check_printed(fmt, *values)


def _check_format(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """``fmt.format(...)``: widths and precisions in the fields, and arguments nested fields may take."""
    nested = False
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format will say what is wrong
    for _literal, _field, spec, _conversion in parsed:
        if not spec:
            continue
        if "{" in spec:
            nested = True
        for number in re.findall(r"\d+", spec):
            if len(number) > 7 or int(number) > MAX_TEXT_LENGTH:
                raise _too_long(MAX_TEXT_LENGTH)
    values = (*args, *kwargs.values())
    if nested and any(_int_arg(v) > MAX_TEXT_LENGTH for v in values):
        raise _too_long(MAX_TEXT_LENGTH)
    _check_printed(fmt, *values)


def _check_str_method(owner: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    length = len(owner)
    if name in ("ljust", "rjust", "center", "zfill"):
        width = _int_arg(args[0] if args else kwargs.get("width", 0))
        if width > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)
    elif name == "expandtabs":
        size = _int_arg(args[0] if args else kwargs.get("tabsize", 8))
        if length + owner.count("\t") * max(size, 0) > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        hits = owner.count(old) if old else length + 1
        if len(args) > 2 and _int_arg(args[2]) >= 0:
            hits = min(hits, _int_arg(args[2]))
        if length + hits * max(0, len(new) - len(old)) > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)
    elif name in ("format", "format_map"):
        mapping = args[0] if name == "format_map" and args and isinstance(args[0], dict) else {}
        _check_format(owner, args if name == "format" else (), {**kwargs, **mapping})
    elif name == "join" and args:
        items = args[0]
        if isinstance(items, (list, tuple)):
            total = length * max(len(items) - 1, 0)
            for item in items:
                total += len(item) if isinstance(item, str) else 0
                if total > MAX_TEXT_LENGTH:
                    raise _too_long(MAX_TEXT_LENGTH)


def _materialised(value: Any) -> Any:
    """An iterable made a list, at most MAX_ITEMS long (a generator cannot be sized otherwise)."""
    if isinstance(value, (str, list, tuple, dict, set, frozenset)) or not hasattr(value, "__iter__"):
        return value
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_ITEMS:
            raise _too_many(MAX_ITEMS)
    return items


# --------------------------------------------------------------------------------------------------
# Filters: each checked before it runs and after


def _filter_precheck(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    value = args[0] if args else None
    rest = args[1:]
    if name == "center":
        if _int_arg(rest[0] if rest else kwargs.get("width", 80)) > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)
    elif name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        width_size = _int_arg(width) if not isinstance(width, str) else len(width)
        lines = (value.count("\n") + 1) if isinstance(value, str) else 1
        if width_size * lines + _printed_size(value) > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)
    elif name == "format" and isinstance(value, str):
        _check_printf(value, tuple(rest) or tuple(kwargs.values()))
    elif name == "replace" and isinstance(value, str):
        _check_str_method(value, "replace", tuple(rest), {})
    elif name in ("batch", "slice"):
        if _int_arg(rest[0] if rest else kwargs.get("linecount", kwargs.get("slices", 0))) > MAX_ITEMS:
            raise _too_many(MAX_ITEMS)
    elif name in ("join", "sum"):
        _check_printed(value)
    elif name in ("string", "pprint", "tojson", "e", "escape", "forceescape", "urlencode", "xmlattr", "list", "unique"):
        _check_printed(value)
    elif name == "wordwrap":
        wrapstring = rest[2] if len(rest) > 2 else kwargs.get("wrapstring")
        if isinstance(wrapstring, str) and isinstance(value, str) and len(wrapstring) * len(value) > MAX_TEXT_LENGTH:
            raise _too_long(MAX_TEXT_LENGTH)


_SIZED_FIRST = frozenset({"join", "sum", "list", "batch", "slice", "unique"})


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with the budget's checks; keeps Jinja's pass_* marker so arguments stay the same."""
    marker = getattr(function, "jinja_pass_arg", None)
    skip = 1 if marker is not None else 0  # the context / eval context / environment argument

    def bounded(*args: Any, **kwargs: Any) -> Any:
        _current().step()
        if name in _SIZED_FIRST and len(args) > skip:  # a generator is made a (bounded) list first
            args = (*args[:skip], _materialised(args[skip]), *args[skip + 1:])
        _filter_precheck(name, tuple(args[skip:]), kwargs)
        return _check_result(function(*args, **kwargs))

    if marker is not None:
        bounded.jinja_pass_arg = marker  # type: ignore[attr-defined]
    bounded.__name__ = getattr(function, "__name__", name)
    return bounded


@pass_context
def _budget_iter(context: Any, iterable: Any) -> Any:
    """What a ``for`` iterates: the same items, one step each."""
    budget = _current()
    for item in iterable:
        budget.step()
        yield item


@pass_context
def _budget_step(context: Any, value: Any) -> Any:
    """One round of a recursive loop's body (its nested rounds never pass ``__budget_iter__``)."""
    _current().step()
    return value


@pass_context
def _budget_out(context: Any, value: Any) -> Any:
    """Every piece a template writes (text, ``{{ … }}``), counted before it is turned into text."""
    size = _printed_size(value, MAX_OUTPUT_CHARS) if not isinstance(value, str) else len(value)
    _current().write(size)
    return value


@pass_context
def _budget_str(context: Any, value: Any) -> Any:
    """An operand of ``~``: its printed size is checked before ``str()`` builds it."""
    _check_printed(value)
    return value


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    from jinja2.utils import generate_lorem_ipsum

    if _int_arg(n) > MAX_LIPSUM or _int_arg(max) > 1000 or _int_arg(min) > 1000:
        raise BudgetExceeded(_("lipsum() is limited to {limit} paragraphs of at most 1000 words").format(limit=MAX_LIPSUM))
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class _BudgetRewriter:
    """Rewrite a parsed template so loops and outputs pass the budget (see the module docstring)."""

    def visit(self, node: nodes.Node) -> None:
        for child in node.iter_child_nodes():
            self.visit(child)
        if isinstance(node, nodes.For):
            node.iter = nodes.Filter(node.iter, "__budget_iter__", [], [], None, None, lineno=node.lineno)
            if node.recursive:  # loop(children) iterates children directly: each round of the body counts
                step = nodes.Filter(nodes.Const(""), "__budget_step__", [], [], None, None, lineno=node.lineno)
                node.body = [nodes.Output([step], lineno=node.lineno), *node.body]
        elif isinstance(node, nodes.Output):
            node.nodes = [nodes.Filter(child, "__budget_out__", [], [], None, None, lineno=child.lineno) for child in node.nodes]
        elif isinstance(node, nodes.Concat):
            node.nodes = [nodes.Filter(child, "__budget_str__", [], [], None, None, lineno=child.lineno) for child in node.nodes]


class BudgetTemplate(Template):
    """A template whose every render runs inside one budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with _Scope(self.environment):
            return super().render(*args, **kwargs)

    def make_module(self, *args: Any, **kwargs: Any) -> Any:
        with _Scope(self.environment):
            return super().make_module(*args, **kwargs)


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with every operation that could build a huge value or run for long bounded."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})
    template_class = BudgetTemplate
    step_limit = MAX_STEPS
    output_limit = MAX_OUTPUT_CHARS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: _bounded_filter(name, function) for name, function in self.filters.items()}
        self.filters["__budget_iter__"] = _budget_iter
        self.filters["__budget_out__"] = _budget_out
        self.filters["__budget_str__"] = _budget_str
        self.filters["__budget_step__"] = _budget_step
        self.globals["lipsum"] = _bounded_lipsum

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _BudgetRewriter().visit(tree)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _current().step()
        if operator == "**" and isinstance(right, (int, float)) and not isinstance(right, bool):
            if abs(right) > MAX_EXPONENT:
                raise BudgetExceeded(_("the exponent {exponent} is larger than {limit}").format(exponent=right, limit=MAX_EXPONENT))
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * max(right, 0) > MAX_INT_BITS:
                raise _too_wide(MAX_INT_BITS)
        elif operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > MAX_REPEATED_LENGTH:
                    raise BudgetExceeded(_("the repeated text would be longer than {limit} characters").format(limit=MAX_REPEATED_LENGTH))
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise _too_wide(MAX_INT_BITS)
        elif operator == "+":
            if isinstance(left, str) and isinstance(right, str) and len(left) + len(right) > MAX_TEXT_LENGTH:
                raise _too_long(MAX_TEXT_LENGTH)
            if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)) and len(left) + len(right) > MAX_ITEMS:
                raise _too_many(MAX_ITEMS)
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
        return _check_result(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        budget = _current()
        budget.step()
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox hands out str.format wrapped
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            _check_str_method(owner, getattr(method, "__name__", ""), args, kwargs)
        elif isinstance(owner, list) and getattr(__obj, "__name__", "") in ("extend", "__iadd__"):
            if args and hasattr(args[0], "__len__") and len(owner) + len(args[0]) > MAX_ITEMS:
                raise _too_many(MAX_ITEMS)
        elif isinstance(owner, list) and getattr(__obj, "__name__", "") in ("append", "insert") and len(owner) >= MAX_ITEMS:
            raise _too_many(MAX_ITEMS)
        nested = isinstance(__obj, (Macro, LoopContext))
        if nested:
            budget.depth += 1
            if budget.depth > MAX_CALL_DEPTH:
                budget.depth -= 1
                raise BudgetExceeded(_("calls nested more than {limit} deep (a macro that calls itself?)").format(limit=MAX_CALL_DEPTH))
        try:
            return _check_result(super().call(__context, __obj, *args, **kwargs))
        finally:
            if nested:
                budget.depth -= 1


def bounded_render(template: Template, context: dict[str, Any]) -> str:
    """Render as a stream and stop at MAX_RENDERED_LENGTH: a loop in a spec must not build gigabytes.

    The result must be fit for a Word file: a lone surrogate or an XML-illegal control character made by
    an expression (``{{ "\\ud800" }}``) is refused here, so the caller reports it at its key path."""
    pieces: list[str] = []
    length = 0
    with _Scope(template.environment):
        try:
            for piece in template.generate(context):
                length += len(piece)
                if length > MAX_RENDERED_LENGTH:
                    raise BudgetExceeded(_("the text would be longer than {limit} characters").format(limit=MAX_RENDERED_LENGTH))
                pieces.append(piece)
        except RecursionError:
            raise BudgetExceeded(_("calls nested too deeply (a macro that calls itself?)")) from None
        except MemoryError:
            raise BudgetExceeded(_("the text needs more memory than a spec may use")) from None
    text = "".join(pieces)
    bad = _UNFIT.search(text)
    if bad is not None:
        raise UnfitOutput(_("the text it makes holds the character U+{code:04X}, which a Word file cannot hold (a lone surrogate or a control character); remove what makes it").format(
            code=ord(bad.group())))
    return text


class CompileOnceSandbox(BoundedSandbox):
    """``from_string`` compiles a text once per process: a batch's documents share their body templates,
    snippets and most text fields, and compiling is most of Jinja's cost. The cache is bounded (a spec cannot
    grow it without limit); when full it starts again."""

    _COMPILED_LIMIT = 512
    disk_cache = False  # keep compiled code on disk between runs too: only for our own templates, never a spec's texts

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache: dict[str, object] = self.__dict__.setdefault("_compiled", {})
        template = cache.get(source)
        if template is None:
            if len(cache) >= self._COMPILED_LIMIT:
                cache.clear()
            if self.disk_cache:
                from .jinja_cache import from_string

                template = cache[source] = from_string(self, source)
            else:
                template = cache[source] = super().from_string(source)
        return template  # type: ignore[return-value]


@lru_cache(maxsize=None)
def xml_environment() -> SandboxedEnvironment:
    env = CompileOnceSandbox(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.disk_cache = True  # it compiles only the templates this package ships
    # The parts of a document: their values were each rendered (and bounded) as spec texts already; what
    # is left is the template's own loops over paragraphs and runs, proportional to a 2 MB spec at most.
    env.step_limit = 50 * MAX_STEPS
    env.output_limit = 64 * MAX_OUTPUT_CHARS
    return env


@lru_cache(maxsize=None)
def text_environment() -> SandboxedEnvironment:
    return CompileOnceSandbox(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


def has_template_syntax(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


# "{{ issuer.area }}": a name and keys, nothing else. Most {{ }} a clerk writes are such lookups, and
# compiling a template for each costs about a millisecond.
_PLACEHOLDER = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*) *\}\}")
_DICT_ATTRIBUTES = frozenset(dir(dict))  # "x.items" is dict.items to Jinja, not the key "items"


def render_spec_text(environment: SandboxedEnvironment, text: str, context: dict[str, Any]) -> str:
    """A clerk's text rendered in ``environment``: as it is without template syntax, filled directly when
    it holds only lookups (:func:`substituted`), else compiled (once per process) and rendered within the
    budget. Jinja's errors are the caller's to word."""
    if not has_template_syntax(text):
        return text
    plain = substituted(text, context)
    if plain is not None:
        return plain
    return bounded_render(environment.from_string(text), context)


def substituted(text: str, context: dict[str, Any]) -> str | None:
    """``text`` with each ``{{ name.key… }}`` replaced by its value exactly as the sandbox renders it, when
    that is all the template syntax in it and every value is a text reached through plain mappings; None
    otherwise, and the caller renders with Jinja (which also words any error)."""
    pieces: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        literal = text[position:match.start()]
        if has_template_syntax(literal) or literal.endswith("{"):  # "{{{ x }}": Jinja's tag starts one earlier
            return None
        value: Any = context
        for depth, name in enumerate(match.group(1).split(".")):
            if not isinstance(value, dict) or name not in value or (depth and (name.startswith("_") or name in _DICT_ATTRIBUTES)):
                return None
            value = value[name]
        if not isinstance(value, str):
            return None
        pieces += (literal, value)
        position = match.end()
    pieces.append(text[position:])
    if has_template_syntax(pieces[-1]) or "\r" in text:
        return None
    result = "".join(pieces)
    if len(result) > MAX_RENDERED_LENGTH or _UNFIT.search(result):
        return None
    return result
