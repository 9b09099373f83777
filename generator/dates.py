"""Vietnamese date forms of Party documents.

Both forms zero-pad the day below 10 and the month only for January and February ("tháng 02",
"tháng 4"; "01/6/2023", "10/01/2025"), which no locale pattern expresses (Babel's ``vi`` long format gives
"5 tháng 2, 2025"), so the rule is written out here once.
"""

from __future__ import annotations

import datetime as dt

ZERO_PADDED_MONTHS = frozenset({1, 2})


def _month(month: int, padded_months: frozenset[int] = ZERO_PADDED_MONTHS) -> str:
    return f"{month:02d}" if month in padded_months else str(month)


def date_line(place: str, date: dt.date, blank: str | None = None, room: str = "    ") -> str:
    """The place/date line: "TP. Lai Châu, ngày 05 tháng 6 năm 2023". A draft may leave the day
    (``blank="day"``) or the day and month (``"day_month"``) for the clerk who issues it; the line keeps its
    shape, with ``room`` for each missing part: "Đắk Glong, ngày    tháng 4 năm 2020"."""
    day = room if blank in ("day", "day_month") else f"{date.day:02d}"
    month = room if blank == "day_month" else _month(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


def citation_date(date: dt.date) -> str:
    """A date cited in running text: "01/6/2023", "10/01/2025"."""
    return f"{date.day:02d}/{_month(date.month)}/{date.year}"


def long_citation_date(date: dt.date) -> str:
    """A date cited in running text in words: "01 tháng 6 năm 2023" (after "ngày")."""
    return f"{date.day:02d} tháng {_month(date.month)} năm {date.year}"
