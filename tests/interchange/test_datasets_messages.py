"""Import messages in German: no English library fragments, plurals, sizes with their limit,
how many lines an encoding fault touches, and command-line advice in command-line words."""

from __future__ import annotations

import gzip
import zipfile
from io import BytesIO

import pytest
from sqlalchemy import select

from chinadialog_desktop.cli import main
from chinadialog_desktop.interchange.limits import Limits
from chinadialog_desktop.persistence.models import Partnership
from chinadialog_desktop.services.datasets.export import export_dataset
from chinadialog_desktop.services.datasets.importing import REJECTED, ImportOptions, import_dataset

ENGLISH = ("Expecting", "Invalid", "control character", "CRC", "Error", "bytes", "line ")


def _messages(result) -> list[str]:
    return [p.message for p in result.problems if p.is_error]


def _german(messages: list[str]) -> None:
    for message in messages:
        assert not any(word in message for word in ENGLISH), message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "chinadialog-dataset", "a": "x\ny"}', "Zeilenumbruch oder Tabulator"),
        ('{"format": "chinadialog-dataset", "records": {},}', "kein Komma am Ende"),
        ('{"format": "chinadialog-dataset" "records": {}}', "fehlt ein Komma"),
        ('{"format": "chinadialog-dataset", "records": }', "fehlt ein Wert"),
        ('{"format": "chinadialog-dataset"} x', "folgt weiterer Text"),
        ('{"format": "chinadialog-dataset", "a": "\\q"}', "Escape-Folge"),
    ],
)
def test_json_syntax_errors_in_german(db, write, german, text, expected):
    result = import_dataset(db, write("daten.json", text))
    assert result.status == REJECTED
    [message] = _messages(result)
    assert expected in message
    _german([message])


def test_a_damaged_package_member_in_german(db, write, german, tmp_path):
    with db.session() as s:
        s.add(Partnership(title="Bonn – Chengdu (Beispiel)"))
    package = tmp_path / "paket.zip"
    with db.session() as s:
        export_dataset(s, "package", package)
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(BytesIO(bytes(data))) as z:
        info = next(i for i in z.infolist() if i.filename.endswith(".csv"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start, start + info.compress_size):
        data[offset] ^= 0x5A  # the member's bytes no longer fit its checksum
    result = import_dataset(db, write("kaputt.zip", bytes(data)))
    assert result.status == REJECTED
    messages = _messages(result)
    assert messages and all("beschädigt" in m for m in messages), messages
    _german(messages)


def test_field_counts_are_singular_and_plural(db, write, german):
    result = import_dataset(
        db, write("r.csv", "Kommune;Partnerstadt;Art\r\nBonn\r\nKiel;Qingdao\r\n")
    )
    assert _messages(result) == [
        "Diese Zeile hat 1 Feld, die Kopfzeile hat 3.",
        "Diese Zeile hat 2 Felder, die Kopfzeile hat 3.",
    ]


def test_sizes_name_their_limit(db, write, german):
    limits = Limits(max_file_bytes=2 * 1024 * 1024, max_ratio=10)
    text = "Kommune;Partnerstadt\r\n" + "Bonn;Chengdu\r\n" * 400_000
    result = import_dataset(
        db, write("gross.csv.gz", gzip.compress(text.encode())), ImportOptions(limits=limits)
    )
    assert _messages(result) == ["Entpackt ist die Datei größer als 2 MB."]


def test_encoding_and_nul_errors_say_how_many_lines(db, write, german):
    bad = (
        b"Kommune;Partnerstadt\r\nK\xf6ln;Peking\r\nBonn;Chengdu\r\nM\xfcnchen;\xff\r\n"
        b"\xc3\xa4;x\r\nJena;\xe4\r\n"  # valid UTF-8 elsewhere: a damaged UTF-8 file
    )
    [message] = _messages(import_dataset(db, write("a.csv", bad)))
    assert "Insgesamt sind 3 Zeilen betroffen; dies ist die erste." in message
    nul = b"Kommune;Partnerstadt\r\nBonn\x00;Chengdu\r\nKiel;Qingdao\r\nx\x00;\x00\r\n"
    [message] = _messages(import_dataset(db, write("b.csv", nul)))
    assert "NUL" in message and "Insgesamt sind 2 Zeilen betroffen" in message
    once = b"Kommune;Partnerstadt\r\nBonn\x00;Chengdu\r\n"
    [message] = _messages(import_dataset(db, write("c.csv", once)))
    assert "Insgesamt" not in message


def test_cli_conflict_advice_names_the_options(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    v1 = tmp_path / "v1.csv"
    v1.write_text("Kommune;Partnerstadt;Status\r\nKiel;Qingdao;aktiv\r\n", encoding="utf-8")
    assert main(["--lang", "de", "--db", str(db), "import", str(v1)]) == 0
    from chinadialog_desktop.persistence.database import Database

    database = Database.open(db)
    try:
        with database.session() as s:
            s.scalars(select(Partnership)).one().status = "dormant"
    finally:
        database.close()
    v2 = tmp_path / "v2.csv"
    v2.write_text("Kommune;Partnerstadt;Status\r\nKiel;Qingdao;beendet\r\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--lang", "de", "--db", str(db), "import", str(v2)]) == 1
    err = capsys.readouterr().err
    assert "--keep-mine" in err and "--take-theirs" in err and "--resolve UUID=mine" in err
    assert "behalten“ oder" not in err  # no window buttons on the command line
