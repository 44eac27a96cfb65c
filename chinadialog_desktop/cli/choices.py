"""The words a command line user types and reads for a stored code (one place per vocabulary).

``--classification {offen,intern,VS-NfD}`` in the German help, ``{open,internal,VS-NfD}``
in the English one: the help shows the words of the active language; a command takes
the words of every shipped language and, for existing scripts, the stored codes
(``vs_nfd``) too, and hands the command the code.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from chinadialog_desktop.i18n import N_, _, in_every_language


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


class Words:
    """Codes ↔ words of one vocabulary; an ``argparse`` type that turns a word into its code."""

    def __init__(self, words: Mapping[str, str], what: str) -> None:
        self.words = dict(words)  # code -> message id (marked with N_)
        self.what = what  # message id: what is chosen ("the status"), for the error sentence
        self.__name__ = what  # argparse names the type in some messages

    def word(self, code: str) -> str:
        return _(self.words[code])

    def metavar(self) -> str:
        return "{" + ",".join(self.word(code) for code in self.words) + "}"

    def __call__(self, text: str) -> str:
        wanted = _key(text)
        for code, message in self.words.items():
            if wanted == _key(code) or any(wanted == _key(w) for w in in_every_language(message)):
                return code
        raise self.refusal(text)

    def refusal(self, text: str) -> argparse.ArgumentTypeError:
        """``text`` is none of the words: the sentence naming the words to choose from."""
        return argparse.ArgumentTypeError(
            _("“{text}” is not a choice for {what}; choose {words}").format(
                what=_(self.what),
                text=text,
                words=", ".join(self.word(code) for code in self.words),
            )
        )

    def add(self, parser: argparse.ArgumentParser, *names: str, **kwargs: Any) -> None:
        """``parser.add_argument`` taking these words (the help shows them, not the codes)."""
        parser.add_argument(*names, type=self, metavar=self.metavar(), **kwargs)


def classification_words() -> Words:
    """Offen, intern, VS-NfD: the classifications (``domain.enums.Classification``)."""
    from chinadialog_desktop.domain.enums import Classification

    words = {
        Classification.OPEN: N_("open"),
        Classification.INTERNAL: N_("internal"),
        Classification.VS_NFD: N_("VS-NfD"),
    }
    assert set(words) == set(Classification), "a classification without a word"
    return Words({str(code): word for code, word in words.items()}, N_("the classification"))


def hit_status_words() -> Words:
    """Undecided, confirmed, dismissed: the states of a screening hit."""
    from chinadialog_desktop.domain.screening_terms import STATUS_LABELS

    return Words(STATUS_LABELS, N_("the status"))


def list_category_words() -> Words:
    """Legal designation or risk assessment: the kinds of reference list."""
    from chinadialog_desktop.domain.screening_terms import CATEGORY_LABELS

    return Words(CATEGORY_LABELS, N_("the category"))


def export_format_words() -> Words:
    """Package, CSV, XLSX, JSON: what ``export`` writes (the file formats keep their names)."""
    return Words(
        {"package": N_("package"), "csv": "csv", "xlsx": "xlsx", "json": "json"},
        N_("the format"),
    )
