"""``gen-directive init --from PARENT --issuer ORGAN [-o child.yaml]``: start the spec of a directive that
carries out an incoming one.

PARENT is a Word file (any real directive, not only ours), a text dump like the samples, or one of our
specs (:mod:`generator.parent_reader`). The child spec gets:

* the parent filled in under ``implements`` (type, number and symbol, date, issuer — its registry id when
  the header matches an organ —, trích yếu);
* ``issuer: ORGAN`` (a registry id), so the organ block, place, recipients, "Lưu" line and signature form
  come from the registry, each for the document's date;
* the parent's section headings, each leaf with a TODO paragraph (the TỔ CHỨC THỰC HIỆN section starts from
  the standard tasks in ``snippets``);
* the parent's slogans, with the parent's locality replaced by ``{{ issuer.area }}`` where the registry
  knows both;
* a comment header saying what was read, what was not, and what is left to fill.

``gen-directive cascade SPEC --to ORGAN`` (:mod:`generator.commands.cascade`) is the same from one of our
specs, so a whole chain can be produced level by level.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

from .. import data
from .. import registry as organ_registry
from ..dates import citation_date
from ..errors import UsageError
from ..i18n import _
from ..parent_reader import Heading, ParentDoc, read_parent
from ..registry import Organ, Registry, fold

TODO = "TODO"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int = 2) -> str:
    pad = " " * indent
    return "\n".join((pad + line) if line.strip() else "" for line in text.splitlines())


def _registry(extra: list[Path]) -> Registry:
    if not extra:
        return organ_registry.shipped()
    return organ_registry.with_extra([(p, str(p)) for p in extra])


def _child_organ(registry: Registry, organ_id: str, date: dt.date) -> Organ:
    organ = registry.get(organ_id)
    if organ is None:
        raise UsageError(_("--issuer: {message}").format(message=registry.unknown(organ_id)))
    why = registry.validity_problem(organ, date)
    if why:
        raise UsageError(_("--issuer {id} on {date}: {message}").format(id=organ_id, date=citation_date(date), message=why))
    return registry.as_on(organ, date)


def _levels(sections: list[Heading]) -> list[Heading]:
    """Headings whose levels the numbering accepts: a "##" or "###" never opens below a missing parent."""
    out: list[Heading] = []
    depth = 0
    for heading in sections:
        level = heading.level
        if level in (2, 3) and level > depth + 1:
            level = depth + 1
        out.append(Heading(level, heading.title))
        if level < 4:
            depth = level
    return out


def _is_to_chuc(title: str) -> bool:
    return "TỔ CHỨC THỰC HIỆN" in fold(title)


def skeleton(parent: ParentDoc, organ: Organ) -> str:
    """The child's body: the parent's headings, a TODO under each leaf."""
    sections = _levels(parent.sections)
    lines: list[str] = []
    for index, heading in enumerate(sections):
        lines += ["#" * heading.level + " " + heading.title, ""]
        if heading.level == 1 and _is_to_chuc(heading.title):  # the standard tasks come first
            lines += ["1. {{ snippets.chi_bo_co_so() }}", "", "1. {{ snippets.mttq() }}", ""]
        following = sections[index + 1] if index + 1 < len(sections) else None
        if following is not None and following.level > heading.level:
            continue
        lines += [_("TODO: write “{title}” for {organ}.").format(title=heading.title, organ=organ.short_name), ""]
    if not lines:
        lines = [_("TODO: the content of the document (the parent's sections could not be read)."), ""]
    return "\n".join(lines).rstrip() + "\n"


def adapt_slogans(parent: ParentDoc, organ: Organ) -> tuple[list[str], int]:
    """The parent's slogans, its locality replaced by ``{{ issuer.area }}``; and how many were changed."""
    out: list[str] = []
    changed = 0
    area = parent.issuer_area
    for slogan in parent.slogans:
        new = slogan.replace("{{", "{{ '{{' }}") if "{{" in slogan else slogan
        if area and organ.area and fold(area) != fold(organ.area) and area in new:
            new = new.replace(area, "{{ issuer.area }}")
            changed += 1
        out.append(new)
    return out, changed


