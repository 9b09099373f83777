"""The pipeline, in order: load → validate → resolve → compose → render → write.

``build_document`` is the library entry point the CLI calls; every step before ``write`` works in
memory, so a failure anywhere leaves the output path as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import FileProblem, Problem, SpecError, UsageError
from .i18n import _
from .loader import Loaded, load_yaml
from .model import Document


@dataclass
class BuildResult:
    output: Path
    document: Document
    warnings: list[Problem] = field(default_factory=list)


def load_spec(spec_path: Path, display: str | None = None):
    """Load and validate a spec; returns (spec, loaded). Raises SpecError with every located problem."""
    from .spec import validate

    loaded = load_yaml(spec_path, display or str(spec_path))
    spec, problems = validate(loaded.data)
    if problems:
        raise SpecError([loaded.locate(p) for p in problems])
    assert spec is not None
    return spec, loaded


def compose_spec(spec_path: Path, display: str | None = None) -> tuple[Document, Loaded]:
    from .compose import compose
    from .resolve import resolve

    spec, loaded = load_spec(spec_path, display)
    resolved = resolve(spec, loaded)
    try:
        document = compose(resolved)
    except SpecError as exc:
        raise SpecError([loaded.locate(p) for p in exc.problems]) from None
    return document, loaded


def default_output(spec_path: Path) -> Path:
    return spec_path.with_suffix(".docx")


def build_document(spec_path: Path, output: Path | None = None) -> BuildResult:
    from .render import render
    from .write import write_atomic

    spec_path = Path(spec_path)
    target = Path(output) if output is not None else default_output(spec_path)
    if target.exists() and spec_path.exists() and target.resolve() == spec_path.resolve():
        raise UsageError(_("the output {output} is the spec itself; choose another output path (-o).").format(output=target))
    if target.suffix.lower() != ".docx":
        raise UsageError(_("the output {output} must end in .docx.").format(output=target))
    document, loaded = compose_spec(spec_path)
    blob = render(document)
    if target.is_dir():
        raise FileProblem(_("{file}: is a folder; give a file name ending in .docx.").format(file=target))
    write_atomic(target, blob)
    return BuildResult(target, document, loaded.warnings)
