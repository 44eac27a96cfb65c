"""Fixtures for the briefing tests: the prepared demo dossier and PDF read-back helpers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.briefing_sample import AS_OF, DOSSIER_UUID, EPOCH, prepare
from helpers.db import building_template, copy_database_file
from helpers.isolation import isolate_home
from helpers.pg_server import PgServer
from sqlalchemy import select

from chinadialog_desktop.i18n import language, set_language
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Dossier
from chinadialog_desktop.services.briefing.export import (
    BriefingOptions,
    ExportResult,
    export_briefing,
)


def _prepare(database: Database) -> None:
    with database.session() as s:
        prepare(s)


@pytest.fixture(scope="session")
def prepared_sqlite(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A database file holding the prepared dossier (``prepare``), made once per session."""
    with building_template(tmp_path_factory) as folder:
        path = folder / "prepared.sqlite3"
        copy_database_file(sqlite_template, path)
        database = Database.open(path)
        try:
            _prepare(database)
        finally:
            database.close()
    return path


@pytest.fixture(scope="session")
def prepared_pg(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer, pg_template: str
) -> str:
    """A team database holding the prepared dossier, made once per session: a template."""
    with building_template(tmp_path_factory):
        name = pg_server.create_database("prepared", template=pg_template)
        database = Database.open(pg_server.plain_url(name))
        try:
            _prepare(database)
        finally:
            database.close()
    return name


@pytest.fixture
def db_url(engine_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """As the suite's ``db_url``; for a test that uses the prepared dossier (``dossier_id``)
    the database already holds it: a copy of one prepared once per session by the same
    ``prepare``, instead of preparing it anew in every test."""
    prepared = "dossier_id" in request.fixturenames
    if engine_kind == "postgresql":
        if not prepared:
            return str(request.getfixturevalue("pg_database"))
        server: PgServer = request.getfixturevalue("pg_server")
        name = server.create_database("t", template=request.getfixturevalue("prepared_pg"))
        request.addfinalizer(lambda: server.drop_database(name))
        return server.plain_url(name)
    path = tmp_path / "test.sqlite3"
    if prepared:
        copy_database_file(request.getfixturevalue("prepared_sqlite"), path)
    return str(path)


@pytest.fixture
def dossier_id(db: Database) -> int:
    """The prepared Braunschweig–Zhuhai dossier (``helpers.briefing_sample.prepare``)."""
    with db.session() as s:
        return s.scalars(select(Dossier.id).where(Dossier.uuid == DOSSIER_UUID)).one()


@pytest.fixture
def export(
    db: Database, dossier_id: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., ExportResult]:
    """export(**options) → ExportResult, with a fixed SOURCE_DATE_EPOCH and as-of date.

    ``fmt="docx"`` (and ``docx_template=``) export the Word document instead of the PDF.
    """
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    counter = iter(range(1, 1000))

    def run(
        record: bool = True, fmt: str = "pdf", docx_template: Path | None = None, **options: object
    ) -> ExportResult:
        out = tmp_path / f"briefing-{next(counter)}.{fmt}"
        return _export(db, dossier_id, out, record, fmt, docx_template, options)

    return run


def _export(
    db: Database,
    dossier_id: int,
    out: Path,
    record: bool,
    fmt: str,
    docx_template: Path | None,
    options: dict[str, object],
) -> ExportResult:
    options.setdefault("as_of", AS_OF)
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        assert dossier is not None
        return export_briefing(
            s,
            dossier,
            BriefingOptions(**options),  # type: ignore[arg-type]
            out,
            record=record,
            fmt=fmt,
            docx_template=docx_template,
        )


@pytest.fixture(scope="module")
def export_once(
    tmp_path_factory: pytest.TempPathFactory, prepared_sqlite: Path
) -> Callable[..., bytes]:
    """export_once(**options) → the file's bytes, as ``export(record=False, **options)``
    would write them, for a module whose tests only READ one unchanged export (a fixture
    of scope "module" makes it once instead of once per test).

    Each call exports from its own copy of the prepared dossier, with its own HOME,
    English messages and the fixed SOURCE_DATE_EPOCH, as the function fixtures give
    ``export``; nothing is recorded, so the copy stays as prepared.
    """

    def run(fmt: str = "pdf", docx_template: Path | None = None, **options: object) -> bytes:
        folder = tmp_path_factory.mktemp("export_once")
        path = folder / "test.sqlite3"
        copy_database_file(prepared_sqlite, path)
        before = language()
        with pytest.MonkeyPatch.context() as mp:
            isolate_home(folder / "home", mp)
            mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
            set_language("en")
            database = Database.open(path)
            try:
                with database.session() as s:
                    dossier_id = s.scalars(
                        select(Dossier.id).where(Dossier.uuid == DOSSIER_UUID)
                    ).one()
                out = folder / f"briefing.{fmt}"
                return _export(database, dossier_id, out, False, fmt, docx_template, options).data
            finally:
                database.close()
                set_language(before)

    return run
