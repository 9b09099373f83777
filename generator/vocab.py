"""Vietnamese vocabulary shared by the generator, ``check``, ``init`` and the registry: signing authorities,
the alphabet, tone-mark placement, type names, and the forms of the number and date lines as documents of
both regimes print them.

Knowledge lives once: a module that needs one of these imports it from here. (The date forms the generator
writes are in :mod:`generator.dates`; the lines read back are parsed here.)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

REGIMES = ("party", "state")

# Signing authorities (format-rules.md §A4 ô 7, §B ô 7a): Party forms take a slash, State forms a dot.
# "" is a head signing directly.
PARTY_AUTHORITIES = ("", "T/M", "K/T", "T/L", "Q.")
STATE_AUTHORITIES = ("", "TM.", "KT.", "TL.", "TUQ.", "Q.")
AUTHORITIES_BY_REGIME = {"party": PARTY_AUTHORITIES, "state": STATE_AUTHORITIES}
ALL_AUTHORITIES = tuple(dict.fromkeys(PARTY_AUTHORITIES + STATE_AUTHORITIES))
# Authorities printed with the collective or the head they sign for ("T/M BAN THƯỜNG VỤ", "KT. CHỦ TỊCH");
# a deputy's form (K/T, KT.) names the head's title, which the deputy's own title must differ from.
AUTHORITIES_WITH_COLLECTIVE = frozenset({"T/M", "K/T", "T/L", "TM.", "KT.", "TL.", "TUQ."})
DEPUTY_AUTHORITIES = frozenset({"K/T", "KT."})

# The Vietnamese alphabet as printed: 29 letters (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y),
# each of the 12 vowels also with the five tone marks (huyền, hỏi, ngã, sắc, nặng), all precomposed (NFC),
# lower and upper case: 178 letters. A font that prints Vietnamese must have a glyph for each (``doctor``).
VIETNAMESE_VOWELS = "aăâeêioôơuưy"
VIETNAMESE_CONSONANTS = "bcdđghklmnpqrstvx"
VIETNAMESE_TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"  # grave, hook above, tilde, acute, dot below


def _vietnamese_letters() -> str:
    import unicodedata

    lower = [*VIETNAMESE_VOWELS, *VIETNAMESE_CONSONANTS]
    lower += [unicodedata.normalize("NFC", vowel + mark) for vowel in VIETNAMESE_VOWELS for mark in VIETNAMESE_TONE_MARKS]
    return "".join(lower) + "".join(letter.upper() for letter in lower)


VIETNAMESE_LETTERS = _vietnamese_letters()


# Old ("hoà", "uỷ") and new ("hòa", "ủy") tone-mark placement are the same word (format-rules §A5).
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(list(_OLD_TONES) + [k.upper() for k in _OLD_TONES]) + r")(?![a-zA-Zà-ỹÀ-Ỹ])")


def modern_tones(text: str) -> str:
    """"Thành uỷ" → "Thành ủy", "hoá" → "hóa" (at word ends, where the two placements differ)."""
    def repl(m: re.Match[str]) -> str:
        s = m.group(1)
        new = _OLD_TONES.get(s.lower())
        if new is None:
            return s
        return new.upper() if s.isupper() else new
    return _OLD_TONE_RE.sub(repl, text)


def plain(text: str | None) -> str:
    """A form for searching: no marks, "đ" as "d", lower case, single spaces ("Bình Lư" → "binh lu")."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).translate(_plain_table()).lower().split())


