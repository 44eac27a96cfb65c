"""Rights enforced by the server (issue 17, point 4): ``team init`` sets up the roles of
db/team/roles.sql and the rights of db/team/policies.sql; each app role logs in and is held
to what it may see and do, through the app and in plain SQL past it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from helpers.pg_server import PgServer, team_server_with_logins

from chinadialog_desktop.cli import main
from chinadialog_desktop.errors import UserError
from chinadialog_desktop.i18n import set_language
from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.persistence.models import Assessment, Dossier
from chinadialog_desktop.persistence.server_rights import (
    APP_ROLES,
    CLEARED_ROLE,
    POLICIES_SQL,
    ROLES_SQL,
)
from chinadialog_desktop.services.assessment import workflow
from chinadialog_desktop.services.records import edit

# Login roles of the officials in these tests: name → groups (roles.sql's, via APP_ROLES).
LOGINS = {
    "leser": [APP_ROLES["Lesen"]],
    "bearbeiter": [APP_ROLES["Bearbeiten"]],
    "bearbeiterin_vs": [APP_ROLES["Bearbeiten"], CLEARED_ROLE],
    "abzeichnerin": [APP_ROLES["Abzeichnen"]],
    "verwalter": [APP_ROLES["Verwalten"]],
}


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    """A server of its own: the team roles are cluster-wide and have fixed names."""
    yield from team_server_with_logins(LOGINS)


def _url(server: PgServer, database: str, user: str) -> str:
    return server.plain_url(database, user=user)


def cli(server: PgServer, database: str, user: str, *args: str, lang: str = "en") -> int:
    return main(["--lang", lang, "--db", _url(server, database, user), *args])


@pytest.fixture
def team(server: PgServer, capsys: pytest.CaptureFixture[str]) -> Iterator[str]:
    """A new team database set up by ``team init``, with the demo data and one assessment of
    dossier 1, which the cleared editor then marks VS-NfD (all through the app)."""
    name = server.create_database("rechte")
    try:
        assert cli(server, name, "postgres", "team", "init") == 0
        assert cli(server, name, "bearbeiterin_vs", "demo", "load") == 0
        assert cli(server, name, "bearbeiterin_vs", "checklist", "install-bundled") == 0
        assert cli(server, name, "bearbeiterin_vs", "assessment", "start", "1", "--dossier",
                   "--template", "urn:chinadialog:checklist:leitplanken-kommunal") == 0  # fmt: skip
        assert cli(server, name, "bearbeiterin_vs", "assessment", "answer", "1",
                   "chance_climate-01", "--note", "Notiz (Beispiel)") == 0  # fmt: skip
        database = Database.open(_url(server, name, "bearbeiterin_vs"))
        try:
            with database.session() as s:
                edit.update(s, "dossier", 1, "classification", "vs_nfd")
        finally:
            database.close()
        capsys.readouterr()
        yield name
    finally:
        server.drop_database(name)


def sql(server: PgServer, database: str, user: str, statement: str) -> list[tuple[object, ...]]:
    """One statement in plain SQL as ``user`` (committed); its rows."""
    with psycopg.connect(host="127.0.0.1", port=server.port, user=user, dbname=database) as conn:
        cur = conn.execute(statement)  # type: ignore[arg-type]
        return list(cur.fetchall()) if cur.description else []


def _count(server: PgServer, database: str, user: str, table: str, where: str = "true") -> int:
    rows = sql(server, database, user, f"SELECT count(*) FROM {table} WHERE {where}")  # noqa: S608
    return int(rows[0][0])  # type: ignore[call-overload]


# -- team init ---------------------------------------------------------------------------


def test_team_init_runs_the_repository_files_and_changes_nothing_when_run_again(server, capsys):
    name = server.create_database("init")
    try:
        assert cli(server, name, "postgres", "team", "init") == 0
        out = capsys.readouterr().out
        assert "Set up a new team database" in out and "roles.sql" in out
        # Every policy of policies.sql is on the server, no more, and the sign-off guard.
        in_file = set(re.findall(r"CREATE POLICY (\w+) ON (\w+)", POLICIES_SQL.read_text()))
        on_server = set(
            server.sql("SELECT policyname, tablename FROM pg_policies", name)  # type: ignore[arg-type]
        )
        assert on_server == in_file and len(in_file) >= 10
        assert server.sql(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'chinadialog_sign_off_guard'", name
        ) == [(1,)]
        owners = server.sql(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'", name
        )
        assert owners == [("chinadialog_owner",)]

        assert cli(server, name, "postgres", "team", "init") == 0
        out = capsys.readouterr().out
        assert "Set up a new team database" not in out and "roles.sql" in out
        # A database administrator runs the same files with psql, as the docs say: no error,
        # nothing new.
        if shutil.which("psql"):
            for user, path in (("postgres", ROLES_SQL), ("chinadialog_owner", POLICIES_SQL)):
                done = subprocess.run(
                    ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                     "-p", str(server.port), "-U", user, "-d", name, "-f", str(path)],
                    capture_output=True, text=True, timeout=120,
                )  # fmt: skip
                assert done.returncode == 0, done.stderr
        assert set(server.sql("SELECT policyname, tablename FROM pg_policies", name)) == in_file  # type: ignore[arg-type]
    finally:
        server.drop_database(name)


def test_team_init_by_a_role_that_may_not_create_roles_changes_nothing(server, capsys):
    name = server.create_database("init")
    try:
        server.sql(f'GRANT CONNECT ON DATABASE "{name}" TO bearbeiter')
        assert cli(server, name, "bearbeiter", "team", "init", lang="de") == 1
        err = capsys.readouterr().err
        assert "Ihre Datenbankrolle bearbeiter darf das" in err
        assert "Traceback" not in err and "CREATE" not in err
        assert server.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", name) == [
            (0,)
        ]
    finally:
        server.drop_database(name)


def test_team_init_refuses_tables_of_another_owner_and_changes_nothing(server, capsys):
    """Tables set up by another role (here the superuser) cannot get their rights from the
    owner role: said in one sentence, and not even the grants of roles.sql stay."""
    name = server.create_database("init")
    try:
        assert cli(server, name, "postgres", "db", "upgrade") == 0
        capsys.readouterr()
        assert cli(server, name, "postgres", "team", "init", lang="de") == 1
        err = capsys.readouterr().err
        assert "gehören einer anderen Rolle als chinadialog_owner" in err
        assert "Traceback" not in err
        assert server.sql("SELECT count(*) FROM pg_policies", name) == [(0,)]
        assert server.sql(
            f"SELECT has_database_privilege('chinadialog_owner', '{name}', 'CREATE')"
        ) == [(False,)]
    finally:
        server.drop_database(name)


def test_only_verwalten_migrates_and_the_new_tables_belong_to_the_owner(server, team, capsys):
    assert cli(server, team, "bearbeiterin_vs", "db", "upgrade") == 0  # up to date: nothing
    assert "already up to date" in capsys.readouterr().out
    # A schema change (a rebuilt search table) by a member of Verwalten: done as the owner.
    server.sql("UPDATE search_meta SET value = 'alt' WHERE key = 'version'", team)
    assert cli(server, team, "bearbeiter", "db", "upgrade", lang="de") == 1
    assert "darf das" in capsys.readouterr().err
    assert cli(server, team, "verwalter", "db", "upgrade") == 0
    assert server.sql("SELECT tableowner FROM pg_tables WHERE tablename = 'search_doc'", team) == [
        ("chinadialog_owner",)
    ]
    # ... and the rebuilt table has its row-level security again.
    assert _count(server, team, "bearbeiter", "search_doc", "kind = 'dossier'") == 1
    assert _count(server, team, "bearbeiterin_vs", "search_doc", "kind = 'dossier'") == 2


# -- Lesen -------------------------------------------------------------------------------


def test_lesen_reads_but_cannot_write(server, team, capsys):
    assert cli(server, team, "leser", "list", "partnerships") == 0
    assert "Braunschweig" in capsys.readouterr().out
    before = _count(server, team, "postgres", "audit_event")
    assert cli(server, team, "leser", "demo", "load", lang="de") == 1
    err = capsys.readouterr().err
    assert "Ihre Datenbankrolle leser darf das" in err and "Traceback" not in err
    assert _count(server, team, "postgres", "audit_event") == before

    set_language("de")  # the services speak the language the app was started in
    database = Database.open(_url(server, team, "leser"))
    try:
        with pytest.raises(UserError, match="leser darf das"), database.session() as s:
            edit.update(s, "partnership", 1, "title", "Umbenannt (Beispiel)")
    finally:
        database.close()
    for statement in (
        "UPDATE partnership SET title = 'x'",
        "DELETE FROM dossier_section",
        'INSERT INTO audit_event (at, "user", action, table_name, record_uuid) '
        "VALUES (now(), 'x', 'update', 'actor', 'x')",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql(server, team, "leser", statement)


def _found_kinds(capsys: pytest.CaptureFixture[str]) -> set[str]:
    return {g["kind"] for g in json.loads(capsys.readouterr().out)["groups"]}


# -- VS-NfD ------------------------------------------------------------------------------


def test_a_vs_nfd_dossier_is_invisible_without_clearance_even_in_sql(server, team, capsys):
    # Through the app: the list, the search.
    assert cli(server, team, "bearbeiterin_vs", "list", "dossiers") == 0
    assert "Braunschweig–Zhuhai: Sachstand" in capsys.readouterr().out
    for user in ("leser", "bearbeiter", "abzeichnerin"):
        assert cli(server, team, user, "list", "dossiers") == 0
        listed = capsys.readouterr().out
        assert "Kiel–Qingdao" in listed and "Sachstand und Leitplanken" not in listed
        assert cli(server, team, user, "search", "Sachstand Leitplanken", "--json") == 0
        assert _found_kinds(capsys) == {"activity"}  # an activity names them too
        assert cli(server, team, user, "assessment", "list") == 0
        assert "Leitplanken kommunale" not in capsys.readouterr().out
    assert cli(server, team, "bearbeiterin_vs", "search", "Sachstand Leitplanken", "--json") == 0
    assert _found_kinds(capsys) == {"activity", "dossier"}

    # Plain SQL with SELECT on every table: the dossier and all that hangs off it are not there.
    hidden = {
        "dossier": "id = 1",
        "dossier_section": "dossier_id = 1",
        "dossier_partnership": "dossier_id = 1",
        "dossier_source": "dossier_id = 1",
        "deliberation": "dossier_id = 1",
        "assessment": "dossier_id = 1",
        "assessment_answer": "true",
        "search_doc": "kind = 'dossier' AND record_id = 1",
    }
    for table, where in hidden.items():
        assert _count(server, team, "postgres", table, where) > 0, table
        assert _count(server, team, "bearbeiterin_vs", table, where) > 0, table
        assert _count(server, team, "leser", table, where) == 0, table
        assert _count(server, team, "bearbeiter", table, where) == 0, table
    assert _count(server, team, "bearbeiter", "dossier") == 1  # the open one stays
    # Changing or deleting it blind does nothing either.
    sql(server, team, "bearbeiter", "UPDATE dossier SET title = 'x'")
    sql(server, team, "bearbeiter", "DELETE FROM dossier_section WHERE dossier_id = 1")
    assert sql(server, team, "postgres", "SELECT title FROM dossier WHERE id = 1") == [
        ("Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken",)
    ]
    assert _count(server, team, "postgres", "dossier_section", "dossier_id = 1") == 5


def test_without_clearance_nothing_can_be_marked_vs_nfd(server, team, capsys):
    of_dossier_2 = _open_assessment_of_dossier_2(server, team)
    set_language("de")
    database = Database.open(_url(server, team, "bearbeiter"))
    try:
        with pytest.raises(UserError) as refused, database.session() as s:
            edit.update(s, "dossier", 2, "classification", "vs_nfd")
        assert "nicht für VS-NfD ermächtigt" in str(refused.value)
        assert "row-level" not in str(refused.value)
    finally:
        database.close()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(server, team, "bearbeiter", "UPDATE dossier SET classification = 'vs_nfd'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(server, team, "bearbeiter", "UPDATE assessment SET classification = 'vs_nfd'")
    assert _count(server, team, "postgres", "dossier", "classification = 'vs_nfd'") == 1
    assert _count(server, team, "postgres", "assessment", "classification = 'vs_nfd'") == 0

    # Starting one as VS-NfD: refused without clearance, done with it.
    start = ["assessment", "start", "3", "--template", "urn:chinadialog:checklist:"
             "vereinbarung-loi-mou", "--classification", "vs_nfd"]  # fmt: skip
    assert cli(server, team, "bearbeiter", *start, lang="de") == 1
    err = capsys.readouterr().err
    assert "nicht für VS-NfD ermächtigt" in err and "Traceback" not in err
    assert cli(server, team, "bearbeiterin_vs", *start, "--json") == 0
    new_id = json.loads(capsys.readouterr().out)["id"]
    assert cli(server, team, "bearbeiterin_vs", "assessment", "show", str(new_id), lang="de") == 0
    assert "VS – Nur für den Dienstgebrauch" in capsys.readouterr().out
    assert cli(server, team, "bearbeiter", "assessment", "show", str(new_id), lang="de") == 1
    assert _count(server, team, "bearbeiter", "assessment", f"id = {new_id}") == 0
    # Classifying one later: the same.
    classify = ["assessment", "classify", str(of_dossier_2), "vs_nfd"]
    assert cli(server, team, "bearbeiter", *classify, lang="de") == 1
    assert "nicht für VS-NfD ermächtigt" in capsys.readouterr().err
    assert cli(server, team, "bearbeiterin_vs", *classify, lang="de") == 0
    assert "VS – Nur für den Dienstgebrauch" in capsys.readouterr().out
    assert _count(server, team, "bearbeiter", "assessment", "dossier_id = 2") == 0


# -- Abzeichnen --------------------------------------------------------------------------


def _open_assessment_of_dossier_2(server: PgServer, team: str) -> int:
    assert cli(server, team, "bearbeiter", "assessment", "start", "2", "--dossier",
               "--template", "urn:chinadialog:checklist:vereinbarung-loi-mou") == 0  # fmt: skip
    rows = sql(server, team, "bearbeiter", "SELECT id FROM assessment WHERE dossier_id = 2")
    return int(rows[0][0])  # type: ignore[call-overload]


def _sign(server: PgServer, team: str, user: str, assessment_id: int) -> None:
    database = Database.open(_url(server, team, user))
    try:
        with database.session() as s:
            a = s.get(Assessment, assessment_id)
            assert a is not None
            workflow.sign(s, a, "Dr. Muster (Beispiel)", allow_open=True)
    finally:
        database.close()


def test_only_abzeichnen_signs_off(server, team, capsys):
    assessment_id = _open_assessment_of_dossier_2(server, team)

    # Bearbeiten: through the app one German sentence, nothing signed.
    assert cli(server, team, "bearbeiter", "assessment", "sign", str(assessment_id),
               "--by", "Dr. Muster (Beispiel)", "--allow-open", lang="de") == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "Nur Mitglieder der Gruppe Abzeichnen" in err
    assert "Traceback" not in err and "chinadialog_" not in err
    set_language("de")
    with pytest.raises(UserError, match="Nur Mitglieder der Gruppe Abzeichnen"):
        _sign(server, team, "bearbeiter", assessment_id)
    # ... and in plain SQL, also a sign-off written into a new row.
    for statement in (
        f"UPDATE assessment SET status = 'signed' WHERE id = {assessment_id}",
        f"UPDATE assessment SET reviewed_by = 'x', signed_at = now() WHERE id = {assessment_id}",
        "INSERT INTO assessment (uuid, version, created_at, modified_at, title, template_id, "
        "dossier_id, revision, status, reviewed_by, classification) SELECT 'neu', 1, now(), "
        "now(), 'x', template_id, 2, 9, 'signed', 'x', 'open' FROM assessment "
        f"WHERE id = {assessment_id}",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql(server, team, "bearbeiter", statement)
    assert sql(server, team, "postgres", f"SELECT status, reviewed_by FROM assessment "
               f"WHERE id = {assessment_id}") == [("open", None)]  # fmt: skip

    # Abzeichnen signs; Bearbeiten may then open the next revision, not undo the sign-off.
    _sign(server, team, "abzeichnerin", assessment_id)
    assert sql(server, team, "bearbeiter", f"SELECT status, reviewed_by FROM assessment "
               f"WHERE id = {assessment_id}") == [("signed", "Dr. Muster (Beispiel)")]  # fmt: skip
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        sql(server, team, "bearbeiter",
            f"UPDATE assessment SET status = 'open' WHERE id = {assessment_id}")  # fmt: skip
    database = Database.open(_url(server, team, "bearbeiter"))
    try:
        with database.session() as s:
            signed = s.get(Assessment, assessment_id)
            assert signed is not None
            revision = workflow.open_revision(s, signed)
            assert revision.status == "open"
    finally:
        database.close()
    status = f"SELECT status, reviewed_by FROM assessment WHERE id = {assessment_id}"
    assert sql(server, team, "postgres", status) == [("superseded", "Dr. Muster (Beispiel)")]


def test_a_new_revision_of_a_vs_nfd_assessment_stays_vs_nfd(server, team):
    database = Database.open(_url(server, team, "postgres"))  # signs, as the superuser may
    try:
        with database.session() as s:
            a = s.query(Assessment).filter_by(dossier_id=1).one()
            assert a.classification == "open"  # started before the dossier was marked
            a.classification = "vs_nfd"
            workflow.sign(s, a, "Dr. Muster (Beispiel)", allow_open=True)
        with database.session() as s:
            a = s.query(Assessment).filter_by(dossier_id=1).one()
            new = workflow.open_revision(s, a)
            assert new.classification == "vs_nfd"
            dossier = s.get(Dossier, 1)
            assert dossier is not None and dossier.classification == "vs_nfd"
            # A new assessment of a VS-NfD dossier starts as VS-NfD.
            started = workflow.start_assessment(s, a.template, dossier=dossier)
            assert started.classification == "vs_nfd"
    finally:
        database.close()
    assert _count(server, team, "bearbeiter", "assessment", "dossier_id = 1") == 0


# -- the audit trail ---------------------------------------------------------------------


def test_the_audit_user_cannot_be_forged(server, team):
    """The trail names the login role, whatever the client sends or pretends."""
    users = {str(r[0]) for r in server.sql('SELECT DISTINCT "user" FROM audit_event', team)}
    assert users == {"bearbeiterin_vs"}
    sql(server, team, "bearbeiter",
        "INSERT INTO audit_event (at, \"user\", action, table_name, record_uuid) "
        "VALUES (now(), 'abzeichnerin', 'update', 'actor', 'gefälscht')")  # fmt: skip
    assert server.sql("SELECT \"user\" FROM audit_event WHERE record_uuid = 'gefälscht'", team) == [
        ("bearbeiter",)
    ]
    for statement in (
        "SET ROLE abzeichnerin",
        "SET SESSION AUTHORIZATION abzeichnerin",
        "UPDATE audit_event SET \"user\" = 'abzeichnerin' WHERE record_uuid = 'gefälscht'",
        "DELETE FROM audit_event WHERE record_uuid = 'gefälscht'",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sql(server, team, "bearbeiter", statement)


def test_the_audit_trail_hides_what_it_says_about_vs_nfd_records_and_stays_whole(
    server, team, capsys
):
    uuid = str(server.sql("SELECT uuid FROM dossier WHERE id = 1", team)[0][0])
    about = f"record_uuid = '{uuid}'"
    assert _count(server, team, "bearbeiterin_vs", "audit_event", about) > 0
    assert _count(server, team, "bearbeiter", "audit_event", about) == 0
    title = "new_value LIKE '%Zhuhai: Sachstand%'"
    assert _count(server, team, "bearbeiterin_vs", "audit_event", title) > 0
    assert _count(server, team, "leser", "audit_event", title) == 0
    assert _count(server, team, "leser", "audit_event", "table_name = 'partnership'") > 0

    # Writers take turns: a cleared edit of the hidden dossier, then one that does not see
    # that event seals its own after it; the chain stays whole.
    for user, kind, ref in (
        ("bearbeiterin_vs", "dossier", 1),
        ("bearbeiter", "partnership", 1),
        ("bearbeiterin_vs", "dossier", 1),
        ("bearbeiter", "partnership", 2),
    ):
        database = Database.open(_url(server, team, user))
        try:
            with database.session() as s:
                edit.update(s, kind, ref, "title", f"Neuer Titel von {user} (Beispiel)")
        finally:
            database.close()
    assert cli(server, team, "bearbeiterin_vs", "db", "verify") == 0
    assert "Audit trail intact" in capsys.readouterr().out
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # still: only ever grows
        sql(server, team, "bearbeiter", "DELETE FROM audit_event WHERE table_name = 'partnership'")

    # A role that does not see every event says so instead of reporting false breaks.
    assert cli(server, team, "bearbeiter", "db", "verify", lang="de") == 1
    err = capsys.readouterr().err
    assert "Ihre Datenbankrolle bearbeiter sieht" in err and "VS-NfD" in err
    assert "Traceback" not in err


def test_the_window_says_in_one_german_sentence_that_the_server_refused_the_sign_off(
    server, team, qtbot
):
    from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton

    from chinadialog_desktop.ui.assessment.view import AssessmentView

    assert cli(server, team, "bearbeiter", "assessment", "start", "1",
               "--template", "urn:chinadialog:checklist:vereinbarung-loi-mou") == 0  # fmt: skip
    (row,) = sql(server, team, "bearbeiter", "SELECT id FROM assessment WHERE partnership_id = 1")
    set_language("de")
    database = Database.open(_url(server, team, "bearbeiter"))
    try:
        view = AssessmentView(database, partnership_id=1)
        qtbot.addWidget(view)
        view.show()
        view.open_assessment(int(row[0]))  # type: ignore[call-overload]
        view.findChild(QPushButton, "signOffButton").click()
        dialog = view.sign_dialog
        assert dialog is not None
        dialog.findChild(QLineEdit, "reviewerEdit").setText("Dr. Muster (Beispiel)")
        dialog.findChild(QCheckBox, "allowOpenCheck").setChecked(True)
        dialog.findChild(QPushButton, "signOffOk").click()
        message = view.findChild(QLabel, "assessmentMessageLabel").text()
        assert message.startswith("Nur Mitglieder der Gruppe Abzeichnen dürfen")
        assert message.endswith("es wurde nichts geändert.") and "\n" not in message
        assert "chinadialog_" not in message and "INSERT" not in message
        assert view.report is not None and view.report["status"] == "open"
        view.close()
    finally:
        database.close()
    status = f"SELECT status FROM assessment WHERE id = {row[0]}"
    assert sql(server, team, "postgres", status) == [("open",)]

    # Classified VS-NfD, the window says so first (for the cleared role that sees it).
    assert (
        cli(server, team, "bearbeiterin_vs", "assessment", "classify", str(row[0]), "vs_nfd") == 0
    )
    set_language("de")
    database = Database.open(_url(server, team, "bearbeiterin_vs"))
    try:
        view = AssessmentView(database, partnership_id=1)
        qtbot.addWidget(view)
        view.open_assessment(int(row[0]))  # type: ignore[call-overload]
        status_text = view.findChild(QLabel, "assessmentStatusLabel").text()
        assert status_text.startswith("VS – Nur für den Dienstgebrauch. ")
        view.close()
    finally:
        database.close()


def test_the_names_the_code_uses_are_those_of_the_sql_files():
    """One fact, one place: the roles and the hint are defined by the SQL; the code checks."""
    from chinadialog_desktop.persistence.server_rights import (
        ALL_ROLES,
        OWNER_ROLE,
        ROLES_SQL,
        SIGN_OFF_HINT,
    )

    roles_sql = ROLES_SQL.read_text(encoding="utf-8")
    first_block = re.search(r"DO \$\$(.*?)\$\$;", roles_sql, re.DOTALL)
    assert first_block is not None
    created = set(re.findall(r"'(chinadialog_\w+)'", first_block.group(1)))
    assert created == set(ALL_ROLES)
    assert f"rolname = '{OWNER_ROLE}'" in roles_sql
    policies_sql = POLICIES_SQL.read_text(encoding="utf-8")
    assert f"HINT = '{SIGN_OFF_HINT}'" in policies_sql
    assert f"'{CLEARED_ROLE}'" in policies_sql
    assert f"'{APP_ROLES['Abzeichnen']}'" in policies_sql


def test_a_file_copied_onto_a_team_database_is_held_to_the_rights(server, tmp_path, capsys):
    """``db copy`` as the owner: a file's signed and VS-NfD records arrive whole, and then
    the server's rights hold for them (the rebuilt search table gets its policy again)."""
    source = tmp_path / "Stadt Süd #1.sqlite3"
    for args in (
        ["demo", "load"],
        ["checklist", "install-bundled"],
        ["assessment", "start", "1", "--template", "1", "--classification", "vs_nfd"],
        ["assessment", "start", "2", "--template", "1"],
        ["assessment", "sign", "2", "--by", "Dr. Muster (Beispiel)", "--allow-open"],
    ):
        assert main(["--lang", "en", "--db", str(source), *args]) == 0
    database = Database.open(source)
    try:
        with database.session() as s:
            edit.update(s, "dossier", 1, "classification", "vs_nfd")
    finally:
        database.close()
    name = server.create_database("kopie")
    try:
        assert cli(server, name, "postgres", "team", "init") == 0
        assert main(["--lang", "en", "db", "copy", str(source),
                     _url(server, name, "chinadialog_owner")]) == 0  # fmt: skip
        capsys.readouterr()
        assert _count(server, name, "postgres", "assessment", "status = 'signed'") == 1
        assert _count(server, name, "bearbeiterin_vs", "assessment") == 2
        assert _count(server, name, "bearbeiter", "assessment") == 1
        assert _count(server, name, "bearbeiter", "dossier") == 1
        assert _count(server, name, "bearbeiter", "search_doc", "kind = 'dossier'") == 1
        assert _count(server, name, "bearbeiterin_vs", "search_doc", "kind = 'dossier'") == 2
        assert cli(server, name, "bearbeiterin_vs", "db", "verify") == 0
    finally:
        server.drop_database(name)


