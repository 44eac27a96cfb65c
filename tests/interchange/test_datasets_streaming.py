"""A UTF-8 or Windows-1252 CSV file is read while it is planned and written a chunk at a
time, all or nothing.

The plan waits in a temporary file (``datasets_merge.Spill``, 2,000 records a
chunk); these tests use files of several chunks so that what is found late
(a duplicate in the last chunk, a bad value at the end) must still undo
everything, and compare the streamed path with the path that reads a whole
file (UTF-16, as Excel writes "Unicode text", is not streamed) on the same table.
"""

from __future__ import annotations

import os
import threading

from helpers.db import failed_runs
from sqlalchemy import func, select

from chinadialog_desktop.persistence.models import Actor, ImportFingerprint, ImportRun
from chinadialog_desktop.services.datasets.importing import (
    CHECKPOINT_ENV,
    COMMITTED,
    DRY_RUN,
    HISTORY_PROBLEMS,
    REJECTED,
    ImportOptions,
    import_dataset,
)
from chinadialog_desktop.services.datasets.merge import SPILL_CHUNK

ROWS = 2 * SPILL_CHUNK + 500  # three chunks


def _actors(rows: int = ROWS, last: str | None = None) -> str:
    lines = ["Name;Chinesischer Name;Provinz;Bemerkung"]
    lines += [
        f'Akteur {n} (Beispiel);名称{n};Provinz {n % 31};"Zeile eins\nZeile zwei {n}"'
        for n in range(rows)
    ]
    if last is not None:
        lines.append(last)
    return "\r\n".join(lines) + "\r\n"


def _count(db, model) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_duplicate_in_the_last_chunk_undoes_everything_and_names_both_lines(db, write, state):
    # Each row spans two lines (a quoted line break): row n starts on line 2 + 2n.
    path = write("akteure.csv", _actors(last="Akteur 1 (Beispiel);;Provinz 1;spät"))
    before = state()
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == REJECTED
    [problem] = [p for p in result.problems if p.code == "record.duplicate"]
    assert problem.line == 2 + 2 * ROWS  # the repeating row, after every chunk
    assert "line 4" in problem.message and "Akteur 1 (Beispiel)" in problem.message
    assert state() == before  # not one of the rows of the earlier chunks stayed
    assert _count(db, Actor) == 0 and _count(db, ImportFingerprint) == 0
    [(name, _sha, why)] = failed_runs(db)
    assert name == "akteure.csv" and f"line {2 + 2 * ROWS}" in why


def test_a_bad_value_at_the_end_rejects_the_whole_file_with_its_place(db, write, state):
    path = write("akteure.csv", _actors(last="Akteur X (Beispiel);;Provinz 1;x;zu viel"))
    before = state()
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == REJECTED
    [problem] = list(result.problems)
    assert (problem.file, problem.line) == ("akteure.csv", 2 + 2 * ROWS)
    assert state() == before


def test_a_streamed_import_writes_every_chunk_and_keeps_one_fingerprint_per_record(db, write):
    path = write("akteure.csv", _actors())
    dry = import_dataset(db, path, ImportOptions(kind="actors"), dry_run=True)
    assert dry.status == DRY_RUN and dry.plan is not None
    assert dry.plan.totals()["new"] == ROWS and _count(db, Actor) == 0
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == COMMITTED, result.problems.format()
    assert result.plan is not None and result.plan.totals()["new"] == ROWS
    assert _count(db, Actor) == ROWS and _count(db, ImportFingerprint) == ROWS
    with db.session() as s:
        notes = s.scalar(select(Actor.notes).where(Actor.name_de == "Akteur 4321 (Beispiel)"))
    assert notes is not None and "Zeile eins\nZeile zwei 4321" in notes
    again = import_dataset(db, path, ImportOptions(kind="actors"))
    assert again.status == COMMITTED and again.plan is not None
    assert again.plan.totals() == {"new": 0, "updated": 0, "unchanged": ROWS, "conflict": 0}
    assert _count(db, Actor) == ROWS


def test_the_history_keeps_the_first_problems_and_how_many_there_were(db, write, state):
    rows = "".join(f"Akteur {n} (Beispiel);{n} Land\r\n" for n in range(ROWS))
    path = write("akteure.csv", "Name;Land\r\n" + rows)
    before = state()
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == REJECTED
    assert result.problems.total == ROWS  # every row: an unknown country
    assert state() == before
    with db.session() as s:
        [run] = s.scalars(select(ImportRun)).all()
        lines = (run.message or "").splitlines()
        assert run.counts == {"problems": ROWS, "errors": ROWS}
    assert len(lines) == HISTORY_PROBLEMS + 1
    assert lines[0].startswith("akteure.csv, line 2, column 2")
    assert lines[-1] == f"… and {ROWS - HISTORY_PROBLEMS} more problems not shown"


