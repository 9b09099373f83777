"""The Jinja environments: sandboxed, strict, and created once per process.

* ``xml_environment`` renders the .docx parts through docxtpl: autoescape on, so ``&`` and ``<`` in a
  value survive as text instead of breaking the XML (docxtpl's default silently drops them).
* ``text_environment`` renders Jinja expressions inside the spec's own text fields (``{{ issuer.locality }}``);
  its output is plain text that is escaped later, when it is written as XML, so it must not be escaped twice.

Both are ``SandboxedEnvironment`` with ``StrictUndefined``: a spec from another organ cannot reach Python
internals, and a misspelt name is an error instead of an empty string.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


class _CompileOnceEnvironment(SandboxedEnvironment):
    """docxtpl compiles every part's XML with ``from_string`` on every render; the sources are the same for
    every document of a template, so a batch compiles each part once (about half of docxtpl's per-document
    time, per the performance baseline)."""

    _COMPILED_LIMIT = 64

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache: dict[str, object] = self.__dict__.setdefault("_compiled", {})
        template = cache.get(source)
        if template is None:
            if len(cache) >= self._COMPILED_LIMIT:
                cache.clear()
            template = cache[source] = super().from_string(source)
        return template  # type: ignore[return-value]


@lru_cache(maxsize=None)
def xml_environment() -> SandboxedEnvironment:
    return _CompileOnceEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


@lru_cache(maxsize=None)
def text_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


def has_template_syntax(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text