def derive(parent: ParentDoc, organ: Organ, date: dt.date, type_id: str | None,
           registry_files: list[str] | None = None, command: str = "init") -> tuple[str, list[str]]:
    """The child spec's text and a summary for the terminal."""
    types = data.doc_types()
    child_type = type_id or parent.type_id or "huong-dan"
    if child_type not in types:
        raise UsageError(_("--type: \"{type}\" is not a document type; use one of: {types}.").format(type=child_type, types=", ".join(types)))
    read = []
    if parent.type_name:
        read.append(_("type"))
    if parent.number and parent.symbol:
        read.append(_("number and symbol"))
    if parent.date:
        read.append(_("date"))
    if parent.issuer_id or (parent.issuer_name and parent.organ_lines):
        read.append(_("issuer"))
    if parent.subject:
        read.append(_("trích yếu"))
    if parent.sections:
        read.append(_("{count} section headings").format(count=len(parent.sections)))
    if parent.slogans:
        read.append(_("{count} slogans").format(count=len(parent.slogans)))

    slogans, adapted = adapt_slogans(parent, organ)
    recipients = organ.recipients_on(date)
    signature = organ.signature or {}
    header = [
        _("Spec written by `gen-directive {command}` from {source} ({kind}).").format(command=command, source=parent.source, kind=parent.kind),
        _("{organ} ({id}) carries out the parent below.").format(organ=organ.full_name, id=organ.id),
        "",
        _("Read from the parent: {what}.").format(what=", ".join(read) if read else _("nothing")),
    ]
    if parent.unread:
        header.append(_("Could not read (marked TODO below): {what}.").format(what="; ".join(parent.unread)))
    for note in parent.notes:
        header.append(_("Note: {note}").format(note=note))
    if adapted:
        header.append(_("In {count} slogan(s) “{old}” became {{{{ issuer.area }}}} (“{new}”).").format(count=adapted, old=parent.issuer_area, new=organ.area))
    header += [
        "",
        _("Left for you to fill (search for TODO):"),
        _("  - number: the văn thư's number; then delete draft: true"),
        _("  - date: the day of signing"),
        _("  - subject: the parent's trích yếu, to adapt"),
        _("  - body: every part marked TODO (the headings are the parent's)"),
        _("  - signature.name"),
        "",
        _("From the registry ({file}): the organ block, the place “{place}”, {count} recipient lines, “- Lưu {archive}.”, the signature “{signature}”.").format(
            file=organ.file, place=organ.place or TODO, count=len(recipients or []), archive=organ.archive or "",
            signature=" ".join(x for x in (signature.get("authority"), signature.get("on_behalf"), signature.get("title")) if x) or TODO),
        _("Write place:, recipients:, archive: or signature: to change them."),
    ]
    out = ["# " + line if line else "#" for line in header]
    if registry_files:
        out.append("registry: [" + ", ".join(_q(f) for f in registry_files) + "]")
    out += [
        f"type: {child_type}",
        f"number: \"\"                   # {TODO}: " + _("the number the văn thư gives; then delete draft: true"),
        "draft: true",
        f"issuer: {organ.id}",
        f"date: {date.isoformat()}           # {TODO}: " + _("the day of signing"),
    ]
    if organ.place is None:
        out.append(f"place: {_q(TODO)}")
    subject = parent.subject or _("TODO: the trích yếu")
    out += [f"subject: |                     # {TODO}: " + _("the parent's trích yếu; adapt it"), _block(subject)]

    parent_lines = ["implements:"]
    parent_lines.append(f"  - type: {_q(parent.type_name or TODO)}")
    parent_lines.append(f"    number: {_q(parent.number or TODO)}")
    if parent.symbol:
        parent_lines.append(f"    symbol: {_q(parent.symbol)}")
    elif not parent.issuer_id or not parent.type_name:
        parent_lines.append(f"    symbol: {_q(TODO)}")
    parent_lines.append(f"    date: {parent.date.isoformat() if parent.date else TODO}" + ("" if parent.date else "   # " + _("TODO: the parent's date, YYYY-MM-DD")))
    if parent.issuer_id:
        parent_lines.append(f"    issuer: {parent.issuer_id}            # " + _("printed “{name}”").format(name=parent.issuer_name))
    else:
        guess = parent.issuer_name or (f"{TODO}: {parent.actor_hint}" if parent.actor_hint else _("TODO: the parent's issuer"))
        parent_lines.append(f"    issuer: {_q(guess)}")
    parent_lines.append(f"    subject: {_q(parent.subject or _('TODO: the trích yếu'))}")
    out += parent_lines

    numbering = []
    if parent.roman and parent.roman != "I.":
        numbering.append(f"roman: {_q(parent.roman)}")
    if parent.letter and parent.letter != "a)":
        numbering.append(f"letter: {_q(parent.letter)}")
    if numbering:
        out.append("numbering: {" + ", ".join(numbering) + "}")
    out += ["body: |", _block(skeleton(parent, organ))]
    if slogans:
        if parent.slogans_title and parent.slogans_title != "MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN":
            out += ["slogans:", f"  title: {_q(parent.slogans_title)}", "  items:"] + [f"    - {_q(s)}" for s in slogans]
        else:
            out += ["slogans:"] + [f"  - {_q(s)}" for s in slogans]
    if recipients is None:
        out += ["recipients:", f"  - {_q(_('TODO: the recipients (the registry has none for this organ)'))}"]
    out += ["signature:"]
    if not signature.get("title"):
        out.append(f"  title: {_q(_('TODO: the signer’s title'))}")
    out.append(f"  name: {_q(_('TODO: the signer’s name'))}")
    text = "\n".join(out) + "\n"

    summary = [_("read: {what}").format(what=", ".join(read) if read else _("nothing"))]
    if parent.unread:
        summary.append(_("could not read: {what}").format(what="; ".join(parent.unread)))
    summary += parent.notes
    return text, summary


