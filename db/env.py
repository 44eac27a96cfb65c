"""Alembic environment: runs on a connection handed over by the app, or on a URL."""

from __future__ import annotations

from alembic import context

from chinadialog_desktop.persistence.engine import make_engine
from chinadialog_desktop.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave out the SQLite-only search index (persistence/search_index.py).

    It is made and rebuilt when a file is opened, outside the migrations, so
    autogenerate must neither drop nor compare it.
    """
    return not (type_ == "table" and name and name.startswith("search_"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Standalone use (alembic CLI): foreign keys off, as batch rebuilds need.
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", foreign_keys=False)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # SQLite's DDL is transactional: the app hands over a connection inside one
    # real transaction (persistence/migrate.py), so the whole upgrade commits or
    # nothing does. on_version_apply lets the app count finished steps.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
        transactional_ddl=True,
        on_version_apply=config.attributes.get("on_version_apply"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
