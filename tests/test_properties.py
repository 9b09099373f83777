"""Property-based tests: generated specs, valid and invalid, through the CLI entry point.

Every run must end in one of two ways:

* exit 0 and a .docx that re-opens (every XML part well-formed, python-docx reads it) and contains every
  string of the spec; or
* exit 1 or 2 and a message whose every line starts with the spec's name and, for a problem in the spec,
  its line and column; never a traceback, never "internal error", the previous output file untouched and
  no temporary file left.

"Contains every string" is checked field by field, as the generator prints each one (``expected_texts``):
the header's superior organ and organ name, and the signature's authority and title lines, in
UPPERCASE (Python's ``str.upper``); the number as ``Số 05-HD/SYMBOL`` (two digits at least); the date line
as ``PLACE, ngày DD tháng M năm YYYY`` (months 1 and 2 with two digits); each parent in the opening as
``TYPE số NUMBER-SYMBOL`` … ``DD/M/YYYY`` … ``ISSUER`` … ``SUBJECT``; recipients as ``- TEXT`` (+ `` (b/c)``);
slogans as ``N. TEXT``; the body's headings, paragraphs and list items as their text without the markup;
footnote texts in the footnotes part. Both sides are compared in NFC with every run of whitespace as one
space (a line break in a field is a line break in Word, and Word's tabs and breaks read back as spaces),
after removing the characters XML cannot hold (which the CLI reports as a warning).

Body text is generated from an alphabet without Markdown's special characters (the body *is* markup:
``**x**`` is bold); those characters are covered in every other field here and through backslash escapes
in ``test_safety.py``. Fields never contain ``{{``, ``{%`` or ``{#`` (Jinja, tested on its own).

Size: ``HYPOTHESIS_EXAMPLES`` (default 250) examples per property; ``HYPOTHESIS_EXAMPLES=10000`` for the
long run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, example, given, note, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import ROOT, run_cli
from docxtext import body_paragraphs, footnote_texts
from generator import cli, data
from generator.i18n import set_language
from generator.jinja_env import has_template_syntax
from generator.loader import _FORBIDDEN_RE
from generator.registry import looks_like_id
from generator.spec import regime_of_symbol

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "250"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
OLD_OUTPUT = b"the previous document"
DOC_TYPES = sorted(data.doc_types())
VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
              "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ")


@pytest.fixture(autouse=True)
def _language_back():
    yield
    set_language(None)


# --- strategies -----------------------------------------------------------------------------------

def _usable(text: str) -> bool:
    visible = _FORBIDDEN_RE.sub("", text)  # what the loader keeps: "{\x08%" becomes "{%"
    return (bool(visible.strip()) and not has_template_syntax(visible)
            and unicodedata.category(visible.lstrip()[:1] or "a")[0] != "M")  # not a combining mark first


# Any Unicode a YAML file can carry (surrogates cannot be UTF-8), XML's forbidden controls included.
any_char = st.characters(codec="utf-8", exclude_categories=("Cs",))
viet_word = st.text(st.sampled_from(VIETNAMESE), min_size=1, max_size=9)
viet_text = st.lists(viet_word, min_size=1, max_size=6).map(" ".join)
special_text = st.lists(st.one_of(viet_word, st.sampled_from(["&", "<", ">", '"', "'", "\\", "]]>", "&amp;", "*", "_", "#", "- ", "1.", "[^1]", "`", "|", ":", "%", "@", "!"])),
                        min_size=1, max_size=8).map(" ".join)
unicode_text = st.text(any_char, min_size=1, max_size=30)
field_text = st.one_of(viet_text, special_text, unicode_text).filter(_usable)
multiline_text = st.lists(field_text, min_size=1, max_size=3).map("\n".join)

# The body: an alphabet without Markdown's specials; each block starts with a letter.
body_chars = st.one_of(st.sampled_from(VIETNAMESE + ",.;:?()\"'/%&<=$§°–—…“”«»"),
                       st.characters(codec="utf-8", categories=("L", "N", "Zs")))
body_word = st.text(body_chars, min_size=1, max_size=10).map(lambda w: "".join(ch for ch in w if not ch.isspace()) or "x")
body_text = st.tuples(st.sampled_from(VIETNAMESE), st.lists(body_word, min_size=0, max_size=8)).map(
    lambda t: (t[0] + " " + " ".join(t[1])).strip())


@st.composite
def bodies(draw) -> tuple[str, list[str], list[str]]:
    """(markup, texts the body shows, footnote texts)."""
    lines: list[str] = []
    shown: list[str] = []
    notes: list[str] = []
    last_heading = 0
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["heading", "paragraph", "dash", "plus", "ordered", "quote", "emphasis", "footnote"]))
        text = draw(body_text)
        if kind == "heading":
            level = draw(st.sampled_from([1, 4, *range(1, min(last_heading + 1, 3) + 1)]))
            last_heading = level if level < 4 else last_heading
            lines += [f"{'#' * level} {text}", ""]
        elif kind == "paragraph":
            lines += [text, ""]
        elif kind == "dash":
            lines += [f"- {text}", ""]
        elif kind == "plus":
            lines += [f"- {text}", f"  - {text}", ""]
        elif kind == "ordered":
            lines += [f"{draw(st.integers(1, 99))}. {text}", ""]
        elif kind == "quote":
            lines += [f"> {text}", ""]
        elif kind == "emphasis":
            lines += [f"{text} **{text}** *{text}* hết", ""]
            text = f"{text} {text} {text} hết"
        else:
            number = len(notes) + 1
            note_text = draw(body_text)
            lines += [f"{text}[^{number}] tiếp", ""]
            notes.append(note_text)
            text = f"{text} tiếp"
        shown.append(text)
    for number, note_text in enumerate(notes, start=1):
        lines.append(f"[^{number}]: {note_text}")
    return "\n".join(lines) + "\n", shown, notes


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
# A valid spec is dated under the rules this program knows (before HD 36's 03/4/2018 a warning says so).
valid_dates = st.dates(min_value=dt.date(2018, 4, 3), max_value=dt.date(2100, 12, 31))
# Party kinds (the specs below are Party specs: their issuer is written out, without regime)
PARTY_TYPES = [t for t in DOC_TYPES if "party" in data.kind(t, "party").regimes]


@st.composite
def specs(draw) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the spec as YAML data, facts the test needs)."""
    date = draw(valid_dates)
    draft = draw(st.booleans())
    number: Any = draw(st.one_of(st.integers(1, 999_999), st.integers(1, 999).map(lambda n: f"{n:03d}")))
    if draft and draw(st.booleans()):
        number = ""
    issuer = {
        "name": draw(field_text),
        "superior": draw(st.one_of(st.just(""), field_text)),
        "symbol": draw(field_text),
        "short_name": draw(field_text),
        "locality": draw(field_text),
    }
    parents = []
    for _ in range(draw(st.integers(0, 3))):
        # A parent's issuer written like a registry id ("lai-chau/tinh-uy") names a registry organ, and a
        # type written like a type id ("huong-dan") names that type: such texts are not free text there.
        parent = {"type": draw(field_text.filter(lambda t: clean(t).strip() not in DOC_TYPES)),
                  "number": draw(st.one_of(field_text, st.integers(1, 9999))),
                  "symbol": draw(field_text), "date": draw(st.dates(min_value=dt.date(1980, 1, 1), max_value=date)),
                  "issuer": draw(field_text.filter(lambda t: not looks_like_id(clean(t)))), "subject": draw(field_text)}
        if draw(st.booleans()):
            parent["short_name"] = draw(field_text)
        parents.append(parent)
    opening: dict[str, Any] = {}
    if not parents or draw(st.booleans()):
        for key in ("verb", "basis_extra", "actor", "action"):
            if draw(st.booleans()):
                opening[key] = draw(field_text)
        if not parents or draw(st.integers(0, 4)) == 0:
            opening["text"] = draw(multiline_text)
        opening["quote_subject"] = draw(st.booleans())
        opening["date_comma"] = draw(st.booleans())
    body, shown, notes = draw(bodies())
    recipients: list[Any] = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            recipients.append(draw(field_text))
        else:
            recipients.append({"text": draw(field_text), "bc": draw(st.booleans()), "end": draw(st.sampled_from([",", ";", ".", ""]))})
    authority = draw(st.sampled_from(["", "T/M", "K/T", "T/L", "Q."]))
    title = draw(field_text)
    on_behalf = ""
    if authority in ("T/M", "T/L", "K/T"):
        on_behalf = draw(field_text.filter(lambda t: t.strip().lower() != title.strip().lower() and "bí thư" not in t.lower()))
    spec: dict[str, Any] = {
        "type": draw(st.sampled_from(PARTY_TYPES)),
        "number": number,
        "draft": draft,
        "issuer": issuer,
        "place": draw(field_text),
        "date": date,
        "subject": draw(multiline_text),
        "implements": parents,
        "body": body,
        "recipients": recipients,
        "signature": {"authority": authority, "on_behalf": on_behalf, "title": title, "name": draw(field_text)},
    }
    if opening:
        spec["opening"] = opening
    if draw(st.booleans()):
        spec["numbering"] = {"roman": draw(st.sampled_from(["I.", "I-"])), "letter": draw(st.sampled_from(["a.", "a)"]))}
    if draw(st.booleans()):
        items = draw(st.lists(field_text, min_size=1, max_size=3))
        spec["slogans"] = items if draw(st.booleans()) else {"title": draw(field_text), "items": items}
    if draw(st.booleans()):
        spec["archive"] = draw(field_text)
    if draw(st.booleans()):
        spec["separator"] = draw(st.sampled_from(["-----", "rule"]))
    kind = data.kind(spec["type"], "party")
    if kind.kinh_gui == "required" or (kind.kinh_gui == "optional" and draw(st.booleans())):
        spec["kinh_gui"] = draw(st.lists(field_text, min_size=1, max_size=3))
    if kind.can_cu:
        spec["can_cu"] = draw(st.lists(field_text.filter(lambda t: clean(t).strip() != "" and clean(t) == clean(t).rstrip(";,. \t\n")), min_size=1, max_size=3))
        if draw(st.booleans()):
            spec["enacting"] = draw(field_text)
    return spec, {"shown": shown, "notes": notes}


