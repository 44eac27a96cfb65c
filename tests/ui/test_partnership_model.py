"""The id-backed partnership model: contents, lazy batches and Qt's model checks."""

from __future__ import annotations

from PySide6.QtCore import Qt

from chinadialog_desktop.domain.enums import PartnershipStatus, PartnershipType
from chinadialog_desktop.domain.labels import label
from chinadialog_desktop.services.records.lists import ListQuery, list_ids, list_rows
from chinadialog_desktop.ui.records import table_model as record_table_model
from chinadialog_desktop.ui.records.partnership_model import COLUMNS, ID_ROLE, PartnershipTableModel


def partnership_ids(session):
    return list_ids(session, "partnership", ListQuery(sort="title"))


def make_model(database, calls=None):
    def load_ids(query):
        with database.sessions() as s:
            return list_ids(s, "partnership", query)

    def load_rows(ids):
        if calls is not None:
            calls.append(list(ids))
        with database.sessions() as s:
            return list_rows(s, "partnership", ids)

    return PartnershipTableModel(load_ids, load_rows)


def column(name):
    return [c for c, _msg in COLUMNS].index(name)


def cells(model, name):
    return [model.index(r, column(name)).data() for r in range(model.rowCount())]


def test_rows_sorted_by_title_with_chinese_characters(filled_db, german, samples):
    model = make_model(filled_db)
    assert model.rowCount() == len(samples)
    assert model.columnCount() == len(COLUMNS)  # the registry's list columns
    assert cells(model, "title") == sorted(s[0] for s in samples)
    chinese = cells(model, "chinese")
    assert "Zhuhai (珠海)" in chinese
    assert "Provinz Anhui (安徽省)" in chinese
    assert "Land Niedersachsen" in cells(model, "german")


def test_labels_and_german_dates(filled_db, german):
    model = make_model(filled_db)
    by_title = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    row = by_title["Niedersachsen – Anhui"]
    assert model.index(row, column("since")).data() == "10.05.1984"
    assert model.index(row, column("type")).data() == label(PartnershipType, "land_province")
    assert model.index(row, column("type")).data() != "land_province"
    assert model.index(by_title["Braunschweig – Zhuhai"], column("since")).data() == "2011"
    assert model.index(by_title["Wolfsburg – Changchun"], column("since")).data() == "06.2009"
    assert model.index(by_title["Kiel – Qingdao"], column("since")).data() == ""
    assert model.index(by_title["Kiel – Qingdao"], column("status")).data() == label(
        PartnershipStatus, "suspended"
    )


def test_id_role_and_lookup(filled_db):
    model = make_model(filled_db)
    with filled_db.sessions() as s:
        ids = partnership_ids(s)
    assert [model.index(r, 3).data(ID_ROLE) for r in range(model.rowCount())] == ids
    assert model.row_of(ids[2]) == 2
    assert model.row_of(-1) is None
    assert model.headerData(0, Qt.Orientation.Horizontal) is not None


def test_rows_are_fetched_lazily_in_batches(db, monkeypatch, add_partnership):
    monkeypatch.setattr(record_table_model, "BATCH_SIZE", 2)
    for n in range(5):
        add_partnership(db, (f"P{n}", "A", "B", "乙", "other", "active", None, "day"))
    calls: list[list[int]] = []
    model = make_model(db, calls)
    assert model.rowCount() == 5
    assert calls == []  # only the ids so far
    assert model.index(3, 0).data() == "P3"
    assert len(calls) == 1 and len(calls[0]) == 2
    assert model.loaded_count() == 2
    model.index(2, 1).data()  # same batch: no new query
    assert len(calls) == 1
    model.index(4, 0).data()
    assert len(calls) == 2 and model.loaded_count() == 3


def test_refresh_sees_new_rows(filled_db, qtbot, add_partnership, samples):
    model = make_model(filled_db)
    with qtbot.waitSignal(model.modelReset):
        add_partnership(
            filled_db,
            ("Aachen – Ningbo", "Aachen", "Ningbo", "宁波", "project", "planned", None, "day"),
        )
        model.refresh()
    assert model.rowCount() == len(samples) + 1
    assert model.index(0, 0).data() == "Aachen – Ningbo"


def test_qt_model_tester(filled_db, qtmodeltester):
    qtmodeltester.check(make_model(filled_db))


def test_qt_model_tester_on_an_empty_database(db, qtmodeltester):
    qtmodeltester.check(make_model(db))


def test_sorting_by_any_column_happens_in_sql_and_keeps_ids(filled_db, german):
    model = make_model(filled_db)
    model.sort(column("chinese"), Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "chinese" and model.query.descending
    assert cells(model, "chinese") == sorted(cells(model, "chinese"), reverse=True)
    model.sort(column("since"), Qt.SortOrder.AscendingOrder)
    since = [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]
    with filled_db.sessions() as s:
        rows = {r.id: r.start_date for r in list_rows(s, "partnership", since)}
    dated = [rows[i] for i in since if rows[i] is not None]
    assert dated == sorted(dated)
    assert len(set(since)) == model.rowCount() == 4


def test_filters_narrow_the_ids(filled_db):
    import dataclasses

    model = make_model(filled_db)
    model.set_query(dataclasses.replace(model.query, text="珠海"))
    assert cells(model, "title") == ["Braunschweig – Zhuhai"]
    model.set_query(dataclasses.replace(model.query, text="", filters=(("status", "dormant"),)))
    assert cells(model, "title") == ["Wolfsburg – Changchun"]
    model.set_query(dataclasses.replace(model.query, filters=(("type", "twin_city"),)))
    assert sorted(cells(model, "title")) == ["Braunschweig – Zhuhai", "Kiel – Qingdao"]
    model.set_query(dataclasses.replace(model.query, filters=()))
    assert model.rowCount() == 4
