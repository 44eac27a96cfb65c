"""Running Alembic from code: no alembic.ini, works from any folder and frozen.

SQLite's DDL is transactional, but Python's sqlite3 module neither opens a
transaction before ``CREATE``/``ALTER``/``DROP`` nor lets SQLAlchemy's
``begin()`` reach SQLite. :func:`transactional_engine` therefore turns the
driver's own transaction handling off and sends ``BEGIN IMMEDIATE`` itself
(the recipe from SQLAlchemy's SQLite dialect documentation), so an upgrade
run on one of its connections commits completely or not at all — a kill,
power cut or full disk in the middle leaves the old file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chinadialog_desktop.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import URL, Connection, Engine

# A schema as SQLite holds it: table -> column names, plus the index names.
Signature = tuple[dict[str, frozenset[str]], frozenset[str]]


def alembic_config(url: str | URL | None = None) -> Config:
    import sys

    from alembic.config import Config

    # Alembic's default stdout is bound when alembic.config is first imported;
    # pass the current one so output never goes to a stream closed since.
    cfg = Config(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(migrations_dir()))
    if url:
        if not isinstance(url, str):  # a URL object: its path percent-quoted, % doubled for ini
            url = url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def transactional_engine(path: Path) -> Engine:
    """An engine whose ``begin()`` is a real SQLite transaction (DDL included).

    Foreign keys are off, as Alembic's batch table rebuilds need.
    """
    from sqlalchemy import event

    from chinadialog_desktop.persistence.engine import make_engine, sqlite_url

    engine = make_engine(sqlite_url(path), foreign_keys=False)

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(
    connection: Connection, target: str = "head", on_step: Callable[[], None] | None = None
) -> None:
    """Upgrade on ``connection`` (inside the caller's transaction); ``on_step`` after each step."""
    _alembic_upgrade(connection, target, on_step)


def _alembic_upgrade(
    connection: Connection, target: str, on_step: Callable[[], None] | None
) -> None:
    from alembic import command

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    if on_step is not None:
        cfg.attributes["on_version_apply"] = lambda **_kw: on_step()
    command.upgrade(cfg, target)


def script_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def script_revisions() -> list[str]:
    """All revisions, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def read_signature(conn: Any) -> Signature:
    """The schema of an open sqlite3 connection, without the search index and Alembic's table."""
    rows = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')"
    ).fetchall()

    def ours(table: str) -> bool:
        return not (
            table.startswith("sqlite_") or table.startswith("search_") or table == "alembic_version"
        )

    tables: dict[str, frozenset[str]] = {}
    indexes: set[str] = set()
    for kind, name, table in rows:
        if not ours(table):
            continue
        if kind == "table":
            quoted = name.replace('"', '""')
            cols = conn.execute(f'PRAGMA table_info("{quoted}")').fetchall()
            tables[name] = frozenset(c[1] for c in cols)
        elif not name.startswith("sqlite_autoindex"):
            indexes.add(name)
    return tables, frozenset(indexes)


@cache
def expected_signatures() -> dict[str, Signature]:
    """The schema each revision has, derived by running the migrations in memory."""
    import sqlite3

    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    raw = sqlite3.connect(":memory:")
    engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
    found: dict[str, Signature] = {}
    try:
        revisions = iter(script_revisions())
        with engine.begin() as conn:
            _alembic_upgrade(
                conn, "head", lambda: found.update({next(revisions): read_signature(raw)})
            )
    finally:
        engine.dispose()
        raw.close()
    return found
