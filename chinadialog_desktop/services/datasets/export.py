"""Export records (package, CSV, XLSX, JSON) that re-import unchanged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chinadialog_desktop.errors import NotFound, UserError
from chinadialog_desktop.i18n import _
from chinadialog_desktop.interchange.package_writer import PackageMember, package_bytes
from chinadialog_desktop.interchange.writers import csv_bytes, json_bytes, json_records, xlsx_bytes
from chinadialog_desktop.jobs import Cancelled
from chinadialog_desktop.persistence.audit import current_user
from chinadialog_desktop.persistence.models import (
    Actor,
    Dossier,
    DossierPartnership,
    DossierSource,
    Partnership,
)
from chinadialog_desktop.services.datasets.kinds import (
    KINDS,
    REGISTER_KINDS,
    KindSpec,
    resolve_kind,
)
from chinadialog_desktop.services.datasets.merge import Progress
from chinadialog_desktop.services.datasets.nested import NESTED_KINDS, NESTED_LABELS, nested_kind
from chinadialog_desktop.services.datasets.nested_export import (
    nested_json,
    nested_members,
    nested_rows,
    nested_scope,
)
from chinadialog_desktop.services.datasets.read import JSON_FORMAT, JSON_FORMAT_VERSION
from chinadialog_desktop.services.datasets.state import load_local

EXPORT_FORMATS = ("package", "csv", "xlsx", "json")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    counts: dict[str, int]


def kind_words() -> str:
    """The kinds an export can hold, by their names in the active language."""
    return ", ".join(
        [*(_(spec.label) for spec in KINDS.values()), *(_(NESTED_LABELS[k]) for k in NESTED_KINDS)]
    )


def _dossier_scope(session: Session, dossier_id: int) -> dict[str, set[str] | None]:
    """UUIDs of what a dossier links: partnerships, their parties' actors, cited sources."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(_("There is no dossier with ID {id}.").format(id=dossier_id))
    partnerships: set[str] = set()
    actors: set[str] = set()
    links = session.scalars(
        select(DossierPartnership).where(DossierPartnership.dossier_id == dossier_id)
    )
    for link in links:
        partnerships.add(link.partnership.uuid)
        actors.update(p.actor.uuid for p in link.partnership.parties)
    sources = {
        link.source.uuid
        for link in session.scalars(
            select(DossierSource).where(DossierSource.dossier_id == dossier_id)
        )
    }
    activities, _ids = load_local(session, KINDS["activities"])
    contacts, _ids = load_local(session, KINDS["contacts"])
    registers = {}
    for kind in REGISTER_KINDS:  # a dossier's registers: those of the partnerships it links
        states, _ids = load_local(session, kind)
        registers[kind.key] = {
            u for u, s in states.items() if s["partnership_uuid"] in partnerships
        }
    return {
        **registers,
        "partnerships": partnerships,
        "actors": actors,
        "sources": sources,
        "activities": {u for u, s in activities.items() if s["partnership_uuid"] in partnerships},
        "contacts": {
            u
            for u, s in contacts.items()
            if s["partnership_uuid"] in partnerships or s["actor_uuid"] in actors
        },
    }


def kind_rows(
    session: Session, kind: KindSpec, only: set[str] | None = None
) -> list[dict[str, Any]]:
    """Every record of ``kind`` as a row keyed by the kind's field names, oldest first."""
    states, ids = load_local(session, kind)
    fields = set(kind.names)
    actor_names: dict[str, str] = {}
    titles: dict[str, str] = {}
    if fields & {"german_party", "chinese_party", "actor"}:
        actor_names = {u: n for u, n in session.execute(select(Actor.uuid, Actor.name_de))}
    if "partnership" in fields:
        titles = {u: t for u, t in session.execute(select(Partnership.uuid, Partnership.title))}
    rows = []
    for uuid in sorted(states, key=lambda u: ids[u]):
        if only is not None and uuid not in only:
            continue
        row = {"uuid": uuid, **states[uuid]}
        # Names beside the UUIDs: what people read, and what a foreign database matches by.
        for name_field, uuid_field, names in (
            ("german_party", "german_party_uuid", actor_names),
            ("chinese_party", "chinese_party_uuid", actor_names),
            ("actor", "actor_uuid", actor_names),
            ("partnership", "partnership_uuid", titles),
        ):
            if name_field in fields:
                row[name_field] = names.get(row.get(uuid_field) or "")
        rows.append(row)
    return rows


