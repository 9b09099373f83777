"""The organ registry: every Party organ a spec may name by id, with what the header, the date line and the
running text say about it, whom its documents usually go to, and the dates it existed.

The shipped registry is ``data/organs/*.yaml``; a spec may add files of its own (``registry: [my.yaml]``,
same schema). Files are loaded like specs (:func:`generator.loader.load_yaml`: safe, size-limited, every
value located) and validated with the option objects of :mod:`generator.schema`, so a mistake in a
registry file is reported as ``file:line:column: organs.<id>.<key>: message``.

Fields a body of a committee (``kind: body``: a ban, the văn phòng…) does not give are derived from its
committee, following the rules of format-rules.md §A5:

* the header line above its name is the committee's name ("THÀNH ỦY LAI CHÂU" / "BAN TUYÊN GIÁO");
* its symbol is its abbreviation followed by the committee's symbol (BTG + ThU → BTGThU);
* its running-text names are its name followed by the committee's ("Ban Tuyên giáo Thành ủy",
  "Ban Tuyên giáo Thành ủy Lai Châu"); place, locality, area and media are the committee's.

A committee below the province prints "ĐẢNG BỘ <area of the superior>" above its name ("ĐẢNG BỘ TỈNH LAI
CHÂU" / "ĐẢNG ỦY XÃ BÌNH LƯ"). ``like: <id>`` copies the generic fields (recipients, signature, …) of a
sibling, so thirty communes need not repeat them.

An organ has the dates it existed (``valid_from``/``valid_until``, either may be open) and the organs that
took over its work (``successor``). Using it outside its dates is an error that names the successor (or the
predecessor, for a date before it existed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import country
from .dates import citation_date
from .errors import Problem, SpecError
from .i18n import _
from .loader import Loaded, load_yaml
from .paths import DATA_DIR
from .vocab import ALL_AUTHORITIES, REGIMES, fold, modern_tones, plain  # noqa: F401 (re-exported)
from .schema import AnyOf, Choice, Date, DictOf, Flag, ListOf, Mapping, Problems, Text, type_name

Path_ = tuple[str | int, ...]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
LEVELS = ["central", "province", "district", "commune", "cell"]
KINDS = ["committee", "body"]
# fields ``like:`` copies from a sibling (never the names, place, dates or successors of the organ itself)
LIKE_FIELDS = ("regime", "kind", "level", "superior", "header_superior", "symbol", "abbreviation", "short_name", "locality",
               "actor", "subordinates", "media", "recipients", "archive", "signature")


def looks_like_id(value: Any) -> bool:
    """Whether a parent's ``issuer`` text names a registry organ: ``lai-chau/tinh-uy`` (levels joined by "/"),
    or a top-level id of the shipped registry (``tw``). Organ names ("Ban Tuyên giáo Tỉnh ủy") never look like
    this; a bare word such as "abc" or "0" stays text. Characters the loader removes do not count."""
    if not isinstance(value, str):
        return False
    from .loader import _FORBIDDEN_RE

    cleaned = _FORBIDDEN_RE.sub("", value).strip()
    if not ID_PATTERN.match(cleaned):
        return False
    return "/" in cleaned or cleaned in _top_level_ids()


@lru_cache(maxsize=1)
def _top_level_ids() -> frozenset[str]:
    try:
        return frozenset(i for i in shipped().organs if "/" not in i)
    except SpecError:  # a broken data file is reported where it is used
        return frozenset({"tw"})


ID_HINT = _("lowercase words joined by \"-\", levels separated by \"/\", e.g. lai-chau/tinh-uy/ban-tuyen-giao")

REG_RECIPIENT = AnyOf(
    Text(allow_empty=False),
    Mapping(
        {
            "text": Text(_("the recipient"), required=True, allow_empty=False),
            "bc": Flag(_("add (b/c): a recipient above the issuer"), default=False),
            "end": Text(_("end punctuation of the line"), default=None),
            "from": Date(_("first day this line applies"), default=None),
            "until": Date(_("last day this line applies"), default=None),
        }
    ),
    description=_("a default recipient line"),
)

REG_SIGNATURE = Mapping(
    {
        "authority": Choice(list(ALL_AUTHORITIES), _("signing authority"), default=""),
        "on_behalf": Text(_("the collective (T/M, T/L) or the head's title (K/T)"), default=""),
        "title": Text(_("the signer's title"), default=None),
    },
    description=_("how the organ's documents are usually signed (the signer's name stays in the spec)"),
)

ORGAN = Mapping(
    {
        "name": Text(_("the organ's name as printed in the header, e.g. Ban Tuyên giáo"), allow_empty=False),  # required unless generated (checked in _build)
        "regime": Choice(list(REGIMES), _("party (a Party organ, HD 36) or state (a People's Committee and its bodies, Nghị định 30); default: the superior's, else party"), default=None),
        "header_name": Text(_("the name as the header prints it when it differs from name, e.g. two lines \"Ủy ban nhân dân\\nxã Bình Lư\""), default=None),
        "kind": Choice(KINDS, _("committee (a cấp ủy) or body (a ban, the văn phòng… of a committee)"), default=None),
        "level": Choice(LEVELS, _("the level of the organ"), default=None),
        "like": Text(_("id of a sibling whose generic fields (recipients, signature, …) this organ shares"), default=None),
        "superior": Text(_("id of the directly superior organ"), default=None),
        "header_superior": Text(_("the line printed above the name in the header (\"\" for none)"), default=None),
        "symbol": Text(_("the organ part of the number, e.g. BTGThU"), default=None),
        "abbreviation": Text(_("a body's abbreviation; its symbol is this plus its committee's symbol"), default=None),
        "short_name": Text(_("how running text names the organ, e.g. Ban Tuyên giáo Thành ủy"), default=None),
        "full_name": Text(_("the name other organs cite it by, e.g. Ban Tuyên giáo Thành ủy Lai Châu"), default=None),
        "place": Text(_("the place on the date line, e.g. TP. Lai Châu"), default=None),
        "locality": Text(_("the locality word, e.g. thành phố, huyện, xã"), default=None),
        "area": Text(_("the locality named in full, e.g. thành phố Lai Châu"), default=None),
        "actor": Text(_("who acts in the opening paragraph, e.g. Ban Thường vụ Thành ủy"), default=None),
        "subordinates": Text(_("the organs directly below, as running text names them"), default=None),
        "media": Text(_("the locality's own media as running text names them"), default=None),
        "recipients": ListOf(REG_RECIPIENT, _("default recipients of what it issues"), default=None),
        "archive": Text(_("what follows \"Lưu\" on the last recipient line"), default=None),
        "signature": REG_SIGNATURE,
        "valid_from": Date(_("the first day the organ existed"), default=None),
        "valid_until": Date(_("the last day the organ existed"), default=None),
        "successor": AnyOf(Text(allow_empty=False), ListOf(Text(allow_empty=False)), description=_("id(s) of the organ(s) that took over its work")),
        "note": Text(_("sources and confidence of these facts"), default=""),
    },
    description=_("one organ"),
)

REGISTRY_FILE = Mapping(
    {"organs": DictOf(ORGAN, ID_PATTERN, ID_HINT, _("the organs, by id"), required=True)},
    description=_("a registry file of organs"),
)


@dataclass(frozen=True)
class DefaultRecipient:
    text: str
    bc: bool = False
    end: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def applies_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_until is None or date <= self.valid_until)


@dataclass(frozen=True)
class Organ:
    id: str
    name: str
    kind: str
    level: str | None
    superior_id: str | None
    header_superior: str
    symbol: str
    short_name: str
    full_name: str
    place: str | None
    locality: str
    area: str
    actor: str
    subordinates: str
    media: str
    recipients: tuple[DefaultRecipient, ...] | None
    archive: str | None
    signature: dict[str, Any] | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    successors: tuple[str, ...]
    file: str = ""
    regime: str = "party"
    header_name: str = ""          # the header's wording of the name ("" = name)
    derived_header: bool = False   # header_superior was derived from the superior (and follows it on a date)

    def valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (self.valid_until is None or date <= self.valid_until)

    def recipients_on(self, date: dt.date) -> list[DefaultRecipient] | None:
        if self.recipients is None:
            return None
        return [r for r in self.recipients if r.applies_on(date)]


@dataclass
class Registry:
    organs: dict[str, Organ] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    resolver: "_Resolver | None" = field(default=None, repr=False)   # resolves generated organs when first asked

    def get(self, organ_id: str) -> Organ | None:
        """The organ: hand-written, or generated (data/registry/, read on first use), or None."""
        organ_id = organ_id.strip()
        found = self.organs.get(organ_id)
        if found is None and self.resolver is not None and country.has(organ_id):
            problems = self.resolver.problems
            before = len(problems)
            found = self.resolver.organ(organ_id)
            if len(problems) > before:  # a clerk's override that does not fit the generated organ it changes
                raise SpecError(problems[before:])
        return found

    def predecessors(self, organ_id: str) -> list[Organ]:
        found = {o.id: o for o in self.organs.values() if organ_id in o.successors}
        if self.resolver is not None:
            for other in country.predecessors(organ_id):
                organ = self.get(other)
                if organ is not None and organ_id in organ.successors:
                    found.setdefault(other, organ)
        return sorted(found.values(), key=lambda o: o.id)

    def as_on(self, organ: Organ, date: dt.date) -> Organ:
        """The organ as a document of ``date`` shows it: a derived line "Đảng bộ <area>" above a committee's name
        follows its superior when the superior was succeeded (Tỉnh ủy Đồng Nai → Thành ủy Đồng Nai, 30/4/2026)."""
        if not organ.derived_header or organ.superior_id is None:
            return organ
        superior = self.get(organ.superior_id)
        if superior is None or superior.valid_on(date):
            return organ
        for successor_id in superior.successors:
            successor = self.get(successor_id)
            if successor is not None and successor.valid_on(date) and successor.area:
                return dataclasses.replace(organ, header_superior=f"Đảng bộ {successor.area}")
        return organ

    def suggest(self, organ_id: str) -> str:
        candidates = list(self.organs)
        if self.resolver is not None:
            candidates += country.ids(organ_id.split("/", 1)[0]) if "/" in organ_id else []
        close = difflib.get_close_matches(organ_id, candidates, n=1, cutoff=0.6)
        return _(" Did you mean \"{suggestion}\"?").format(suggestion=close[0]) if close else ""

    def unknown(self, organ_id: str) -> str:
        """The message for an id that is not in the registry."""
        return (_("unknown organ \"{id}\".").format(id=organ_id) + self.suggest(organ_id)
                + _(" The registry is data/organs/*.yaml, the generated data/registry/ (every province and commune) and the files listed under registry:; `gen-directive organs TEXT` searches it."))

    def validity_problem(self, organ: Organ, date: dt.date) -> str | None:
        """Why ``organ`` cannot act on ``date`` (naming its successor or predecessor), or None."""
        if organ.valid_until is not None and date > organ.valid_until:
            message = _("{name} ceased on {until}").format(name=organ.full_name, until=citation_date(organ.valid_until))
            successors = [s for s in (self.get(i) for i in organ.successors) if s is not None]
            if len(successors) == 1:
                return message + _("; its successor is {name} ({id}).").format(name=successors[0].full_name, id=successors[0].id)
            if successors:
                names = ", ".join(f"{s.full_name} ({s.id})" for s in successors)
                return message + _("; its successors are {names}.").format(names=names)
            return message + _("; the registry records no successor: name the organ that issues now.")
        if organ.valid_from is not None and date < organ.valid_from:
            message = _("{name} was established on {since}, after this date ({date})").format(
                name=organ.full_name, since=citation_date(organ.valid_from), date=citation_date(date))
            before = [p for p in self.predecessors(organ.id) if p.valid_on(date)] or self.predecessors(organ.id)
            if before:
                names = ", ".join(f"{p.full_name} ({p.id})" for p in before)
                return message + _("; before it: {names}.").format(names=names)
            return message + "."
        return None

    def match(self, symbol: str | None, name: str | None, superior: str | None, date: dt.date | None) -> list[Organ]:
        """Organs whose header (name, line above) and symbol fit what a document shows: the hand-written ones,
        else the generated ones of that name (reading every file of data/registry/: ``check`` and ``init`` only)."""
        hand_written = [o for o in self.organs.values() if not o.file.startswith(country.FILE_PREFIX)]
        found = _fitting(hand_written, symbol, name, superior, date)
        if not found and name and self.resolver is not None:
            generated = [o for o in (self.get(i) for i in country.ids_named(fold(name), fold)) if o is not None]
            found = _fitting(generated, symbol, name, superior, date)
        return found


def _fitting(found: list[Organ], symbol: str | None, name: str | None, superior: str | None, date: dt.date | None) -> list[Organ]:
    if symbol:
        found = [o for o in found if o.symbol == symbol]
    if name:
        found = [o for o in found if fold(o.name) == fold(name)]
    if superior is not None:  # the line above the name tells same-named organs apart (every province has a Ban Tuyên giáo)
        found = [o for o in found if fold(o.header_superior) == fold(superior)]
    if date is not None and len(found) > 1:
        narrowed = [o for o in found if o.valid_on(date)]
        found = narrowed or found
    return found


# --------------------------------------------------------------------------------------------------
# Loading


@dataclass
class _Raw:
    id: str
    values: dict[str, Any]
    loaded: Loaded


def _registry_files() -> list[Path]:
    return sorted((DATA_DIR / "organs").glob("*.yaml"))


def _display(path: Path) -> str:
    """A shipped registry file as the clerk knows it, ``data/organs/x.yaml``, installed or not."""
    try:
        return str(Path("data") / path.relative_to(DATA_DIR))
    except ValueError:
        return str(path)


@lru_cache(maxsize=None)
def shipped() -> Registry:
    """The registry in data/organs/, read and checked once per process."""
    return build([(p, _display(p)) for p in _registry_files()])


def with_extra(extra: list[tuple[Path, str]]) -> Registry:
    """The shipped registry plus a spec's own files (each ``(path, as shown in messages)``)."""
    if not extra:
        return shipped()
    return build([(p, _display(p)) for p in _registry_files()] + list(extra))


