"""Shared test set-up: Qt offscreen, and a real temporary SQLite database."""

from __future__ import annotations

import os

# Before anything imports Qt: pytest-qt does not pick the platform itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from chinadialog_desktop.persistence.database import Database  # noqa: E402


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An opened database in a fresh file under ``tmp_path``; closed afterwards."""
    database = Database.open(tmp_path / "test.sqlite3")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Tests match the English message ids; a test that wants German asks for it."""
    from chinadialog_desktop.i18n import language, set_language

    before = language()
    set_language("en")
    yield
    set_language(before)
