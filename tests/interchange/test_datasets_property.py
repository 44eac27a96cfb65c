"""Property: mutated valid files never crash the import and never leave a partial write."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from helpers.db import db_state
from helpers.paths import DATASET_FIXTURES as FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.datasets.importing import COMMITTED, import_dataset

SEEDS = [
    "good_register_utf8.csv",
    "good_register_cp1252_sep.csv",
    "good_actors.json",
    "good_package_unlisted_member.zip",
    "good_register.xlsx",
]


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        pos = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[pos] = draw(st.integers(0, 255))
        elif kind == "insert":
            out[pos:pos] = draw(
                st.sampled_from(
                    [b"\x00", b'"', b";", b"\r\n", b"{", b"\xff", b"NaN", b"../", b"=1+1"]
                )
            )
        elif kind == "delete":
            del out[pos : pos + draw(st.integers(1, 16))]
        elif kind == "truncate":
            del out[pos:]
        else:
            out[pos:pos] = out[pos : pos + draw(st.integers(1, 64))]
    return bytes(out)


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_files_fail_cleanly(seed):
    original = (FIXTURES / seed).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database.open(folder / "p.sqlite3")
        try:

            @settings(
                max_examples=40,
                derandomize=True,  # reproducible in CI
                database=None,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            )
            @given(mutations(original))
            def check(mutated: bytes) -> None:
                path = folder / seed
                path.write_bytes(mutated)
                before = db_state(db)
                result = import_dataset(db, path)  # must not raise
                after = db_state(db)
                assert after["integrity"] == "ok"
                if result.status != COMMITTED:
                    assert after == before, result.status
                    assert result.problems.has_errors or result.status == "needs_decision"

            check()
        finally:
            db.close()
