"""Write data/metrics/<font>.json: advance widths (per 1000 em) of the characters a header uses, read from
Liberation Serif (Times New Roman's metrics). Compose uses them to size rules that must be a fraction of a
text's printed length (NĐ 30 ô 2: the rule under the issuing organ is 1/3–1/2 of its name).

    pip install fonttools && python tools/font_metrics.py /usr/share/fonts/truetype/liberation2
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

BASE = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwz"
MARKS = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def characters() -> list[str]:
    found = {chr(c) for c in range(0x20, 0x7F)}
    for letter in BASE:
        for mark in MARKS:
            composed = unicodedata.normalize("NFC", letter + mark)
            if len(composed) == 1:
                found.update({composed, composed.upper()})
    found.update("–—“”‘’…")
    return sorted(found)


def main(font_dir: str) -> None:
    out_dir = Path(__file__).resolve().parent.parent / "data" / "metrics"
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        font = TTFont(Path(font_dir) / f"LiberationSerif-{style}.ttf")
        cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        widths = {c: round(hmtx[cmap[ord(c)]][0] * 1000 / upm) for c in characters() if ord(c) in cmap}
        target = out_dir / f"liberation-serif-{style.lower()}.json"
        target.write_text(json.dumps({"font": f"Liberation Serif {style}", "units_per_em": 1000, "widths": widths},
                                     ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
        print(target, len(widths))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2")
