"""Progress is reported, and a cancel at any point leaves the database as it was."""

from __future__ import annotations

import pytest
from helpers.db import db_state

from chinadialog_desktop.services.datasets.importing import (
    CANCELLED,
    COMMITTED,
    ImportOptions,
    import_dataset,
)

ROWS = 5000


@pytest.fixture
def big_register(tmp_path):
    lines = ["Kommune;Partnerstadt;Beginn"]
    lines += [f"Kommune {n % 50};Stadt {n // 50};{1 + n % 28:02d}.03.1990" for n in range(ROWS)]
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_progress_reaches_the_total(db, big_register):
    calls: list[tuple[int, int, str]] = []
    result = import_dataset(db, big_register, progress=lambda d, t, m: calls.append((d, t, m)))
    assert result.status == COMMITTED
    assert calls and calls[-1][0] == calls[-1][1]
    assert any(0 < d < t for d, t, _m in calls)
    done = [d for d, t, m in calls if m == calls[-1][2]]
    assert done == sorted(done)


@pytest.mark.parametrize("cancel_after", [1, 3, 6])
def test_cancel_leaves_the_database_as_it_was(db, big_register, cancel_after):
    before = db_state(db)
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= cancel_after

    result = import_dataset(db, big_register, ImportOptions(), cancelled=cancelled)
    assert result.status == CANCELLED
    assert asked >= cancel_after
    after = db_state(db)
    assert after["counts"] == before["counts"]
    assert after["integrity"] == "ok"
