"""``gen-directive preview SPEC.yaml|FILE.docx [--out-dir DIR]``: PNG images of the printed pages.

The pages are what LibreOffice prints (the project's reference reader), so a clerk can look at page
breaks, the header and the page numbers without opening Word. Preview leaves nothing behind but the
images: a spec is built, and a .docx converted, inside a private temporary folder.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from ..errors import FileProblem, UsageError
from ..i18n import _

SPEC_SUFFIXES = (".yaml", ".yml")


def preview(spec_or_docx: Path, out_dir: Path | None, *, dpi: int = 60) -> list[Path]:
    """Render every printed page of a spec or a .docx to ``<name>-<page>.png``; returns them in page order.

    ``out_dir`` defaults to the input's own folder (where ``gen-directive SPEC`` would put the .docx).
    """
    from ..pdf import convert_to_pdf, render_png
    from ..system import font_warning

    source = Path(spec_or_docx)
    suffix = source.suffix.lower()
    if suffix != ".docx" and suffix not in SPEC_SUFFIXES:
        raise UsageError(_("{file}: preview takes a spec (.yaml) or a .docx file.").format(file=source))
    if not source.is_file():
        raise FileProblem(_("{file}: no such file.").format(file=source))
    target_dir = Path(out_dir) if out_dir is not None else (source.parent if str(source.parent) else Path("."))

    from ..write import private_folder

    with private_folder("gen-directive-preview-") as work:
        # Named after the input, so the images are "<name>-1.png", whatever the input was.
        staged = work / f"{source.stem}.docx"
        if suffix == ".docx":
            from ..oxml.read import check_package

            check_package(source)  # sizes, part count: a zip bomb is refused before LibreOffice inflates it
            # A copy, not the file itself: converting beside it would leave a PDF in the user's folder.
            shutil.copyfile(source, staged)
        else:
            from ..build import build_document

            result = build_document(source, staged)
            # The build command prints these too; a preview must not hide them.
            for warning in getattr(result, "warnings", None) or []:
                print(_("warning: {message}").format(message=warning.render()), file=sys.stderr)
        warning = font_warning()  # the pages are still drawn, but not as they should print
        if warning:
            print(warning, file=sys.stderr)
        (pdf,) = convert_to_pdf([staged])
        return render_png(pdf, target_dir, dpi=dpi)
