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

A parent is untrusted text, and the child spec is *data*: every text taken from the parent is made inert
(Jinja's ``{{``, ``{%`` and ``{#`` are written so that they print as typed, never evaluated; in the body,
the Markdown marks ``*``, ``_``, ``[`` and ``\\`` are escaped; characters a spec cannot hold are dropped with a
note), every value is written by the YAML emitter and every comment line has its line breaks and control
characters escaped, so nothing from the parent can break out of a comment or a value.

``gen-directive cascade SPEC --to ORGAN`` (:mod:`generator.commands.cascade`) is the same from one of our
specs, so a whole chain can be produced level by level.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from .. import data
from .. import registry as organ_registry
from ..dates import citation_date
from ..errors import GeneratorError, UsageError
from ..i18n import _
from ..parent_reader import Heading, ParentDoc, read_parent
from ..registry import Organ, Registry, fold

TODO = "TODO"


_JINJA_OPEN = re.compile(r"\{[{%#]")
_MARKUP = re.compile(r"([\\*_\[\]`])")
# What a spec cannot hold (XML-illegal characters, surrogates) and the C1 controls a reader cannot see.
_UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Everything that would end or disturb a comment line: every line break YAML or a terminal knows, controls.
_COMMENT_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def inert(text: str) -> str:
    """``text`` as a spec value that prints exactly ``text``: Jinja's openers become expressions that print
    them (``{{`` → ``{{ '{{' }}``), so the child never evaluates what the parent wrote."""
    return _JINJA_OPEN.sub(lambda match: "{{ '" + match.group() + "' }}", text)


def inert_markup(text: str) -> str:
    """``text`` for the body: inert for Jinja, and the Markdown marks escaped so it stays text."""
    return inert(_MARKUP.sub(r"\\\1", text))


def _comment(text: str) -> str:
    """One comment line: line breaks and control characters written as escapes (``\\n``), so a parent's
    file name or text can never end the comment and start YAML of its own."""
    body = _COMMENT_UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)
    return "# " + body if body else "#"


class _ChildDumper(yaml.SafeDumper):
    """The YAML emitter, with multi-line texts as literal blocks (``|``) where YAML allows it."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ChildDumper.add_representer(str, _represent_text)


def _emit(key: str, value: Any) -> str:
    """``key: value`` written by the YAML emitter (never by hand)."""
    return yaml.dump({key: value}, Dumper=_ChildDumper, allow_unicode=True, sort_keys=False, width=10 ** 9,
                     default_flow_style=False).rstrip("\n")


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
        title = inert_markup(heading.title)
        lines += ["#" * heading.level + " " + title, ""]
        if heading.level == 1 and _is_to_chuc(heading.title):  # the standard tasks come first
            lines += ["1. {{ snippets.chi_bo_co_so() }}", "", "1. {{ snippets.mttq() }}", ""]
        following = sections[index + 1] if index + 1 < len(sections) else None
        if following is not None and following.level > heading.level:
            continue
        lines += [_("TODO: write “{title}” for {organ}.").format(title=title, organ=inert_markup(organ.short_name)), ""]
    if not lines:
        lines = [_("TODO: the content of the document (the parent's sections could not be read)."), ""]
    return "\n".join(lines).rstrip() + "\n"


def adapt_slogans(parent: ParentDoc, organ: Organ) -> tuple[list[str], int]:
    """The parent's slogans, its locality replaced by ``{{ issuer.area }}``; and how many were changed."""
    out: list[str] = []
    changed = 0
    area = parent.issuer_area
    for slogan in parent.slogans:
        if area and organ.area and fold(area) != fold(organ.area) and area in slogan:
            new = "{{ issuer.area }}".join(inert(piece) for piece in slogan.split(area))
            changed += 1
        else:
            new = inert(slogan)
        out.append(new)
    return out, changed


def _fit_text(text: str, counter: list[int]) -> str:
    found = _UNFIT.findall(text)
    if found:
        counter[0] += len(found)
        text = _UNFIT.sub("", text)
    return text


def fit_for_a_spec(parent: ParentDoc) -> tuple[ParentDoc, int]:
    """A copy of ``parent`` without the characters a spec cannot hold, and how many were removed."""
    import dataclasses

    counter = [0]
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(parent):
        value = getattr(parent, item.name)
        if isinstance(value, str):
            changes[item.name] = _fit_text(value, counter)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            changes[item.name] = [_fit_text(v, counter) for v in value]
        elif isinstance(value, list) and value and isinstance(value[0], Heading):
            changes[item.name] = [Heading(h.level, _fit_text(h.title, counter)) for h in value]
    return dataclasses.replace(parent, **changes), counter[0]


