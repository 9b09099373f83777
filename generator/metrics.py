"""Printed text length, from the advance widths of Liberation Serif (Times New Roman's metrics), shipped in
data/metrics/ by tools/font_metrics.py. Compose uses it where a rule's length is a fraction of a text's
(NĐ 30 ô 2 and 5a: 1/3–1/2 of the organ's name, of the trích yếu's line).
"""

from __future__ import annotations

import json
from functools import lru_cache

from .paths import DATA_DIR

MM_PER_POINT = 25.4 / 72


@lru_cache(maxsize=None)
def _widths(style: str) -> tuple[dict[str, int], int]:
    raw = json.loads((DATA_DIR / "metrics" / f"liberation-serif-{style}.json").read_text(encoding="utf-8"))
    widths: dict[str, int] = raw["widths"]
    return widths, round(sum(widths.values()) / len(widths))


def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """The printed length of one line of ``text``; a character outside the table counts as an average one."""
    style = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bolditalic"}[(bold, italic)]
    widths, average = _widths(style)
    units = sum(widths.get(c, average) for c in text)
    return units / 1000 * size_pt * MM_PER_POINT
