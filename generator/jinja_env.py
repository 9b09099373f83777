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


@lru_cache(maxsize=None)
def xml_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


@lru_cache(maxsize=None)
def text_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


def has_template_syntax(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text
