"""Property: dossiers, templates and assessments with any value swapped never crash the import
and never leave a partial write."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

from helpers.db import db_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_datasets_nested import _fill

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import COMMITTED, ImportOptions, import_dataset

NESTED = ("checklist_templates", "dossiers", "assessments")
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(
        [
            "",
            "x" * 400,
            "NULL",
            "=1+1",
            "2026-02-31",
            "signed",
            "superseded",
            "0b6f3a8e-1d9c-4c5e-9a57-3f0f1d2b7c11",
            "not-a-uuid",
            "urn:chinadialog:checklist:x",
        ]
    ),
    # Plausible values, so that updates, conflicts and signed assessments are reached too.
    st.sampled_from(["Neuer Text", "yes", "no", "2026-01-01", "final", "decision", "open"]),
    st.sampled_from(["Neuer Text", "yes", "2026-01-01", "final"]),
    st.just([]),
    st.just({}),
    st.just([{"key": "summary"}, {"key": "summary"}]),
)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here] if here else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*here, i))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        doc = doc[part]
    doc[path[-1]] = value


def test_swapped_values_fail_cleanly() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = Database.open(folder / "a.sqlite3")
        _fill(source)
        with source.session() as s:
            export_dataset(s, "json", folder / "seed.json", kinds=["all"])
        source.close()
        seed = json.loads((folder / "seed.json").read_text("utf-8"))
        nested = {k: seed["records"][k] for k in NESTED}
        by_kind = {k: [("records", k, *p) for p in _paths(v)] for k, v in nested.items()}
        path_of = st.sampled_from(NESTED).flatmap(lambda k: st.sampled_from(by_kind[k]))
        db = Database.open(folder / "b.sqlite3")
        assert import_dataset(db, folder / "seed.json").status == COMMITTED
        try:

            @settings(
                max_examples=80,
                derandomize=True,  # reproducible in CI
                database=None,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @given(
                st.lists(st.tuples(path_of, ODD_VALUES), min_size=1, max_size=2),
                st.sampled_from([None, "mine", "theirs"]),
            )
            def check(swaps: list[tuple[tuple[Any, ...], Any]], choice: str | None) -> None:
                doc = json.loads(json.dumps(seed))
                for path, value in swaps:
                    # An earlier swap may have removed the parent.
                    with contextlib.suppress(KeyError, IndexError, TypeError):
                        _set(doc, path, value)
                path = folder / "mutated.json"
                path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
                before = db_state(db)
                result = import_dataset(db, path, ImportOptions(on_conflict=choice))
                after = db_state(db)
                assert after["integrity"] == "ok"
                if result.status != COMMITTED:
                    assert after == before, result.status
                    assert result.problems.has_errors

            check()
        finally:
            db.close()
