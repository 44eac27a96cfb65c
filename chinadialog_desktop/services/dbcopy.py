"""``chinadialog db copy SRC DEST``: a whole database from a file to a team server and back.

Every table of the schema is copied row by row with its ids, UUIDs, the audit
trail (events, users, times and chain hashes as they are) and the attachments
(stored in the database). The copy is all-or-nothing:

- onto a team server (PostgreSQL) in one transaction: an empty server database
  is first given the current schema (as ``db upgrade`` does); the audit-trail
  guard and the change notification are switched off for that transaction
  only, so copied events keep their recorded user; the id sequences are set
  past the copied ids and the search index is rebuilt before the commit;
- into a file (SQLite) under a temporary name beside the target, renamed only
  when complete and checked, so a killed copy leaves no half-written file.

Before the commit (or the rename) every table is counted and hashed on both
sides, the same way on both engines (:func:`table_hash`), and the audit
trail's hash chain of the target is verified; any difference undoes the copy.
A target that already holds data is refused unless ``replace`` is given.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, String, Table, func, insert, select, text

from chinadialog_desktop.errors import DatabaseRefused, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.persistence import audit, faultpoint, lifecycle
from chinadialog_desktop.persistence.models import Base
from chinadialog_desktop.persistence.server import (
    ServerTarget,
    analyze_after_bulk,
    check_revision,
    describe_server_error,
    foreign_tables,
    is_server_url,
    make_server_engine,
    parse_target,
    server_revision,
)

_BATCH = 1000
# Server-side triggers on audit_event that must not act on copied events.
_AUDIT_TRIGGERS = ("chinadialog_audit_guard", "chinadialog_notify")


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    sha256: str


@dataclass
class CopyReport:
    source: str
    target: str
    tables: list[TableCopy] = field(default_factory=list)
    audit_events: int = 0
    current_table: str | None = None  # being copied (named when the target refuses a row)
    chain_breaks: int = 0  # in the source's audit trail already (a copy adds none)
    base_records: int = 0  # a copy into a file: records whose state it keeps for a merge back

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


# -- one hash on both engines -----------------------------------------------------------


def _utc(value: datetime) -> datetime:
    """Aware, in UTC: SQLite returns naive UTC times, PostgreSQL aware ones in its time zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _ordered(conn: Connection, table: Table) -> Any:
    """All rows in primary-key order; text keys in byte order on both engines."""
    keys: list[Any] = []
    for col in table.primary_key.columns:
        if conn.dialect.name == "postgresql" and isinstance(col.type, String):
            keys.append(col.collate("C"))
        else:
            keys.append(col)
    return select(table).order_by(*keys)


def _rows(conn: Connection, table: Table) -> Iterator[list[Any]]:
    result = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(
        _ordered(conn, table)
    )
    for partition in result.partitions(_BATCH):
        yield from (list(row) for row in partition)


def table_hash(conn: Connection, table: Table) -> TableCopy:
    """Row count and SHA-256 over the rows in primary-key order, values normalised."""
    digest = hashlib.sha256()
    n = 0
    for row in _rows(conn, table):
        line = json.dumps([_canonical(v) for v in row], ensure_ascii=False)
        digest.update(line.encode("utf-8") + b"\n")
        n += 1
    return TableCopy(table.name, n, digest.hexdigest())


# A database's own travel-copy bookkeeping (services/travel.py) is never copied: a copy
# written into a file records its own origin instead.
NOT_COPIED = ("copy_origin", "copy_base")


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


# -- sides ------------------------------------------------------------------------------


def _label(location: str | Path) -> str:
    if is_server_url(location):
        return parse_target(str(location)).display()
    return str(location)


