"""A travel copy merged back (issue 17.6): ``db copy`` into a file, work offline, ``db merge``.

Each test takes a real copy of a real database (an SQLite file, or a throwaway
PostgreSQL server for the tests marked ``both_engines``), edits both sides
through the app's own edit service, and merges the copy back.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import (
    Actor,
    AuditEvent,
    ChecklistTemplate,
    CopyOrigin,
    ImportRun,
    Partnership,
    Source,
)
from chinadialog_desktop.services import travel
from chinadialog_desktop.services.dbcopy import copy_database
from chinadialog_desktop.services.records import edit


def take_copy(db_url: str, tmp_path: Path, name: str = "Reise #1 – Kopie.sqlite3") -> Path:
    copy = tmp_path / "unterwegs" / name
    copy.parent.mkdir(exist_ok=True)
    copy_database(db_url, str(copy))
    return copy


def partnerships(db: Database) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(Partnership.uuid).order_by(Partnership.id)))


def change(location: Database | Path, kind: str, uuid: str, field: str, value: Any) -> None:
    db = location if isinstance(location, Database) else Database.open(location)
    try:
        with db.session() as s:
            edit.update(s, kind, uuid, field, value)
    finally:
        if db is not location:
            db.close()


def description(db: Database, uuid: str) -> str | None:
    with db.session() as s:
        return s.scalars(select(Partnership.description).where(Partnership.uuid == uuid)).one()


def audit_events(db: Database, table: str) -> list[AuditEvent]:
    with db.session() as s:
        rows = list(
            s.scalars(
                select(AuditEvent).where(AuditEvent.table_name == table).order_by(AuditEvent.id)
            )
        )
        s.expunge_all()
        return rows


@pytest.mark.both_engines
def test_a_copy_records_where_it_came_from_and_each_records_state(demo_db, db_url, tmp_path):
    copy = take_copy(db_url, tmp_path)
    with sqlite3.connect(copy) as conn:
        ((source, copied_by, merged),) = conn.execute(
            "SELECT source, copied_by, merged_at FROM copy_origin"
        ).fetchall()
        kinds = dict(conn.execute("SELECT kind, count(*) FROM copy_base GROUP BY kind").fetchall())
    assert source == demo_db.location and copied_by and merged is None
    assert kinds["partnerships"] == len(partnerships(demo_db)) and kinds["actors"] > 0
    # The source itself holds no travel bookkeeping (it is never copied either way).
    with demo_db.session() as s:
        assert s.scalars(select(CopyOrigin)).first() is None


@pytest.mark.both_engines
def test_an_offline_edit_is_applied_and_untouched_records_leave_newer_versions_alone(
    demo_db, db_url, tmp_path
):
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Unterwegs ergänzt (Beispiel)")
    change(demo_db, "partnership", p[1], "description", "Im Amt geändert (Beispiel)")

    result = travel.merge_copy(demo_db, copy)

    assert result.status == travel.MERGED, result.problems
    assert result.sent == 1 and result.untouched > 10
    # Records not changed offline count as unchanged, per kind and in the totals alike.
    assert result.totals() == {"new": 0, "updated": 1, "unchanged": result.untouched, "conflict": 0}
    assert result.kind_counts()["partnerships"] == {
        "new": 0,
        "updated": 1,
        "unchanged": len(p) - 1,
        "conflict": 0,
    }
    assert description(demo_db, p[0]) == "Unterwegs ergänzt (Beispiel)"
    assert description(demo_db, p[1]) == "Im Amt geändert (Beispiel)"  # not overwritten
    # One event for the run, beside the record's own event, by the same user.
    (run_event,) = audit_events(demo_db, "copy_origin")
    updates = [
        e
        for e in audit_events(demo_db, "partnership")
        if e.record_uuid == p[0] and e.field == "description"
    ]
    assert updates[-1].new_value == "Unterwegs ergänzt (Beispiel)"
    assert updates[-1].user == run_event.user
    with demo_db.session() as s:
        run = s.get(ImportRun, result.run_id)
        assert run is not None and run.counts[travel.RUN_MARK] == run_event.record_uuid
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT merged_at IS NOT NULL FROM copy_origin").fetchone() == (1,)


@pytest.mark.both_engines
@pytest.mark.parametrize("decision", ["mine", "theirs"])
def test_a_record_changed_on_both_sides_is_a_conflict_decided_as_in_imports(
    demo_db, db_url, tmp_path, decision
):
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Kopie (Beispiel)")
    change(demo_db, "partnership", p[0], "description", "Server (Beispiel)")
    change(copy, "partnership", p[2], "description", "Nur unterwegs (Beispiel)")

    undecided = travel.merge_copy(demo_db, copy)
    assert undecided.status == travel.NEEDS_DECISION and not undecided.ok
    [conflict] = undecided.conflicts()
    assert conflict.uuid == p[0]
    assert [(c.field, c.mine, c.theirs) for c in conflict.changes] == [
        ("description", "Server (Beispiel)", "Kopie (Beispiel)")
    ]
    # Nothing at all was written, and the copy can still be merged.
    assert description(demo_db, p[0]) == "Server (Beispiel)"
    assert description(demo_db, p[2]) != "Nur unterwegs (Beispiel)"
    assert audit_events(demo_db, "copy_origin") == []

    decided = travel.merge_copy(demo_db, copy, resolutions={p[0]: decision})
    assert decided.status == travel.MERGED
    expected = "Server (Beispiel)" if decision == "mine" else "Kopie (Beispiel)"
    assert description(demo_db, p[0]) == expected
    assert description(demo_db, p[2]) == "Nur unterwegs (Beispiel)"
    # What was decided, not "conflict" any more: counted where it went, and named.
    assert decided.decisions == {p[0]: decision}
    assert [(c.uuid, choice) for c, choice in decided.decided()] == [(p[0], decision)]
    counts = decided.kind_counts()["partnerships"]
    assert counts["conflict"] == 0
    assert counts["updated"] == (2 if decision == "theirs" else 1)


@pytest.mark.both_engines
def test_created_offline_is_created_deleted_offline_is_only_proposed(demo_db, db_url, tmp_path):
    copy = take_copy(db_url, tmp_path)
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            created = edit.create(
                s, "actor", {"name_de": "Neustadt am Fluss (Beispiel)", "country": "DE"}
            ).uuid
            gone = s.scalars(select(Source.uuid).order_by(Source.id)).first()
            assert gone is not None
            edit.delete(s, "source", gone)
    finally:
        offline.close()

    result = travel.merge_copy(demo_db, copy)

    assert result.status == travel.MERGED
    assert result.totals()["new"] == 1
    with demo_db.session() as s:
        actor = s.scalars(select(Actor).where(Actor.uuid == created)).one()
        assert actor.name_de == "Neustadt am Fluss (Beispiel)"
        # Never deleted by the merge: named for the user to decide.
        assert s.scalars(select(Source).where(Source.uuid == gone)).one()
    assert [(x.kind, x.key) for x in result.deleted_offline] == [("sources", gone)]
    assert result.deleted_offline[0].label != gone  # named by its title


@pytest.mark.both_engines
def test_a_second_merge_says_so_and_changes_nothing(demo_db, db_url, tmp_path):
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Einmal (Beispiel)")
    assert travel.merge_copy(demo_db, copy).status == travel.MERGED
    change(demo_db, "partnership", p[0], "description", "Danach im Amt (Beispiel)")
    events = len(audit_events(demo_db, "partnership"))

    again = travel.merge_copy(demo_db, copy)

    assert again.status == travel.ALREADY and again.merged_at is not None
    assert description(demo_db, p[0]) == "Danach im Amt (Beispiel)"
    assert len(audit_events(demo_db, "partnership")) == events
    assert len(audit_events(demo_db, "copy_origin")) == 1


@pytest.mark.both_engines
def test_a_merge_whose_copy_was_not_marked_is_recognised_from_the_history(
    demo_db, db_url, tmp_path
):
    """As after a merge killed between its commit and marking the copy."""
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Vor dem Absturz (Beispiel)")
    first = travel.merge_copy(demo_db, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE copy_origin SET merged_at = NULL, merged_by = NULL")
    change(demo_db, "partnership", p[0], "description", "Danach im Amt (Beispiel)")

    again = travel.merge_copy(demo_db, copy)

    assert again.status == travel.ALREADY and again.run_id == first.run_id
    assert description(demo_db, p[0]) == "Danach im Amt (Beispiel)"
    with sqlite3.connect(copy) as conn:  # now marked
        assert conn.execute("SELECT merged_at IS NOT NULL FROM copy_origin").fetchone() == (1,)


@pytest.mark.both_engines
def test_nothing_changed_offline_merges_nothing(demo_db, db_url, tmp_path):
    copy = take_copy(db_url, tmp_path)
    result = travel.merge_copy(demo_db, copy, dry_run=True)
    assert result.status == travel.DRY_RUN and result.sent == 0
    result = travel.merge_copy(demo_db, copy)
    assert result.status == travel.NOTHING and result.run_id is None
    assert audit_events(demo_db, "copy_origin") == []


@pytest.mark.both_engines
def test_a_dry_run_writes_nothing_on_either_side(demo_db, db_url, tmp_path):
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Probe (Beispiel)")
    result = travel.merge_copy(demo_db, copy, dry_run=True)
    assert result.status == travel.DRY_RUN and result.totals()["updated"] == 1
    assert description(demo_db, p[0]) != "Probe (Beispiel)"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT merged_at FROM copy_origin").fetchone() == (None,)


@pytest.mark.both_engines
def test_a_file_that_is_no_travel_copy_or_from_elsewhere_is_refused(demo_db, db_url, tmp_path):
    plain = tmp_path / "plain.sqlite3"
    Database.open(plain).close()
    with pytest.raises(UserError, match="is not a travel copy"):
        travel.merge_copy(demo_db, plain)
    other = tmp_path / "other.sqlite3"
    Database.open(other).close()
    foreign = take_copy(str(other), tmp_path, "fremd.sqlite3")
    with pytest.raises(UserError, match="was copied from"):
        travel.merge_copy(demo_db, foreign)


def test_the_command_line_summarises_in_german_and_exits_as_import_does(
    demo_db, db_url, tmp_path, capsys
):
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Kopie (Beispiel)")
    change(demo_db, "partnership", p[0], "description", "Server (Beispiel)")
    change(copy, "partnership", p[1], "description", "Neu unterwegs (Beispiel)")

    def merge(*extra: str) -> int:
        return main(["--lang", "de", "--db", db_url, "db", "merge", str(copy), *extra])

    assert merge() == 1
    out, err = capsys.readouterr()
    assert "Neu: 0, geändert: 1, Konflikte: 1, unverändert:" in out
    label = travel_label(demo_db, p[0])
    assert p[0] in out and "Beschreibung (description): hier 'Server (Beispiel)'" in out
    assert "es wurde nichts geändert" in err
    assert merge("--take-theirs") == 0
    out, _err = capsys.readouterr()
    assert "Neu: 0, geändert: 2, Konflikte: 0" in out and "zusammengeführt" in out.lower()
    assert (
        f"Konflikt entschieden: {label} ({p[0]}): die Fassung der Reisekopie wurde übernommen."
        in out
    )
    assert "wurde in dieser Datenbank und in der Reisekopie geändert" not in out
    assert merge() == 0
    out, _err = capsys.readouterr()
    assert "bereits" in out


def travel_label(db: Database, uuid: str) -> str:
    with db.session() as s:
        return s.scalars(select(Partnership.title).where(Partnership.uuid == uuid)).one()


def _summary_and_table(out: str) -> tuple[dict[str, int], dict[str, int]]:
    """The summary line's counts and the table's column sums of ``db merge`` in German."""
    import re

    line = re.search(
        r"Neu: ([\d.]+), geändert: ([\d.]+), Konflikte: ([\d.]+), unverändert: ([\d.]+)", out
    )
    assert line is not None, out
    summary = dict(
        zip(
            ["new", "updated", "conflict", "unchanged"],
            (int(g.replace(".", "")) for g in line.groups()),
            strict=True,
        )
    )
    lines = out.splitlines()
    header = next(i for i, text in enumerate(lines) if text.startswith("Art "))
    table = {"new": 0, "updated": 0, "unchanged": 0, "conflict": 0}
    for text in lines[header + 2 :]:
        cells = re.split(r"\s{2,}", text.strip())
        if len(cells) != 5 or not all(c.replace(".", "").isdigit() for c in cells[1:]):
            break
        for key, cell in zip(["new", "updated", "unchanged", "conflict"], cells[1:], strict=True):
            table[key] += int(cell.replace(".", ""))
    return summary, table


@pytest.mark.both_engines
def test_the_summary_and_the_table_count_the_same_records(demo_db, db_url, tmp_path, capsys):
    """Records not changed offline are unchanged in the summary and in the table alike."""
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Unterwegs (Beispiel)")
    args = ["--lang", "de", "--db", db_url, "db", "merge", str(copy), "--dry-run"]
    assert main(args) == 0
    summary, table = _summary_and_table(capsys.readouterr().out)
    assert summary == table
    assert summary["updated"] == 1 and summary["unchanged"] > 100
    as_json = ["--db", db_url, "db", "merge", str(copy), "--dry-run", "--json"]
    assert main(as_json) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["unchanged"] == summary["unchanged"] == data["untouched"]
    assert data["kinds"]["partnerships"]["unchanged"] == len(p) - 1


@pytest.mark.both_engines
def test_an_undecided_conflict_is_named_as_one_with_the_travel_copy(
    demo_db, db_url, tmp_path, capsys
):
    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    change(copy, "partnership", p[0], "description", "Kopie (Beispiel)")
    change(demo_db, "partnership", p[0], "description", "Server (Beispiel)")
    assert main(["--lang", "en", "--db", db_url, "db", "merge", str(copy), "--json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert "changed here and in the travel copy" in problem["message"]
    assert "in the file" not in problem["message"]
    assert problem["file"] == copy.name and "line" not in problem and "member" not in problem


def _delete_offline(copy: Path, model: Any, kind: str, count: int = 1) -> list[str]:
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            uuids = list(s.scalars(select(model.uuid).order_by(model.id.desc()).limit(count)))
            for uuid in uuids:
                edit.delete(s, kind, uuid)
            return uuids
    finally:
        offline.close()


def _exists(db: Database, model: Any, uuid: str) -> bool:
    with db.session() as s:
        return s.scalars(select(model.uuid).where(model.uuid == uuid)).first() is not None


@pytest.mark.both_engines
def test_a_deletion_the_user_confirms_is_made_here_unless_changed_here_since(
    demo_db, db_url, tmp_path
):
    from chinadialog_desktop.persistence.models import Activity

    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    gone, edited_here = _delete_offline(copy, Activity, "activity", 2)
    change(copy, "partnership", p[0], "description", "Unterwegs (Beispiel)")
    change(demo_db, "activity", edited_here, "outcome", "Im Amt ergänzt (Beispiel)")

    dry = travel.merge_copy(demo_db, copy, dry_run=True, delete_all=True)
    assert [x.key for x in dry.deleted] == [gone]
    assert [x.key for x in dry.not_deleted] == [edited_here]
    assert _exists(demo_db, Activity, gone)  # a dry run deletes nothing

    result = travel.merge_copy(demo_db, copy, delete=[gone, edited_here])
    assert result.status == travel.MERGED
    assert [x.key for x in result.deleted] == [gone]
    assert [x.key for x in result.not_deleted] == [edited_here]
    assert not _exists(demo_db, Activity, gone)
    assert _exists(demo_db, Activity, edited_here)  # the colleague's edit is not lost
    deletions = [e for e in audit_events(demo_db, "activity") if e.record_uuid == gone]
    assert deletions[-1].action == "delete"
    assert description(demo_db, p[0]) == "Unterwegs (Beispiel)"


@pytest.mark.both_engines
def test_a_merge_of_deletions_only_is_one_run_and_happens_once(demo_db, db_url, tmp_path):
    from chinadialog_desktop.persistence.models import Activity

    copy = take_copy(db_url, tmp_path)
    [gone] = _delete_offline(copy, Activity, "activity")
    unconfirmed = travel.merge_copy(demo_db, copy, dry_run=True)
    assert unconfirmed.sent == 0 and [x.key for x in unconfirmed.deleted_offline] == [gone]

    result = travel.merge_copy(demo_db, copy, delete=[gone])

    assert result.status == travel.MERGED and result.run_id is not None
    assert not _exists(demo_db, Activity, gone)
    (run_event,) = audit_events(demo_db, "copy_origin")
    assert '"deleted": 1' in (run_event.new_value or "")
    again = travel.merge_copy(demo_db, copy, delete=[gone])
    assert again.status == travel.ALREADY


def test_a_dry_run_does_not_ask_to_confirm_a_deletion_that_would_keep_the_record(
    demo_db, db_url, tmp_path, capsys
):
    """Deleted offline but changed here since: the dry run says it is kept, instead of
    proposing ``--delete UUID``, which would then keep it all the same."""
    from chinadialog_desktop.persistence.models import Activity

    copy = take_copy(db_url, tmp_path)
    gone, edited_here = _delete_offline(copy, Activity, "activity", 2)
    change(demo_db, "activity", edited_here, "outcome", "Im Amt ergänzt (Beispiel)")

    dry = travel.merge_copy(demo_db, copy, dry_run=True)
    assert [x.key for x in dry.changed_here] == [edited_here]
    assert dry.deleted == [] and dry.not_deleted == []

    assert main(["--lang", "de", "--db", db_url, "db", "merge", str(copy), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"--delete {gone}" in out  # the one a confirmation would delete
    assert f"--delete {edited_here}" not in out
    kept = next(line for line in out.splitlines() if edited_here in line)
    assert "seit der Kopie geändert" in kept and "erhalten" in kept
    assert _exists(demo_db, Activity, gone) and _exists(demo_db, Activity, edited_here)


def test_a_merge_reads_only_what_the_stamps_say_was_written_and_finds_every_change(
    demo_db, db_url, tmp_path
):
    """The copy's base holds each record's stamp; a merge compares stamps in SQL and
    fingerprints only records whose stamp differs: a child row changed alone (a dossier's
    section, a partnership's party) is found, a record written back to what it was is not
    sent, and a copy without stamps (taken before they existed) is still merged whole."""
    from chinadialog_desktop.persistence.models import Dossier, DossierSection, PartnershipParty

    p = partnerships(demo_db)
    copy = take_copy(db_url, tmp_path)
    with sqlite3.connect(copy) as conn:
        assert conn.execute(
            "SELECT count(*) FROM copy_base WHERE copy_stamp IS NULL"
        ).fetchone() == (0,)
    before = description(demo_db, p[1])
    change(copy, "partnership", p[0], "description", "Unterwegs (Beispiel)")
    change(copy, "partnership", p[1], "description", "Kurz geändert (Beispiel)")
    change(copy, "partnership", p[1], "description", before)  # and back: nothing to send
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            section = s.scalars(select(DossierSection).order_by(DossierSection.id)).first()
            assert section is not None
            section.body = "Unterwegs ergänzt (Beispiel)"
            dossier = s.get(Dossier, section.dossier_id)
            assert dossier is not None
            changed_dossier = dossier.uuid
            party = s.scalars(
                select(PartnershipParty)
                .join(Partnership, Partnership.id == PartnershipParty.partnership_id)
                .where(Partnership.uuid == p[2], PartnershipParty.role == "german")
                .order_by(PartnershipParty.position, PartnershipParty.id)
            ).first()
            assert party is not None
            other = s.scalars(
                select(Actor.id).where(Actor.id != party.actor_id, Actor.country == "DE")
            ).first()
            party.actor_id = other
    finally:
        offline.close()

    messages: list[str] = []
    result = travel.merge_copy(
        demo_db, copy, dry_run=True, progress=lambda _d, _t, message: messages.append(message)
    )

    assert result.status == travel.DRY_RUN, result.problems
    updated = {i.uuid for i in result.plan.items} if result.plan is not None else set()
    counts = result.kind_counts()
    assert counts["partnerships"]["updated"] == 2 and counts["dossiers"]["updated"] == 1
    assert result.sent == 3
    assert p[1] not in updated
    assert any(
        m.startswith("Comparing the travel copy with its state when copied") for m in messages
    )
    assert any(
        m.startswith("Reading what was changed in the travel copy: Partnerships") for m in messages
    )

    # A copy taken before stamps existed: every record is read, the same changes are found.
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE copy_base SET copy_stamp = NULL")
    again = travel.merge_copy(demo_db, copy, dry_run=True)
    assert again.kind_counts() == counts and again.sent == 3
    assert again.plan is not None and changed_dossier in again.plan.uuids("dossiers")


@pytest.mark.both_engines
def test_assessments_deleted_offline_are_proposed_and_deleted_like_other_records(
    demo_db, db_url, tmp_path
):
    """An assessment deleted offline (with its partnership) is listed and, when confirmed,
    deleted here unless changed here since; a partnership whose assessment is kept stays
    (deleting it would take the assessment along)."""
    from chinadialog_desktop.persistence.models import Assessment
    from chinadialog_desktop.services.assessment.checklists import install_bundled
    from chinadialog_desktop.services.assessment.workflow import start_assessment

    p = partnerships(demo_db)
    with demo_db.session() as s:
        install_bundled(s)
        template = s.scalars(select(ChecklistTemplate).order_by(ChecklistTemplate.id)).first()
        assert template is not None
        rows = {u: s.scalars(select(Partnership).where(Partnership.uuid == u)).one() for u in p[:2]}
        first = start_assessment(s, template, partnership=rows[p[0]]).uuid
        second = start_assessment(s, template, partnership=rows[p[1]]).uuid
    copy = take_copy(db_url, tmp_path)
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            edit.delete(s, "partnership", p[0])
            edit.delete(s, "partnership", p[1])
    finally:
        offline.close()
    with demo_db.session() as s:
        s.scalars(
            select(Assessment).where(Assessment.uuid == second)
        ).one().title = "Im Amt weitergeführt (Beispiel)"

    dry = travel.merge_copy(demo_db, copy, dry_run=True)
    listed = {(x.kind, x.key) for x in dry.deleted_offline}
    assert {("assessments", first), ("assessments", second)} <= listed
    assert {("partnerships", p[0]), ("partnerships", p[1])} <= listed

    result = travel.merge_copy(demo_db, copy, delete_all=True)

    assert result.status == travel.MERGED, result.problems
    assert {x.key for x in result.deleted} >= {first, p[0]}
    assert {x.key for x in result.not_deleted} >= {second, p[1]}
    with demo_db.session() as s:
        left = set(s.scalars(select(Assessment.uuid)))
    assert first not in left and second in left
    assert not _exists(demo_db, Partnership, p[0]) and _exists(demo_db, Partnership, p[1])


@pytest.mark.both_engines
def test_screening_decisions_and_attachments_made_offline_travel_back(demo_db, db_url, tmp_path):
    """A hit reviewed offline arrives with its decision (who, when, why; the hit here takes it),
    a file attached offline arrives with its record; once, and listed beforehand."""
    import hashlib

    from chinadialog_desktop.persistence.models import (
        Attachment,
        ReferenceEntity,
        ReferenceList,
        ScreeningDecision,
        ScreeningHit,
    )
    from chinadialog_desktop.services.screening import runs as screening

    p = partnerships(demo_db)
    with demo_db.session() as s:
        edit.create(
            s, "actor", {"name_de": "Huawei Technologies", "name_zh": "华为技术有限公司",
                         "kind": "company", "country": "CN"},
        )  # fmt: skip
        listed = ReferenceList(
            list_key="bis_beispiel", name="Entity List (Beispiel)", category="designation"
        )
        s.add(listed)
        s.flush()
        s.add(
            ReferenceEntity(
                list_id=listed.id, entity_key="E1", weak_aliases=[], properties={},
                content_hash="hash-E1", schema="Company",
                caption="Huawei Technologies Co., Ltd.",
                names=["Huawei Technologies Co., Ltd.", "华为技术有限公司"], countries=["cn"],
                topics=["export.control"], identifiers={},
            )
        )  # fmt: skip
        s.flush()
        screening.run_screening(s)
    copy = take_copy(db_url, tmp_path)
    data = "Gesprächsnotiz Qingdao (Beispiel)".encode()
    offline = Database.open(copy)
    try:
        with offline.session() as s:
            hit = s.scalars(select(ScreeningHit).where(ScreeningHit.entity_key == "E1")).one()
            decision = screening.dismiss(s, hit.id, "Andere Gesellschaft (Beispiel)").uuid
            partnership_id = s.scalars(select(Partnership.id).where(Partnership.uuid == p[0])).one()
            attached = edit.create(
                s, "attachment",
                {"file_name": "Notiz Qingdao (Beispiel).txt", "media_type": "text/plain",
                 "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "data": data,
                 "partnership_id": partnership_id},
            ).uuid  # fmt: skip
    finally:
        offline.close()

    dry = travel.merge_copy(demo_db, copy, dry_run=True)
    assert [x.key for x in dry.screening] == [decision]
    assert "Huawei Technologies" in dry.screening[0].label
    assert (
        "dismissed" in dry.screening[0].label and "Entity List (Beispiel)" in dry.screening[0].label
    )
    assert [x.key for x in dry.attachments] == [attached]
    with demo_db.session() as s:
        assert s.scalars(select(ScreeningDecision)).first() is None

    result = travel.merge_copy(demo_db, copy)

    assert result.status == travel.MERGED, result.problems
    with demo_db.session() as s:
        taken = s.scalars(select(ScreeningDecision)).one()
        assert (taken.uuid, taken.decision, taken.reason) == (
            decision, "dismissed", "Andere Gesellschaft (Beispiel)"
        )  # fmt: skip
        assert s.scalars(select(ScreeningHit.status)).one() == "dismissed"
        file = s.scalars(select(Attachment).where(Attachment.uuid == attached)).one()
        assert bytes(file.data) == data and file.partnership_id is not None
        owner = s.scalars(select(Partnership.uuid).where(Partnership.id == file.partnership_id))
        assert owner.one() == p[0]
    assert travel.merge_copy(demo_db, copy).status == travel.ALREADY
