"""Render step: fill the profile's .docx template with the document model through docxtpl, then write the
package deterministically.

One sandboxed, autoescaping, strict Jinja environment renders every part docxtpl touches (body, headers,
footnotes, core properties). Zip entries get a fixed timestamp and core properties are derived from the
spec (its date), so the same spec always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from jinja2 import TemplateError

from .errors import GeneratorError
from .i18n import _
from .jinja_env import xml_environment
from .model import Document
from .oxml import body_xml, footnotes_xml
from .template_build import FIXED_TIME, template_path

CORE_PROPERTY_LIMIT = 255


def context(document: Document) -> dict:
    return {
        "header": document.header,
        "type_name": document.type_name,
        "subject_lines": document.subject_lines,
        "separator_rule": document.separator_rule,
        "body": body_xml(document.body),
        "footnotes": footnotes_xml(document.footnotes),
        "closing": document.closing,
        "properties": {key: _property(value) for key, value in
                       {"title": document.title, "subject": document.keywords.get("subject", ""), "author": document.author}.items()},
    }


def _property(value: str) -> str:
    """Core properties (file metadata, not document text) hold at most 255 characters in python-docx."""
    if len(value) <= CORE_PROPERTY_LIMIT:
        return value
    return value[: CORE_PROPERTY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def render(document: Document) -> bytes:
    """The finished .docx as bytes (nothing is written to disk here)."""
    from docxtpl import DocxTemplate  # imported here: it pulls in python-docx, the costliest import

    template_file = template_path(document.profile["id"])
    template = DocxTemplate(str(template_file))
    try:
        template.render(context(document), jinja_env=xml_environment(), autoescape=True)
    except TemplateError as exc:
        raise GeneratorError(
            _("template {template}, line {line}: {reason}.").format(template=template_file.name, line=getattr(exc, "lineno", "?"), reason=exc.message)
        ) from exc
    stamp = dt.datetime.combine(document.date, dt.time(0, 0))
    core = template.docx.core_properties
    core.created = stamp
    core.modified = stamp
    core.last_modified_by = ""
    core.revision = 1
    buffer = io.BytesIO()
    template.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(blob: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and attributes: same content, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
