"""Messages are Vietnamese by default and English on request, and no message can ship untranslated.

The catalog test extracts every ``_()``, ``N_()`` and ``ngettext()`` of the whole package afresh (Babel, as
``python -m generator.catalogs`` does) and fails on any message that either catalog lacks, that is fuzzy,
whose ``{placeholders}`` differ from the message id's (``.format`` would break), or when the compiled
``.mo`` files the package reads say something else than the ``.po`` files (compared by content: ids,
translations, flags; not bytes, which change with Babel's version alone). The fix is always the same: run
``python -m generator.catalogs``, translate what it lists in ``generator/locale/vi/LC_MESSAGES/messages.po``,
and run it again.
"""

from __future__ import annotations

import ast
import configparser
import gettext
import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from generator import catalogs
from generator.i18n import LOCALE_DIR, _, current_language, language_from_environment, set_language

PACKAGE = ROOT / "generator"
FIX = "run `python -m generator.catalogs`, translate what it lists, and run it again"


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    set_language(None)


@pytest.fixture
def checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogs of the checkout (the source of truth), even when the tests import an installed copy."""
    monkeypatch.setattr(catalogs, "PACKAGE", PACKAGE)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", PACKAGE / "locale")
    monkeypatch.setattr(catalogs, "TEMPLATE", PACKAGE / "locale" / "messages.pot")


def test_every_message_has_both_translations_and_compiled_catalogs_are_current(checkout: None) -> None:
    changed, issues = catalogs.run(write=False)
    assert not issues, f"{len(issues)} message(s) need a translation ({FIX}):\n" + "\n".join(map(str, issues))
    assert not changed, f"catalogs out of date ({FIX}): " + ", ".join(str(p.relative_to(ROOT)) for p in changed)


def test_compiled_catalogs_are_compared_by_content_not_bytes(checkout: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Babel writes another Generated-By header: that is not a change. A lost translation is."""
    import shutil

    from babel.messages.mofile import read_mo, write_mo

    locale = tmp_path / "locale"
    shutil.copytree(PACKAGE / "locale", locale)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", locale)
    monkeypatch.setattr(catalogs, "TEMPLATE", locale / "messages.pot")
    mo = catalogs.mo_path("vi")
    babel = re.search(rb"Generated-By: Babel [0-9][^\n]*", mo.read_bytes())
    assert babel is not None
    other = b"Generated-By: Babel " + b"9" * (len(babel.group()) - len(b"Generated-By: Babel "))  # same length: offsets hold
    mo.write_bytes(mo.read_bytes().replace(babel.group(), other))
    assert catalogs.run(write=False) == ([], [])
    with mo.open("rb") as handle:
        compiled = read_mo(handle)
    compiled.delete("{file}: file not found.")
    with mo.open("wb") as handle:
        write_mo(handle, compiled)
    assert catalogs.run(write=False) == ([mo], [])


def test_click_messages_we_translate_are_the_ones_click_says() -> None:
    """Each of click's messages listed in cli.py is worded so in the installed click (a newer click that
    rewords one shows up here, in the newest-versions run, instead of as English in the clerk's terminal)."""
    import click

    from generator.cli import CLICK_MESSAGES

    source = "\n".join(path.read_text(encoding="utf-8") for path in Path(click.__file__).parent.glob("*.py"))
    quoted = {message: (f'"{message}"' in source or f"'{message}'" in source) for message in CLICK_MESSAGES}
    assert [message for message, found in quoted.items() if not found] == []


def test_extraction_finds_the_messages_of_every_module(checkout: None) -> None:
    ids = {m.id for m in catalogs.extract() if m.id}
    assert "{file}: file not found." in ids  # loader
    assert "YAML syntax error: {reason}" in ids  # loader
    assert "unknown key \"{key}\"." in ids  # schema
    assert "Usage:" in ids  # click's own, listed in cli.py
    assert "no such file or folder" in ids  # errors.os_reason
    assert len(ids) > 200


def _marked_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_", "ngettext"):
            yield node