def test_the_streamed_and_the_whole_file_reading_agree(tmp_path, write):
    """UTF-8 and Windows-1252 are read as they are planned, UTF-16 as a whole: the same
    table, the same result."""
    from chinadialog_desktop.persistence.database import Database

    text = (
        "sep=;\r\nName;Provinz;Bemerkung\r\n"
        'Köln (Beispiel);NRW;"zwei\r\nZeilen"\r\n'
        "\r\n"
        "Düsseldorf (Beispiel);NRW;\r\n"
        "Bad;Zeile;mit;zu;vielen\r\n"
        'Münster (Beispiel);NRW;"mit ""Zitat"""\r\n'
    )
    outcomes = []
    for encoding in ("utf-8", "cp1252", "utf-16"):
        db = Database.open(tmp_path / f"{encoding}.sqlite3")
        try:
            path = write(f"orte-{encoding}.csv", text, encoding)
            result = import_dataset(db, path, ImportOptions(kind="actors"), dry_run=True)
            problems = [(p.line, p.column, p.code) for p in result.problems]
            path.write_bytes(text.replace("Bad;Zeile;mit;zu;vielen\r\n", "").encode(encoding))
            done = import_dataset(db, path, ImportOptions(kind="actors"))
            assert done.status == COMMITTED, done.problems.format()
            with db.session() as s:
                actors = sorted(s.execute(select(Actor.name_de, Actor.region, Actor.notes)).all())
        finally:
            db.close()
        outcomes.append((result.status, problems, actors))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    status, problems, actors = outcomes[0]
    assert status == REJECTED and problems == [(7, None, "csv.field_count")]  # after "sep=;"
    assert [a[0] for a in actors] == [
        "Düsseldorf (Beispiel)",
        "Köln (Beispiel)",
        "Münster (Beispiel)",
    ]
    assert "zwei" in actors[1][2] and "Zeilen" in actors[1][2]


def test_a_header_only_file_is_still_no_data(db, write, state):
    before = state()
    result = import_dataset(db, write("leer.csv", "Name;Provinz\r\n"), ImportOptions(kind="actors"))
    assert result.status == REJECTED
    assert [p.code for p in result.problems] == ["file.no_rows"]
    assert state() == before


def test_a_file_changed_while_it_is_imported_is_rejected(db, write, state, monkeypatch):
    """The rows are read from disk during planning: a file that changes meanwhile is refused."""
    path = write("akteure.csv", _actors(rows=12 * SPILL_CHUNK))  # larger than the read buffer
    assert path.stat().st_size > 1024 * 1024
    go_r, go_w = os.pipe()  # the import waits for a line here at each checkpoint
    said_r, said_w = os.pipe()  # and says which checkpoint it reached here
    monkeypatch.setenv(CHECKPOINT_ENV, f"{go_r},{said_w}")

    def other_program() -> None:
        with os.fdopen(said_r, "rb") as said:
            for line in said:
                if line == b"read\n":  # the header is read, the rows are not
                    with open(path, "ab") as f:
                        f.write("Akteur spät (Beispiel);;Provinz 1;\r\n".encode())
                os.write(go_w, b"go\n")

    helper = threading.Thread(target=other_program)
    helper.start()
    before = state()
    try:
        result = import_dataset(db, path, ImportOptions(kind="actors"))
    finally:
        os.close(said_w)
        helper.join()
        os.close(go_r)
        os.close(go_w)
    assert result.status == REJECTED
    assert [p.code for p in result.problems] == ["file.changed"]
    assert state() == before


def _streamed(path) -> bool:
    from chinadialog_desktop.interchange.problems import ProblemList
    from chinadialog_desktop.services.datasets.read import stream_csv

    found = stream_csv(path, path.name, ImportOptions(kind="actors"), ProblemList())
    return found is not None and found[1].stream is not None


def test_a_windows_1252_file_is_streamed_too(db, write):
    """Its first megabyte plain ASCII, the umlauts only further down: still Windows-1252."""
    rows = [f"Akteur {n} (Beispiel);Provinz {n % 31}" for n in range(40_000)]
    rows += ["Köln (Beispiel);Nordrhein-Westfalen", "Müßiggang GmbH (Beispiel);Bayern"]
    path = write("orte.csv", "Name;Provinz\r\n" + "\r\n".join(rows) + "\r\n", "cp1252")
    assert path.stat().st_size > 1024 * 1024 and _streamed(path)
    result = import_dataset(db, path, ImportOptions(kind="actors"))
    assert result.status == COMMITTED, result.problems.format()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Actor)) == len(rows)
        names = set(s.scalars(select(Actor.name_de).where(Actor.region == "Bayern")))
        assert names == {"Müßiggang GmbH (Beispiel)"}


def test_undecidable_bytes_are_read_whole_with_the_same_message(db, write, state):
    """UTF-8 umlauts early and a stray Windows-1252 byte late (a damaged UTF-8 file), a
    byte Windows-1252 leaves undefined, a UTF-8 BOM on Windows-1252 bytes: not streamed;
    the whole-file reading names the bad byte's line and column, and nothing changes."""
    head = "Name;Provinz\r\n" + "".join(f"Akteur {n};Provinz\r\n" for n in range(40_000))
    cases = {  # file: (bytes, the bad byte's line)
        "kaputt.csv": (
            "Köln;NRW\r\n".encode() + head.encode() + "Düren;NRW\r\n".encode("cp1252"),
            40_003,
        ),
        "undefiniert.csv": (head.encode() + b"Akteur \x81;NRW\r\n", 40_002),
        "bom.csv": (b"\xef\xbb\xbf" + head.encode() + "Düren;NRW\r\n".encode("cp1252"), 40_002),
    }
    before = state()
    for name, (data, line) in cases.items():
        path = write(name, data)
        assert not _streamed(path), name
        result = import_dataset(db, path, ImportOptions(kind="actors"))
        assert result.status == REJECTED, name
        [problem] = list(result.problems)
        assert problem.code == "text.invalid_byte" and problem.line == line, (name, problem)
    assert state() == before