def default_output(parent: Path, organ_id: str) -> Path:
    return Path(f"{parent.stem}.{organ_id.rsplit('/', 1)[-1]}.yaml")


def write_child(source: Path, organ_id: str, output: Path | None, date: str | None, type_id: str | None,
                force: bool, registry_files: tuple[Path, ...] = (), parent: ParentDoc | None = None, command: str = "init") -> int:
    """Read ``source``, derive the child spec and write it (atomically); returns the exit code."""
    from ..loader import load_yaml_text
    from ..write import write_atomic

    try:
        when = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise UsageError(_("--date: expected a date written YYYY-MM-DD, got {value}.").format(value=date)) from None
    registry = _registry(list(registry_files))
    organ = _child_organ(registry, organ_id, when)
    if parent is None:
        if not source.exists():
            raise UsageError(_("--from: {file}: file not found.").format(file=source))
        parent = read_parent(source, registry)
    if parent.date and parent.date > when:
        raise UsageError(_("the parent is dated {parent}, after this document ({date}); give --date.").format(
            parent=citation_date(parent.date), date=citation_date(when)))
    target = output if output is not None else default_output(source, organ.id)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(_("the output {output} must end in .yaml.").format(output=target))
    if target.exists() and not force:
        raise UsageError(_("{output} exists; give another -o or --force to replace it.").format(output=target))
    relative = []
    for file in registry_files:
        rel = os.path.relpath(file.resolve(), target.resolve().parent)
        if rel.startswith(".."):
            raise UsageError(_("--registry {file}: a spec may only use registry files in its own folder; put it beside {output}.").format(file=file, output=target))
        relative.append(rel)
    text, summary = derive(parent, organ, when, type_id, relative, command)
    load_yaml_text(text, str(target))  # what we write must read back (a failure here is a bug)
    write_atomic(target, text.encode("utf-8"))
    print(target)
    for line in summary:
        print(line, file=sys.stderr)
    return 0


def init_command(source: Path, organ_id: str, output: Path | None, date: str | None, type_id: str | None,
                 force: bool, registry_files: tuple[Path, ...] = ()) -> int:
    return write_child(source, organ_id, output, date, type_id, force, registry_files)
