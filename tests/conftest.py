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
from helpers.db import building_template, copy_database_file  # noqa: E402
from helpers.isolation import isolate_home  # noqa: E402
from helpers.pg_server import PgServer, missing_reason  # noqa: E402

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


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_engines`` run once on an SQLite file and once on PostgreSQL.

    They reach the database through ``db`` or ``db_url`` (both depend on
    ``engine_kind``); everything else runs on SQLite only, as before.
    """
    if "engine_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_engines"
    ):
        metafunc.parametrize("engine_kind", ENGINES, indirect=True)


@pytest.fixture
def engine_kind(request: pytest.FixtureRequest) -> str:
    """``sqlite`` unless the test is marked ``both_engines`` (then each in turn)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server for this test session (per xdist worker); skips without one."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    server = PgServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database at the current schema (``db upgrade``), copied for every test that needs one."""
    from chinadialog_desktop.persistence.server import parse_target
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    name = pg_server.create_database("template")
    upgrade_server(parse_target(pg_server.plain_url(name)))
    return name


@pytest.fixture
def pg_database(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """A fresh team database at the current schema; its address (``postgresql://…``)."""
    name = pg_server.create_database("t", template=pg_template)
    try:
        yield pg_server.plain_url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def db_url(engine_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """What ``--db`` takes: a new file's path, or a fresh server database's address."""
    if engine_kind == "postgresql":
        return str(request.getfixturevalue("pg_database"))
    path = tmp_path / "test.sqlite3"
    if "demo_db" in request.fixturenames:
        copy_database_file(request.getfixturevalue("demo_template"), path)
    return str(path)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database file made once per session (per xdist worker) by this tree's own code.

    ``Database.open`` creates it exactly as it creates any new file (schema, stamp,
    search index); ``db`` copies it for each test instead of creating the file anew.
    Made fresh in every session, so it can never lag behind the models or migrations.
    """
    with building_template(tmp_path_factory) as folder:
        path = folder / "template.sqlite3"
        Database.open(path).close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A database file holding the demo data (``load_demo``), made once per session."""
    from chinadialog_desktop.services.demo import load_demo

    with building_template(tmp_path_factory) as folder:
        path = folder / "demo.sqlite3"
        copy_database_file(sqlite_template, path)
        database = Database.open(path)
        try:
            with database.session() as s:
                load_demo(s)
        finally:
            database.close()
    return path


@pytest.fixture
def demo_db(db: Database) -> Database:
    """``db`` holding the demo data, as after ``load_demo`` (a test using both gets one database).

    On SQLite the file is a copy of ``demo_template`` (see ``db_url``); on a server
    the demo is loaded into the fresh database.
    """
    if db.path is None:
        from chinadialog_desktop.services.demo import load_demo

        with db.session() as s:
            load_demo(s)
    return db


@pytest.fixture
def db(db_url: str, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    """An opened database (a fresh file under ``tmp_path``, or a server database); closed after.

    On SQLite a fresh file is a copy of ``sqlite_template`` (every test its own
    file); creating a new file is what the tests of creation themselves prove.
    """
    if engine_kind == "sqlite" and not Path(db_url).exists():
        copy_database_file(request.getfixturevalue("sqlite_template"), db_url)
    database = Database.open(db_url)
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
    """pytest-qt's ``qtbot`` with ``SAFETY_NET_MS`` as the default timeout of every wait.

    Every test that drives widgets also gets the None guard topped up (PySide6 6.12 on
    CPython 3.11 drops a reference to None per void call; see ``ui.common.none_guard``),
    not only the tests under ``tests/ui``.
    """
    from chinadialog_desktop.ui.common import none_guard

    none_guard.top_up()
    for name in _WAITS:
        setattr(qtbot, name, functools.partial(_with_safety_net, getattr(qtbot, name)))
    return qtbot
