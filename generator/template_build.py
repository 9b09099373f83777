"""Build the .docx templates from their readable sources, then compile them for the renderer.

Two steps, both at build time (never while a clerk builds a document):

1. ``templates/src/<family>/`` (falling back to ``templates/src/common/`` for the parts every family shares)
   → ``templates/<profile>.docx``: the profile's numbers are filled with ``[[ ]]`` tags; ``{{ }}``/``{%p %}``
   docxtpl tags stay in the .docx, which a person can open in Word and edit like any docxtpl template.
2. ``templates/<profile>.docx`` → ``templates/compiled/<profile>.json``: docxtpl's own preprocessing
   (``DocxTemplate.patch_xml``: ``{%p %}`` paragraphs, tags split across runs …) turns each part with tags
   into a plain Jinja template; the other parts are kept as they are. The bundle records the sha256 of the
   .docx it came from, so the renderer can tell a stale bundle and recompile it (:func:`compiled`).

Both are deterministic (fixed zip timestamps and order, sorted JSON), so a test proves the shipped files match
their sources byte for byte:

    python -m generator.template_build          # rewrite templates/*.docx and templates/compiled/*.json
    python -m generator.template_build --check  # exit 1 if a shipped file is stale
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from . import data
from .paths import TEMPLATES_DIR

# Parts in package order: [Content_Types].xml first, as Word writes it.
PART_ORDER = [
    "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
    "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
    "word/fontTable.xml", "word/footnotes.xml", "word/header1.xml", "word/header2.xml",
]
FAMILIES = {"party": ["party-hd36", "party-hd05"], "state": ["state-nd30"]}
# Parts that carry docxtpl tags (docxtpl renders the main document, headers, footers, footnotes and, through
# python-docx, the core properties); the others are copied as they are.
TAGGED_PARTS = ("word/document.xml", "word/header1.xml", "word/header2.xml", "word/footnotes.xml", "docProps/core.xml")
COMPILED_DIR = "compiled"
RULE_SLACK_MM = 1.0


def mm(value: float) -> int:
    """Millimetres to twentieths of a point (twips), the unit of page and indent settings."""
    return round(value * 1440 / 25.4)


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        block_start_string="[%", block_end_string="%]",
        variable_start_string="[[", variable_end_string="]]",
        comment_start_string="[#", comment_end_string="#]",
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, autoescape=False,
    )


DRAFT_MARK_POSITIONS = ("top_right", "under_number")


def build_context(profile: dict[str, Any]) -> dict[str, Any]:
    mark = profile["elements"].get("draft_mark")
    if mark is not None and mark.get("position") not in DRAFT_MARK_POSITIONS:  # a typo would drop the mark silently
        raise ValueError(f"{profile['id']}: elements.draft_mark.position must be one of {', '.join(DRAFT_MARK_POSITIONS)}")
    header = profile["header"]
    # The rule under "ĐẢNG CỘNG SẢN VIỆT NAM" (Party) or under the Tiêu ngữ (State) is the paragraph's bottom
    # border; indenting the paragraph symmetrically makes the border as long as the text, as HD 36 and NĐ 30
    # require. One millimetre of slack keeps rounding in a word processor from wrapping the line.
    ruled = profile["elements"].get("party_title") or profile["elements"]["motto"]
    content_width = header["right_width_mm"] - 2 * header["cell_margin_mm"]
    rule_indent = mm(max(0.0, (content_width - ruled["rule_length_mm"] - RULE_SLACK_MM) / 2))
    return {"p": profile, "mm": mm, "rule_indent": rule_indent}


def family_of(profile_id: str) -> str:
    for family, profiles in FAMILIES.items():
        if profile_id in profiles:
            return family
    raise KeyError(profile_id)


def _part_source(family: str, name: str) -> Path:
    own = TEMPLATES_DIR / "src" / family / name
    return own if own.exists() else TEMPLATES_DIR / "src" / "common" / name


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    """The template package, written as every document is (the same parts give the same bytes)."""
    from .oxml.package import deflated, package

    return package(deflated(name, blob) for name, blob in parts)


def build_template(family: str, profile_id: str) -> bytes:
    env = _environment()
    context = build_context(data.profile(profile_id))
    parts = []
    for name in PART_ORDER:
        text = _part_source(family, name).read_text(encoding="utf-8")
        rendered = env.from_string(text).render(context)
        # drop the blank lines the source keeps for readability (they are not part of the XML)
        rendered = "".join(line.strip() if line.strip().startswith("<") else line for line in rendered.splitlines())
        parts.append((name, rendered.encode("utf-8")))
    return _zip(parts)


def compile_template(docx_blob: bytes) -> dict[str, Any]:
    """The renderer's bundle of one .docx template: docxtpl's preprocessing of each tagged part."""
    import io
    import zipfile

    import docxtpl
    from docxtpl import DocxTemplate  # build time only: the renderer never imports docxtpl or python-docx

    patcher = DocxTemplate.__new__(DocxTemplate)  # patch_xml is pure text work; no document needs loading
    archive = zipfile.ZipFile(io.BytesIO(docx_blob))
    parts = []
    for name in PART_ORDER:
        text = archive.read(name).decode("utf-8")
        if name in TAGGED_PARTS:
            parts.append({"name": name, "jinja": patcher.patch_xml(text)})
        else:
            parts.append({"name": name, "text": text})
    return {"docx_sha256": hashlib.sha256(docx_blob).hexdigest(), "docxtpl": docxtpl.__version__, "parts": parts}


def bundle_json(bundle: dict[str, Any]) -> bytes:
    return (json.dumps(bundle, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def template_path(profile_id: str) -> Path:
    return TEMPLATES_DIR / f"{profile_id}.docx"


def bundle_path(profile_id: str) -> Path:
    return TEMPLATES_DIR / COMPILED_DIR / f"{profile_id}.json"


def main(argv: list[str]) -> int:
    stale = []
    for family, profiles in FAMILIES.items():
        for profile_id in profiles:
            blob = build_template(family, profile_id)
            compiled = bundle_json(compile_template(blob))
            for target, content in ((template_path(profile_id), blob), (bundle_path(profile_id), compiled)):
                if "--check" in argv:
                    if not target.exists() or target.read_bytes() != content:
                        stale.append(target.name)
                else:
                    target.parent.mkdir(exist_ok=True)
                    target.write_bytes(content)
                    print(f"{target}: {len(content)} bytes")
    if stale:
        print("stale templates (run python -m generator.template_build): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
