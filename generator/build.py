"""The pipeline, in order: load → validate → resolve → compose → render → write.

``build_document`` is the library entry point the CLI calls; every step before ``write`` works in
memory, so a failure anywhere leaves the output path as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import FileProblem, Problem, SpecError, UsageError
from .i18n import _
from .loader import Loaded, load_yaml
from .model import Document

if TYPE_CHECKING:
    from .spec import Spec


@dataclass
class BuildResult:
    output: Path
    document: Document
    warnings: list[Problem] = field(default_factory=list)


def validate_loaded(loaded: Loaded) -> tuple[Spec | None, list[Problem]]:
    """The registry merged into the spec's mapping, then the schema and the cross-field rules, once."""
    from .merge import merge_registry
    from .spec import validate

    merged, problems = merge_registry(loaded.data, loaded)
    spec, found = validate(merged)
    return spec, problems + found


def load_spec(spec_path: Path, display: str | None = None) -> tuple[Spec, Loaded]:
    """Load and validate a spec; returns (spec, loaded). Raises SpecError with every located problem."""
    loaded = load_yaml(spec_path, display or str(spec_path))
    spec, problems = validate_loaded(loaded)
    if problems or spec is None:
        raise SpecError(in_file_order(loaded, problems))
    return spec, loaded


def in_file_order(loaded: Loaded, problems: list[Problem]) -> list[Problem]:
    """Every problem located (file, line, column) and listed in the order a clerk reads the file."""
    located = [loaded.locate(p) for p in problems]
    return sorted(located, key=lambda p: (p.line is None, p.line or 0, p.column or 0))


def compose_spec(spec_path: Path, display: str | None = None) -> tuple[Document, Loaded]:
    """Load, validate (schema, registry, regime and kind, every ``{{ }}`` name, the body markup: all problems
    reported together), then compose the document model."""
    loaded = load_yaml(spec_path, display or str(spec_path))
    spec, problems = validate_loaded(loaded)
    if spec is None:
        raise SpecError(in_file_order(loaded, problems))
    from .compose import compose  # imported once the spec could be built: a clerk's typo is reported fast
    from .resolve import resolve

    try:
        resolved = resolve(spec, loaded, problems)
        document = compose(resolved)
    except SpecError as exc:
        if type(exc) is not SpecError:  # a subclass (UnsafePath…) keeps its class and its problems
            raise
        raise SpecError(in_file_order(loaded, exc.problems)) from None
    return document, loaded


def default_output(spec_path: Path) -> Path:
    return spec_path.with_suffix(".docx")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through symlinks, hard links, ``./`` or case-folding file systems)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def build_document(spec_path: Path, output: Path | None = None, durable: bool = True, sweep: bool = True) -> BuildResult:
    """Build one spec. Everything is rendered in memory; only the last step touches the output path, and
    atomically, so a failure anywhere leaves the previous file at the output path as it was. ``durable``
    and ``sweep``: see :func:`generator.write.write_atomic` (a batch turns both off and does them once)."""
    spec_path = Path(spec_path)
    target = Path(output) if output is not None else default_output(spec_path)
    if same_file(target, spec_path):
        raise UsageError(_("the output {output} is the spec itself; choose another output path (-o).").format(output=target))
    if target.suffix.lower() != ".docx":
        raise UsageError(_("the output {output} must end in .docx.").format(output=target))
    if target.is_dir():
        raise FileProblem(_("{file}: is a folder; give a file name ending in .docx.").format(file=target))
    document, loaded = compose_spec(spec_path)
    from .render import render
    from .write import write_atomic

    blob = render(document)
    write_atomic(target, blob, durable=durable, sweep=sweep)
    return BuildResult(target, document, loaded.warnings)
