"""``gen-directive check FILE.docx…``: judge the format of any .docx against the Party or State rules.

The pipeline per file: :func:`generator.oxml.read.open_docx` (effective formatting) →
:func:`recognise.recognise` (which paragraph is which element) → profile choice (detected regime, the
document's date; ``--profile`` overrides) → :func:`rules.run_rules` → :mod:`report`.

Exit codes: 0 every file conformant (warnings allowed), 1 some file has an error finding, 2 some file could
not be read (or the options are wrong). The highest code wins.
"""

from __future__ import annotations

import pathlib
import sys
import time
from typing import IO

from generator.check.catalog import choose_profile, load_catalog, validate_choice
from generator.check.recognise import recognise
from generator.check.report import FileResult, as_json, write_text
from generator.check.rules import run_rules
from generator.errors import GeneratorError
from generator.i18n import _
from generator.oxml.read import UnreadableDocx, open_docx

__all__ = ["run_check", "check_file"]

OUTPUT_FORMATS = ("text", "json")


def check_file(path: pathlib.Path, profile: str | None = None) -> FileResult:
    """Check one file; never raises for a bad file (the result carries the message and exit code 2)."""
    started = time.perf_counter()
    result = FileResult(path=str(path))
    try:
        doc = open_docx(path)
    except UnreadableDocx as exc:
        result.unreadable = exc.message
        return result
    rec = recognise(doc)
    chosen, source = choose_profile(profile, rec.regime, rec.date)
    result.profile, result.profile_source = chosen, source
    result.findings = run_rules(doc, rec, chosen, load_catalog())
    result.seconds = time.perf_counter() - started
    return result


def run_check(paths: list[pathlib.Path], profile: str | None = None, output_format: str = "text",
              stream: IO[str] | None = None) -> int:
    """Check ``paths`` and write the report to ``stream`` (stdout by default); returns the exit code."""
    out: IO[str] = stream if stream is not None else sys.stdout
    try:
        validate_choice(profile)
        if output_format not in OUTPUT_FORMATS:
            raise GeneratorError(_("Unknown output format “{format}”; choose one of: {choices}.").format(
                format=output_format, choices=", ".join(OUTPUT_FORMATS)))
    except GeneratorError as exc:
        out.write(exc.message + "\n")
        return 2
    results = [check_file(pathlib.Path(p), profile) for p in paths]
    if output_format == "json":
        out.write(as_json(results) + "\n")
    else:
        write_text(results, out)
    return max((r.exit_code for r in results), default=0)
