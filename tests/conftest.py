"""Shared test set-up: Qt offscreen, a private home per test, English messages, a real database.

Plain helper functions live in the ``helpers`` package (``tests/helpers``), which
pytest's ``pythonpath`` setting makes importable; only fixtures are declared here.
"""

from __future__ import annotations

import functools
import os
import random

# Before anything imports Qt: pytest-qt does not pick the platform itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from helpers.isolation import isolate_home  # noqa: E402

from chinadialog_desktop.persistence.database import Database  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``TEST_SHUFFLE=<seed>`` runs the collected tests in a shuffled order (no plugin needed).

    Every test must pass alone and in any order; this shows it without adding a
    dependency: ``TEST_SHUFFLE=7 pytest -p no:cacheprovider tests/ui``.
    """
    seed = os.environ.get("TEST_SHUFFLE")
    if seed:
        random.Random(seed).shuffle(items)


def pytest_report_header(config: pytest.Config) -> str | None:
    seed = os.environ.get("TEST_SHUFFLE")
    return f"order shuffled: TEST_SHUFFLE={seed}" if seed else None


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME, XDG_* and QSettings in a fresh folder (not inside ``tmp_path``, which stays empty)."""
    return isolate_home(tmp_path_factory.mktemp("home"), monkeypatch)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Tests match the English message ids; a test that wants German asks for ``german``."""
    from chinadialog_desktop.i18n import language, set_language

    before = language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture
def german() -> Iterator[None]:
    """German active for the test (labels, dates), whatever the environment says."""
    from chinadialog_desktop.i18n import language, set_language

    before = language()
    set_language("de")
    yield
    set_language(before)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An opened database in a fresh file under ``tmp_path``; closed afterwards."""
    database = Database.open(tmp_path / "test.sqlite3")
    try:
        yield database
    finally:
        database.close()


# Waits end on their signal or condition; the timeout is only a safety net, generous
# enough for a machine whose CPUs are busy with something else.
SAFETY_NET_MS = 60_000
_WAITS = ("waitUntil", "waitSignal", "waitSignals", "waitCallback", "waitExposed", "waitActive")


def _with_safety_net(wait: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("timeout", SAFETY_NET_MS)
    return wait(*args, **kwargs)


@pytest.fixture
def qtbot(qtbot: Any) -> Any:
    """pytest-qt's ``qtbot`` with ``SAFETY_NET_MS`` as the default timeout of every wait."""
    for name in _WAITS:
        setattr(qtbot, name, functools.partial(_with_safety_net, getattr(qtbot, name)))
    return qtbot
