"""Messages in the clerk's language.

Message ids are English; the catalogs in ``generator/locale/<lang>/LC_MESSAGES/messages.{po,mo}`` give
Vietnamese (the default) and English. They are built with Babel by ``python -m generator.catalogs``
(extract → update both catalogs → fill English → compile); ``tests/test_i18n.py`` fails when a message
marked with ``_()`` or ``N_()`` anywhere in the package lacks a translation.

The language is chosen once per process: ``--lang`` wins, then an English ``LC_ALL``/``LC_MESSAGES``/
``LANGUAGE``/``LANG``, else Vietnamese.
"""

from __future__ import annotations

import gettext
import os

LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")  # os.path: pathlib is not needed for --help
DOMAIN = "messages"
SUPPORTED = ("vi", "en")
DEFAULT = "vi"

_translation: gettext.NullTranslations | None = None
_language = DEFAULT


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """English when the environment asks for it (``LANG=en_US.UTF-8``), Vietnamese otherwise.

    The first variable that is set decides, in the order the C library reads them for messages.
    """
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = env.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def set_language(lang: str | None = None) -> str:
    """Select the message language for this process; returns the language chosen."""
    global _translation, _language
    chosen = lang if lang in SUPPORTED else language_from_environment()
    _language = chosen
    _translation = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[chosen], fallback=True)
    return chosen


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` (an English message id) into the current language."""
    if _translation is None:
        set_language()
    assert _translation is not None
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (translated where it is shown)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message id, translated. Each form is its own catalog entry (Vietnamese has
    one form; the English catalog keeps both), so a plural needs no plural-forms machinery."""
    return _(singular) if count == 1 else _(plural)
