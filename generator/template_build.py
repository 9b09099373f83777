"""Build the .docx templates from their readable sources (``templates/src/<family>/``).

A template is the page skeleton of one profile: its styles and section properties carry the profile's
numbers (filled here, at build time, with ``[[ ]]`` tags), while ``{{ }}``/``{%p %}`` tags are left for
docxtpl to fill at every build. The zip is written deterministically (fixed timestamps, fixed order), so a
rebuild gives the same bytes and a test can prove the shipped templates match their sources:

    python -m generator.template_build          # rewrite templates/*.docx
    python -m generator.template_build --check  # exit 1 if a shipped template is stale
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from . import data
from .paths import TEMPLATES_DIR

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Parts in package order: [Content_Types].xml first, as Word writes it.
PART_ORDER = [
    "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
    "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml",
    "word/fontTable.xml", "word/footnotes.xml", "word/header1.xml", "word/header2.xml",
]
FAMILIES = {"party": ["party-hd36", "party-hd05"]}
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


def build_context(profile: dict[str, Any]) -> dict[str, Any]:
    header = profile["header"]
    title = profile["elements"]["party_title"]
    # The rule under "ĐẢNG CỘNG SẢN VIỆT NAM" is the paragraph's bottom border; indenting the paragraph
    # symmetrically makes the border as long as the title text, as HD 36 requires. One millimetre of slack
    # keeps rounding in a word processor from wrapping the title onto a second line.
    content_width = header["right_width_mm"] - 2 * header["cell_margin_mm"]
    rule_indent = mm(max(0.0, (content_width - title["rule_length_mm"] - RULE_SLACK_MM) / 2))
    # A drawn separator (instead of "-----") is a short centred rule of the profile's length.
    text_width = profile["page"]["width_mm"] - profile["page"]["margin_left_mm"] - profile["page"]["margin_right_mm"]
    rule_side = mm((text_width - profile["elements"]["separator"]["rule_length_mm"]) / 2)
    return {"p": profile, "mm": mm, "rule_indent": rule_indent, "rule_side": rule_side}


def build_template(family: str, profile_id: str) -> bytes:
    source = TEMPLATES_DIR / "src" / family
    env = _environment()
    context = build_context(data.profile(profile_id))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in PART_ORDER:
            text = (source / name).read_text(encoding="utf-8")
            rendered = env.from_string(text).render(context)
            # drop the blank lines the source keeps for readability (they are not part of the XML)
            rendered = "".join(line.strip() if line.strip().startswith("<") else line for line in rendered.splitlines())
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, rendered.encode("utf-8"))
    return buffer.getvalue()


def template_path(profile_id: str) -> Path:
    return TEMPLATES_DIR / f"{profile_id}.docx"


def main(argv: list[str]) -> int:
    stale = []
    for family, profiles in FAMILIES.items():
        for profile_id in profiles:
            blob = build_template(family, profile_id)
            target = template_path(profile_id)
            if "--check" in argv:
                if not target.exists() or target.read_bytes() != blob:
                    stale.append(target.name)
            else:
                target.write_bytes(blob)
                print(f"{target}: {len(blob)} bytes")
    if stale:
        print("stale templates (run python -m generator.template_build): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
