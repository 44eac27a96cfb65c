"""The changes section: the Beratungsfolge too, and always against the same variant.

Exports are recorded in a real database; the PDFs and the CLI's diff are read back.
"""

from __future__ import annotations

from datetime import date

from helpers.pdf import all_text, flat

from chinadialog_desktop.cli import main
from chinadialog_desktop.persistence.models import Deliberation, Dossier


def _change_beratungsfolge(db, dossier_id) -> None:
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        committee, council = dossier.deliberations
        committee.meeting_on = date(2026, 12, 9)
        council.publicity = "non_public"
        council.status = "vertagt"
        dossier.deliberations.insert(
            1,
            Deliberation(
                body="Verwaltungsausschuss (Beispiel)",
                meeting_on=date(2026, 12, 15),
                role="preliminary",
            ),
        )
        for position, step in enumerate(dossier.deliberations):
            step.position = position


def test_changes_of_the_beratungsfolge_are_listed_in_the_pdf_and_by_diff(
    db, dossier_id, export, capsys
):
    first = export()
    _change_beratungsfolge(db, dossier_id)
    second = export(changes=True)
    text = flat(all_text(second.data))
    for line in (
        "Beratungsfolge: Verwaltungsausschuss (Beispiel) neu (15.12.2026, Vorberatung)",
        "Beratungsfolge, Ausschuss für Internationales (Beispiel): Datum 02.12.2026 → 09.12.2026",
        "Beratungsfolge, Rat der Stadt (Beispiel): Sitzung öffentlich → nichtöffentlich",
        "Beratungsfolge, Rat der Stadt (Beispiel): Status geplant → vertagt",
        "Kopfangabe „Status“: öffentlich → je Gremium, siehe Beratungsfolge",
    ):
        assert line in text, line
        assert line in second.changes, line
    capsys.readouterr()
    assert (
        main(
            [
                "--lang",
                "de",
                "--db",
                str(db.path),
                "briefing",
                "diff",
                str(first.export_id),
                str(second.export_id),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Verwaltungsausschuss (Beispiel) neu" in out and "Sitzung öffentlich" in out


def test_the_public_version_compares_with_the_last_public_version(db, dossier_id, export):
    export()  # an internal version first
    first_public = flat(all_text(export(public=True, changes=True).data))
    assert "erste öffentliche Fassung" in first_public
    assert "erste Vorlage zu diesem Dossier" not in first_public
    _change_beratungsfolge(db, dossier_id)
    again = export(public=True, changes=True)
    text = flat(all_text(again.data))
    assert "Gegenüber der Vorlage vom" in text and "erste" not in text.split("Sachverhalt")[0]
    assert "Beratungsfolge: Verwaltungsausschuss (Beispiel) neu" in text
    english = flat(all_text(export(public=True, changes=True, lang="en").data))
    assert "exists only in the other language" in english
    assert "first briefing on this dossier" not in english
