"""The small files that keep a team server's last local copy and the edits it did not get."""

from __future__ import annotations

from datetime import date, datetime

from chinadialog_desktop.paths import user_data_dir
from chinadialog_desktop.services import team_offline

ADDRESS = "postgresql://m.muster@db.stadt.example:5432/chinadialog?sslmode=verify-full"
SAME_DB_OTHER_USER = "postgresql://r.schmidt@db.stadt.example:5432/chinadialog"
OTHER_DB = "postgresql://m.muster@db.stadt.example:5432/andere"


def test_kept_edits_come_back_with_their_types_per_server_database():
    team_offline.keep_edit(
        ADDRESS,
        "partnership",
        "u-1",
        {"start_date": date(2026, 5, 1), "start_precision": "month"},
        3,
        "Edit Start",
    )
    team_offline.keep_edit(ADDRESS, "actor", "u-2", {"fields": ["culture", "economy"]}, 1, "x")
    team_offline.keep_edit(OTHER_DB, "actor", "u-3", {"name_de": "Kiel (Beispiel)"}, 1, "x")
    kept = team_offline.pending_edits(SAME_DB_OTHER_USER)  # the database, whoever logs in
    assert [(e.uuid, e.values, e.version) for e in kept] == [
        ("u-1", {"start_date": date(2026, 5, 1), "start_precision": "month"}, 3),
        ("u-2", {"fields": ["culture", "economy"]}, 1),
    ]
    assert [e.uuid for e in team_offline.pending_edits(OTHER_DB)] == ["u-3"]
    team_offline.forget_edit(kept[0].id)
    assert [e.uuid for e in team_offline.pending_edits(ADDRESS)] == ["u-2"]


def test_a_later_edit_of_the_same_field_replaces_the_kept_one_and_keeps_its_base_version():
    team_offline.keep_edit(ADDRESS, "partnership", "u-1", {"title": "A (Beispiel)"}, 4, "t")
    team_offline.keep_edit(ADDRESS, "partnership", "u-1", {"title": "B (Beispiel)"}, 4, "t")
    team_offline.keep_edit(ADDRESS, "partnership", "u-1", {"status": "planned"}, 4, "s")
    kept = team_offline.pending_edits(ADDRESS)
    assert [(e.values, e.version) for e in kept] == [
        ({"title": "B (Beispiel)"}, 4),
        ({"status": "planned"}, 4),
    ]


def test_no_password_and_a_damaged_file_does_not_stop_the_app():
    team_offline.keep_edit(ADDRESS, "actor", "u-1", {"name_de": "Kiel (Beispiel)"}, 1, "x")
    text = (user_data_dir() / team_offline.PENDING_FILE).read_text("utf-8")
    assert "m.muster" not in text and "db.stadt.example:5432/chinadialog" in text
    (user_data_dir() / team_offline.PENDING_FILE).write_text("{kaputt", encoding="utf-8")
    assert team_offline.pending_edits(ADDRESS) == []


def test_the_last_local_copy_is_the_newest_that_still_exists(tmp_path):
    assert team_offline.last_copy(ADDRESS) is None
    first = tmp_path / "Kopie ä#?%.sqlite3"
    first.write_bytes(b"")
    team_offline.remember_copy(ADDRESS, first, datetime(2026, 12, 7, 14, 5))
    copy = team_offline.last_copy(SAME_DB_OTHER_USER)
    assert copy is not None and copy.path == first.resolve()
    assert copy.when().endswith("14:05") and "2026" in copy.when()
    assert team_offline.last_copy(OTHER_DB) is None
    first.unlink()
    assert team_offline.last_copy(ADDRESS) is None  # gone: nothing to offer
    assert team_offline.last_copy(str(tmp_path / "datei.sqlite3")) is None  # a file has none
