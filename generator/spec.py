"""The spec: its schema (one source of truth for validation, docs/spec.schema.json and the docs) and the
typed objects a validated spec becomes.

Cross-field rules (a K/T signature names the head's title, a blank number only in a draft, footnote
references and texts match…) run after the per-key checks, in :func:`cross_check`.

The issuer (and a parent's issuer) may be an organ id of the registry (``issuer: lai-chau/tinh-uy``, or
``issuer: {id: …, short_name: …}`` to change a field); the registry's values (with the place, the
recipients and the signature's title when the spec leaves them out) are merged into the mapping before it is
validated (:mod:`generator.merge`), so a :class:`Spec` is complete from the start.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import data
from .errors import Problem
from .i18n import _
from .registry import ID_HINT, ID_PATTERN, DictOf, looks_like_id
from .schema import AnyOf, Choice, Date, Flag, ListOf, Mapping, Number, Problems, Text

from .vocab import ALL_AUTHORITIES, AUTHORITIES_WITH_COLLECTIVE, DEPUTY_AUTHORITIES, REGIMES

AUTHORITIES = list(ALL_AUTHORITIES)
ISSUER_FIELDS = ("name", "superior", "symbol", "short_name", "locality", "full_name", "area", "actor", "subordinates", "media")
BLOCK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Issuer:
    name: str
    superior: str
    symbol: str
    short_name: str
    locality: str
    id: str | None = None          # the registry organ, when the spec names one
    full_name: str = ""            # the name other organs cite it by ("Ban Tuyên giáo Thành ủy Lai Châu")
    area: str = ""                 # the locality named in full ("thành phố Lai Châu")
    actor: str = ""                # who acts in the opening ("Ban Thường vụ Thành ủy"); "" = short_name
    subordinates: str = ""         # the organs below, as running text names them
    media: str = ""                # the locality's own media, as running text names them
    regime: str | None = None      # party / state (the registry's; None = the profile's, else party)
    header_name: str = ""          # the header's wording of the name, when it differs ("" = name)


@dataclass(frozen=True)
class Parent:
    type: str
    number: str                    # "" for an unnumbered basis ("Hướng dẫn của Ban Tuyên giáo Tỉnh ủy")
    symbol: str
    date: dt.date | None           # None: cited without a date
    issuer: str
    subject: str                   # "" for none (no "về …")
    short_name: str
    issuer_id: str | None = None   # the registry organ that issued it, when the spec names one
    regime: str | None = None      # party / state: how its number is cited ("120-HD/BTGTU", "21/KH-UBND")
    text: str | None = None        # a free-text basis, printed as written
    date_form: str | None = None   # short (01/6/2023) / long (ngày 01 tháng 6 năm 2023); None = the opening's
    date_comma: bool | None = None  # None = the opening's
    quote_subject: bool | None = None
    about: bool | None = None      # "về" before the subject; None = the opening's


@dataclass(frozen=True)
class Opening:
    verb: str
    date_comma: bool
    basis_extra: str
    quote_subject: bool
    short_name_phrase: str
    separator: str | None
    actor: str | None
    action: str | None
    text: str | None
    date_form: str = "short"
    about: bool = True
    join: str = ";"
    purpose: str | None = None


@dataclass(frozen=True)
class Numbering:
    roman: str
    letter: str
    scheme: str | None = None      # roman / arabic / dieu; None = the kind's default
    colon: str = "heading"         # a numbered line ending in ":": heading (a title) or paragraph (run-in text)


@dataclass(frozen=True)
class Recipient:
    text: str
    bc: bool = False
    end: str | None = None


@dataclass(frozen=True)
class Signature:
    authority: str
    on_behalf: str
    title: str
    name: str


@dataclass(frozen=True)
class BlockChange:
    """What a spec does to one block of its body template."""

    text: str | None = None        # replaces the block
    prepend: str | None = None     # goes before the block's own text
    append: str | None = None      # goes after it
    drop: bool = False             # removes the block


@dataclass(frozen=True)
class Slogans:
    title: str
    items: list[str]
    numbered: bool | None = None   # None: numbered in their own section, dashes where the body places them


@dataclass(frozen=True)
class Spec:
    profile: str
    type: str
    number: int | str
    draft: bool
    issuer: Issuer
    place: str
    date: dt.date
    subject: str
    separator: str
    implements: list[Parent]
    opening: Opening
    numbering: Numbering
    body: str
    slogans: Slogans | None
    recipients: list[Recipient]
    archive: str
    signature: Signature
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    registry: list[str] = field(default_factory=list)
    body_template: str | None = None
    blocks: dict[str, BlockChange] = field(default_factory=dict)
    kinh_gui: list[str] = field(default_factory=list)
    can_cu: list[str] = field(default_factory=list)
    enacting: str = ""
    drafting_unit: str = ""
    blank_date: str | None = None  # a draft: "day" or "day_month" left blank on the date line


def _doc_type_ids() -> list[str]:
    return list(data.doc_types())


def _body_template_ids() -> list[str]:
    from .bodies import template_ids

    return template_ids()


ISSUER_MAPPING = Mapping(
    {
        "id": Text(_("the organ's id in the registry, e.g. lai-chau/thanh-uy-lai-chau/ban-tuyen-giao"), default=None, allow_empty=False),
        "name": Text(_("the issuing organ's name, e.g. Ban Tuyên giáo"), default=None, allow_empty=False),
        "superior": Text(_("the directly superior organ, e.g. Thành ủy Lai Châu"), default=None),
        "symbol": Text(_("the organ's symbol in the number, e.g. BTGThU"), default=None, allow_empty=False),
        "short_name": Text(_("how the text names the organ, e.g. Ban Tuyên giáo Thành ủy"), default=None, allow_empty=False),
        "locality": Text(_("the locality word, e.g. thành phố, huyện, xã"), default=None),
        "full_name": Text(_("the name other organs cite it by, e.g. Ban Tuyên giáo Thành ủy Lai Châu"), default=None),
        "area": Text(_("the locality named in full, e.g. thành phố Lai Châu"), default=None),
        "actor": Text(_("who acts in the opening paragraph, e.g. Ban Thường vụ Thành ủy"), default=None),
        "subordinates": Text(_("the organs below, as running text names them"), default=None),
        "media": Text(_("the locality's own media, as running text names them"), default=None),
        "regime": Choice(list(REGIMES), _("party (a Party organ) or state (a People's Committee and its bodies)"), default=None),
        "header_name": Text(_("the name as the header prints it, when it differs (a line break splits it)"), default=None),
    },
    description=_("the issuing organ: a registry id with changes, or every field written out"),
)

ISSUER = AnyOf(
    Text(_("the organ's id in the registry"), allow_empty=False),
    ISSUER_MAPPING,
    description=_("the issuing organ: its registry id (lai-chau/tinh-uy/ban-tuyen-giao-va-dan-van), or a mapping"),
    required=True,
)

PARENT = Mapping(
    {
        "text": Text(_("a free-text basis, printed as written, e.g. chương trình công tác năm 2017 của Ban Chấp hành Đảng bộ huyện (then no other key is needed)"), default=None, allow_empty=False),
        "type": Text(_("the parent's type as written in the text (Hướng dẫn) or its id (huong-dan)"), default=None, allow_empty=False),
        "number": Text(_("the parent's number (leave it out for an unnumbered basis)"), default=None, allow_empty=False),
        "symbol": Text(_("the parent's symbol, e.g. HD/BTGTU (derived when issuer is a registry id)"), default=None, allow_empty=False),
        "date": Date(_("the parent's date (leave it out to cite none)"), default=None),
        "issuer": AnyOf(
            Text(allow_empty=False),
            Mapping({"id": Text(_("the organ's id in the registry"), required=True, allow_empty=False),
                     "name": Text(_("the name the text gives it (default: its full name)"), default=None, allow_empty=False)}),
            description=_("the parent's issuer as named in the text, or its registry id"),
            default=None,
        ),
        "subject": Text(_("the parent's subject (trích yếu); leave it out to cite none"), default=None, allow_empty=False),
        "short_name": Text(_("the short name the text then uses"), default=""),
        "regime": Choice(list(REGIMES), _("party or state: how the parent's number is cited (default: its issuer's regime; else state when the symbol reads KH-UBND, party otherwise)"), default=None),
        "date_form": Choice(["short", "long"], _("this parent's date: short (01/6/2023) or long (ngày 01 tháng 6 năm 2023); default: opening.date_form"), default=None),
        "date_comma": Flag(_("this parent: comma before \"ngày\" (default: opening.date_comma)"), default=None),
        "quote_subject": Flag(_("this parent: quote its subject (default: opening.quote_subject)"), default=None),
        "about": Flag(_("this parent: \"về\" before its subject (default: opening.about)"), default=None),
    },
    description=_("a parent directive"),
)

OPENING = Mapping(
    {
        "verb": Text(_("first words of the opening"), default="Thực hiện"),
        "date_comma": Flag(_("comma before \"ngày\""), default=True),
        "date_form": Choice(["short", "long"], _("the parents' dates: short (01/6/2023) or long (ngày 01 tháng 6 năm 2023)"), default="short"),
        "about": Flag(_("\"về\" before each parent's subject"), default=True),
        "basis_extra": Text(_("words after the parent's issuer"), default=""),
        "quote_subject": Flag(_("quote the parent's subject"), default=False),
        "short_name_phrase": Choice(["sau đây gọi là", "viết tắt là", "sau đây viết tắt là", "gọi tắt là"], _("phrase before a short name"), default="sau đây gọi là"),
        "join": Choice([";", "; và", ", và"], _("between several parents: \";\" (A; B; C), \"; và\" (A; B và C) or \", và\" (A, B và C)"), default=";"),
        "separator": Choice([";", ",", "."], _("between basis and action: \";\", \",\" or \".\" (a new sentence); default \",\" after Căn cứ and Để, else \";\""), default=None),
        "purpose": Text(_("a purpose clause before the actor, printed \"để …,\" (alone: \"Để …,\")"), default=None, allow_empty=False),
        "actor": Text(_("who acts"), default=None),
        "action": Text(_("what the actor does"), default=None),
        "text": Text(_("the whole opening paragraph, written out"), default=None),
    },
    description=_("wording of the opening paragraph"),
    build=lambda v: Opening(**v),
)

NUMBERING = Mapping(
    {
        "roman": Choice(["I.", "I-"], _("form of level-1 numbers"), default="I."),
        "letter": Choice(["a.", "a)"], _("form of level-4 numbers"), default="a)"),
        "scheme": Choice(["roman", "arabic", "dieu"], _("top-level numbers: roman (I., II.), arabic (1., 2.) or dieu (Điều 1., Điều 2.); default: the document type's"), default=None),
        "colon": Choice(["heading", "paragraph"], _("a numbered line ending in \":\": heading (a title, the default) or paragraph (the number runs into ordinary text)"), default="heading"),
    },
    description=_("numbering forms"),
    build=lambda v: Numbering(**v),
)

RECIPIENT = AnyOf(
    Text(allow_empty=False),
    Mapping(
        {
            "text": Text(_("the recipient"), required=True, allow_empty=False),
            "bc": Flag(_("add (b/c)"), default=False),
            "end": Text(_("end punctuation of the line"), default=None),
        },
        build=lambda v: Recipient(**v),
    ),
    description=_("a recipient line"),
)

SIGNATURE = Mapping(
    {
        "authority": Choice(AUTHORITIES, _("signing authority (default: the registry's, else none)"), default=None),
        "on_behalf": Text(_("the collective (T/M, T/L) or the head's title (K/T)"), default=None),
        "title": Text(_("the signer's title (default: the registry's)"), default=None, allow_empty=False),
        "name": Text(_("the signer's name"), required=True, allow_empty=False),
    },
    description=_("the signature block"),
    required=True,
    build=lambda v: Signature(**v),
)

BLOCK = AnyOf(
    Text(),
    Mapping(
        {
            "text": Text(_("replaces the block"), default=None),
            "prepend": Text(_("goes before the block's own text"), default=None),
            "append": Text(_("goes after the block's own text"), default=None),
            "drop": Flag(_("removes the block"), default=False),
        },
        build=lambda v: BlockChange(**v),
    ),
    description=_("a block of the body template: a text replaces it; or text/prepend/append/drop"),
)

SLOGANS = AnyOf(
    ListOf(Text(allow_empty=False)),
    Mapping(
        {
            "title": Text(_("the slogans section title"), default="MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN"),
            "items": ListOf(Text(allow_empty=False), required=True),
            "numbered": Flag(_("number the slogans 1., 2. (default: numbered in their own last section, dashes where a \"[khẩu hiệu]\" line of the body places them)"), default=None),
        }
    ),
    description=_("slogans"),
)

SPEC = Mapping(
    {
        "profile": Choice(list(REGIMES), _("the format regime: party (HD 36 / HD 05) or state (Nghị định 30); default: the issuer's"), default=None),
        "type": Choice(_doc_type_ids, _("the document type"), required=True),
        "number": Number(_("the document number"), default=""),
        "draft": Flag(_("a draft"), default=False),
        "blank_date": Choice(["day", "day_month"], _("a draft: leave the day (day) or the day and month (day_month) of the date line blank for the clerk who issues it"), default=None),
        "issuer": ISSUER,
        "registry": ListOf(Text(allow_empty=False), _("registry files of your own, beside the spec"), default=[]),
        "place": Text(_("the place on the date line (default: the registry's)"), default=None, allow_empty=False),
        "date": Date(_("the document date"), required=True),
        "subject": Text(_("the subject (trích yếu)"), required=True, allow_empty=False),
        "separator": Choice(["-----", "rule"], _("under the subject: five hyphens, or a drawn rule (default: the regime's: Party \"-----\", State a rule)"), default=None),
        "implements": ListOf(PARENT, _("parent directives"), default=[]),
        "opening": OPENING,
        "numbering": NUMBERING,
        "body": Text(_("the content in light markup"), default=None, allow_empty=False, max_length=500_000),
        "body_template": Choice(_body_template_ids, _("a body template of templates/bodies/"), default=None),
        "blocks": DictOf(BLOCK, BLOCK_NAME, _("a block name of the template, e.g. muc_dich"), _("changes to the template's blocks"), default={}),
        "slogans": SLOGANS,
        "recipients": ListOf(RECIPIENT, _("recipients (Nơi nhận) (default: the registry's)"), default=None),
        "archive": Text(_("what follows \"Lưu\" (default: the registry's)"), default=None),
        "signature": SIGNATURE,
        "kinh_gui": ListOf(Text(allow_empty=False), _("the addressees after \"Kính gửi:\" (công văn, tờ trình)"), default=[]),
        "can_cu": ListOf(Text(allow_empty=False), _("the căn cứ lines of a Quyết định, one per item"), default=[]),
        "enacting": Text(_("who decides, printed above the căn cứ lines of a Quyết định, e.g. Chủ tịch Ủy ban nhân dân xã Bình Lư"), default=""),
        "drafting_unit": Text(_("a State công văn: the drafting unit's symbol after the organ's, e.g. VP (Số: 15/UBND-VP)"), default=""),
    },
    description=_("a gen-directive spec"),
)


def validate(raw: Any) -> tuple[Spec | None, list[Problem]]:
    """Per-key validation, then the cross-field rules.

    Returns every problem, and the spec whenever one can be built: a spec whose only schema problems are
    unknown top-level keys (a typo such as ``sigature:``) is still built from its known keys, so the later
    checks (registry, ``{{ }}`` names, body markup) run too and a clerk sees every problem in one run.
    ``raw`` is the spec mapping with the registry already merged in (:func:`generator.merge.merge_registry`),
    so the spec built here is complete.
    """
    problems = Problems()
    if not isinstance(raw, dict):
        problems.add((), _("the top level must be a mapping of keys (type:, issuer:, date:, …), got {got}.").format(got=_type(raw)))
        return None, list(problems)
    values = SPEC.validate(raw, (), problems)
    if values is None and problems:
        known = {key: value for key, value in raw.items() if key in SPEC.fields}
        values = SPEC.validate(known, (), Problems()) if len(known) < len(raw) else None
    if values is None:
        return None, list(problems)
    found = Problems()
    values = _fill_defaults(values, found)
    problems.extend(found)
    if found:
        return None, list(problems)
    spec = Spec(**values)
    cross_check(spec, problems)
    return spec, list(problems)


def _type(value: Any) -> str:
    from .schema import type_name

    return type_name(value)


def _issuer(value: Any, problems: Problems) -> Issuer:
    """An Issuer from an id or a mapping; fields the registry will give are None."""
    if isinstance(value, str):
        if not ID_PATTERN.match(value.strip()):
            problems.add(("issuer",), _("\"{value}\" is not an organ id ({hint}); write the organ's id, or a mapping with name:, superior:, symbol:, short_name:, locality:.").format(value=value, hint=ID_HINT))
        return Issuer(**{k: "" for k in ISSUER_FIELDS}, id=value.strip())  # the registry lookup failed, and said so
    fields = {k: value.get(k) for k in ISSUER_FIELDS}
    organ_id = value.get("id")
    if organ_id is not None and not ID_PATTERN.match(organ_id.strip()):
        problems.add(("issuer", "id"), _("\"{value}\" is not an organ id ({hint}).").format(value=organ_id, hint=ID_HINT))
    if organ_id is not None:
        fields = {k: v if v is not None else "" for k, v in fields.items()}
    else:
        for key in ("name", "symbol", "short_name"):
            if fields[key] is None:
                problems.add(("issuer",), _("the key \"{key}\" is required ({what}), unless the issuer is a registry organ (id:).").format(
                    key=key, what=ISSUER_MAPPING.fields[key].description))
        fields["superior"] = fields["superior"] if fields["superior"] is not None else ""
        fields["locality"] = fields["locality"] if fields["locality"] is not None else ""
        for key in ("full_name", "area", "actor", "subordinates", "media"):
            fields[key] = fields[key] if fields[key] is not None else ""
    return Issuer(**fields, id=organ_id.strip() if organ_id else None, regime=value.get("regime"), header_name=value.get("header_name") or "")


def _parent(index: int, value: dict[str, Any], problems: Problems) -> Parent:
    types = data.doc_types()
    type_value = value["type"] or ""
    type_text = types[type_value]["name"] if type_value in types else type_value
    issuer = value["issuer"]
    issuer_id: str | None = None
    issuer_text: str | None = None
    if isinstance(issuer, dict):
        issuer_id, issuer_text = issuer["id"].strip(), issuer["name"]
        if not ID_PATTERN.match(issuer_id):
            problems.add(("implements", index, "issuer", "id"), _("\"{value}\" is not an organ id ({hint}).").format(value=issuer_id, hint=ID_HINT))
    elif issuer is not None and looks_like_id(issuer):
        issuer_id = issuer.strip()
    else:
        issuer_text = issuer
    number = "" if value["number"] is None else str(value["number"])
    if value["text"] is None:
        for key in ("type", "issuer"):
            if value[key] is None:
                problems.add(("implements", index), _("the key \"{key}\" is required ({what}), unless the basis is written out in text:.").format(
                    key=key, what=PARENT.fields[key].description))
        if number and value["symbol"] is None and issuer_id is None:
            problems.add(("implements", index), _("the key \"symbol\" is required ({what}), unless issuer is a registry id.").format(what=PARENT.fields["symbol"].description))
    return Parent(type=type_text, number=number, symbol=value["symbol"] or "", date=value["date"],
                  issuer=issuer_text or "", subject=value["subject"] or "", short_name=value["short_name"], issuer_id=issuer_id,
                  regime=value["regime"] or regime_of_symbol(value["symbol"]), text=value["text"], date_form=value["date_form"],
                  date_comma=value["date_comma"], quote_subject=value["quote_subject"], about=value["about"])


STATE_SYMBOL = re.compile(r"^[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)+$")


def regime_of_symbol(symbol: str | None) -> str:
    """A Party symbol reads "HD/BTGTU" (type, slash, organ); a State one "KH-UBND", "STTTT-TTBCXB"
    (capitalised words joined by hyphens, no slash). Anything else is cited the Party way."""
    return "state" if symbol and STATE_SYMBOL.match(symbol.strip()) else "party"


def _fill_defaults(values: dict[str, Any], problems: Problems | None = None) -> dict[str, Any]:
    problems = problems if problems is not None else Problems()
    values["issuer"] = _issuer(values["issuer"], problems)
    from_registry = values["issuer"].id is not None
    values["implements"] = [_parent(i, p, problems) for i, p in enumerate(values["implements"])]
    if values["opening"] is None:
        values["opening"] = OPENING.build({k: o.default for k, o in OPENING.fields.items()})  # type: ignore[misc]
    if values["numbering"] is None:
        values["numbering"] = NUMBERING.build({k: o.default for k, o in NUMBERING.fields.items()})  # type: ignore[misc]
    if values["recipients"] is not None:
        values["recipients"] = [r if isinstance(r, Recipient) else Recipient(text=r) for r in values["recipients"]]
    elif not from_registry:
        problems.add(("recipients",), _("the key \"recipients\" is required ({what}), unless the issuer is a registry organ.").format(what=SPEC.fields["recipients"].description))
    if values["place"] is None and not from_registry:
        problems.add(("place",), _("the key \"place\" is required ({what}), unless the issuer is a registry organ.").format(what=SPEC.fields["place"].description))
    # Past this point nothing is None: a registry organ's values were merged in before validation
    # (generator.merge), and where its lookup failed that problem is already reported.
    values["place"] = values["place"] if values["place"] is not None else ""
    values["recipients"] = values["recipients"] or []
    values["archive"] = values["archive"] if values["archive"] is not None else ""
    sig = values["signature"]
    if sig.title is None and not from_registry:
        problems.add(("signature",), _("the key \"title\" is required ({what}), unless the issuer is a registry organ.").format(what=SIGNATURE.fields["title"].description))
    values["signature"] = Signature(sig.authority or "", sig.on_behalf or "", sig.title or "", sig.name)
    if values["body"] is None and values["body_template"] is None:
        problems.add(("body",), _("the key \"body\" is required ({what}); or name a body template (body_template:).").format(what=SPEC.fields["body"].description))
    if values["body"] is not None and values["body_template"] is not None:
        problems.add(("body_template",), _("give the content either in body: or through body_template: and blocks:, not both."))
    if values["blocks"] and values["body_template"] is None:
        problems.add(("blocks",), _("blocks: change the blocks of a body template; name one in body_template:."))
    values["blocks"] = {name: (change if isinstance(change, BlockChange) else BlockChange(text=change))
                        for name, change in (values["blocks"] or {}).items() if change is not None}
    values["registry"] = values["registry"] or []
    values["separator"] = {"-----": "hyphens", "rule": "rule"}.get(values["separator"] or "")
    for key in ("kinh_gui", "can_cu"):
        values[key] = values[key] or []
    slogans = values["slogans"]
    if isinstance(slogans, list):
        values["slogans"] = Slogans("MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN", slogans) if slogans else None
    elif isinstance(slogans, dict):
        values["slogans"] = Slogans(slogans["title"], slogans["items"], slogans["numbered"]) if slogans["items"] else None
    return values


def cross_check(spec: Spec, problems: Problems) -> None:
    """Rules that span several keys."""
    if spec.number == "" and not spec.draft:
        problems.add(("number",), _("a number is required unless the document is a draft (draft: true)."))
    if spec.blank_date is not None and not spec.draft:
        problems.add(("blank_date",), _("only a draft (draft: true) leaves the date blank; an issued document has its whole date."))
    sig = spec.signature
    if sig.authority is None or sig.on_behalf is None or sig.title is None:
        sig = None  # completed from the registry at the resolve step, checked then
    if sig is not None:
        _check_signature(sig, problems)
    for index, parent in enumerate(spec.implements):
        if parent.date is not None and parent.date > spec.date:
            problems.add(("implements", index, "date"), _("the parent is dated {parent}, after this document ({date}).").format(parent=parent.date.isoformat(), date=spec.date.isoformat()))


def _check_signature(sig: Signature, problems: Problems) -> None:
    if sig.authority in AUTHORITIES_WITH_COLLECTIVE and not sig.on_behalf.strip():
        what = _("the head's title, e.g. Trưởng ban") if sig.authority in DEPUTY_AUTHORITIES else _("the collective, e.g. Ban Thường vụ")
        problems.add(("signature", "on_behalf"), _("a {authority} signature needs on_behalf: {what}.").format(authority=sig.authority, what=what))
    if sig.authority == "" and sig.on_behalf.strip():
        problems.add(("signature", "on_behalf"), _("on_behalf is only used with authority T/M, K/T or T/L (State: TM., KT., TL., TUQ.)."))
    if sig.authority in DEPUTY_AUTHORITIES and sig.on_behalf.strip().lower() == sig.title.strip().lower():
        problems.add(("signature", "title"), _("with {authority} the signer is the deputy: the title must differ from the head's title \"{head}\".").format(authority=sig.authority, head=sig.on_behalf))
    if sig.authority == "K/T" and "bí thư" in sig.on_behalf.lower():
        problems.add(("signature", "authority"), _("a cấp ủy is collective: a phó bí thư signs T/M with title Phó Bí thư, never K/T BÍ THƯ."))