def build(files: list[tuple[Path, str]]) -> Registry:
    raws: dict[str, _Raw] = {}
    problems: list[Problem] = []
    for path, display in files:
        loaded = _load(path, display)
        found = Problems()
        values = REGISTRY_FILE.validate(loaded.data, (), found) if isinstance(loaded.data, dict) else None
        if values is None and not found:
            found.add((), _("a registry file is a mapping with one key, organs:, got {got}.").format(got=type_name(loaded.data)))
        problems.extend(loaded.locate(p) for p in found)
        if found or values is None:
            continue
        for organ_id, organ_values in values["organs"].items():
            if organ_values is None:
                continue
            if organ_id in raws:
                first = raws[organ_id].loaded.file
                problems.append(loaded.locate(Problem(("organs", organ_id), _("the organ \"{id}\" is already defined in {file}; choose another id (a spec can still change any field: issuer: {{id: …, short_name: …}}).").format(id=organ_id, file=first))))
                continue
            raws[organ_id] = _Raw(organ_id, organ_values, loaded)
    if problems:
        raise SpecError(problems)
    registry = Registry(files=[d for _p, d in files])
    resolver = _Resolver(raws, registry, problems)
    for organ_id in raws:
        resolver.organ(organ_id)
    for raw in raws.values():
        for index, successor in enumerate(_successors(raw.values)):
            if successor not in raws and not country.has(successor):
                path: Path_ = ("organs", raw.id, "successor") if isinstance(raw.values.get("successor"), str) else ("organs", raw.id, "successor", index)
                problems.append(raw.loaded.locate(Problem(path, registry.unknown(successor))))
    if problems:
        raise SpecError(problems)
    registry.resolver = resolver
    return registry


