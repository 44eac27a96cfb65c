"""Every item model of the workspace under Qt's model tester, on the demo data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from chinadialog_desktop.domain.enums import ActivityKind
from chinadialog_desktop.services.records import edit as records
from chinadialog_desktop.services.records.lists import COLUMNS
from chinadialog_desktop.ui.records.child_model import ChildTableModel
from chinadialog_desktop.ui.records.list_columns import HEADERS
from chinadialog_desktop.ui.records.table_model import ID_ROLE
from chinadialog_desktop.ui.window.workspace_setup import list_model


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_list_models_pass_the_model_tester(demo_db, qtmodeltester, kind):
    model = list_model(demo_db, kind)
    qtmodeltester.check(model)
    assert [key for key, _header in HEADERS[kind]] == list(COLUMNS[kind])


@pytest.mark.parametrize("kind", ["partnership", "actor", "dossier", "source"])
def test_every_column_sorts_both_ways_and_keeps_the_same_ids(demo_db, kind, german):
    model = list_model(demo_db, kind)
    ids = sorted(model.ids())
    assert ids
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            assert sorted(model.ids()) == ids
            assert model.index(0, 0).data(ID_ROLE) == model.ids()[0]


def test_sorting_by_name_in_sql(demo_db, german):
    from chinadialog_desktop.domain.collation import sort_key

    model = list_model(demo_db, "actor")
    model.sort(0, Qt.SortOrder.DescendingOrder)
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    # German dictionary order, as the command line sorts: "HHLA …" after "Hansestadt …".
    assert names == sorted(names, key=sort_key, reverse=True)


def test_child_model_passes_the_model_tester(demo_db, qtmodeltester):
    with demo_db.sessions() as s:
        partnership = records.get(s, "partnership", 1)
        rows = [records.values(a) for a in partnership.activities]
    assert rows
    model = ChildTableModel(
        (
            ("date", "Date", lambda r: str(r["date"])),
            ("kind", "Kind", lambda r: ActivityKind(r["kind"]).value),
            ("title", "Title", lambda r: r["title"]),
        )
    )
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.row_of(rows[-1]["uuid"]) == len(rows) - 1
    assert model.index(0, 0).data(ID_ROLE) == rows[0]["uuid"]


def test_empty_child_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(ChildTableModel((("a", "A", lambda r: ""),)))


def test_assessments_list_shows_the_traffic_light(demo_db, qtmodeltester, german):
    from chinadialog_desktop.services.assessment import checklists
    from chinadialog_desktop.services.assessment import workflow as assessments
    from chinadialog_desktop.ui.records.list_columns import LIGHT_COLOURS, light_text

    with demo_db.session() as s:
        checklists.install_bundled(s)
        key = checklists.template_rows(s)[0].key
        assessments.start_assessment(
            s, checklists.newest_version(s, key), partnership=records.get(s, "partnership", 1)
        )
    model = list_model(demo_db, "assessment")
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    light = [key for key, _h in HEADERS["assessment"]].index("light")
    assert model.index(0, light).data() == light_text("grey")
    colour = model.index(0, light).data(Qt.ItemDataRole.DecorationRole)
    assert colour.name() == LIGHT_COLOURS["grey"]
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None
    # the chance side beside the light (nothing answered: not assessed), then progress
    chances = [key for key, _h in HEADERS["assessment"]].index("chances")
    assert chances == light + 1
    assert model.index(0, chances).data() == "nicht bewertet"
    answered = model.index(0, chances + 1).data()
    assert answered.startswith("0 / ")
