"""Helpers for the hardening tests: run the CLI under resource limits, and make hostile .docx files."""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

from conftest import gen_directive

#: Ceilings every attack must stay under (the issue's "done when": no run over 500 MB, none over 5 s).
MEMORY_CEILING = 500 * 1024 * 1024
CPU_CEILING_SECONDS = 5


def _limits(memory: int, cpu: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    return apply


def limited_cli(*args: str | os.PathLike, cwd: Path | None = None, memory: int = MEMORY_CEILING,
                cpu: int = CPU_CEILING_SECONDS, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess whose address space and CPU time are capped by the kernel: a run that would
    need more is killed (SIGKILL/SIGXCPU, a negative return code) or ends in MemoryError, never passes."""
    full_env = {**os.environ, "LANG": "C.UTF-8", **(env or {})}
    full_env.pop("LC_ALL", None)
    result = subprocess.run([*gen_directive(), "--lang", "en", *map(str, args)], capture_output=True, cwd=cwd, env=full_env,
                            preexec_fn=_limits(memory, cpu), timeout=60, input=stdin)
    result.stdout = result.stdout.decode("utf-8", "replace")  # type: ignore[assignment]
    result.stderr = result.stderr.decode("utf-8", "replace")  # type: ignore[assignment]
    return result


def assert_refused(result: subprocess.CompletedProcess, *fragments: str, code: int | tuple[int, ...] = (1, 2)) -> None:
    """A clean refusal: the expected exit code (never a signal), no internal error, every fragment in stderr."""
    codes = code if isinstance(code, tuple) else (code,)
    assert result.returncode in codes, (result.returncode, result.stderr[-2000:])
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr[-2000:]
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr[-2000:])


def png(rgb: tuple[int, int, int], size: int = 40) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                  '</Types>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
              '</Relationships>')


def docx(body_xml: str, rels: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx whose body is ``body_xml`` (w:p elements) and whose document rels are ``rels``."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}" '
                'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
                'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
                f'<w:body>{body_xml}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="0" w:footer="0" w:gutter="0"/></w:sectPr></w:body></w:document>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", doc_rels)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def linked_picture_docx(target: str) -> bytes:
    """A paragraph with a picture whose bytes are *linked* (r:link, TargetMode="External") at ``target``."""
    picture = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="2880000" cy="2880000"/><wp:docPr id="1" name="p"/>'
               '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
               '<pic:nvPicPr><pic:cNvPr id="1" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr>'
               '<pic:blipFill><a:blip r:link="rId9"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
               '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2880000" cy="2880000"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
               '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    rel = (f'<Relationship Id="rId9" Type="{R}/image" Target="{target}" TargetMode="External"/>')
    return docx('<w:p><w:r><w:t>before</w:t></w:r></w:p>' + picture + '<w:p><w:r><w:t>after</w:t></w:r></w:p>', rel)


def red_pixels(png_path: Path) -> int:
    """Pure-red pixels in a page image (what the red test picture would draw): a small PNG decoder for
    pdftoppm's 8-bit RGB output (no imaging library needed)."""
    data = Path(png_path).read_bytes()
    position, idat, width, height, kind = 8, b"", 0, 0, 2
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        tag, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        if tag == b"IHDR":
            width, height, depth, kind = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and kind in (2, 6), (depth, kind)
        elif tag == b"IDAT":
            idat += body
        position += 12 + length
    step = 3 if kind == 2 else 4
    raw, stride, previous, count = zlib.decompress(idat), width * step, bytearray(width * step), 0
    for row in range(height):
        start = row * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if method == 1:
                line[i] = (line[i] + left) & 255
            elif method == 2:
                line[i] = (line[i] + up) & 255
            elif method == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif method == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        count += sum(1 for i in range(0, stride, step) if line[i] > 200 and line[i + 1] < 60 and line[i + 2] < 60)
        previous = line
    return count