def export_dataset(
    session: Session,
    fmt: str,
    out: Path | str,
    *,
    kinds: Sequence[str] | None = None,
    dossier_id: int | None = None,
    title: str | None = None,
    publisher: str | None = None,
    licence: str = "CC-BY-4.0",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write ``out``; the file appears only when complete (written aside, then renamed).

    Without ``kinds``: every flat kind (CSV: partnerships); with ``dossier_id``
    also the dossier, its assessments and their templates. ``"all"`` adds the
    nested kinds (dossiers, checklist templates, assessments) to a package or
    JSON export; CSV and XLSX cannot carry them.
    """
    if fmt not in EXPORT_FORMATS:
        raise UserError(_("Unknown export format '{format}'.").format(format=fmt))
    specs: list[KindSpec] = []
    nested: list[str] = []
    tabular = fmt in ("csv", "xlsx")
    default = ["partnerships"] if fmt == "csv" else list(KINDS)
    if not tabular and (dossier_id is not None or (kinds and "all" in kinds)):
        default += list(NESTED_KINDS)  # a dossier comes with its assessments and templates
    wanted = [k for k in kinds or () if k != "all"] or default
    for name in wanted:
        spec = resolve_kind(name)
        if spec is None and nested_kind(name) is not None:
            if tabular:
                raise UserError(
                    _(
                        "Dossiers, checklist templates and assessments are nested records; "
                        "export them as a package or as JSON, not as CSV or XLSX."
                    )
                )
            if nested_kind(name) not in nested:
                nested.append(str(nested_kind(name)))
            continue
        if spec is None:
            raise UserError(
                _("Unknown record kind '{kind}'; known: {known}.").format(
                    kind=name, known=kind_words()
                )
            )
        specs.append(spec)
    if fmt == "csv" and len(specs) != 1:
        raise UserError(_("A CSV file holds one kind of record; choose one with --kind."))
    scope: dict[str, set[str] | None] = {k.key: None for k in specs}
    if dossier_id is not None:
        scope = _dossier_scope(session, dossier_id)
        scope.update(nested_scope(session, dossier_id, scope))
    tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
    for n, spec in enumerate(specs):
        if cancelled is not None and cancelled():
            raise Cancelled()
        tables[spec.key] = (spec.names, kind_rows(session, spec, scope.get(spec.key)))
        if progress is not None:
            progress(n + 1, len(specs), _("Collecting records"))
    extra = {kind: nested_rows(session, kind, scope.get(kind)) for kind in nested}
    data = _encode(fmt, tables, title, publisher, licence, extra)
    out = Path(out)
    from chinadialog_desktop.leftovers import write_atomically

    write_atomically(out, data)
    counts = {k: len(rows) for k, (_c, rows) in tables.items()}
    counts.update({k: len(rows) for k, rows in extra.items()})
    return ExportResult(out, fmt, counts)


def _encode(
    fmt: str,
    tables: dict[str, tuple[list[str], list[dict[str, Any]]]],
    title: str | None,
    publisher: str | None,
    licence: str,
    nested: dict[str, list[dict[str, Any]]] | None = None,
) -> bytes:
    nested = nested or {}
    if fmt == "csv":
        [(columns, rows)] = tables.values()
        return csv_bytes(columns, rows)
    if fmt == "xlsx":
        return xlsx_bytes(tables)
    if fmt == "json":
        document = _json_document(tables)
        document["records"].update(nested_json(nested))
        return json_bytes(document)
    members = [
        PackageMember(
            f"{kind}.csv", csv_bytes(columns, rows), "csv", kind, len(rows), columns, "utf-8", ";"
        )
        for kind, (columns, rows) in tables.items()
    ]
    members += nested_members(nested, _nested_document)
    counts = [f"{k}: {len(r)}" for k, (_c, r) in tables.items()]
    counts += [f"{k}: {len(r)}" for k, r in nested.items()]
    return package_bytes(
        members,
        title=title or _("ChinaDialog dataset"),
        publisher=publisher or current_user(),
        licence=licence,
        description=", ".join(counts),
    )


def _nested_document(records: dict[str, list[dict[str, Any]]]) -> bytes:
    return json_bytes(
        {"format": JSON_FORMAT, "format_version": JSON_FORMAT_VERSION, "records": records}
    )


def _json_document(tables: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> dict[str, Any]:
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "records": {kind: json_records(columns, rows) for kind, (columns, rows) in tables.items()},
    }