@contextmanager
def _source(location: str) -> Iterator[Engine]:
    """An engine on the source, which must be a database at the current schema; read only."""
    from chinadialog_desktop.persistence.engine import make_engine

    if is_server_url(location):
        target = parse_target(location)
        engine = make_server_engine(target)
        try:
            with engine.connect() as conn:
                revision = server_revision(conn)
                check_revision(target, revision, foreign_tables(conn) if revision is None else [])
                _refuse_hidden_rows(conn, target)
            yield engine
        finally:
            engine.dispose()
        return
    path = Path(location).expanduser()
    if not path.is_file():
        raise UserError(_("{path} does not exist; nothing was copied.").format(path=path))
    state = lifecycle.inspect_file(path).state  # refuses damaged, foreign and newer files
    if state is lifecycle.FileState.OLDER:
        raise DatabaseRefused(
            _(
                '{path} has an older schema; open it once or run \'chinadialog --db "{path}" '
                "db upgrade', then copy it. Nothing was copied."
            ).format(path=path)
        )
    if state is not lifecycle.FileState.CURRENT:
        raise UserError(_("{path} holds no database; nothing was copied.").format(path=path))
    engine = make_engine(path.resolve(), readonly=True)
    try:
        yield engine
    finally:
        engine.dispose()


_HIDDEN_FROM_ROLE = text(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relrowsecurity "
    "AND NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) "
    "AND (c.relforcerowsecurity OR c.relowner <> "
    "     (SELECT oid FROM pg_roles WHERE rolname = current_user)) ORDER BY 1"
)


def _refuse_hidden_rows(conn: Connection, target: ServerTarget) -> None:
    """A source role that row-level security keeps from some rows would copy a part only."""
    hidden = [str(r[0]) for r in conn.execute(_HIDDEN_FROM_ROLE)]
    if hidden:
        raise DatabaseRefused(
            _(
                "Row-level security may hide records of {tables} in {server} from your role, so "
                "the copy could be incomplete; copy with the owner role. Nothing was copied."
            ).format(tables=", ".join(hidden), server=target.display())
        )


@contextmanager
def _snapshot(src: Engine) -> Iterator[Connection]:
    """One read transaction on the source: every table as of the same moment.

    Another window or client may go on writing while the copy reads; the copy
    then holds the state from the moment it began, consistent across tables.
    """
    if src.dialect.name == "postgresql":
        with src.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                yield conn
        return
    with src.connect() as conn:
        conn.exec_driver_sql("BEGIN")  # pysqlite would read each statement on its own
        try:
            yield conn
        finally:
            conn.exec_driver_sql("ROLLBACK")


def _has_rows(conn: Connection) -> bool:
    return any(
        conn.execute(select(func.count()).select_from(select(t).limit(1).subquery())).scalar()
        for t in _tables()
    )


def _not_empty(target: str) -> UserError:
    return UserError(
        _(
            "The target {target} already holds data; nothing was copied. To replace its whole "
            "content with the copy, add --replace."
        ).format(target=target)
    )


def _copy_rows(src: Connection, dst: Connection, report: CopyReport) -> None:
    for table in _tables():
        report.current_table = table.name
        digest = hashlib.sha256()
        n = 0
        batch: list[dict[str, Any]] = []
        names = [c.name for c in table.columns]
        for row in _rows(src, table):
            digest.update(
                json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode("utf-8") + b"\n"
            )
            n += 1
            batch.append(
                {
                    k: _utc(v) if isinstance(v, datetime) else v
                    for k, v in zip(names, row, strict=True)
                }
            )
            if len(batch) >= _BATCH:
                dst.execute(insert(table), batch)
                batch = []
        if batch:
            dst.execute(insert(table), batch)
        report.tables.append(TableCopy(table.name, n, digest.hexdigest()))
        faultpoint.hit("copy-table")
    report.current_table = None


def _verify(dst: Connection, report: CopyReport, target: str) -> None:
    """Counts and hashes of the target equal the source's, the audit chain holds; else refuse."""
    for expected in report.tables:
        found = table_hash(dst, Base.metadata.tables[expected.table])
        if found != expected:
            raise DatabaseRefused(
                _(
                    "The copy in {target} differs from the source in table {table} "
                    "({found} rows instead of {expected}); it was undone, nothing was changed."
                ).format(
                    target=target, table=expected.table, found=found.rows, expected=expected.rows
                )
            )
    chain = audit.verify_chain(dst)
    report.audit_events = chain.events
    if len(chain.breaks) > report.chain_breaks:
        raise DatabaseRefused(
            _(
                "The audit trail's hash chain of the copy in {target} does not hold where the "
                "source's does; the copy was undone, nothing was changed."
            ).format(target=target)
        )