# -- the answers of a signed assessment ----------------------------------------------------


def _item_keys(server: PgServer, team: str) -> list[str]:
    rows = server.sql(
        "SELECT i.item_key FROM checklist_item i JOIN checklist_template t ON t.id = i.template_id"
        " WHERE t.template_key = 'urn:chinadialog:checklist:vereinbarung-loi-mou' ORDER BY i.id",
        team,
    )
    return [str(r[0]) for r in rows]


def _answers(server: PgServer, team: str, assessment_id: int) -> list[tuple[object, ...]]:
    return server.sql(
        "SELECT item_key, answer, note FROM assessment_answer "
        f"WHERE assessment_id = {assessment_id} ORDER BY item_key",
        team,
    )


def test_the_answers_of_a_signed_assessment_stay_as_signed_even_in_sql(server, team, capsys):
    """No role but the owner changes what was signed, in plain SQL either (a trigger); the
    app's way, a new revision, still works for Bearbeiten."""
    assessment_id = _open_assessment_of_dossier_2(server, team)
    first, second, third = _item_keys(server, team)[:3]
    for key in (first, second):
        assert cli(server, team, "bearbeiter", "assessment", "answer", str(assessment_id), key,
                   "yes", "--note", "Vor der Abzeichnung (Beispiel)") == 0  # fmt: skip
    _sign(server, team, "abzeichnerin", assessment_id)
    signed = _answers(server, team, assessment_id)
    assert len(signed) == 2

    of_it = f"assessment_id = {assessment_id}"
    for user in ("bearbeiter", "bearbeiterin_vs", "abzeichnerin", "verwalter", "leser"):
        for statement in (
            f"UPDATE assessment_answer SET answer = 'no', note = 'x' WHERE {of_it}",
            f"DELETE FROM assessment_answer WHERE {of_it}",
            "INSERT INTO assessment_answer (uuid, version, created_at, modified_at, "
            "assessment_id, item_key, answer, reconfirm, changed_item, source_ids, "
            f"attachment_ids) VALUES ('neu-{user}', 1, now(), now(), {assessment_id}, "
            f"'{third}', 'no', false, false, '[]', '[]')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                sql(server, team, user, statement)
            if user != "leser":  # Lesen may not write at all
                assert refused.value.diag.message_hint == "chinadialog:signed-answers"
    # Touching the assessment first, in the same transaction, opens no door.
    with (
        psycopg.connect(host="127.0.0.1", port=server.port, user="bearbeiter", dbname=team) as c,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        c.execute(f"UPDATE assessment SET title = title WHERE id = {assessment_id}")
        c.execute(f"UPDATE assessment_answer SET note = 'x' WHERE {of_it}")
    assert _answers(server, team, assessment_id) == signed

    # Through the app: one German sentence, nothing changed.
    set_language("de")
    database = Database.open(_url(server, team, "bearbeiter"))
    try:
        with pytest.raises(UserError) as told, database.session() as s:
            a = s.get(Assessment, assessment_id)
            assert a is not None
            a.answers[0].note = "Nachträglich (Beispiel)"
        message = str(told.value)
        assert message.startswith("Die Antworten einer abgezeichneten Prüfung bleiben")
        assert "\n" not in message and "chinadialog" not in message and "UPDATE" not in message
    finally:
        database.close()

    # The app's way: a change goes into a new revision (Bearbeiten may), which stays editable
    # in SQL too; the superseded one keeps its answers.
    assert cli(server, team, "bearbeiter", "assessment", "answer", str(assessment_id), first,
               "no", "--note", "Neu bewertet (Beispiel)") == 0  # fmt: skip
    capsys.readouterr()
    following = f"SELECT id, revision FROM assessment WHERE previous_id = {assessment_id}"
    (new_row,) = sql(server, team, "bearbeiter", following)
    new_id = int(new_row[0])  # type: ignore[call-overload]
    assert new_row[1] == 2
    assert (first, "no", "Neu bewertet (Beispiel)") in _answers(server, team, new_id)
    sql(server, team, "bearbeiter",
        f"UPDATE assessment_answer SET note = 'offen' WHERE assessment_id = {new_id}")  # fmt: skip
    assert _answers(server, team, assessment_id) == signed
    with pytest.raises(psycopg.errors.InsufficientPrivilege):  # superseded: as signed
        sql(server, team, "bearbeiter", f"DELETE FROM assessment_answer WHERE {of_it}")
    # The owner (db copy, schema changes) is not bound.
    sql(server, team, "chinadialog_owner",
        f"UPDATE assessment_answer SET note = note WHERE {of_it}")  # fmt: skip


def test_an_import_writes_a_signed_assessment_with_its_answers_in_one_go(
    server, team, tmp_path, capsys
):
    """The trigger lets an import by Abzeichnen store a signed assessment and its answers in
    one transaction (new, or an open one signed by the file), and a file's change of a signed
    one still becomes a new revision for Bearbeiten."""
    assessment_id = _open_assessment_of_dossier_2(server, team)
    first, second = _item_keys(server, team)[:2]
    assert cli(server, team, "bearbeiter", "assessment", "answer", str(assessment_id), first,
               "yes", "--note", "Lokal (Beispiel)") == 0  # fmt: skip
    exported = tmp_path / "prüfung #1.json"
    assert cli(server, team, "bearbeiter", "export", "json", str(exported),
               "--kind", "assessment") == 0  # fmt: skip
    data = json.loads(exported.read_text(encoding="utf-8"))
    (record,) = [r for r in data["records"]["assessments"] if r["dossier_uuid"]]
    answer = record["answers"][first]
    signed_version = {
        **record,
        "status": "signed",
        "reviewed_by": "Dr. Muster (Beispiel)",
        "reviewed_on": "2026-12-01",
        "signed_at": "2026-12-01T10:00:00+00:00",
        "answers": {
            first: {**answer, "answer": "partly", "note": "Beim Abzeichnen ergänzt (Beispiel)"},
            second: {**answer, "answer": "no", "note": "Neu aus der Datei (Beispiel)"},
        },
    }
    brand_new = {**signed_version, "uuid": "0193a1b2-0000-7000-8000-00000000beef"}
    data["records"]["assessments"] = [signed_version, brand_new]
    package = tmp_path / "abgezeichnet.json"
    package.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    assert cli(server, team, "abzeichnerin", "import", str(package), "--take-theirs") == 0
    capsys.readouterr()
    expected = [
        (first, "partly", "Beim Abzeichnen ergänzt (Beispiel)"),
        (second, "no", "Neu aus der Datei (Beispiel)"),
    ]
    assert _answers(server, team, assessment_id) == expected
    (new_id,) = sql(server, team, "postgres",
                    f"SELECT id FROM assessment WHERE uuid = '{brand_new['uuid']}'")  # fmt: skip
    assert _answers(server, team, int(new_id[0])) == expected  # type: ignore[call-overload]
    assert _count(server, team, "postgres", "assessment", "status = 'signed'") == 2

    # Bearbeiten imports a draft of the signed one: a new (open) revision after it.
    changed = {
        **record,
        "revision": 2,
        "answers": {first: {**answer, "note": "Dritte Fassung"}},
    }
    data["records"]["assessments"] = [changed]
    package.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert cli(server, team, "bearbeiter", "import", str(package), "--take-theirs") == 0
    capsys.readouterr()
    assert _answers(server, team, assessment_id) == expected
    (revision,) = sql(server, team, "postgres",
                      f"SELECT id FROM assessment WHERE previous_id = {assessment_id}")  # fmt: skip
    assert [a[2] for a in _answers(server, team, int(revision[0]))] == ["Dritte Fassung"]  # type: ignore[call-overload]


# -- notifications -------------------------------------------------------------------------


def test_a_notification_tells_a_role_without_clearance_nothing_of_a_vs_nfd_dossier(server, team):
    """The payload every listener gets names no table, record or user; what a listener
    then reads of the change is cut to its rights (the audit trail's row-level security)."""
    from chinadialog_desktop.persistence.server import parse_target
    from chinadialog_desktop.persistence.server_notify import CHANNEL, Watcher

    dossier_uuid = str(server.sql("SELECT uuid FROM dossier WHERE id = 1", team)[0][0])
    partnership_uuid = str(server.sql("SELECT uuid FROM partnership WHERE id = 1", team)[0][0])
    raw = psycopg.connect(
        host="127.0.0.1", port=server.port, user="bearbeiter", dbname=team, autocommit=True
    )
    uncleared = Watcher(parse_target(_url(server, team, "bearbeiter")))
    cleared = Watcher(parse_target(_url(server, team, "bearbeiterin_vs")))
    try:
        raw.execute(f"LISTEN {CHANNEL}")
        database = Database.open(_url(server, team, "bearbeiterin_vs"))
        try:
            with database.session() as s:
                edit.update(s, "dossier", 1, "title", "Geheimer neuer Titel (Beispiel)")
            with database.session() as s:
                edit.update(s, "partnership", 1, "title", "Offener neuer Titel (Beispiel)")
        finally:
            database.close()

        payloads = [n.payload for n in raw.notifies(timeout=10, stop_after=2)]
        assert len(payloads) == 2
        for payload in payloads:
            assert set(json.loads(payload)) == {"first", "last"}
            for secret in (dossier_uuid, "dossier", "bearbeiterin_vs", "Geheim"):
                assert secret not in payload

        hidden, shown = _two_changes(uncleared)
        assert (hidden.tables, hidden.count, hidden.user, hidden.uuids) == ((), 0, "", None)
        assert shown.tables == ("partnership",) and shown.user == "bearbeiterin_vs"
        assert shown.uuids == (partnership_uuid,) and shown.count >= 1
        seen, also = _two_changes(cleared)
        assert seen.tables == ("dossier",) and seen.uuids == (dossier_uuid,)
        assert seen.user == "bearbeiterin_vs" and also.uuids == (partnership_uuid,)
    finally:
        raw.close()
        uncleared.close()
        cleared.close()


def _two_changes(watcher: Any) -> list[Any]:
    """The next two changes a watcher hears of (waiting as long as they take to come)."""
    changes: list[Any] = []
    for _ in range(20):
        changes.extend(watcher.poll(timeout=10))
        if len(changes) >= 2:
            break
    assert len(changes) == 2, changes
    return changes


def test_the_window_classifies_an_assessment_as_far_as_the_role_is_cleared(server, team, qtbot):
    """The classification chosen in the assessment window goes through the service: a role
    without clearance is told in one German sentence that it may not, a cleared one may."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QLabel

    from chinadialog_desktop.ui.assessment.view import AssessmentView

    assessment_id = _open_assessment_of_dossier_2(server, team)

    def choose_vs_nfd(user: str) -> AssessmentView:
        database = Database.open(_url(server, team, user))
        view = AssessmentView(database)
        qtbot.addWidget(view)
        view.show()
        view.open_assessment(assessment_id)
        combo = view.findChild(QComboBox, "assessmentClassificationCombo")
        assert combo.itemData(combo.count() - 1) == "vs_nfd"
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_End)  # the last entry, chosen as a user does
        view.database_to_close = database  # type: ignore[attr-defined]
        return view

    set_language("de")
    view = choose_vs_nfd("bearbeiter")
    try:
        message = view.findChild(QLabel, "assessmentMessageLabel").text()
        assert "nicht für VS-NfD ermächtigt" in message and "\n" not in message
        assert "row-level" not in message and "chinadialog_" not in message
        assert view.findChild(QComboBox, "assessmentClassificationCombo").currentData() == "open"
        assert _count(server, team, "postgres", "assessment", "classification = 'vs_nfd'") == 0
    finally:
        view.close()
        view.database_to_close.close()  # type: ignore[attr-defined]

    view = choose_vs_nfd("bearbeiterin_vs")
    try:
        message = view.findChild(QLabel, "assessmentMessageLabel").text()
        assert message == "Die Prüfung ist jetzt eingestuft: VS – Nur für den Dienstgebrauch."
        status = f"SELECT classification FROM assessment WHERE id = {assessment_id}"
        assert sql(server, team, "postgres", status) == [("vs_nfd",)]
        assert _count(server, team, "bearbeiter", "assessment", f"id = {assessment_id}") == 0
    finally:
        view.close()
        view.database_to_close.close()  # type: ignore[attr-defined]