def test_messages_are_literal_strings_so_extraction_sees_them() -> None:
    """``_(f"…")``, ``_("…" + x)`` or ``_("…".format(…))`` would never reach a catalog. A bare name is
    allowed: it holds an id marked with ``N_()`` where it was written (help texts, YAML problem table)."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _marked_calls(tree):
            expected = 3 if call.func.id == "ngettext" else 1  # type: ignore[attr-defined]
            literal_args = call.args[:2] if call.func.id == "ngettext" else call.args  # type: ignore[attr-defined]
            ok = len(call.args) == expected and not call.keywords and all(
                (isinstance(a, ast.Constant) and isinstance(a.value, str)) or isinstance(a, (ast.Name, ast.Attribute))
                for a in literal_args)
            if not ok:
                wrong.append(f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(call)[:80]}")
    assert not wrong, "messages that extraction cannot see:\n" + "\n".join(wrong)


def test_placeholders_of_a_translation_must_match() -> None:
    assert catalogs.placeholders("{file}:{line}: x {value!r} {{literal}}") == {"file", "line", "value!r"}
    assert catalogs.placeholders("{seconds:g} s") == {"seconds"}


@pytest.mark.parametrize("environ, expected", [
    ({}, "vi"),
    ({"LANG": "C.UTF-8"}, "vi"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_GB"}, "en"),
    ({"LANGUAGE": "en", "LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "vi"),
])
def test_language_from_environment(environ: dict[str, str], expected: str) -> None:
    assert language_from_environment(environ) == expected


def test_set_language_and_translate() -> None:
    assert set_language("en") == "en" and current_language() == "en"
    assert _("{file}: file not found.") == "{file}: file not found."
    assert set_language("vi") == "vi"
    assert _("{file}: file not found.") == "{file}: không tìm thấy tệp."
    assert _(" Did you mean \"{suggestion}\"?") == " Có phải ý bạn là \"{suggestion}\"?"
    assert _("unknown key \"{key}\".") == "khóa \"{key}\" không hợp lệ."
    assert _("a message nobody marked") == "a message nobody marked"  # falls back to the id, never fails


def test_compiled_catalogs_are_what_gettext_reads() -> None:
    for lang in catalogs.LANGUAGES:
        mo = Path(LOCALE_DIR) / lang / "LC_MESSAGES" / "messages.mo"
        assert mo.is_file() and catalogs.po_path(lang).is_file()
        translation = gettext.GNUTranslations(mo.open("rb"))
        assert translation.gettext("{file}: file not found.") == {"vi": "{file}: không tìm thấy tệp.", "en": "{file}: file not found."}[lang]


def test_catalogs_are_shipped_in_the_package() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    shipped = config["options.package_data"]["generator"]
    assert "locale/*/LC_MESSAGES/*.mo" in shipped and "locale/*/LC_MESSAGES/*.po" in shipped
    extract = config["extract_messages"]
    assert extract["input_dirs"] == "generator" and set(extract["keywords"].split()) >= {"_", "N_"}


def test_help_and_click_messages_follow_the_language() -> None:
    vi = run_cli("--help")
    en = run_cli("--lang", "en", "--help")
    build_vi = run_cli("build", "--help")
    assert vi.returncode == en.returncode == build_vi.returncode == 0
    assert vi.stdout.startswith("Cách dùng: gen-directive [OPTIONS] COMMAND [ARGS]...")
    assert "Tùy chọn:" in vi.stdout and "Lệnh:" in vi.stdout and "Hiện hướng dẫn này rồi thoát." in vi.stdout
    assert "Ngôn ngữ của thông báo: vi (mặc định) hoặc en." in vi.stdout
    assert en.stdout.startswith("Usage: gen-directive [OPTIONS] COMMAND [ARGS]...")
    assert "Show this message and exit." in en.stdout and "Language of messages: vi (default) or en." in en.stdout
    assert "Tệp .docx kết quả (mặc định: tên tệp spec, đuôi .docx)." in " ".join(build_vi.stdout.split())  # as wrapped


def test_catalog_tool_reports_what_to_translate(checkout: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run against a copy of the locale folder: a message with no Vietnamese is listed and the tool fails;
    English is filled in by the tool itself."""
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(PACKAGE / "locale", locale)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", locale)
    monkeypatch.setattr(catalogs, "TEMPLATE", locale / "messages.pot")
    template = catalogs.extract()
    template.add("a brand-new message about {thing}.")
    monkeypatch.setattr(catalogs, "extract", lambda package=None: template)
    changed, issues = catalogs.run(write=True)
    assert [str(i) for i in issues if "brand-new" in i.msgid] == ["vi: untranslated: 'a brand-new message about {thing}.'"]
    assert {p.name for p in changed} == {"messages.pot", "messages.po", "messages.mo"}
    en = gettext.GNUTranslations((locale / "en" / "LC_MESSAGES" / "messages.mo").open("rb"))
    assert en.gettext("a brand-new message about {thing}.") == "a brand-new message about {thing}."
    assert catalogs.run(write=True)[0] == []  # a second run changes nothing