# --- what the document must show -----------------------------------------------------------------

def clean(text: Any) -> str:
    return unicodedata.normalize("NFC", _FORBIDDEN_RE.sub("", unicodedata.normalize("NFC", str(text))))


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def month(m: int) -> str:
    return f"{m:02d}" if m in (1, 2) else str(m)


def expected_texts(spec: dict[str, Any], facts: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(strings the body must contain, strings the footnotes must contain), as printed."""
    issuer = {k: clean(v) for k, v in spec["issuer"].items()}
    kind = data.kind(spec["type"], "party")
    doc_type = {"name": kind.name, "symbol": kind.symbol, "action": kind.action}
    out = [issuer["name"].upper()]
    if issuer["superior"].strip():
        out.append(issuer["superior"].upper())
    number = spec["number"]
    out.append(f"Số {int(number):02d}-{doc_type['symbol']}/{issuer['symbol']}" if number != "" else f"Số -{doc_type['symbol']}/{issuer['symbol']}")
    date = spec["date"]
    out.append(f"{clean(spec['place'])}, ngày {date.day:02d} tháng {month(date.month)} năm {date.year}")
    if kind.type_line:
        out.append(doc_type["name"].upper())
    out.append(clean(spec["subject"]))
    addressees = [clean(a) for a in spec.get("kinh_gui", [])]
    if len(addressees) == 1:
        out.append(f"Kính gửi: {addressees[0]}.")
    elif addressees:
        out += [f"- {a};" for a in addressees[:-1]] + [f"- {addressees[-1]}."]
    if spec.get("enacting"):
        out.append(clean(spec["enacting"]).upper())
    out += [clean(line) for line in spec.get("can_cu", [])]
    opening = spec.get("opening", {})
    if "text" in opening:
        out.append(clean(opening["text"]))
    elif not spec["implements"]:
        pass  # a kind whose opening is optional prints none without a basis
    else:
        out.append(clean(opening.get("verb", "Thực hiện")))
        for parent in spec["implements"]:
            joint = "/" if regime_of_symbol(clean(parent["symbol"])) == "state" else "-"
            out.append(f"{clean(parent['type'])} số {clean(parent['number'])}{joint}{clean(parent['symbol'])}")
            d = parent["date"]
            out.append(f"ngày {d.day:02d}/{month(d.month)}/{d.year} của {clean(parent['issuer'])}")
            subject = clean(parent["subject"])
            out.append(f"về “{subject}”" if opening.get("quote_subject") else f"về {subject}")
            if "short_name" in parent:
                out.append(clean(parent["short_name"]))
        if "basis_extra" in opening:
            out.append(clean(opening["basis_extra"]))
        out.append(clean(opening.get("actor", issuer["short_name"])))
        if "action" in opening:
            out.append(clean(opening["action"]))
        elif not has_template_syntax(doc_type["action"].replace("{{ issuer.locality }}", "")):
            out.append(doc_type["action"].replace("{{ issuer.locality }}", issuer["locality"]))
    out += [clean(text) for text in facts["shown"]]
    slogans = spec.get("slogans")
    if slogans:
        items = slogans if isinstance(slogans, list) else slogans["items"]
        if isinstance(slogans, dict):
            out.append(clean(slogans["title"]))
        out += [f"{i}. {clean(item)}" for i, item in enumerate(items, start=1)]
    for recipient in spec["recipients"]:
        if isinstance(recipient, dict):
            out.append(f"- {clean(recipient['text'])}{' (b/c)' if recipient['bc'] else ''}{recipient['end']}")
        else:
            out.append(f"- {clean(recipient)},")
    if "archive" in spec:
        out.append(f"- Lưu {clean(spec['archive'])}.")
    signature = {k: clean(v) for k, v in spec["signature"].items()}
    if signature["authority"] in ("T/M", "T/L", "K/T"):
        out += [f"{signature['authority']} {signature['on_behalf']}".upper(), signature["title"].upper()]
    elif signature["authority"] == "Q.":
        out.append(f"Q. {signature['title']}".upper())
    else:
        out.append(signature["title"].upper())
    out.append(signature["name"])
    return out, [clean(n) for n in facts["notes"]]


# --- running the CLI in-process --------------------------------------------------------------------

def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def run_main(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def dump(spec: Any) -> str:
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=100)


def reopen(path: Path) -> None:
    """The package is whole: a zip of well-formed XML parts that python-docx opens."""
    import docx

    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))
    docx.Document(str(path))


def assert_failure_is_clear(code: int, err: str, spec: Path, folder: Path, output: Path) -> None:
    assert code in (1, 2), (code, err)
    assert err.strip(), "a failure says why"
    assert "Traceback" not in err and "internal error" not in err and "lỗi nội bộ" not in err, err
    lines = err.rstrip("\n").split("\n")
    assert all(line.startswith(f"{spec}:") for line in lines), err
    assert re.match(re.escape(str(spec)) + r"(:\d+(:\d+)?)?: ", lines[0]), err
    assert output.read_bytes() == OLD_OUTPUT, "the previous output must stay as it was"
    assert sorted(p.name for p in folder.iterdir()) == sorted([spec.name, output.name]), "no temporary file left"


def build_in(folder: Path, text: str | bytes, lang: str) -> tuple[int, str, str, Path, Path]:
    spec = folder / "spec.yaml"
    spec.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    output = folder / "spec.docx"
    output.write_bytes(OLD_OUTPUT)
    code, out, err = run_main(["--lang", lang, str(spec), "-o", str(output)])
    return code, out, err, spec, output


# --- the properties --------------------------------------------------------------------------------

@SETTINGS
@given(specs(), st.sampled_from(["vi", "en"]))
def test_a_valid_spec_gives_a_document_with_every_string(generated: tuple[dict[str, Any], dict[str, Any]], lang: str) -> None:
    spec, facts = generated
    text = dump(spec)
    note(text)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        code, out, err, spec_path, output = build_in(folder, text, lang)
        assert code == 0, err
        assert out == f"{output}\n"
        has_forbidden = any(_FORBIDDEN_RE.search(value) for value in _strings(spec))
        for line in err.splitlines():  # only warnings, and only about removed characters
            assert line.startswith(("warning: ", "cảnh báo: ")) and has_forbidden, err
        assert bool(err) == has_forbidden, err
        reopen(output)
        document = squash("\n".join(body_paragraphs(output)))
        footnotes = squash("\n".join(footnote_texts(output)))
        body_expected, notes_expected = expected_texts(spec, facts)
        for expected in body_expected:
            assert squash(expected) in document, f"missing from the document: {expected!r}"
        for expected in notes_expected:
            assert squash(expected) in footnotes, f"missing from the footnotes: {expected!r}"
        assert len(footnote_texts(output)) == len(notes_expected)


REQUIRED_PATHS = [("type",), ("issuer",), ("issuer", "name"), ("issuer", "symbol"), ("issuer", "short_name"), ("date",),
                  ("subject",), ("body",), ("recipients",), ("signature",), ("signature", "title"), ("signature", "name")]
EDGE_SCALARS = st.sampled_from([
    "2023-02-30", "2023-13-01", "5/6/2023", "", " ", "K/T", "T/M", "Q.", "huong dan", "huong-dan", "0", "-1", "012", "1e3", "0x1F",
    "1:30", "yes", "~", "null", "lai-chau/tinh-uy", "²", "٣", "१२", "Ⅻ", "9" * 4400, "1" * 20, "{{ place }}", "a\nb", "\t", "-----"])
WRONG_VALUES = st.one_of(EDGE_SCALARS, st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.just([]),
                         st.just({}), st.lists(field_text, max_size=2), st.dictionaries(field_text, field_text, max_size=2), dates,
                         field_text, st.text(st.characters(categories=("Nd", "No", "Nl")), min_size=1, max_size=4))


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, path + (index,))
    return found


def _set(root: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        root = root[part]
    root[path[-1]] = value


def _delete(root: Any, path: tuple) -> None:
    for part in path[:-1]:
        root = root[part]
    del root[path[-1]]


@st.composite
def broken_specs(draw) -> str | bytes:
    spec, _ = draw(specs())
    how = draw(st.sampled_from(["delete", "unknown-key", "wrong-value", "cross-field", "text-edit", "text-edit", "garbage", "bytes"]))
    if how == "delete":
        path = draw(st.sampled_from(REQUIRED_PATHS))
        _delete(spec, path)
    elif how == "unknown-key":
        target = draw(st.sampled_from([p for p in _paths(spec) if isinstance(_get(spec, p), dict)] + [()]))
        key = draw(st.one_of(st.sampled_from(["numbr", "titel", "sigature", "dat", "issuer_name", "Type"]), field_text))
        mapping = _get(spec, target)
        assume(key not in mapping)
        mapping[key] = draw(field_text)
    elif how == "wrong-value":
        path = draw(st.sampled_from(_paths(spec)))
        _set(spec, path, draw(WRONG_VALUES))
    elif how == "cross-field":
        rule = draw(st.sampled_from(["blank-number", "kt-no-head", "parent-later", "footnote-no-text", "footnote-unused", "level"]))
        if rule == "blank-number":
            spec["number"], spec["draft"] = "", False
        elif rule == "kt-no-head":
            spec["signature"]["authority"], spec["signature"]["on_behalf"] = "K/T", ""
        elif rule == "parent-later":
            spec["implements"] = [{"type": "Hướng dẫn", "number": 1, "symbol": "HD/TU", "date": spec["date"] + dt.timedelta(days=1),
                                   "issuer": "Tỉnh ủy", "subject": "x"}]
        elif rule == "footnote-no-text":
            spec["body"] += "\nXem[^99] thêm.\n"
        elif rule == "footnote-unused":
            spec["body"] += "\n[^zz]: chú thích\n"
        else:
            spec["body"] = "### " + spec["body"]
    text = dump(spec)
    if how == "text-edit":
        position = draw(st.integers(0, len(text)))
        insert = draw(st.one_of(st.sampled_from([":", ": ", "- ", "[", "]", "{", "}", "{{", '"', "'", "&", "*", "!", "|", ">", "%", "@",
                                                 "`", "\t", "\n", "\n  ", "---\n", "...\n", "#", "<<: ", "\\", "\x00", "\x0b", "\ufeff"]),
                                st.text(any_char, max_size=5)))
        cut = draw(st.integers(0, 20))
        text = text[:position] + insert + text[position + cut:]
    elif how == "garbage":
        text = draw(st.text(any_char, max_size=200))
    elif how == "bytes":
        return draw(st.binary(max_size=200))
    return text


def _get(root: Any, path: tuple) -> Any:
    for part in path:
        root = root[part]
    return root


@SETTINGS
@given(broken_specs(), st.sampled_from(["vi", "en"]))
@example("", "vi")
@example("- a\n- b\n", "en")
@example("a: [1\n", "vi")
@example("type: huong-dan\ndate: 2023-02-30\n", "en")
@example(b"\xff\xfe\x00", "vi")
@example("a: &a [*a]\n", "en")
@example("x: " + "[" * 50_000 + "]" * 50_000, "vi")
def test_a_broken_spec_gives_a_located_message(text: str | bytes, lang: str) -> None:
    note(repr(text))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        code, out, err, spec, output = build_in(folder, text, lang)
        event(f"exit {code}")
        if code == 0:  # an edit can leave a valid spec: then it is a whole document
            reopen(output)
            return
        assert out == ""
        assert_failure_is_clear(code, err, spec, folder, output)


@pytest.mark.parametrize("number", ["²", "٣", "9" * 4400, "1" * 20, "0x1F"])
def test_number_written_oddly_gives_a_message(number: str) -> None:
    """Found by the property below: str.isdigit() accepted "²" and 4400 digits, then int() raised."""
    spec = __import__("copy").deepcopy(BASE_SPEC)
    spec["number"] = number
    with tempfile.TemporaryDirectory() as name:
        code, out, err, spec_path, output = build_in(Path(name), dump(spec), "en")
        assert_failure_is_clear(code, err, spec_path, Path(name), output)


BASE_SPEC = yaml.safe_load((ROOT / "examples" / "002-hoi-nghi-giua-nhiem-ky.yaml").read_text(encoding="utf-8"))
ANY_VALUE = st.recursive(WRONG_VALUES, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(
    st.one_of(field_text, st.sampled_from(["text", "bc", "end", "title", "items", "name", "date"])), inner, max_size=3)), max_leaves=6)


@SETTINGS
@given(st.data(), st.sampled_from(["vi", "en"]))
def test_any_value_under_any_key_of_a_real_spec(data: st.DataObject, lang: str) -> None:
    """A real example spec with one value (anywhere, at any depth) replaced by anything YAML can hold."""
    spec = __import__("copy").deepcopy(BASE_SPEC)
    paths = _paths(spec)
    path = data.draw(st.one_of(st.sampled_from([p for p in paths if len(p) == 1]), st.sampled_from(paths)))
    _set(spec, path, data.draw(st.one_of(EDGE_SCALARS, ANY_VALUE)))
    text = dump(spec)
    note(text)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        code, out, err, spec_path, output = build_in(folder, text, lang)
        event(f"exit {code}")
        if code == 0:
            reopen(output)
            return
        assert_failure_is_clear(code, err, spec_path, folder, output)


@settings(max_examples=min(EXAMPLES, 5), deadline=None, suppress_health_check=list(HealthCheck))
@given(specs(), broken_specs())
def test_the_console_script_agrees(valid: tuple[dict[str, Any], dict[str, Any]], broken: str | bytes) -> None:
    """A few examples through the real console script (a subprocess), as a clerk runs it."""
    env = {"PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "good.yaml").write_text(dump(valid[0]), encoding="utf-8")
        result = run_cli("good.yaml", cwd=folder, env=env)
        assert result.returncode == 0, result.stderr
        reopen(folder / "good.docx")
        (folder / "bad.yaml").write_bytes(broken if isinstance(broken, bytes) else broken.encode("utf-8"))
        (folder / "bad.docx").write_bytes(OLD_OUTPUT)
        result = run_cli("bad.yaml", cwd=folder, env=env)
        assert "Traceback" not in result.stderr and "lỗi nội bộ" not in result.stderr
        if result.returncode:
            assert result.returncode in (1, 2)
            assert all(line.startswith("bad.yaml:") for line in result.stderr.splitlines()), result.stderr
            assert (folder / "bad.docx").read_bytes() == OLD_OUTPUT
