"""Render step: the document model → the bytes of a file, behind a small renderer interface.

A :class:`Renderer` takes a :class:`~generator.model.Document` and returns the finished file; a new output
format is one more module with one more renderer. :class:`DocxRenderer` fills the profile's compiled template
(``templates/compiled/<profile>.json``, made from the docxtpl .docx template at template-build time by
:mod:`generator.template_build`) with one sandboxed, autoescaping, strict Jinja environment, and writes the zip
once, deterministically (fixed timestamps, fixed part order): the same document gives the same bytes.

Neither docxtpl nor python-docx is imported here. Values are escaped exactly once, by autoescape (text) or by
:mod:`generator.oxml` (the body and footnotes, passed as markup); nothing rewrites the text afterwards.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any, Protocol

from jinja2 import Template, TemplateError

from .errors import GeneratorError
from .i18n import _
from .jinja_env import xml_environment
from .model import Document
from .oxml import body_xml, footnotes_xml, lines_xml
from .oxml.package import FAST, Entry, deflated, package
from .paths import user_cache_dir
from .template_build import bundle_path, template_path

CORE_PROPERTY_LIMIT = 255
TWIPS_PER_MM = 1440 / 25.4


class Renderer(Protocol):
    """Writes a document model as the bytes of one file format."""

    suffix: str

    def render(self, document: Document) -> bytes: ...


@lru_cache(maxsize=None)
def _compiled_parts(profile_id: str) -> tuple[tuple[str, Template | Entry], ...]:
    """The profile's template parts: compiled Jinja for the tagged ones; the rest, the same in every
    document, deflated once per process and copied into each package as they are."""
    bundle = _bundle(profile_id)
    env = xml_environment()
    if "lines" not in env.filters:
        env.filters["lines"] = lines_xml
    parts: list[tuple[str, Template | Entry]] = []
    for part in bundle["parts"]:
        if "jinja" in part:
            parts.append((part["name"], env.from_string(part["jinja"])))
        else:
            parts.append((part["name"], deflated(part["name"], part["text"].encode("utf-8"))))
    return tuple(parts)


def compile_all() -> None:
    """Compile every profile's template parts now (a batch worker does it once, before its first spec)."""
    from .template_build import FAMILIES

    for profiles in FAMILIES.values():
        for profile_id in profiles:
            _compiled_parts(profile_id)


def _bundle(profile_id: str) -> dict[str, Any]:
    """The shipped bundle when it was made from the .docx template beside it; otherwise (someone edited the
    .docx) the .docx compiled again with docxtpl, cached by its content hash."""
    docx = template_path(profile_id).read_bytes()
    digest = hashlib.sha256(docx).hexdigest()
    shipped = bundle_path(profile_id)
    if shipped.exists():
        bundle = json.loads(shipped.read_text(encoding="utf-8"))
        if bundle.get("docx_sha256") == digest:
            return bundle
    cached = user_cache_dir() / "compiled" / f"{digest}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    from .template_build import bundle_json, compile_template

    bundle = compile_template(docx)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        from .write import write_atomic

        write_atomic(cached, bundle_json(bundle))
    except (OSError, GeneratorError):  # a read-only home: compile again next time rather than fail
        pass
    return bundle


def _property(value: str) -> str:
    """Core properties (file metadata, not document text) are kept to 255 characters, as Word shows them."""
    if len(value) <= CORE_PROPERTY_LIMIT:
        return value
    return value[: CORE_PROPERTY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def context(document: Document) -> dict[str, Any]:
    """What the template's tags name: the model, with the layout numbers in the template's unit (twips)."""
    profile = document.profile
    page = profile["page"]
    text_width = page["width_mm"] - page["margin_left_mm"] - page["margin_right_mm"]
    header = profile["header"]
    left_content = header["left_width_mm"] - 2 * header["cell_margin_mm"]
    return {
        "header": document.header,
        "type_name": document.type_name,
        "subject_lines": document.subject_lines,
        "separator": document.separator,
        "body": body_xml(document.body),
        "footnotes": footnotes_xml(document.footnotes),
        "closing": document.closing,
        "layout": {
            "separator_indent": _twips(max(0.0, (text_width - document.separator_rule_mm) / 2)),
            "organ_rule_indent": _twips(max(0.0, (left_content - document.header.organ_rule_mm) / 2)),
        },
        "properties": {
            "title": _property(document.title),
            "subject": _property(document.keywords.get("subject", "")),
            "author": _property(document.author),
            "created": f"{document.date.isoformat()}T00:00:00Z",
        },
    }


class DocxRenderer:
    """WordprocessingML (.docx) from the profile's compiled docxtpl template."""

    suffix = ".docx"

    def render(self, document: Document) -> bytes:
        profile_id = document.profile["id"]
        values = context(document)
        entries: list[Entry] = []
        for name, part in _compiled_parts(profile_id):
            if isinstance(part, Entry):
                entries.append(part)
                continue
            try:
                blob = part.render(values).encode("utf-8")
            except TemplateError as exc:
                raise GeneratorError(_("template {template}, line {line}: {reason}.").format(
                    template=f"{template_path(profile_id).name}:{name}", line=getattr(exc, "lineno", "?"), reason=exc.message)) from exc
            entries.append(deflated(name, blob, FAST))
        return package(entries)


RENDERERS: dict[str, Renderer] = {"docx": DocxRenderer()}


def render(document: Document, output_format: str = "docx") -> bytes:
    """The finished file as bytes (nothing is written to disk here)."""
    return RENDERERS[output_format].render(document)

