"""Vietnamese vocabulary shared by the generator, ``check`` and ``init``: the words both regimes use for
signing authorities (and, as they move here, dates, numbers, tone marks and type names).

Knowledge lives once: a module that needs one of these lists imports it from here.
"""

from __future__ import annotations

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
