"""Mutated FtM files (seeded, reproducible): never a crash, never a partial write."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from chinadialog_desktop.persistence.database import Database
from chinadialog_desktop.services.screening.reference_lists import import_reference_list

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ftm"
V1 = FIXTURES / "china_v1.ftm.json"
V2 = FIXTURES / "china_v2.ftm.json"

TOKENS = [
    b"NaN",
    b"-Infinity",
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b",",
    b":",
    b"\\",
    b"\\ud800",
    b"\xff",
    b"\xc3",
    b"\x00",
    b"\n",
    b"null",
    b"1e999",
    b'"id"',
    b'"schema"',
    b"[[[[[[",
]


def fingerprint(path: Path) -> tuple[str, str, dict[str, list[tuple[object, ...]]]]:
    """File hash, integrity check and every table's rows (all connections closed)."""
    file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    return file_hash, integrity, rows


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _i in range(rng.randint(1, 4)):
        pos = rng.randrange(len(buf) + 1)
        action = rng.randrange(5)
        if action == 0 and buf:  # flip a byte
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif action == 1:  # delete a run
            del buf[pos : pos + rng.randint(1, 40)]
        elif action == 2:  # insert a token
            buf[pos:pos] = rng.choice(TOKENS)
        elif action == 3:  # duplicate a line
            lines = bytes(buf).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            buf = bytearray(b"\n".join(lines))
        else:  # cut the file
            del buf[pos:]
    return bytes(buf)


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "template.sqlite3"
    db = Database.open(path)
    try:
        assert import_reference_list(db, V1, backup=False).status == "committed"
    finally:
        db.close()
    return path


@pytest.mark.parametrize("seed", range(120))
def test_mutated_file_is_imported_whole_or_not_at_all(
    seed: int, seeded_template: Path, tmp_path: Path
):
    rng = random.Random(seed)
    source = V1 if seed % 2 else V2
    file = tmp_path / "mutated.ftm.json"
    file.write_bytes(mutate(source.read_bytes(), rng))
    path = tmp_path / "db.sqlite3"
    shutil.copy(seeded_template, path)
    before = fingerprint(path)
    db = Database.open(path)
    try:
        result = import_reference_list(db, file, list_key="test_china_controls", backup=False)
    finally:
        db.close()
    assert result.status in ("committed", "rejected")
    after = fingerprint(path)
    assert after[1] == "ok"
    if result.status == "rejected":
        assert after == before
        assert all(p.file == "mutated.ftm.json" for p in result.problems)
        assert all(p.line is not None or p.code == "ftm.empty" for p in result.problems.errors())
    else:
        entities = after[2]["reference_entity"]
        assert len(entities) == result.total  # the whole new version, nothing less
