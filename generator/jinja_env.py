"""The Jinja environments: sandboxed, strict, and created once per process.

* ``xml_environment`` renders the .docx parts (docxtpl templates, compiled at template-build time):
  autoescape on, so ``&`` and ``<`` in a value survive as text instead of breaking the XML.
* ``text_environment`` renders Jinja expressions inside the spec's own text fields (``{{ issuer.locality }}``);
  its output is plain text that is escaped later, when it is written as XML, so it must not be escaped twice.

Both are ``SandboxedEnvironment`` with ``StrictUndefined``: a spec from another organ cannot reach Python
internals, and a misspelt name is an error instead of an empty string.
"""

from __future__ import annotations

from functools import lru_cache

from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

# A spec's expressions fill a name or a number into a sentence; nothing legitimate needs more. Without these
# bounds one line ("{{ 7 ** 20000000 }}", "{{ 'x' * 300000000 }}") costs tens of seconds and gigabytes.
MAX_EXPONENT = 64
MAX_REPEATED_LENGTH = 100_000
MAX_RENDERED_LENGTH = 1_000_000


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with ``**`` and ``*`` refused where they would build a huge number or text."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"the exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > MAX_REPEATED_LENGTH:
                    raise SecurityError(f"the repeated text would be longer than {MAX_REPEATED_LENGTH} characters")
        return super().call_binop(context, operator, left, right)


def bounded_render(template: Template, context: dict[str, Any]) -> str:
    """Render as a stream and stop at MAX_RENDERED_LENGTH: a loop in a spec must not build gigabytes."""
    pieces: list[str] = []
    length = 0
    for piece in template.generate(context):
        length += len(piece)
        if length > MAX_RENDERED_LENGTH:
            raise SecurityError(f"the text would be longer than {MAX_RENDERED_LENGTH} characters")
        pieces.append(piece)
    return "".join(pieces)


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
    return env


@lru_cache(maxsize=None)
def text_environment() -> SandboxedEnvironment:
    return CompileOnceSandbox(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


def has_template_syntax(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text