# -- targets ----------------------------------------------------------------------------


def _copy_to_server(src: Engine, target: ServerTarget, replace: bool, report: CopyReport) -> None:
    from sqlalchemy.exc import DBAPIError

    from chinadialog_desktop.persistence import search_index_pg, server_rights
    from chinadialog_desktop.persistence.server_upgrade import upgrade_server

    engine = make_server_engine(target)
    try:
        with engine.connect() as conn:
            revision = server_revision(conn)
            tables = foreign_tables(conn) if revision is None else []
        if revision is None:
            if tables:
                check_revision(target, None, tables)  # another program's database: refused
            upgrade_server(target, engine)  # the empty database gets the current schema
        else:
            check_revision(target, revision, [])  # older or newer: refused, say db upgrade
        with engine.begin() as dst, _snapshot(src) as s:
            if _has_rows(dst):
                if not replace:
                    raise _not_empty(target.display())
                names = ", ".join(t.name for t in _tables())
                dst.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))  # noqa: S608
            for trigger in _AUDIT_TRIGGERS:
                if dst.execute(
                    text("SELECT count(*) FROM pg_trigger WHERE tgname = :t"), {"t": trigger}
                ).scalar():
                    dst.execute(text(f"ALTER TABLE audit_event DISABLE TRIGGER {trigger}"))
            _copy_rows(s, dst, report)
            for table in _tables():
                pk = list(table.primary_key.columns)
                if len(pk) != 1 or not table.c[pk[0].name].autoincrement:
                    continue
                seq = dst.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": pk[0].name},
                ).scalar()
                if seq is None:
                    continue
                top = dst.execute(select(func.max(pk[0]))).scalar()
                dst.execute(
                    text("SELECT setval(:s, :v, :called)"),
                    {"s": seq, "v": top or 1, "called": top is not None},
                )
            search_index_pg.rebuild(dst)
            server_rights.apply_policies(dst)  # the new search table's row-level security
            for trigger in _AUDIT_TRIGGERS:
                if dst.execute(
                    text("SELECT count(*) FROM pg_trigger WHERE tgname = :t"), {"t": trigger}
                ).scalar():
                    dst.execute(text(f"ALTER TABLE audit_event ENABLE TRIGGER {trigger}"))
            _verify(dst, report, target.display())
            faultpoint.hit("copy-before-commit")
        analyze_after_bulk(engine)  # the planner's statistics of the new tables
    except DBAPIError as exc:
        raise (
            describe_server_error(exc, target) or _refused(exc, report, target.display())
        ) from exc
    finally:
        engine.dispose()


def _refused(exc: BaseException, report: CopyReport, target: str) -> BaseException:
    """A row the target refused (a constraint, a right): one sentence, no data, no SQL."""
    from sqlalchemy.exc import IntegrityError, ProgrammingError

    if report.current_table is None or not isinstance(exc, IntegrityError | ProgrammingError):
        return exc
    return UserError(
        _(
            "{target} refused a row of table {table} (a rule of the database or a missing right "
            "of your role); the copy was undone, nothing was changed."
        ).format(target=target, table=report.current_table)
    )


