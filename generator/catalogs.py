"""Keep the message catalogs in step with the code: ``python -m generator.catalogs``.

One command does the whole Babel round:

1. extract every ``_("…")``, ``N_("…")`` and ``ngettext("…", "…", n)`` in the package into
   ``generator/locale/messages.pot`` (the two forms of an ``ngettext`` are two ordinary entries: Vietnamese
   has one form, so no plural machinery is needed);
2. update ``locale/vi`` and ``locale/en`` from it (new ids added, gone ones dropped, translations kept;
   no fuzzy guessing: a changed message must be translated again);
3. fill the English catalog (``msgstr`` = ``msgid``);
4. compile both to ``messages.mo``, which the package ships and reads at run time.

It then lists the Vietnamese entries still untranslated, or whose ``{placeholders}`` differ from the
message id (that would break ``.format``), and exits 1 if there are any: translate them in
``generator/locale/vi/LC_MESSAGES/messages.po`` and run it again. ``--check`` changes nothing and exits 1
when the catalogs are not up to date (what ``tests/test_i18n.py`` asserts).

Files are rewritten only when their messages change, so running it twice leaves no diff.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
TEMPLATE = LOCALE_DIR / "messages.pot"
LANGUAGES = ("vi", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PROJECT = "gen-directive"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _skip_dir(path: str) -> bool:
    name = Path(path).name
    return not (name.startswith((".", "_")) or name in ("locale", "__pycache__"))


def extract(package: Path | None = None) -> Catalog:
    """A fresh template of every message id marked in the package's Python files."""
    template = Catalog(project=PROJECT, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(package or PACKAGE), keywords=KEYWORDS, comment_tags=(), directory_filter=_skip_dir
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                template.add(msgid, locations=[(filename, lineno)], context=context)
    return template


def placeholders(text: str) -> set[str]:
    """The ``{name!r:spec}`` fields of a str.format message (``{{``/``}}`` are literal braces)."""
    try:
        return {f"{field}!{conv}" if conv else str(field) for _, field, _, conv in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<unbalanced braces>"}


@dataclass
class Issue:
    lang: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.what}: {self.msgid!r}"


def issues(catalog: Catalog, lang: str) -> list[Issue]:
    """Entries that would show the clerk English or crash ``.format``."""
    found: list[Issue] = []
    for message in catalog:
        if not message.id:
            continue
        if not message.string:
            found.append(Issue(lang, message.id, "untranslated"))
        elif message.fuzzy:
            found.append(Issue(lang, message.id, "fuzzy (check the translation, then remove the fuzzy flag)"))
        elif placeholders(message.id) != placeholders(message.string):
            found.append(Issue(lang, message.id, f"placeholders differ: {sorted(placeholders(message.string))}"))
    return found


def _entries(catalog: Catalog) -> dict[str, tuple[str, tuple[str, ...]]]:
    """What a catalog says: each id with its translation and flags (not the header, which records the date
    and the Babel version that wrote it)."""
    return {m.id: (m.string, tuple(sorted(m.flags))) for m in catalog if m.id}


def _compiled_entries(path: Path) -> dict[str, str] | None:
    """What a compiled catalog says (ids and translations), or None when it is missing or unreadable."""
    from babel.messages.mofile import read_mo

    try:
        with path.open("rb") as handle:
            return {m.id: m.string for m in read_mo(handle) if m.id}
    except (OSError, ValueError, KeyError, IndexError):
        return None


def _read(path: Path, lang: str | None) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True, sort_output=True, ignore_obsolete=True)
    return buffer.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def updated(template: Catalog, lang: str) -> Catalog:
    """The catalog of ``lang`` brought in line with ``template`` (translations kept)."""
    catalog = _read(po_path(lang), lang) or Catalog(locale=lang, project=PROJECT, fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    if lang == "en":
        for message in catalog:
            if message.id:
                message.string = message.id
                message.flags.discard("fuzzy")
    return catalog


def _write_if_changed(path: Path, data: bytes, same: bool, write: bool, changed: list[Path]) -> None:
    if same and path.exists():
        return
    changed.append(path)
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def run(write: bool = True) -> tuple[list[Path], list[Issue]]:
    """Extract, update, fill, compile. Returns (files changed or out of date, translation issues)."""
    template = extract()
    changed: list[Path] = []
    old_template = _read(TEMPLATE, None)
    same = old_template is not None and set(_entries(old_template)) == set(_entries(template))
    _write_if_changed(TEMPLATE, _po_bytes(template), same, write, changed)
    found: list[Issue] = []
    for lang in LANGUAGES:
        old = _read(po_path(lang), lang)
        catalog = updated(template, lang)
        same = old is not None and _entries(old) == _entries(catalog)
        _write_if_changed(po_path(lang), _po_bytes(catalog), same, write, changed)
        mo = mo_path(lang)
        # Compared by content: the bytes differ with Babel's version (its Generated-By header) alone.
        current = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
        _write_if_changed(mo, _mo_bytes(catalog), _compiled_entries(mo) == current, write, changed)
        found += issues(catalog, lang)
    return changed, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.catalogs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the catalogs are not up to date")
    args = parser.parse_args(argv)
    changed, found = run(write=not args.check)
    for path in changed:
        print(("out of date: " if args.check else "wrote ") + str(path.relative_to(PACKAGE.parent)))
    for issue in found:
        print(issue, file=sys.stderr)
    if found:
        print(f"{len(found)} message(s) to translate in {po_path('vi').relative_to(PACKAGE.parent)}", file=sys.stderr)
    return 1 if found or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