def _load(path: Path, display: str) -> Loaded:
    """A registry file, loaded; a shipped one (data/organs/) parsed once and kept (:mod:`generator.disk_cache`),
    a clerk's own every time."""
    if not Path(path).resolve().is_relative_to(DATA_DIR.resolve()):
        return load_yaml(path, display)
    from .disk_cache import cached

    try:
        raw = Path(path).read_bytes()
    except OSError:
        return load_yaml(path, display)  # the loader words the failure
    return cached("organs:" + display, raw, lambda: load_yaml(path, display))


def _successors(values: dict[str, Any]) -> list[str]:
    value = values.get("successor")
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


class _Resolver:
    """Derives what a body or committee does not state from its superior (memoised, cycle-safe)."""

    def __init__(self, raws: dict[str, _Raw], registry: Registry, problems: list[Problem]) -> None:
        self.raws = raws                      # the hand-written organs (data/organs/*.yaml, a spec's own files)
        self.registry = registry
        self.problems = problems
        self.visiting: set[str] = set()
        self.generated: dict[str, _Raw] = {}

    def raw(self, organ_id: str) -> _Raw | None:
        """A hand-written organ, else a generated one (data/registry/)."""
        found = self.raws.get(organ_id)
        if found is not None:
            return found
        found = self.generated.get(organ_id)
        if found is None:
            values = country.record(organ_id)
            if values is None:
                return None
            shard = country.shard_file(organ_id)
            found = self.generated[organ_id] = _Raw(organ_id, values, Loaded(None, shard))
        return found

    def problem(self, raw: _Raw, key: tuple[str, ...], message: str) -> None:
        self.problems.append(raw.loaded.locate(Problem(("organs", raw.id) + key, message)))

    def values(self, raw: _Raw, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        """The organ's own values, completed by those of the organ it is ``like`` (which may itself be like another)."""
        values = dict(raw.values)
        like_id = values.get("like")
        if not like_id:
            return self._generated_under(raw, values)
        like = self.raw(like_id)
        if like is None:
            self.problem(raw, ("like",), self.registry.unknown(like_id))
            return values
        if like_id in seen or like_id == raw.id:
            self.problem(raw, ("like",), _("like: comes back to \"{id}\".").format(id=like_id))
            return values
        copied = self.values(like, seen + (raw.id,))
        for key in LIKE_FIELDS:
            if values.get(key) is None and copied.get(key) is not None:
                values[key] = copied[key]
        return self._generated_under(raw, values)

    def _generated_under(self, raw: _Raw, values: dict[str, Any]) -> dict[str, Any]:
        """A hand-written organ that is also generated keeps its own fields (and those of its ``like``) and
        takes the generated ones it does not give: a clerk may write only the recipients of a commune."""
        if raw.id not in self.raws or not country.has(raw.id):
            return values
        generated = country.record(raw.id) or {}
        for key, value in generated.items():
            if values.get(key) is None:
                values[key] = value
        return values

    def organ(self, organ_id: str) -> Organ | None:
        if organ_id in self.registry.organs:
            return self.registry.organs[organ_id]
        raw = self.raw(organ_id)
        if raw is None:
            return None
        if organ_id in self.visiting:
            self.problem(raw, ("superior",), _("the chain of superiors comes back to \"{id}\".").format(id=organ_id))
            return None
        self.visiting.add(organ_id)
        try:
            organ = self._build(raw, self.values(raw))
        finally:
            self.visiting.discard(organ_id)
        if organ is not None:
            self.registry.organs[organ_id] = organ
        return organ

    def _build(self, raw: _Raw, v: dict[str, Any]) -> Organ | None:
        superior: Organ | None = None
        superior_id = v.get("superior")
        if superior_id:
            if self.raw(superior_id) is None:
                self.problem(raw, ("superior",), self.registry.unknown(superior_id))
                return None
            superior = self.organ(superior_id)
            if superior is None:
                return None
        kind = v.get("kind") or "committee"
        if kind == "body" and superior is None:
            self.problem(raw, ("kind",), _("a body (kind: body) belongs to a committee: name it in superior:."))
            return None
        body = kind == "body"
        name = v.get("name")
        if not name:
            self.problem(raw, (), _("the key \"{key}\" is required ({what}).").format(
                key="name", what=_("the organ's name as printed in the header, e.g. Ban Tuyên giáo")))
            return None
        regime = v.get("regime") or (superior.regime if superior is not None else "party")

        symbol = v.get("symbol")
        abbreviation = v.get("abbreviation")
        if abbreviation and superior is not None:
            derived = f"{abbreviation}{superior.symbol}"
            if symbol and symbol != derived and regime == "party":
                self.problem(raw, ("symbol",), _("the symbol of a body is its abbreviation plus its committee's symbol: {abbr} + {committee} = {derived}, not {symbol}.").format(
                    abbr=abbreviation, committee=superior.symbol, derived=derived, symbol=symbol))
            symbol = symbol or derived
        if not symbol:
            self.problem(raw, (), _("give symbol: (or, for a body, abbreviation:)."))
            return None

        def inherited(key: str, fallback: str = "") -> str:
            if v.get(key) is not None:
                return v[key]
            if body and superior is not None:
                return getattr(superior, key) or fallback
            return fallback

        derived_header = False
        if v.get("header_superior") is not None:
            header_superior = v["header_superior"]
        elif superior is None:
            header_superior = ""
        elif body:
            header_superior = superior.name
        elif superior.level == "central" or not superior.area or regime == "state":
            header_superior = ""  # a UBND prints no line above its name (NĐ 30 ô 2: only a cơ quan chủ quản would)
        else:
            header_superior = f"Đảng bộ {superior.area}"
            derived_header = True
        short_name = v.get("short_name") or (f"{name} {superior.short_name}" if body and superior else name)
        full_name = v.get("full_name") or (f"{name} {superior.full_name}" if body and superior else name)
        place = v.get("place") if v.get("place") is not None else (superior.place if body and superior else None)

        valid_from, valid_until = v.get("valid_from"), v.get("valid_until")
        if body and superior is not None:  # a body lives no longer than its committee
            if superior.valid_until is not None and (valid_until is None or superior.valid_until < valid_until):
                valid_until = superior.valid_until
            if superior.valid_from is not None and (valid_from is None or superior.valid_from > valid_from):
                valid_from = superior.valid_from
        if valid_from and valid_until and valid_until < valid_from:
            self.problem(raw, ("valid_until",), _("valid_until ({until}) is before valid_from ({since}).").format(
                until=valid_until.isoformat(), since=valid_from.isoformat()))

        recipients = None
        if v.get("recipients") is not None:
            recipients = tuple(
                DefaultRecipient(r) if isinstance(r, str) else
                DefaultRecipient(r["text"], r["bc"], r["end"], r["from"], r["until"])
                for r in v["recipients"])
        signature = v.get("signature")
        level = v.get("level") or (superior.level if body and superior else None)
        return Organ(
            id=raw.id, name=name, kind=kind, level=level, superior_id=superior_id, header_superior=header_superior,
            symbol=symbol, short_name=short_name, full_name=full_name, place=place,
            locality=inherited("locality"), area=inherited("area"),
            actor=v.get("actor") or short_name, subordinates=inherited("subordinates"), media=inherited("media"),
            recipients=recipients, archive=v.get("archive"), signature=dict(signature) if signature else None,
            valid_from=valid_from, valid_until=valid_until, successors=tuple(_successors(v)), file=raw.loaded.file,
            regime=regime, header_name=v.get("header_name") or "", derived_header=derived_header,
        )


# --------------------------------------------------------------------------------------------------
# A spec's own registry files


def for_spec(relatives: list[str], base_dir: Path, loaded: Loaded | None = None) -> Registry:
    """The registry a spec sees: the shipped files and its own, named relative to the spec's folder and
    confined to it (:func:`generator.loader.confined_path`; a path outside is an :class:`UnsafePath`)."""
    from .loader import confined_path

    extra = []
    for index, relative in enumerate(relatives):
        path = confined_path(base_dir, relative, [], ("registry", index), loaded=loaded)
        if not path.is_file():
            problem = Problem(("registry", index), _("{path}: no such registry file beside the spec.").format(path=relative))
            raise SpecError([loaded.locate(problem) if loaded is not None else problem])
        extra.append((path, str(base_dir / relative)))
    return with_extra(extra)


def main() -> None:  # pragma: no cover - a listing for clerks
    """Every organ, hand-written and generated: the same as ``gen-directive organs``."""
    from .commands.organs import organs_command

    organs_command(None, None, False)


if __name__ == "__main__":  # pragma: no cover
    main()
