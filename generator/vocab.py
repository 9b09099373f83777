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