@lru_cache(maxsize=1)
def _plain_table() -> dict[int, str]:
    """Every precomposed Latin letter with marks → its base letter (one str.translate: searching 9,000 names is fast)."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    for code in range(0x300, 0x370):  # stray combining marks
        table[code] = ""
    return table


def fold(text: str | None) -> str:
    """A form for comparing organ names: NFC, one tone placement, upper case, single spaces."""
    if text is None:
        return ""
    return " ".join(modern_tones(unicodedata.normalize("NFC", text)).upper().split())


# --------------------------------------------------------------------------------------------------
# Titles and type names


PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_RE = re.compile(r"^ĐỘC LẬP ?[-–—] ?TỰ DO ?[-–—] ?HẠNH PHÚC$")

# Type names of both regimes (QĐ 399-QĐ/TW's 25 Party types and administrative papers; NĐ 30 Phụ lục III),
# as printed on a type line. The kinds the generator writes are data/doc_types.yaml; these are every name a
# document may carry.
TYPE_NAMES = frozenset({
    "CƯƠNG LĨNH CHÍNH TRỊ", "ĐIỀU LỆ ĐẢNG", "CHIẾN LƯỢC", "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHỈ THỊ", "KẾT LUẬN",
    "QUY CHẾ", "QUY ĐỊNH", "THÔNG TRI", "HƯỚNG DẪN", "THÔNG BÁO", "THÔNG CÁO", "TUYÊN BỐ", "LỜI KÊU GỌI",
    "BÁO CÁO", "KẾ HOẠCH", "QUY HOẠCH", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "PHƯƠNG ÁN", "DỰ ÁN", "TỜ TRÌNH", "CÔNG VĂN",
    "BIÊN BẢN", "GIẤY GIỚI THIỆU", "GIẤY CHỨNG NHẬN", "GIẤY ĐI ĐƯỜNG", "GIẤY NGHỈ PHÉP", "GIẤY MỜI",
    "PHIẾU CHUYỂN", "PHIẾU GỬI", "THƯ CÔNG", "HỢP ĐỒNG", "CÔNG ĐIỆN", "BẢN GHI NHỚ", "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN", "PHIẾU BÁO", "BẢN SAO",
})

# Authority prefixes a signature may print, both regimes' and the wrong "T/U" (recognised, then judged).
AUTHORITY_RE = re.compile(r"^(" + "|".join(re.escape(a) for a in sorted(set(ALL_AUTHORITIES) - {""} | {"T/U"}, key=len, reverse=True))
                          + r")\s*(?P<rest>.*)$")


# --------------------------------------------------------------------------------------------------
# The number line and the date line, as printed


# "…, ngày 05 tháng 6 năm 2023", also with blanks for a draft ("ngày    tháng 4 năm 2020") and dots
DATE_LINE_RE = re.compile(
    r"^(?P<place>[^,]*?)(?P<comma>,?)\s*ngày\s*(?P<day>[0-9]*)[\s.…]*tháng\s*(?P<month>[0-9]*)[\s.…]*"
    r"năm\s*(?P<year>[0-9.…]{2,4})\s*$",
    re.IGNORECASE,
)
# Party "Số 98-HD/BTGThU" (spaces tolerated: "Số 38- HD/BTGHU"); State "Số: 15/KH-UBND", a công văn
# "Số: 45/UBND-VP"; a draft leaves the number blank.
_PARTY_NUMBER_RE = re.compile(r"^Số\s*:?\s*(?P<number>\d*)\s*-\s*(?P<type>[^\W\d_]+)\s*/\s*(?P<organ>[\w\-]+)\s*$")
_STATE_NUMBER_RE = re.compile(r"^Số\s*:?\s*(?P<number>\d*)\s*/\s*(?P<first>[^\W\d_]+)\s*(?:-\s*(?P<rest>[\w\-]+))?\s*$")


# A draft's mark (HD 36 ô 11b "Chỉ dẫn dự thảo"): "Dự thảo", "DỰ THẢO", "Dự thảo lần 2".
DRAFT_MARK_RE = re.compile(r"^\s*dự\s+thảo(\s+lần\s+\S+)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberLine:
    number: str               # "" for a draft
    type_symbol: str          # "" for a State công văn
    organ_symbol: str
    regime: str


# NĐ 30 Phụ lục III: the State type symbols (and the copy forms), to tell "15/KH-UBND" (a Kế hoạch of the
# UBND) from "45/UBND-VP" (a công văn of the UBND, drafted by its VP) [S #17].
STATE_TYPE_SYMBOLS = frozenset({
    "NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr", "HĐ", "CĐ",
    "BGN", "BTT", "GN", "TTh", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TrS", "SL",
})


def parse_number_line(text: str) -> NumberLine | None:
    """The parts of a number line of either regime."""
    line = " ".join(unicodedata.normalize("NFC", text).split())
    m = _PARTY_NUMBER_RE.match(line)
    if m:
        return NumberLine(m.group("number"), m.group("type"), m.group("organ"), "party")
    m = _STATE_NUMBER_RE.match(line)
    if m:
        first, rest = m.group("first"), m.group("rest") or ""
        if rest and first in STATE_TYPE_SYMBOLS:
            return NumberLine(m.group("number"), first, rest, "state")
        return NumberLine(m.group("number"), "", first + (f"-{rest}" if rest else ""), "state")
    return None


def parse_date_line(text: str) -> tuple[str, dt.date | None] | None:
    """(place, date) of a date line; the date is None when it is left blank or is not a real date."""
    m = DATE_LINE_RE.match(" ".join(unicodedata.normalize("NFC", text).split()))
    if not m:
        return None
    try:
        return m.group("place").strip(), dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
    except ValueError:
        return m.group("place").strip(), None

