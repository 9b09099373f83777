"""``gen-directive SPEC… [-o OUT] [--out-dir DIR] [--pdf]``: build one spec or a batch."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..build import build_document, default_output
from ..errors import FileProblem, GeneratorError, UsageError
from ..i18n import _


def targets(specs: list[Path], output: Path | None, out_dir: Path | None) -> list[Path]:
    """The output of each spec; two specs may not write one file (the second would replace the first)."""
    if output is not None and len(specs) > 1:
        raise UsageError(_("-o names one output file; with several specs use --out-dir."))
    if output is not None and out_dir is not None:
        raise UsageError(_("use either -o or --out-dir, not both."))
    chosen = [output if output is not None else (out_dir / default_output(spec).name if out_dir else default_output(spec)) for spec in specs]
    seen: dict[str, Path] = {}
    for spec, target in zip(specs, chosen):
        key = os.path.normcase(os.path.abspath(target))
        if key in seen:
            raise UsageError(_("{first} and {second} would both be written to {output}; build them into different folders.").format(
                first=seen[key], second=spec, output=target))
        seen[key] = spec
    return chosen


def build_many(specs: list[Path], output: Path | None, out_dir: Path | None, pdf: bool) -> int:
    written: list[Path] = []
    failures: list[str] = []
    folders = [spec for spec in specs if spec.is_dir()]  # "build ." : a message, not a crash naming ".docx"
    if folders:
        messages = [_("{file}: is a folder, not a spec file.").format(file=folder) for folder in folders]
        if len(folders) == len(specs):
            raise FileProblem("\n".join(messages))
        failures.extend(messages)
        specs = [spec for spec in specs if not spec.is_dir()]
    for spec, target in zip(specs, targets(specs, output, out_dir)):
        try:
            result = build_document(spec, target)
        except UsageError:
            raise
        except GeneratorError as exc:
            if len(specs) == 1:
                raise
            failures.append(exc.message)
            continue
        for warning in result.warnings:
            print(_("warning: {message}").format(message=warning.render()), file=sys.stderr)
        written.append(result.output)
        print(result.output)
    if pdf and written:
        from ..pdf import convert_to_pdf

        for pdf_path in convert_to_pdf(written):
            print(pdf_path)
    if failures:
        raise GeneratorError("\n".join(failures))
    return 0