def derive(parent: ParentDoc, organ: Organ, date: dt.date, type_id: str | None,
           registry_files: list[str] | None = None, command: str = "init") -> tuple[str, list[str]]:
    """The child spec's text and a summary for the terminal."""
    parent, removed = fit_for_a_spec(parent)
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
    if removed:
        header.append(_("Removed {count} character(s) a spec cannot hold (control characters) from the parent's text.").format(count=removed))
    out = [_comment(line) for line in header]

    def put(key: str, value: Any, *comments: str) -> None:
        out.extend(_comment(line) for line in comments)
        out.append(_emit(key, value))

    if registry_files:
        put("registry", list(registry_files))
    put("type", child_type)
    put("number", "", f"{TODO}: " + _("the number the văn thư gives; then delete draft: true"))
    put("draft", True)
    put("issuer", organ.id)
    put("date", date, f"{TODO}: " + _("the day of signing"))
    if organ.place is None:
        put("place", TODO)
    put("subject", inert(parent.subject) if parent.subject else _("TODO: the trích yếu"), f"{TODO}: " + _("the parent's trích yếu; adapt it"))

    implemented: dict[str, Any] = {"type": inert(parent.type_name or TODO), "number": inert(parent.number or TODO)}
    comments: list[str] = []
    if parent.symbol:
        implemented["symbol"] = inert(parent.symbol)
    elif not parent.issuer_id or not parent.type_name:
        implemented["symbol"] = TODO
    if parent.date:
        implemented["date"] = parent.date
    else:
        implemented["date"] = TODO
        comments.append(_("TODO: the parent's date, YYYY-MM-DD"))
    if parent.issuer_id:
        implemented["issuer"] = parent.issuer_id
        comments.append(_("printed “{name}”").format(name=parent.issuer_name))
    else:
        implemented["issuer"] = inert(parent.issuer_name) if parent.issuer_name else (
            f"{TODO}: {inert(parent.actor_hint)}" if parent.actor_hint else _("TODO: the parent's issuer"))
    implemented["subject"] = inert(parent.subject) if parent.subject else _("TODO: the trích yếu")
    put("implements", [implemented], *comments)

    numbering = {}
    if parent.roman and parent.roman != "I.":
        numbering["roman"] = parent.roman
    if parent.letter and parent.letter != "a)":
        numbering["letter"] = parent.letter
    if numbering:
        put("numbering", numbering)
    put("body", skeleton(parent, organ))
    if slogans:
        if parent.slogans_title and parent.slogans_title != "MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN":
            put("slogans", {"title": inert(parent.slogans_title), "items": slogans})
        else:
            put("slogans", slogans)
    if recipients is None:
        put("recipients", [_("TODO: the recipients (the registry has none for this organ)")])
    signed: dict[str, str] = {}
    if not signature.get("title"):
        signed["title"] = _("TODO: the signer’s title")
    signed["name"] = _("TODO: the signer’s name")
    put("signature", signed)
    text = "\n".join(out) + "\n"

    summary = [_("read: {what}").format(what=", ".join(read) if read else _("nothing"))]
    if parent.unread:
        summary.append(_("could not read: {what}").format(what="; ".join(parent.unread)))
    summary += parent.notes
    return text, [_COMMENT_UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), line) for line in summary]


def _same_file(target: Path, other: Path) -> bool:
    """True when ``target`` names ``other`` (the same path once resolved, or the same file by a link)."""
    try:
        if target.resolve() == other.resolve():
            return True
        return target.exists() and other.exists() and os.path.samefile(target, other)
    except (OSError, RuntimeError):
        return False


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
    for protected, role in [(source, "parent"), *((file, "registry") for file in registry_files)]:
        if _same_file(target, protected):
            message = (_("-o {output} is the parent {parent}; the child spec never replaces its parent (--force does not change that). Choose another -o.")
                       if role == "parent" else
                       _("-o {output} is the registry file {parent}; the child spec never replaces it (--force does not change that). Choose another -o."))
            raise UsageError(message.format(output=target, parent=protected))
    if target.exists() and not force:
        raise UsageError(_("{output} exists; give another -o or --force to replace it.").format(output=target))
    relative = []
    for file in registry_files:
        rel = os.path.relpath(file.resolve(), target.resolve().parent)
        if rel.startswith(".."):
            raise UsageError(_("--registry {file}: a spec may only use registry files in its own folder; put it beside {output}.").format(file=file, output=target))
        relative.append(rel)
    text, summary = derive(parent, organ, when, type_id, relative, command)
    try:
        load_yaml_text(text, str(target))  # what we write must read back
    except GeneratorError as exc:  # a bug of ours: say so, and point at nothing that was not written
        raise GeneratorError(_("the child spec was not written: it would not read back ({reason}); please report this.").format(
            reason=exc.message)) from None
    write_atomic(target, text.encode("utf-8"))
    print(target)
    for line in summary:
        print(line, file=sys.stderr)
    return 0


def init_command(source: Path, organ_id: str, output: Path | None, date: str | None, type_id: str | None,
                 force: bool, registry_files: tuple[Path, ...] = ()) -> int:
    return write_child(source, organ_id, output, date, type_id, force, registry_files)
