"""One user-facing exception root.

Every error a clerk can cause (a wrong spec, a missing file, an unwritable folder, a template mistake)
is a :class:`GeneratorError` carrying a finished, translated message. The CLI catches only this root,
prints ``error.message`` and exits with ``error.exit_code``; anything else is a bug and keeps its
traceback (shown under ``--debug``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
        where = self.file or "?"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = self.key
        return f"{where}: {key}: {self.message}" if key else f"{where}: {self.message}"


def format_key_path(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
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


@dataclass
class Warnings:
    """Warnings collected during a build (characters removed, …); printed, never fatal."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)


def display_path(path: Path | str) -> str:
    """A path as the user typed it (relative stays relative) for messages."""
    return str(path)
