"""``chinadialog db …``: information, checks, backups, restore and upgrade of the database file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chinadialog_desktop.cli.common import (
    database_path,
    print_json,
    print_table,
    server_address,
)
from chinadialog_desktop.domain.kinds import REGISTRY, Kind
from chinadialog_desktop.domain.registers import REGISTERS
from chinadialog_desktop.i18n import N_, _, format_number


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser(
        "db",
        help=_(
            "database file: info, check, backup, backups, restore, recover, upgrade, verify, "
            "copy, merge"
        ),
    )
    dbsub = db.add_subparsers(dest="db_command", metavar=_("ACTION"), required=True)

    info = dbsub.add_parser("info", help=_("show path, schema version and record counts"))
    info.add_argument("--json", action="store_true", help=_("print JSON"))
    info.set_defaults(func=cmd_info)

    check = dbsub.add_parser("check", help=_("check schema version and integrity"))
    check.set_defaults(func=cmd_check)

    bak = dbsub.add_parser("backup", help=_("write a backup (default: into backups/ beside it)"))
    bak.add_argument("out", nargs="?", help=_("target file"))
    bak.set_defaults(func=cmd_backup)

    lst = dbsub.add_parser("backups", help=_("list the backups in backups/"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.set_defaults(func=cmd_backups)

    res = dbsub.add_parser("restore", help=_("replace the database with a backup"))
    res.add_argument("file", help=_("backup file to restore"))
    res.set_defaults(func=cmd_restore)

    rec = dbsub.add_parser(
        "recover", help=_("save what can still be read from a damaged database into a new file")
    )
    rec.add_argument("out", nargs="?", help=_("new file (default: beside the database)"))
    rec.add_argument("--json", action="store_true", help=_("print JSON"))
    rec.set_defaults(func=cmd_recover)

    up = dbsub.add_parser(
        "upgrade", help=_("create a missing database, or back up and upgrade an older one")
    )
    up.add_argument(
        "--init",
        action="store_true",
        help=_("also create a new database in an existing empty (zero-byte) file"),
    )
    up.set_defaults(func=cmd_upgrade)

    ver = dbsub.add_parser(
        "verify", help=_("check the hash chain of the audit trail and say where it breaks")
    )
    ver.set_defaults(func=cmd_verify)

    cp = dbsub.add_parser(
        "copy",
        help=_("copy a whole database from a file to a team server or back, checked"),
    )
    cp.add_argument("source", help=_("database file or team server address to copy from"))
    cp.add_argument("target", help=_("database file or team server address to copy into"))
    cp.add_argument(
        "--replace",
        action="store_true",
        help=_("replace the data a target already holds (a file is backed up first)"),
    )
    cp.add_argument("--json", action="store_true", help=_("print JSON"))
    cp.set_defaults(func=cmd_copy)

    from chinadialog_desktop.cli import travel

    travel.register(dbsub)


def _ensure(args: argparse.Namespace) -> Path:
    """The database path; a missing file is created, as on the app's first start."""
    from chinadialog_desktop.persistence import lifecycle

    path = database_path(args)
    if lifecycle.inspect_file(path).state in (
        lifecycle.FileState.MISSING,
        lifecycle.FileState.EMPTY,  # refused: a zero-byte file needs --init
        lifecycle.FileState.UNFINISHED,
    ):
        opened = lifecycle.prepare(path)  # locked; built under a temporary name
        if opened.created:
            print(_("Created a new database: {path}").format(path=path))
    return path


