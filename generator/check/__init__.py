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

from generator.check.catalog import Finding, Location, RuleDef, choose_profile, excerpt, load_catalog, validate_choice
from generator.check.recognise import recognise
from generator.check.report import FileResult, as_json, write_text
from generator.check.rules import run_rules
from generator.errors import GeneratorError
from generator.i18n import _
from generator.oxml.read import open_docx

__all__ = ["run_check", "check_file"]

OUTPUT_FORMATS = ("text", "json")


def check_file(path: pathlib.Path, profile: str | None = None) -> FileResult:
    """Check one file; never raises for a bad file (the result carries the message and exit code 2)."""
    started = time.perf_counter()
    result = FileResult(path=str(path))
    try:
        doc = open_docx(path)
        rec = recognise(doc)
        chosen, source = choose_profile(profile, rec.regime, rec.date)
        result.profile, result.profile_source = chosen, source
        result.findings = run_rules(doc, rec, chosen, load_catalog()) + _linked_content(doc)
    except GeneratorError as exc:
        result.unreadable = exc.message
    except (RecursionError, MemoryError):
        result.unreadable = _("{file}: the document is too large or too deeply nested to be checked.").format(file=path)
    except Exception as exc:  # a bug: this file is reported as unchecked, the batch goes on
        result.unreadable = _("{file}: internal error while checking ({kind}: {reason}); please report it.").format(
            file=path, kind=type(exc).__name__, reason=exc)
    result.seconds = time.perf_counter() - started
    return result


def _linked_content(doc: object) -> list[Finding]:
    """A warning for each picture or object the document links to instead of holding (at most 100)."""
    links = getattr(doc, "external_links", [])
    if not links:
        return []
    rule = RuleDef(id="safety.linked-content", check="external_links", applies_to=(), severity="warning",
                   citation=_("gen-directive never fetches linked content; preview and --pdf print it as missing"),
                   description="")
    return [Finding(rule, "warning", Location("document", excerpt=excerpt(target)),
                    _("the document links to content outside the file ({target}); a reader that fetches it contacts that address. Insert the picture itself instead.").format(target=excerpt(target)))
            for target in links]


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
    results = []
    for p in paths:
        try:
            results.append(check_file(pathlib.Path(p), profile))
        except KeyboardInterrupt:
            raise
    if output_format == "json":
        out.write(as_json(results) + "\n")
    else:
        write_text(results, out)
    return max((r.exit_code for r in results), default=0)
