"""The floor for a batch: the least a Python spec-to-.docx tool must do per document, nothing more.

    python bench/floor.py OUT_DIR SPEC.yaml…      # prints the number of documents written

Per spec: read and load the YAML (libyaml's safe loader when there is one), render one Jinja template
(compiled once: the template's ``word/document.xml`` with one paragraph per text value of the spec, all
escaped), zip the package (the template's other parts as they are, fixed timestamps, deflate) and write
the file. No validation, no registry, no layout, no atomic write. bench/bench.py runs it in the same run
as gen-directive's batch: gen-directive's docs/s over the floor's is the share of the time that is not
pure overhead of Python, YAML, Jinja and zlib.
"""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import jinja2
import yaml

TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "party-hd36.docx"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
DOCUMENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
{%- for text in paragraphs %}<w:p><w:r><w:t xml:space="preserve">{{ text }}</w:t></w:r></w:p>{% endfor -%}
<w:sectPr/></w:body></w:document>"""
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def texts(value: object) -> list[str]:
    """Every string in the spec, in order: the same words the real document holds, give or take."""
    if isinstance(value, str):
        return [line for line in value.splitlines() if line.strip()]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return [str(value)] if value is not None else []


def main(argv: list[str]) -> int:
    out_dir, specs = Path(argv[0]), [Path(arg) for arg in argv[1:]]
    out_dir.mkdir(parents=True, exist_ok=True)
    template = jinja2.Environment(autoescape=True).from_string(DOCUMENT)
    with zipfile.ZipFile(TEMPLATE) as source:
        parts = [(info.filename, source.read(info.filename)) for info in source.infolist() if info.filename != "word/document.xml"]
    start = time.perf_counter()
    for spec in specs:
        data = yaml.load(spec.read_text(encoding="utf-8"), Loader=Loader)
        document = template.render(paragraphs=texts(data)).encode("utf-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            for name, blob in [*parts, ("word/document.xml", document)]:
                package.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), blob, compress_type=zipfile.ZIP_DEFLATED)
        (out_dir / spec.with_suffix(".docx").name).write_bytes(buffer.getvalue())
    print(len(specs), f"{time.perf_counter() - start:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