_STATES = {"current": N_("up to date"), "older": N_("older; run db upgrade")}
_TABLES = {
    **{
        kind.value: REGISTRY[kind].plural
        for kind in (Kind.ACTOR, Kind.PARTNERSHIP, Kind.ACTIVITY, Kind.CONTACT)
    },
    **{r.record_kind: r.label for r in REGISTERS},
    Kind.SOURCE.value: REGISTRY[Kind.SOURCE].plural,
    "attachment": N_("Attachments"),
    "dossier": N_("Dossiers"),
    "checklist_template": N_("Checklist templates"),
    "assessment": N_("Assessments"),
    "audit_event": N_("Audit events"),
    "import_run": N_("Import runs"),
    "import_fingerprint": N_("Import fingerprints"),
    "checklist_section": N_("Checklist sections"),
    "checklist_item": N_("Checklist items"),
    "assessment_answer": N_("Assessment answers"),
    "briefing_export": N_("Exported briefings"),
    "reference_list": N_("Reference lists"),
    "reference_entity": N_("Reference list entries"),
    "screening_check": N_("Screening runs"),
    "screening_hit": N_("Screening hits"),
    "screening_decision": N_("Screening decisions"),
    "screening_entity": N_("Screening index: names"),
    "screening_index": N_("Screening index: entries"),
    "screening_key": N_("Screening index: keys"),
    "screening_near": N_("Screening index: similar keys"),
}


def _table_name(table: str) -> str:
    """What people read for a table (never its internal name where a label exists); the
    dossier's and partnership's child tables are named where the demo data names them."""
    from chinadialog_desktop.services.demo import TABLE_LABELS

    label = _TABLES.get(table) or TABLE_LABELS.get(table)
    return _(label) if label else table


