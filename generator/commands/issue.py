"""``gen-directive issue SPEC --number N --date D [-o OUT] [--force]``: turn a draft into the issued document.

A draft leaves the number, the day, or the day and month blank and carries a "Dự thảo" mark (the profile
places it). Issuing writes the issued spec and builds it:

* the spec's text is edited, not re-written: only the ``number:`` and ``date:`` lines change (a ``number:``
  line is added when the draft had none) and the ``draft:`` and ``blank_date:`` lines go; every other
  character the clerk typed (comments, quotes, order, line endings) stays as it was;
* the date may not be before any parent's (``implements:``);
* the number may not be taken by another spec of the same folder in the same series: State (NĐ 30 Điều 16)
  one series per organ per year, all types together; Party (HD 36 §II.1.3.1) one series per organ, per type,
  per cấp ủy term. The term is not in the data: the profile's ``number_series.term_starts`` are the days a
  new series is taken to begin.

The issued spec goes to OUT (default: ``SPEC-so-NN.yaml`` beside the draft, the draft kept); ``-o SPEC``
issues in place. The document is built beside it (``OUT.docx``). Nothing is written unless everything passes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any

from .. import data
from ..errors import GeneratorError, UsageError
from ..i18n import _

# A top-level ``key: value  # comment`` line: the value is a quoted or a plain scalar.
_LINE = r'^(?P<pre>{key}[ \t]*:[ \t]*)(?P<value>"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^#\r\n]*?)(?P<post>[ \t]*(?:#[^\r\n]*)?)(?P<end>\r?\n?)$'


def _parse_number(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,6}", text.strip()) or int(text) < 1:
        raise UsageError(_("--number {value}: write the number the văn thư gives, a whole number from 1, e.g. --number 15.").format(value=text))
    return int(text)


def _parse_date(text: str) -> dt.date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(_("--date {value}: write the date of issue as YYYY-MM-DD, e.g. --date 2020-04-15.").format(value=text)) from None


def default_issued(spec_path: Path, number: int) -> Path:
    return spec_path.with_name(f"{spec_path.stem}-so-{number:02d}{spec_path.suffix}")


def issued_text(text: str, marks: dict[tuple[Any, ...], tuple[int, int]], number: int, date: dt.date, display: str) -> str:
    """The draft's text with the number and the date filled in and the draft lines removed; nothing else
    changes. ``marks`` are the loader's (line, column) of each key."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"

    def line_of(key: str) -> int | None:
        mark = marks.get((key,))
        if mark is None:
            return None
        if mark[1] != 1:  # a top-level key that is not at the line start (a flow mapping): not ours to rewrite
            raise GeneratorError(_("{file}:{line}: the key \"{key}\" must be on a line of its own to be filled in by issue; "
                                   "write it as \"{key}: …\" at the start of a line.").format(file=display, line=mark[0], key=key))
        return mark[0] - 1

    def set_value(index: int, key: str, value: str) -> None:
        m = re.match(_LINE.format(key=re.escape(key)), lines[index])
        if not m:
            raise GeneratorError(_("{file}:{line}: the key \"{key}\" must hold its value on the same line to be filled in by issue, "
                                   "e.g. \"{key}: …\".").format(file=display, line=index + 1, key=key))
        lines[index] = m.group("pre") + value + m.group("post") + m.group("end")

    date_index = line_of("date")
    if date_index is None:  # validation requires date:; a draft without it never gets here
        raise GeneratorError(_("{file}: the spec has no date: line.").format(file=display))
    set_value(date_index, "date", date.isoformat())
    number_index = line_of("number")
    if number_index is not None:
        set_value(number_index, "number", str(number))
    removed = sorted(i for i in (line_of("draft"), line_of("blank_date")) if i is not None)
    for index in removed:
        m = re.match(_LINE.format(key=re.escape(lines[index].split(":", 1)[0].strip())), lines[index])
        if not m:
            raise GeneratorError(_("{file}:{line}: this line must hold its value on the same line to be removed by issue.").format(
                file=display, line=index + 1))
    for index in reversed(removed):
        del lines[index]
    if number_index is None:
        insert_at = date_index - sum(1 for i in removed if i < date_index)
        lines.insert(insert_at, f"number: {number}{newline}")
    return "".join(lines)


def _organ_key(spec: Any) -> tuple[str, ...]:
    issuer = spec.issuer
    return (issuer.id,) if issuer.id else (issuer.name.casefold(), issuer.symbol.casefold())


