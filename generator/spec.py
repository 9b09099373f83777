"""The spec: its schema (one source of truth for validation, docs/spec.schema.json and the docs) and the
typed objects a validated spec becomes.

Cross-field rules (a K/T signature names the head's title, a blank number only in a draft, footnote
references and texts match…) run after the per-key checks, in :func:`cross_check`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import data
from .errors import Problem
from .i18n import _
from .schema import AnyOf, Choice, Date, Flag, ListOf, Mapping, Number, Problems, Text

AUTHORITIES = ["", "T/M", "K/T", "T/L", "Q."]


@dataclass(frozen=True)
class Issuer:
    name: str
    superior: str
    symbol: str
    short_name: str
    locality: str


@dataclass(frozen=True)
class Parent:
    type: str
    number: str
    symbol: str
    date: dt.date
    issuer: str
    subject: str
    short_name: str


@dataclass(frozen=True)
class Opening:
    verb: str
    date_comma: bool
    basis_extra: str
    quote_subject: bool
    short_name_phrase: str
    separator: str
    actor: str | None
    action: str | None
    text: str | None


@dataclass(frozen=True)
class Numbering:
    roman: str
    letter: str


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
class Slogans:
    title: str
    items: list[str]


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


def _doc_type_ids() -> list[str]:
    return list(data.doc_types())


ISSUER = Mapping(
    {
        "name": Text(_("the issuing organ's name, e.g. Ban Tuyên giáo"), required=True, allow_empty=False),
        "superior": Text(_("the directly superior organ, e.g. Thành ủy Lai Châu"), default=""),
        "symbol": Text(_("the organ's symbol in the number, e.g. BTGThU"), required=True, allow_empty=False),
        "short_name": Text(_("how the text names the organ, e.g. Ban Tuyên giáo Thành ủy"), required=True, allow_empty=False),
        "locality": Text(_("the locality word, e.g. thành phố, huyện, xã"), default=""),
    },
    description=_("the issuing organ"),
    required=True,
    build=lambda v: Issuer(**v),
)

PARENT = Mapping(
    {
        "type": Text(_("the parent's type as written in the text, e.g. Hướng dẫn"), required=True, allow_empty=False),
        "number": Text(_("the parent's number"), required=True, allow_empty=False),
        "symbol": Text(_("the parent's symbol, e.g. HD/BTGTU"), required=True, allow_empty=False),
        "date": Date(_("the parent's date"), required=True),
        "issuer": Text(_("the parent's issuer as named in the text"), required=True, allow_empty=False),
        "subject": Text(_("the parent's subject (trích yếu)"), required=True, allow_empty=False),
        "short_name": Text(_("the short name the text then uses"), default=""),
    },
    description=_("a parent directive"),
    build=lambda v: Parent(**{**v, "number": str(v["number"])}),
)

OPENING = Mapping(
    {
        "verb": Text(_("first words of the opening"), default="Thực hiện"),
        "date_comma": Flag(_("comma before \"ngày\""), default=True),
        "basis_extra": Text(_("words after the parent's issuer"), default=""),
        "quote_subject": Flag(_("quote the parent's subject"), default=False),
        "short_name_phrase": Choice(["sau đây gọi là", "viết tắt là", "sau đây viết tắt là", "gọi tắt là"], _("phrase before a short name"), default="sau đây gọi là"),
        "separator": Choice([";", ","], _("between basis and action"), default=";"),
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
        "authority": Choice(AUTHORITIES, _("signing authority"), default=""),
        "on_behalf": Text(_("the collective (T/M, T/L) or the head's title (K/T)"), default=""),
        "title": Text(_("the signer's title"), required=True, allow_empty=False),
        "name": Text(_("the signer's name"), required=True, allow_empty=False),
    },
    description=_("the signature block"),
    required=True,
    build=lambda v: Signature(**v),
)

SLOGANS = AnyOf(
    ListOf(Text(allow_empty=False)),
    Mapping(
        {
            "title": Text(_("the slogans section title"), default="MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN"),
            "items": ListOf(Text(allow_empty=False), required=True),
        }
    ),
    description=_("slogans"),
)

SPEC = Mapping(
    {
        "profile": Choice(["party"], _("the format regime"), default="party"),
        "type": Choice(_doc_type_ids, _("the document type"), required=True),
        "number": Number(_("the document number"), default=""),
        "draft": Flag(_("a draft"), default=False),
        "issuer": ISSUER,
        "place": Text(_("the place on the date line"), required=True, allow_empty=False),
        "date": Date(_("the document date"), required=True),
        "subject": Text(_("the subject (trích yếu)"), required=True, allow_empty=False),
        "separator": Choice(["-----", "rule"], _("under the subject: five hyphens, or a drawn rule"), default="-----"),
        "implements": ListOf(PARENT, _("parent directives"), default=[]),
        "opening": OPENING,
        "numbering": NUMBERING,
        "body": Text(_("the content in light markup"), required=True, allow_empty=False, max_length=500_000),
        "slogans": SLOGANS,
        "recipients": ListOf(RECIPIENT, _("recipients (Nơi nhận)"), required=True),
        "archive": Text(_("what follows \"Lưu\""), default=""),
        "signature": SIGNATURE,
    },
    description=_("a gen-directive spec"),
)


def validate(raw: Any) -> tuple[Spec | None, list[Problem]]:
    """Per-key validation, then the cross-field rules. Returns the spec only when there is no problem."""
    problems = Problems()
    if not isinstance(raw, dict):
        problems.add((), _("the top level must be a mapping of keys (type:, issuer:, date:, …), got {got}.").format(got=_type(raw)))
        return None, list(problems)
    values = SPEC.validate(raw, (), problems)
    if values is None or problems:
        return None, list(problems)
    values = _fill_defaults(values)
    spec = Spec(**values)
    cross_check(spec, problems)
    return (None if problems else spec), list(problems)


def _type(value: Any) -> str:
    from .schema import type_name

    return type_name(value)


def _fill_defaults(values: dict[str, Any]) -> dict[str, Any]:
    if values["opening"] is None:
        values["opening"] = OPENING.build({k: o.default for k, o in OPENING.fields.items()})  # type: ignore[misc]
    if values["numbering"] is None:
        values["numbering"] = NUMBERING.build({k: o.default for k, o in NUMBERING.fields.items()})  # type: ignore[misc]
    values["recipients"] = [r if isinstance(r, Recipient) else Recipient(text=r) for r in values["recipients"]]
    slogans = values["slogans"]
    if isinstance(slogans, list):
        values["slogans"] = Slogans("MỘT SỐ KHẨU HIỆU TUYÊN TRUYỀN", slogans) if slogans else None
    elif isinstance(slogans, dict):
        values["slogans"] = Slogans(slogans["title"], slogans["items"]) if slogans["items"] else None
    return values


def cross_check(spec: Spec, problems: Problems) -> None:
    """Rules that span several keys."""
    if spec.number == "" and not spec.draft:
        problems.add(("number",), _("a number is required unless the document is a draft (draft: true)."))
    sig = spec.signature
    if sig.authority in ("T/M", "T/L", "K/T") and not sig.on_behalf.strip():
        what = _("the head's title, e.g. Trưởng ban") if sig.authority == "K/T" else _("the collective, e.g. Ban Thường vụ")
        problems.add(("signature", "on_behalf"), _("a {authority} signature needs on_behalf: {what}.").format(authority=sig.authority, what=what))
    if sig.authority == "" and sig.on_behalf.strip():
        problems.add(("signature", "on_behalf"), _("on_behalf is only used with authority T/M, K/T or T/L."))
    if sig.authority == "K/T" and sig.on_behalf.strip().lower() == sig.title.strip().lower():
        problems.add(("signature", "title"), _("with K/T the signer is the deputy: the title must differ from the head's title \"{head}\".").format(head=sig.on_behalf))
    if sig.authority == "K/T" and "bí thư" in sig.on_behalf.lower():
        problems.add(("signature", "authority"), _("a cấp ủy is collective: a phó bí thư signs T/M with title Phó Bí thư, never K/T BÍ THƯ."))
    for index, parent in enumerate(spec.implements):
        if parent.date > spec.date:
            problems.add(("implements", index, "date"), _("the parent is dated {parent}, after this document ({date}).").format(parent=parent.date.isoformat(), date=spec.date.isoformat()))
    if not spec.implements and spec.opening.text is None:
        problems.add(("implements",), _("list the parent directive(s) the document implements, or write the opening yourself in opening.text."))