def cmd_info(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.dbadmin import database_info

    if (address := server_address(args)) is not None:
        return _server_info(args, address)

    info = database_info(_ensure(args))
    if args.json:
        print_json(info.as_json())
        return 0
    print(_("Database:       {path}").format(path=info.path))
    print(_("Size:           {size} KB").format(size=format_number(info.size_bytes / 1024, 1)))
    print(
        _("Schema version: {revision} ({state})").format(
            revision=info.revision, state=_(_STATES.get(info.state, info.state))
        )
    )
    print(
        _("SQLite:         {version}, journal {journal}").format(
            version=info.sqlite_version, journal=info.journal_mode
        )
    )
    print(_("Backups:        {n}").format(n=info.backups))
    names = {table: _table_name(table) for table in info.counts}
    width = max((len(name) for name in names.values()), default=0)
    for table, n in info.counts.items():
        print(f"  {names[table]:<{width}}  {format_number(n):>7}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check the file as it is: never creates, migrates or repairs anything."""
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence import lifecycle

    if (address := server_address(args)) is not None:
        from chinadialog_desktop.persistence.database import Database

        database = Database.open(address)  # refuses empty, foreign, older and newer schemas
        try:
            print(
                _("Database is OK: {path} (schema {revision}).").format(
                    path=database.location, revision=_server_revision(database)
                )
            )
        finally:
            database.close()
        return 0

    path = database_path(args)
    inspection = lifecycle.inspect_file(path)  # refuses foreign, damaged and newer files
    state = inspection.state
    if state is lifecycle.FileState.MISSING:
        raise UserError(_("{path} does not exist; nothing was created.").format(path=path))
    if state is lifecycle.FileState.EMPTY:
        raise UserError(
            _(
                "{path} is empty (it contains no data); nothing was changed. "
                "'chinadialog db upgrade --init' creates a new database in it."
            ).format(path=path)
        )
    if state is lifecycle.FileState.UNFINISHED:
        raise UserError(
            _(
                "{path} was left unfinished when it was first created and holds no data; "
                "the next start creates it anew."
            ).format(path=path)
        )
    half = lifecycle.schema_problems(path, inspection.revision)
    if half:
        raise UserError(
            _(
                "{path} was left half-upgraded by an interrupted program update ({problems}); "
                "'chinadialog db upgrade' or the next start puts back the backup from before "
                "the update."
            ).format(path=path, problems="; ".join(half[:5]))
        )
    from chinadialog_desktop.errors import DatabaseDamaged
    from chinadialog_desktop.persistence import backup

    damage = lifecycle.check_structure(path)
    if damage:
        backup.mark_damaged(path, damage)  # no more writing to it until repaired
        if getattr(args, "debug", False):  # SQLite's own findings (English), for support
            for finding in damage[:10]:
                print("SQLite: " + finding, file=sys.stderr)
        raise DatabaseDamaged(backup.damaged_message(path))
    problems = lifecycle.check_references(path)
    if problems:
        raise UserError(
            _("{path} has problems: {problems}").format(
                path=path, problems="; ".join(problems[:10])
            )
        )

    backup.clear_damaged(path)  # the full check passed: the file may be written again
    if state is lifecycle.FileState.OLDER:
        print(
            _(
                "Database is intact but has an older schema ({revision}); "
                "it is upgraded when opened, or with 'chinadialog db upgrade'."
            ).format(revision=inspection.revision)
        )
        return 0
    print(
        _("Database is OK: {path} (schema {revision}).").format(
            path=path, revision=inspection.revision
        )
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence import backup

    if (address := server_address(args)) is not None:
        from chinadialog_desktop.services.server_backup import dump_server

        out = dump_server(address, Path(args.out) if args.out else None)
        print(_("Backup written with pg_dump: {out}").format(out=out))
        return 0

    path = _ensure(args)
    target = Path(args.out) if args.out else None
    try:
        out = backup.make_backup(path, reason="manual", out=target)
    except Exception as exc:
        if target is None or "unable to open database file" not in str(exc):
            raise
        raise UserError(
            _("The backup {path} cannot be written; is its folder writable?").format(path=target)
        ) from None
    print(_("Backup written: {out}").format(out=out))
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from chinadialog_desktop.i18n import format_date
    from chinadialog_desktop.persistence import backup

    found = backup.list_backups(database_path(args))
    if args.json:
        print_json(
            [
                {
                    "path": str(b.path),
                    "created": b.created.isoformat(),
                    "reason": b.reason,
                    "size_bytes": b.size,
                }
                for b in found
            ]
        )
        return 0
    if not found:
        print(_("No backups yet."))
        return 0
    print_table(
        [_("Created"), _("Reason"), _("Size (KB)"), _("File")],
        [
            [
                f"{format_date(b.created.date())} {b.created:%H:%M:%S}",
                backup.reason_label(b.reason),
                format_number(b.size / 1024, 1),
                str(b.path),
            ]
            for b in found
        ],
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.persistence import lifecycle

    source = Path(args.file)
    if not source.is_file():
        raise UserError(_("Backup file not found: {path}").format(path=source))
    path = database_path(args)
    saved = lifecycle.restore(source, path)
    print(_("Restored {path} from {source}.").format(path=path, source=source))
    if saved != path:
        print(_("The previous state was backed up to {saved}.").format(saved=saved))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from datetime import datetime

    from chinadialog_desktop.errors import UserError
    from chinadialog_desktop.services.dbadmin import recover

    path = database_path(args)
    if not path.is_file():
        raise UserError(_("{path} does not exist; nothing was created.").format(path=path))
    if args.out:
        out = Path(args.out)
    else:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        word = _("recovered")  # a word in the new file's name
        out = path.with_name(f"{path.stem}-{word}-{stamp}{path.suffix}")
    report = recover(path, out)
    if args.json:
        print_json(report.as_json())
        return 0
    print(_("Saved what could be read from {path} into {out}:").format(path=path, out=out))
    rows = []
    for t in report.tables:
        name = _table_name(t.table)
        if t.expected is None:
            of = _("{saved} rows (how many there were cannot be read)").format(
                saved=format_number(t.saved)
            )
        else:
            of = _("{saved} of {expected} rows").format(
                saved=format_number(t.saved), expected=format_number(t.expected)
            )
        if t.gaps:
            of += " " + _("(skipped {gaps} unreadable stretches)").format(gaps=t.gaps)
        rows.append([name, of])
    print_table([_("Table"), _("Saved")], rows)
    for table in report.lost_tables:
        print(_("Not readable at all: {table}").format(table=table))
    if report.problems_after:
        print(
            _("The new file still has problems: {problems}").format(
                problems="; ".join(report.problems_after[:5])
            )
        )
    else:
        print(_("The new file passed the integrity check."))
    print(
        _(
            "Look through it (for example 'chinadialog --db \"{out}\" list partnerships'), then "
            "take it over with 'chinadialog db restore \"{out}\"'; the damaged file is kept."
        ).format(out=out)
    )
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from chinadialog_desktop.persistence import lifecycle

    if (address := server_address(args)) is not None:
        from chinadialog_desktop.persistence.server import parse_target
        from chinadialog_desktop.persistence.server_upgrade import upgrade_server

        target = parse_target(address)
        done = upgrade_server(target)
        if done.created:
            print(_("Set up a new team database: {server}").format(server=target.display()))
        elif done.migrated_from:
            print(
                _("Upgraded {server} from schema {old}.").format(
                    server=target.display(), old=done.migrated_from
                )
            )
        else:
            print(_("Database is already up to date: {path}").format(path=target.display()))
        return 0

    path = database_path(args)
    opened = lifecycle.prepare(path, init_empty=args.init)
    if opened.notice:
        print(opened.notice)
    if opened.created:
        print(_("Created a new database: {path}").format(path=path))
    elif opened.migrated_from:
        print(
            _("Upgraded {path} from schema {old}; backup: {backup}").format(
                path=path, old=opened.migrated_from, backup=opened.backup
            )
        )
    else:
        print(_("Database is already up to date: {path}").format(path=path))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0 when the audit trail's hash chain is whole, 1 with the breaks listed."""
    from chinadialog_desktop.cli.common import open_database, print_verify
    from chinadialog_desktop.services.demo import TABLE_LABELS

    database = open_database(args)
    try:
        return print_verify(database, {**TABLE_LABELS, **_TABLES})
    finally:
        database.close()


def _server_revision(database: object) -> str:
    from sqlalchemy import text

    with database.engine.connect() as conn:  # type: ignore[attr-defined]
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())


def _server_info(args: argparse.Namespace, address: str) -> int:
    """``db info`` for a team database: address, schema, server version, record counts."""
    from chinadialog_desktop.persistence.database import Database
    from chinadialog_desktop.services.dbadmin import server_info

    lifecycle_current = "current"  # opening refused every other state
    database = Database.open(address)
    try:
        info = server_info(database)
    finally:
        database.close()
    if args.json:
        print_json(info)
        return 0
    print(_("Database:       {path}").format(path=info["server"]))
    print(
        _("Schema version: {revision} ({state})").format(
            revision=info["revision"], state=_(_STATES[lifecycle_current])
        )
    )
    print(_("PostgreSQL:     {version}").format(version=info["server_version"]))
    print(_("Signed in as:   {user}").format(user=info["user"]))
    counts: dict[str, int] = info["counts"]
    names = {table: _table_name(table) for table in counts}
    width = max((len(name) for name in names.values()), default=0)
    for table, n in counts.items():
        print(f"  {names[table]:<{width}}  {format_number(n):>7}")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy SOURCE into TARGET in one piece; counts and hashes checked before it counts."""
    from chinadialog_desktop.services.dbcopy import copy_database

    report = copy_database(args.source, args.target, replace=args.replace)
    if args.json:
        print_json(
            {
                "source": report.source,
                "target": report.target,
                "audit_events": report.audit_events,
                "tables": [
                    {"table": t.table, "rows": t.rows, "sha256": t.sha256} for t in report.tables
                ],
            }
        )
        return 0
    print(
        _("Copied {rows} rows from {source} to {target}; counts and hashes match.").format(
            rows=format_number(report.rows), source=report.source, target=report.target
        )
    )
    rows = [[_table_name(t.table), format_number(t.rows)] for t in report.tables if t.rows]
    print_table([_("Table"), _("Rows")], rows)
    print(
        _("Audit trail: {n} events, hash chain verified in the copy.").format(
            n=format_number(report.audit_events)
        )
    )
    return 0