def _period(profile: dict[str, Any], date: dt.date) -> Any:
    series = profile.get("number_series", {})
    if series.get("period") == "term":
        starts = sorted(d for d in series.get("term_starts", []) if d <= date)
        return starts[-1] if starts else None
    return date.year


def _series_key(spec: Any, profile: dict[str, Any], date: dt.date) -> tuple[Any, ...]:
    per_type = profile.get("number_series", {}).get("per_type", False)
    return (_organ_key(spec), spec.type if per_type else None, _period(profile, date))


def number_taken(spec_path: Path, skip: list[Path], spec: Any, profile: dict[str, Any], number: int, date: dt.date) -> Path | None:
    """Another spec of the folder that already has ``number`` in the same series, or None."""
    from ..build import validate_loaded
    from ..loader import load_yaml

    wanted = _series_key(spec, profile, date)
    folder = spec_path.parent
    for other in sorted(folder.glob("*.y*ml")):
        if other.suffix.lower() not in (".yaml", ".yml") or any(_same(other, s) for s in skip):
            continue
        try:
            loaded = load_yaml(other)
            found, _problems = validate_loaded(loaded)
        except GeneratorError:  # not a spec (a registry file, a broken draft): it holds no number
            continue
        if found is None or found.draft or found.number == "" or int(found.number) != number:
            continue
        if _series_key(found, profile, found.date) == wanted:
            return other
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def issue_command(spec_path: Path, number_text: str, date_text: str, output: Path | None, force: bool) -> int:
    from ..build import build_document, compose_spec, default_output, load_spec
    from ..dates import citation_date
    from ..loader import load_yaml_text, read_text
    from ..write import write_atomic

    number = _parse_number(number_text)
    date = _parse_date(date_text)
    if spec_path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(_("{file}: issue takes a draft spec (.yaml).").format(file=spec_path))
    spec, loaded = load_spec(spec_path)
    if not spec.draft:
        raise UsageError(_("{file}: the spec is not a draft (no draft: true); it is issued already.").format(file=spec_path))
    target = output if output is not None else default_issued(spec_path, number)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(_("the issued spec {output} must end in .yaml.").format(output=target))
    in_place = target.exists() and _same(target, spec_path)
    if target.exists() and not in_place and not force:
        raise UsageError(_("{output} exists already; choose another name (-o) or replace it (--force).").format(output=target))
    for index, parent in enumerate(spec.implements):
        if parent.date is not None and parent.date > date:
            line = loaded.marks.get(("implements", index, "date"), loaded.marks.get(("implements", index), (None, None)))[0]
            raise UsageError(_("--date {date} is before the parent it carries out ({file}:{line}: {type} số {number}, dated {parent}); "
                               "a document is issued on or after its parent's date.").format(
                date=date.isoformat(), file=spec_path, line=line, type=parent.type, number=parent.number, parent=citation_date(parent.date) if parent.date else ""))
    document, _loaded = compose_spec(spec_path)
    taken = number_taken(spec_path, [spec_path, target], spec, document.profile, number, date)
    if taken is not None:
        series = (_("{organ}, all types, year {year}") if document.profile.get("number_series", {}).get("period") != "term"
                  else _("{organ}, {type}, the cấp ủy term from {start}"))
        period = _period(document.profile, date)
        raise UsageError(_("--number {number} is taken: {other} has it already in the same series ({series}); ask the văn thư for the next free number.").format(
            number=number, other=taken, series=series.format(organ=spec.issuer.short_name or spec.issuer.name, year=date.year,
                                                             type=data.doc_types().get(spec.type, {}).get("name", spec.type), start=citation_date(period) if isinstance(period, dt.date) else "?")))
    text = read_text(spec_path, str(spec_path))
    new_text = issued_text(text, loaded.marks, number, date, str(spec_path))
    checked = load_yaml_text(new_text, str(target))  # the issued spec must load and validate before anything is written
    from ..build import in_file_order, validate_loaded

    issued, problems = validate_loaded(checked)
    if problems or issued is None:
        from ..errors import SpecError

        raise SpecError(in_file_order(checked, problems))
    bom = b"\xef\xbb\xbf" if spec_path.read_bytes()[:3] == b"\xef\xbb\xbf" else b""  # Notepad's UTF-8 mark stays too
    write_atomic(target, bom + new_text.encode("utf-8"))
    result = build_document(target, default_output(target))
    for warning in result.warnings:
        print(_("warning: {message}").format(message=warning.render()), file=sys.stderr)
    print(target)
    print(result.output)
    return 0
