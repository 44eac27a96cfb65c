"""``chinadialog import FILE``, ``chinadialog export FORMAT OUT`` and ``chinadialog imports``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chinadialog_desktop.cli.choices import export_format_words
from chinadialog_desktop.cli.common import format_when, open_database, print_json, print_table
from chinadialog_desktop.domain.kinds import REGISTRY
from chinadialog_desktop.i18n import N_, _, in_every_language

# The record kinds for --help, named from the domain so that it needs no database code:
# the registry's kinds (the registers among them) by their names in the active language
# (--kind Akteure; the file keys, --kind actors, are taken as well).
KIND_NAMES = tuple(entry.file_key for entry in REGISTRY.values())  # the keys, taken as well


def kind_names() -> list[str]:
    return [_(entry.plural) for entry in REGISTRY.values()]


# A table of persons and organisations (column "Art"), imported as contacts and actors.
MIXED_KIND_NAME = N_("mixed")
EVERY_KIND = N_("all")  # --kind: every kind (nested ones too, in a package or JSON)


# Nested kinds travel only in packages and JSON (CSV and XLSX rows cannot hold them).
def nested_kind_names() -> list[str]:
    from chinadialog_desktop.domain.nested_kinds import NESTED_KINDS, NESTED_LABELS

    return [_(NESTED_LABELS[kind]) for kind in NESTED_KINDS]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser(
        "import",
        help=_("import a dataset: package (.zip), CSV, XLSX, JSON or FollowTheMoney list"),
    )
    imp.add_argument("file", metavar="FILE", help=_("the file to import"))
    imp.add_argument("--dry-run", action="store_true", help=_("only compare, write nothing"))
    imp.add_argument(
        "--kind",
        help=_(
            "record kind: {kinds}; in packages and JSON also {nested} (default: detected)"
        ).format(
            kinds=", ".join((*kind_names(), _(MIXED_KIND_NAME))),
            nested=", ".join(nested_kind_names()),
        ),
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar='"HEADER=field"',
        help=_('map a column to a field (repeatable); "HEADER=" keeps it as an extra column'),
    )
    imp.add_argument("--sheet", help=_("worksheet of an XLSX file"))
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument(
        "--keep-mine",
        action="store_true",
        help=_("resolve every conflict by keeping the local record"),
    )
    choice.add_argument(
        "--take-theirs",
        action="store_true",
        help=_("resolve every conflict with the file's version"),
    )
    imp.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="UUID=mine|theirs",
        help=_("resolve the conflict of one record (repeatable)"),
    )
    imp.add_argument("--json", action="store_true", help=_("print JSON"))
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser(
        "export",
        help=_(
            "export actors, partnerships, sources, activities and contacts; as a package or "
            "JSON also dossiers, checklist templates and assessments"
        ),
    )
    export_format_words().add(exp, "format", help=_("what to write: a package, CSV, XLSX or JSON"))
    exp.add_argument("out", help=_("the file to write"))
    exp.add_argument(
        "--kind",
        action="append",
        help=_(
            "record kind to export (repeatable): {kinds}; package and JSON only: {nested}; "
            "“{all}” for every kind (default: the first five)"
        ).format(
            kinds=", ".join(kind_names()),
            nested=", ".join(nested_kind_names()),
            all=_(EVERY_KIND),
        ),
    )
    exp.add_argument(
        "--dossier",
        type=int,
        metavar="ID",
        help=_(
            "the dossier with what it links: partnerships, actors, sources, activities, "
            "contacts, assessments and their checklist templates"
        ),
    )
    exp.add_argument("--title", help=_("title of the package"))
    exp.add_argument("--publisher", help=_("publisher of the package"))
    exp.add_argument("--licence", default="CC-BY-4.0", help=_("licence of the package"))
    exp.set_defaults(func=cmd_export)

    runs = sub.add_parser("imports", help=_("list the import runs"))
    runs.add_argument("--json", action="store_true", help=_("print JSON"))
    runs.set_defaults(func=cmd_imports)


def _progress(done: int, total: int, message: str) -> None:
    if total and sys.stderr.isatty():
        print(f"\r{message} {100 * done // total:3d} %", end="", file=sys.stderr, flush=True)


def _resolutions(items: list[str]) -> dict[str, str]:
    from chinadialog_desktop.errors import UserError

    result = {}
    for item in items:
        uuid, _sep, choice = item.partition("=")
        if choice not in ("mine", "theirs"):
            raise UserError(
                _("--resolve needs UUID=mine or UUID=theirs, not '{item}'.").format(item=item)
            )
        result[uuid.strip()] = choice
    return result


def cmd_import(args: argparse.Namespace) -> int:
    from chinadialog_desktop.interchange.problems import ProblemList
    from chinadialog_desktop.services.datasets.importing import (
        CANCELLED,
        DRY_RUN,
        NEEDS_DECISION,
        ImportOptions,
        import_dataset,
    )
    from chinadialog_desktop.services.datasets.mapping import parse_user_map

    map_problems = ProblemList()
    user_map = parse_user_map(args.map, map_problems)
    if map_problems.has_errors:
        print(map_problems.format(), file=sys.stderr)
        return 2
    options = ImportOptions(
        kind=args.kind,
        user_map=user_map,
        sheet=args.sheet,
        on_conflict="mine" if args.keep_mine else "theirs" if args.take_theirs else None,
        resolutions=_resolutions(args.resolve),
    )
    db = open_database(args)
    try:
        result = import_dataset(db, args.file, options, dry_run=args.dry_run, progress=_progress)
    finally:
        db.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print_json(result.as_json())
        return 0 if result.ok else 1
    _print_mappings(result)
    for problem in result.problems.warnings():
        print(_("Note: {problem}").format(problem=problem), file=sys.stderr)
    if result.plan is not None:
        _print_counts(result.kind_counts(), mixed=result.mixed)
        _print_conflicts(result)
    for ref in result.reference_results:
        if not ref.list_key:
            continue  # not read far enough to know its list; its problems say why
        print(
            _(
                "Reference list {key}: {new} new, {updated} updated, {unchanged} unchanged, "
                "{removed} removed"
            ).format(key=ref.name or ref.list_key, **ref.counts)
        )
    if not result.ok:
        if result.status == CANCELLED:
            print(_("Import cancelled; nothing was changed."), file=sys.stderr)
            return 1
        print(
            _("Rejected: {file} was not imported, nothing was changed.").format(
                file=result.file_name
            ),
            file=sys.stderr,
        )
        errors = [p for p in result.problems if p.is_error]
        for problem in errors:
            print(str(problem), file=sys.stderr)
        if result.problems.truncated:
            print(
                _("… and {count} more problems not shown").format(count=result.problems.truncated),
                file=sys.stderr,
            )
        if result.status == NEEDS_DECISION:
            print(
                _(
                    "Decide the conflicts and import again: --keep-mine keeps every local "
                    "version, --take-theirs takes every version from the file, "
                    "--resolve UUID=mine or --resolve UUID=theirs decides one record."
                ),
                file=sys.stderr,
            )
        return 1
    if result.status == DRY_RUN:
        print(_("Dry run — nothing was written."))
    else:
        print(_("Imported; run {id} recorded.").format(id=result.run_id))
        if result.backup_path:
            print(_("Backup: {path}").format(path=result.backup_path))
    return 0


_KIND_LABELS = {
    **{entry.file_key: entry.plural for entry in REGISTRY.values()},
    "mixed": N_("Persons and organisations"),
    "dossiers": N_("Dossiers"),
    "checklist_templates": N_("Checklist templates"),
    "assessments": N_("Assessments"),
}


def _kind(key: str) -> str:
    """A kind of record in words (Akteure, Partnerschaften …); an unknown key as is."""
    return _(_KIND_LABELS[key]) if key in _KIND_LABELS else key


def _print_mappings(result: Any) -> None:
    from chinadialog_desktop.services.datasets.field_labels import field_label

    for mapping in result.mappings:
        columns = mapping.as_dict()
        if all(header == field for header, field in columns.items()):
            continue  # the file uses our field names (our own export): nothing to explain
        print(_("Columns ({kind}):").format(kind=_kind(mapping.kind.key)))
        for header, field in columns.items():
            target = (
                field_label(mapping.kind.key, field)
                if field
                else _("kept with the record (not mapped)")
            )
            print(f"  {header} → {target}")


def _print_counts(counts: dict[str, dict[str, int]], mixed: bool = False) -> None:
    from chinadialog_desktop.services.datasets.kinds import MIXED_LABELS

    def label(kind: str) -> str:
        return _(MIXED_LABELS[kind]) if mixed and kind in MIXED_LABELS else _kind(kind)

    print_table(
        [_("Kind"), _("new"), _("updated"), _("unchanged"), _("conflict")],
        [
            [label(kind), str(c["new"]), str(c["updated"]), str(c["unchanged"]), str(c["conflict"])]
            for kind, c in counts.items()
        ],
    )


def _print_conflicts(result: Any) -> None:
    for conflict in result.plan.conflicts():
        print(
            _("Conflict: {label} ({uuid}) was changed here and in the file:").format(
                label=conflict.label, uuid=conflict.uuid
            )
        )
        for change in conflict.changes:
            print(
                "  "
                + _("{field}: mine {mine!r}, theirs {theirs!r}").format(
                    field=change.field, mine=change.mine, theirs=change.theirs
                )
            )


def _kinds_asked(kinds: list[str] | None) -> list[str] | None:
    """``--kind`` as given, the word for every kind in any language taken as the service's
    ``"all"`` ("alle" on a German command line, "all" in a script)."""
    if kinds is None:
        return None
    every = {word.casefold() for word in in_every_language(EVERY_KIND)}
    return ["all" if kind.casefold() in every else kind for kind in kinds]


def cmd_export(args: argparse.Namespace) -> int:
    from chinadialog_desktop.services.datasets.export import export_dataset

    db = open_database(args)
    try:
        with db.session() as s:
            result = export_dataset(
                s,
                args.format,
                args.out,
                kinds=_kinds_asked(args.kind),
                dossier_id=args.dossier,
                title=args.title,
                publisher=args.publisher,
                licence=args.licence,
                progress=_progress,
            )
    finally:
        db.close()
    counts = ", ".join(f"{_kind(k)}: {n}" for k, n in result.counts.items())
    print(_("Written: {path} ({counts})").format(path=result.path, counts=counts))
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from chinadialog_desktop.domain.enums import ImportStatus
    from chinadialog_desktop.domain.labels import label
    from chinadialog_desktop.persistence.models import ImportRun

    db = open_database(args)
    try:
        with db.session() as s:
            runs = s.scalars(select(ImportRun).order_by(ImportRun.started_at, ImportRun.id)).all()
            rows = [
                {
                    "id": r.id,
                    "started_at": r.started_at.isoformat(timespec="seconds"),
                    "user": r.user,
                    "file_name": r.file_name,
                    "sha256": r.sha256,
                    "format": r.format,
                    "status": r.status,
                    "counts": {k: v for k, v in (r.counts or {}).items() if k != "records"},
                }
                for r in runs
            ]
    finally:
        db.close()
    if args.json:
        print_json(rows)
        return 0
    print_table(
        [_("ID"), _("When"), _("Who"), _("File"), _("Format"), _("Status"), _("Counts")],
        [
            [
                str(r["id"]),
                format_when(r["started_at"]),
                r["user"],
                r["file_name"],
                r["format"],
                label(ImportStatus, r["status"]),
                _summary(r["counts"]),
            ]
            for r in rows
        ],
    )
    return 0


_COUNT_WORDS = {
    "new": N_("new"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "conflict": N_("conflict"),
    "removed": N_("removed"),
    "total": N_("Entities"),
    "problems": N_("problems"),  # a rejected attempt: how many problems, how many errors
    "errors": N_("errors"),
}


def _summary(counts: dict[str, Any]) -> str:
    """``neu 119, aktualisiert 0, …``: the words of the import table, not the stored keys."""
    total = counts.get("total")
    pairs = (
        total.items()
        if isinstance(total, dict)
        else ((k, v) for k, v in counts.items() if isinstance(v, int))
    )
    return ", ".join(f"{_(_COUNT_WORDS[k]) if k in _COUNT_WORDS else k} {v}" for k, v in pairs)
