"""Translations through gettext catalogues (written with Babel); German by default."""

from __future__ import annotations

import gettext as _gettext
import os

from chinadialog_desktop.paths import locale_dir

DOMAIN = "chinadialog"
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"
_catalogues: dict[str, _gettext.NullTranslations] = {}


def _catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (read once), or none (the English ids) when missing.

    Opened by its path, not through ``gettext.translation``: that looks the language up
    through the ``locale`` module, a load the window's first frame does without.
    """
    if lang not in _catalogues:
        path = locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        try:
            with path.open("rb") as fp:
                _catalogues[lang] = _gettext.GNUTranslations(fp)
        except OSError:
            _catalogues[lang] = _gettext.NullTranslations()
    return _catalogues[lang]


def set_language(lang: str | None) -> str:
    """Switch every later ``_()`` call to ``lang`` (``de`` or ``en``); returns the one in use."""
    global _translation, _language
    lang = (lang or DEFAULT_LANGUAGE).lower()[:2]
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    # The message ids are English.
    _translation = _gettext.NullTranslations() if lang == "en" else _catalogue(lang)
    _language = lang
    return lang


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    text = _translation.ngettext(singular, plural, n)
    if text in (singular, plural):  # no plural entry: the forms may be marked one by one (N_)
        return _translation.gettext(singular if n == 1 else plural)
    return text


def in_every_language(message: str) -> tuple[str, ...]:
    """``message`` as each shipped language says it (the English id first): what a file
    written in any of them may hold, e.g. the German term "Verein/Verband"."""
    found = [message]
    for lang in LANGUAGES:
        if lang == "en":
            continue
        text = _catalogue(lang).gettext(message)
        if text not in found:
            found.append(text)
    return tuple(found)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def language_from_environment() -> str:
    """``CHINADIALOG_LANG`` wins; otherwise German, as the product is German first."""
    env = os.environ.get("CHINADIALOG_LANG")
    if env:
        return env
    return DEFAULT_LANGUAGE


def format_number(value: float, decimals: int = 0) -> str:
    """German grouping and decimal comma when German is active: 1.234,5."""
    text = f"{value:,.{decimals}f}"
    if _language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_date(value: object, precision: str = "day", lang: str | None = None) -> str:
    """The one way a date is shown: as precisely as it is known, as the user entered it.

    German: 03.05.2011, 05.2011 (month precision) or 2011 (year precision); English
    ISO-like: 2011-05-03, 2011-05, 2011. ``lang`` defaults to the active language
    (a briefing passes its own). A partial date is stored as its first day: it is
    never shown as 01.01.2011. Anything but a date gives "".
    """
    from datetime import date

    if not isinstance(value, date):
        return ""
    german = (lang or _language) != "en"
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return (
            f"{value.month:02d}.{value.year:04d}"
            if german
            else f"{value.year:04d}-{value.month:02d}"
        )
    return value.strftime("%d.%m.%Y") if german else value.isoformat()


set_language(DEFAULT_LANGUAGE)
