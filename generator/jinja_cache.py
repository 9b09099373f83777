"""Compiled Jinja templates kept on disk between runs, in the user's cache folder.

Compiling is most of a single run's Jinja cost (about 40 ms for a body template and its snippets, several ms
for each text with ``{{ }}``), and the sources rarely change. Jinja's own bytecode cache serves templates
loaded by name (the body templates); :func:`from_string` does the same for texts compiled from a string. A
cache entry is keyed by the source and by the Jinja and Python versions, so a changed text or an upgrade
never meets a stale entry; an unreadable or unwritable cache only costs the compile.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, Template

from .disk_cache import store
from .paths import user_cache_dir

def _code_version() -> str:
    """Compiled code carries our sandbox's hooks (generator/jinja_env.py rewrites templates to count steps and
    bound output): a change there must never meet code compiled before it."""
    source = Path(__file__).with_name("jinja_env.py").read_bytes()
    return hashlib.sha256(source).hexdigest()[:12]


_VERSION = f"{jinja2.__version__}-{sys.implementation.cache_tag}-{_code_version()}"


def cache_dir() -> Path:
    return user_cache_dir() / "jinja"


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """Jinja's cache for templates loaded by name, or None where the folder cannot be made."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder), pattern=f"__gd_%s_{_VERSION}.cache")


def from_string(env: Environment, source: str) -> Template:
    """``env.from_string(source)``, with the compiled code read from the cache when it is there."""
    key = hashlib.sha256(f"{type(env).__name__}\0{env.autoescape}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()
    path = cache_dir() / f"{key[:40]}-{_VERSION}.code"
    code: Any = None
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        code = None
    if code is None:
        code = env.compile(source)
        store(path, marshal.dumps(code))
    return env.template_class.from_code(env, code, env.make_globals(None), None)
