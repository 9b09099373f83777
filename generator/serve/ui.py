"""What the editor page is told at start: the spec schema (the same source as docs/spec.schema.json), the
registry's organs, the body templates and their blocks, and every text the page shows, in the clerk's
language (catalog messages, like the CLI's).

The form is built from the schema at run time, so a key added to :data:`generator.spec.SPEC` appears in the
form without new code; :data:`GROUPS` only places known keys where a clerk looks for them (a new key lands
in "Other settings"), and :data:`LABELS` gives some keys a shorter label than their schema description.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..i18n import N_, _, current_language

# Where a clerk looks for each top-level key, in the order of a directive on paper.
GROUPS: list[tuple[str, str, list[str]]] = [
    ("document", N_("The document"), ["type", "number", "draft", "date", "place", "subject", "separator"]),
    ("issuer", N_("Issuing organ"), ["issuer", "registry"]),
    ("parents", N_("Parent directives"), ["implements", "opening"]),
    ("body", N_("Content"), ["body_template", "blocks", "body", "numbering"]),
    ("slogans", N_("Slogans"), ["slogans"]),
    ("recipients", N_("Recipients"), ["recipients", "archive"]),
    ("signature", N_("Signature"), ["signature"]),
    ("other", N_("Other settings"), []),
]

LABELS: dict[str, str] = {
    "type": N_("Document type"),
    "number": N_("Number"),
    "draft": N_("Draft"),
    "date": N_("Date"),
    "place": N_("Place"),
    "subject": N_("Trích yếu (subject)"),
    "separator": N_("Under the trích yếu"),
    "issuer": N_("Issuing organ"),
    "registry": N_("Registry files of your own"),
    "implements": N_("Parent directives"),
    "opening": N_("Opening paragraph"),
    "body_template": N_("Body template"),
    "blocks": N_("Blocks of the template"),
    "body": N_("Content"),
    "numbering": N_("Numbering"),
    "slogans": N_("Slogans"),
    "recipients": N_("Recipients (Nơi nhận)"),
    "archive": N_("Archive (Lưu)"),
    "signature": N_("Signature"),
    "profile": N_("Format regime"),
}

STRINGS: dict[str, str] = {
    "title": N_("Directive editor"),
    "subtitle": N_("Fill in the form; the pages on the right are the real document."),
    "tab_form": N_("Form"),
    "tab_yaml": N_("YAML"),
    "yaml_note": N_("The YAML is the saved spec: the command line builds exactly this. Edit it here or in the form."),
    "add": N_("Add"),
    "remove": N_("Remove"),
    "default": N_("(default)"),
    "yes": N_("yes"),
    "no": N_("no"),
    "alt_text": N_("Text"),
    "alt_object": N_("Details"),
    "alt_array": N_("List"),
    "alt_registry": N_("From the registry"),
    "alt_written": N_("Written out"),
    "organ_search": N_("Search an organ by name or place (accents optional)…"),
    "organ_none": N_("No organ matches."),
    "organ_header": N_("Header"),
    "organ_symbol": N_("Symbol"),
    "organ_place": N_("Place"),
    "organ_recipients": N_("Recipients"),
    "organ_signature": N_("Signature"),
    "organ_archive": N_("Archive"),
    "organ_from_registry": N_("From the registry (write a field below to change it):"),
    "organ_dates": N_("In the registry from {since} until {until}."),
    "organ_now": N_("today"),
    "block_name": N_("block name"),
    "add_block": N_("Add a block change"),
    "template_blocks": N_("Blocks of this template: {blocks}"),
    "markup_title": N_("How to write the content"),
    "preview": N_("Preview"),
    "preview_updating": N_("Updating the pages…"),
    "preview_ready": N_("{pages} page(s), made in {seconds} s."),
    "preview_stale": N_("The spec has mistakes; the pages show the last correct version."),
    "preview_empty": N_("The pages appear here once the type, the organ, the date, the trích yếu, the content and the signer's name are filled in."),
    "preview_error": N_("The preview could not be made:"),
    "check_title": N_("Format check (gen-directive check)"),
    "check_ok": N_("No findings: the document follows the format rules."),
    "problems_title": N_("To fix before the document can be made"),
    "problems_count": N_("{count} problem(s)"),
    "download_docx": N_("Download .docx"),
    "download_pdf": N_("Download .pdf"),
    "download_yaml": N_("Download .yaml"),
    "open_title": N_("Start"),
    "open_yaml": N_("Open a spec (.yaml)"),
    "init_title": N_("Start from an incoming directive"),
    "init_help": N_("Choose the issuing organ first, then the incoming directive (.docx, .txt or .yaml): init drafts your spec from it."),
    "init_button": N_("Draft from the parent"),
    "cascade_title": N_("Cascade to an organ below"),
    "cascade_button": N_("Draft for this organ"),
    "cascade_help": N_("Makes the spec of the next level down from this one (gen-directive cascade)."),
    "working": N_("Working…"),
    "warning": N_("warning"),
    "error": N_("error"),
    "line": N_("line {line}"),
    "server_gone": N_("The editor server does not answer; is it still running?"),
    "new": N_("New document"),
}

# The body markup, as docs/spec.md explains it: what you write → what you get.
MARKUP_HELP: list[tuple[str, str]] = [
    ("# MỤC ĐÍCH, YÊU CẦU", N_("I. MỤC ĐÍCH, YÊU CẦU (level 1, numbered for you)")),
    ("## Mục đích", N_("1. Mục đích (level 2)")),
    ("### Trước Hội nghị", N_("1.1. Trước Hội nghị (level 3)")),
    ("#### Nội dung", N_("a) Nội dung (level 4)")),
    ("- text", N_("a dash paragraph; indent two spaces for \"+\"")),
    ("1. text", N_("a numbered paragraph one level below the heading")),
    ("**đậm**, *nghiêng*", N_("bold, italic")),
    ("> text", N_("an italic paragraph")),
    ("text[^1]   [^1]: …", N_("a real Word footnote")),
    ("{{ issuer.area }}", N_("the organ's locality, from the registry")),
]
MARKUP_NOTE = N_("Never type the numbers: they follow the structure. A blank line separates paragraphs.")


def _organs() -> list[dict[str, Any]]:
    from ..registry import shipped

    out = []
    for organ in shipped().organs.values():
        out.append({
            "id": organ.id,
            "name": organ.full_name or organ.name,
            "header": [line for line in (organ.header_superior, organ.header_name or organ.name) if line],
            "symbol": organ.symbol,
            "place": organ.place or "",
            "from": organ.valid_from.isoformat() if organ.valid_from else None,
            "until": organ.valid_until.isoformat() if organ.valid_until else None,
        })
    return sorted(out, key=lambda o: o["id"])


def _templates() -> dict[str, list[str]]:
    from ..bodies import SUFFIX, template_blocks, template_ids

    return {tid: list(template_blocks(tid + SUFFIX)) for tid in template_ids()}


def bootstrap(initial: dict[str, Any]) -> dict[str, Any]:
    from ..data import doc_types
    from ..schema_export import spec_json_schema

    return {
        "lang": current_language(),
        "schema": spec_json_schema(),
        "groups": [{"id": gid, "title": _(title), "keys": keys} for gid, title, keys in GROUPS],
        "labels": {key: _(label) for key, label in LABELS.items()},
        "strings": {key: _(text) for key, text in STRINGS.items()},
        "markup": [{"write": write, "get": _(get)} for write, get in MARKUP_HELP],
        "markup_note": _(MARKUP_NOTE),
        "organs": _organs(),
        "doc_types": {tid: t.get("name", tid) for tid, t in doc_types().items()},
        "templates": _templates(),
        "initial": initial,
    }


def organ_card(organ_id: str, date_text: str) -> dict[str, Any]:
    """What the registry gives an organ on the document's date, and why it cannot issue then (if so)."""
    from ..registry import shipped

    registry = shipped()
    organ = registry.get(organ_id)
    if organ is None:
        return {"found": False}
    try:
        date = dt.date.fromisoformat(date_text) if date_text else dt.date.today()
    except ValueError:  # "2023-02-30": the form shows the date's own message; judge the organ on today
        date = dt.date.today()
    signature = organ.signature or {}
    recipients = organ.recipients_on(date)
    return {
        "found": True,
        "id": organ.id,
        "name": organ.full_name or organ.name,
        "header": [line for line in (organ.header_superior, organ.header_name or organ.name) if line],
        "symbol": organ.symbol,
        "place": organ.place or "",
        "recipients": [r.text + (" (b/c)" if r.bc else "") for r in recipients or []],
        "archive": organ.archive or "",
        "signature": " ".join(x for x in (signature.get("authority"), signature.get("on_behalf"), signature.get("title")) if x),
        "from": organ.valid_from.isoformat() if organ.valid_from else None,
        "until": organ.valid_until.isoformat() if organ.valid_until else None,
        "problem": registry.validity_problem(organ, date),
    }
