"""Which language the command line speaks: argparse's own words and the --lang option."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from chinadialog_desktop import i18n
from chinadialog_desktop.cli import ARGPARSE_MESSAGES, _pre_language, main


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real compiled catalogue with argparse's words, as the German one will have them."""
    cat = Catalog(locale="de", domain="chinadialog")
    words = {
        "usage: ": "Aufruf: ",
        "positional arguments": "Argumente",
        "options": "Optionen",
        "show this help message and exit": "diese Hilfe zeigen und beenden",
        "the following arguments are required: %s": "Diese Argumente fehlen: %s",
        "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    }
    for msgid, msgstr in words.items():
        cat.add(msgid, msgstr)
    mo = tmp_path / "de.mo"
    with mo.open("wb") as fh:
        write_mo(fh, cat)
    with mo.open("rb") as fh:
        translation = gettext.GNUTranslations(fh)
    real_set = i18n.set_language

    def set_language(lang: str | None) -> str:
        used = real_set(lang)
        if used == "de":
            monkeypatch.setattr(i18n, "_translation", translation)
        return used

    monkeypatch.setattr("chinadialog_desktop.cli.set_language", set_language)
    yield
    real_set("de")


def test_argparse_words_are_marked_for_the_catalogue():
    assert "usage: " in ARGPARSE_MESSAGES
    assert "the following arguments are required: %s" in ARGPARSE_MESSAGES


def test_help_headings_come_from_the_catalogue(catalogue, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "de", "assessment", "sign", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Aufruf: chinadialog assessment sign")
    assert "Optionen:" in out and "Argumente:" in out
    assert "diese Hilfe zeigen und beenden" in out
    assert "show this help message" not in out and "usage:" not in out


def test_usage_errors_come_from_the_catalogue_and_exit_2(catalogue, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "de", "screen", "confirm", "1"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Diese Argumente fehlen: --reason" in err
    assert "required" not in err


def test_english_stays_english(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "en", "screen", "confirm", "1"])
    assert "the following arguments are required: --reason" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "en", "db", "info"], "en"),
        (["--db", "x.sqlite3", "--lang=en", "db", "info"], "en"),
        (["--db", "--lang", "--lang", "en", "list", "actors"], "en"),
        # the briefing's own --lang chooses the briefing's language, not the messages'
        (["briefing", "1", "-o", "x.pdf", "--lang", "en"], "de"),
        (["--db", "x.sqlite3", "briefing", "1", "--lang=en"], "de"),
        (["--lang", "en", "briefing", "1", "--lang", "de"], "en"),
    ],
)
def test_only_the_global_lang_picks_the_message_language(argv, expected, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    assert _pre_language(argv) == expected


def test_briefing_lang_en_keeps_german_messages(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CHINADIALOG_LANG", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    db = str(tmp_path / "b.sqlite3")
    assert main(["--db", db, "demo", "load"]) == 0
    capsys.readouterr()
    out = tmp_path / "en.pdf"
    assert main(["--db", db, "briefing", "1", "-o", str(out), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "geschrieben" in text and "Wrote" not in text
    assert out.exists()


def test_usage_errors_name_no_internal_argument_names(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "en", "list", "foo"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument what" not in err and "“foo” is not a choice for the list" in err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "import"])
    err = capsys.readouterr().err
    assert "required: FILE" in err


def test_version_help_is_our_own_message(capsys):
    # argparse 3.11 does not pass its --version help through gettext; ours is in the catalogue
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    out = capsys.readouterr().out
    assert "show the program's version and exit" in out
    assert "show program's version number" not in out


def test_top_level_help_names_every_db_action(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # one line per command
    with pytest.raises(SystemExit):
        main(["--lang", "en", "--help"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("db "))
    named = {a.strip() for a in line.split(":", 1)[1].split(",")}
    assert named == {
        "info",
        "check",
        "backup",
        "backups",
        "restore",
        "upgrade",
        "recover",
        "verify",
        "copy",
        "merge",
    }