def _copy_to_file(src: Engine, path: Path, replace: bool, report: CopyReport, source: str) -> None:
    from sqlalchemy.exc import DBAPIError

    from chinadialog_desktop.errors import translate_database_error
    from chinadialog_desktop.persistence import backup, search_index
    from chinadialog_desktop.persistence.engine import make_engine, sqlite_url
    from chinadialog_desktop.persistence.schema import HEAD_REVISION
    from chinadialog_desktop.persistence.sqlite_files import make_private_dirs
    from chinadialog_desktop.services import travel

    path = path.expanduser()
    with lifecycle.setup_lock(path), _sole_user(path):
        replacing = False
        if path.exists() and path.stat().st_size:
            info = lifecycle.inspect_file(path)  # refuses damaged, foreign and newer files
            if info.state in (lifecycle.FileState.CURRENT, lifecycle.FileState.OLDER):
                with _sqlite_reader(path) as conn:
                    replacing = _has_rows(conn)
                if replacing and not replace:
                    raise _not_empty(str(path))
        make_private_dirs(path.parent)
        part = path.with_name(path.name + ".copy-part")
        _remove_file(part)  # left by a copy that was killed
        engine = make_engine(sqlite_url(part))
        try:
            with engine.begin() as dst, _snapshot(src) as s:
                Base.metadata.create_all(dst)
                dst.execute(
                    text(
                        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                    )
                )
                dst.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": HEAD_REVISION})
                _copy_rows(s, dst, report)
                search_index.rebuild(dst)
                _verify(dst, report, str(path))
                # The copy knows its base: where from, when, and each record's state then.
                report.base_records = travel.record_base(s, dst, report.source, source)
            engine.dispose()
            problems = lifecycle.check_integrity(part)
            if problems:
                raise DatabaseRefused(
                    _(
                        "The copy {path} failed its integrity check ({problems}); "
                        "nothing was changed."
                    ).format(path=path, problems="; ".join(problems[:3]))
                )
            faultpoint.hit("copy-before-rename")
            if replacing:  # the replaced data stays at hand
                backup.make_backup(path, reason="restore")
            with open(part, "rb+") as f:
                os.fsync(f.fileno())
            for suffix in ("-journal", "-wal", "-shm"):  # of the replaced file, not in use
                Path(str(path) + suffix).unlink(missing_ok=True)
            os.replace(part, path)
            lifecycle.fsync_dir(path.parent)
        except DBAPIError as exc:
            engine.dispose()
            _remove_file(part)
            said = translate_database_error(exc, path, None)
            raise (_refused(exc, report, str(path)) if said is None else said) from exc
        except BaseException:
            engine.dispose()
            _remove_file(part)
            raise


@contextmanager
def _sole_user(path: Path) -> Iterator[None]:
    """No other window or command has the target file open while it is replaced."""
    from chinadialog_desktop.persistence.filelock import FileLock, LockBusy, users_lock_path

    users = FileLock(users_lock_path(path))
    try:
        users.acquire(wait=0)
    except LockBusy:
        raise DatabaseRefused(
            _(
                "{path} is open in another ChinaDialog window or command. Close it there, "
                "then copy again; nothing was changed."
            ).format(path=path)
        ) from None
    try:
        yield
    finally:
        users.release()


def _remove_file(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


@contextmanager
def _sqlite_reader(path: Path) -> Iterator[Connection]:
    from chinadialog_desktop.persistence.engine import make_engine

    engine = make_engine(path.resolve(), readonly=True)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def copy_database(source: str, target: str, *, replace: bool = False) -> CopyReport:
    """Copy every table from ``source`` to ``target`` (files or ``postgresql://`` addresses)."""
    if (
        not is_server_url(source)
        and not is_server_url(target)
        and Path(source).expanduser().resolve() == Path(target).expanduser().resolve()
    ):
        raise UserError(_("Source and target are the same database; nothing was copied."))
    report = CopyReport(_label(source), _label(target))
    with _source(source) as src:
        with src.connect() as conn:
            report.chain_breaks = len(audit.verify_chain(conn).breaks)
        if is_server_url(target):
            _copy_to_server(src, parse_target(target), replace, report)
        else:
            _copy_to_file(src, Path(target), replace, report, source)
            if is_server_url(source):  # offered read-only when the server is away
                from chinadialog_desktop.services import team_offline

                team_offline.remember_copy(source, Path(target))
    return report
