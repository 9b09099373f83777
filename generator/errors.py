"""One user-facing exception root.

Every error a clerk can cause (a wrong spec, a missing file, an unwritable folder, a template mistake)
is a :class:`GeneratorError` carrying a finished, translated message. The CLI catches only this root,
prints ``error.message`` and exits with ``error.exit_code``; anything else is a bug and keeps its
traceback (shown under ``--debug``).
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

from .i18n import N_, _


class GeneratorError(Exception):
    """Root of every error that is the user's to fix. ``message`` is shown as it is."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GeneratorError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a spec: where it is (key path, then line/column once located) and what is wrong."""

    path: tuple[str | int, ...]
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None
    severity: str = "error"

    @property
    def key(self) -> str:
        """The key path written the way a clerk reads it: ``sections[2].title``."""
        return format_key_path(self.path)

    def render(self) -> str:
        """``file:line:col: key.path: message`` on one line (a line break typed in a key or value is shown
        as ``\\n``, so every problem is exactly one line of the output)."""
        where = self.file or "?"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = self.key
        text = f"{where}: {key}: {self.message}" if key else f"{where}: {self.message}"
        return one_line(text)


_LINE_BREAKS = {ord(c): e for c, e in {"\n": "\\n", "\r": "\\r", "\v": "\\v", "\f": "\\f", "\x1c": "\\x1c",
                                        "\x1d": "\\x1d", "\x1e": "\\x1e", "\x85": "\\x85", "\u2028": "\\u2028",
                                        "\u2029": "\\u2029"}.items()}


def one_line(text: str) -> str:
    """``text`` without line breaks: each is written as its escape (``\\n``)."""
    return text.translate(_LINE_BREAKS)


_PLAIN_KEY = re.compile(r"[^\W\d][\w-]*|\d+", re.UNICODE)


def format_key_path(path: tuple[str | int, ...]) -> str:
    """``sections[2].title``; a key that is not a plain word is quoted: ``blocks["a b"]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(str(part)):
            out += f".{part}" if out else str(part)
        else:
            import json  # rare (a key that is not a plain word); not on the path of --help

            out += "[" + json.dumps(str(part), ensure_ascii=False) + "]"
    return out


class SpecError(GeneratorError):
    """A spec (or registry file) has one or more problems; all of them are reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


class FileProblem(GeneratorError):
    """A file cannot be read or written (missing spec, unwritable output folder…)."""


class UnsafeInput(GeneratorError):
    """Input tried something a spec may not do (escape the sandbox, reach outside its folder…)."""


class UnsafePath(SpecError, UnsafeInput):
    """A spec names a file outside its folder and the configured roots (``loader.confined_path``).

    Both a :class:`SpecError` (its problems carry the key path, so a caller can locate them) and an
    :class:`UnsafeInput`.
    """


# What the operating system says, in the clerk's language (strerror is English whatever the locale).
_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("not permitted"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOTDIR: N_("part of the path is a file, not a folder"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EBUSY: N_("the file is in use"),
    errno.ETXTBSY: N_("the file is in use"),
    errno.EIO: N_("input/output error"),
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in words a clerk reads."""
    message = _OS_REASONS.get(exc.errno or 0)
    return _(message) if message else (exc.strerror or str(exc))
