"""öffentlich / nichtöffentlich: derived from the classification and set per Gremium.

Every test reads the header and the Beratungsfolge back from the real PDF.
"""

from __future__ import annotations

import pytest
from helpers.pdf import all_text, flat

from chinadialog_desktop.errors import UserError
from chinadialog_desktop.persistence.models import Dossier


def _set(db, dossier_id, classification=None, publicity=(), is_public=None):
    with db.session() as s:
        dossier = s.get(Dossier, dossier_id)
        if classification:
            dossier.classification = classification
        if is_public is not None:
            dossier.is_public = is_public
        for step, value in zip(dossier.deliberations, publicity, strict=False):
            step.publicity = value


@pytest.mark.parametrize("classification", ["vs_nfd", "internal"])
def test_a_classified_paper_is_nichtoeffentlich_in_the_header_and_every_gremium(
    db, dossier_id, export, classification
):
    _set(db, dossier_id, classification=classification)  # the dossier says "public session"
    text = flat(all_text(export().data))
    assert "Status nichtöffentlich" in text and "Status öffentlich" not in text
    assert "Vorberatung nichtöffentlich" in text and "zur Kenntnis nichtöffentlich" in text


def test_the_classification_chosen_for_the_export_counts_too(export):
    text = flat(all_text(export(classification="vs_nfd").data))
    assert "Status nichtöffentlich" in text


def test_public_in_one_gremium_and_not_in_another(db, dossier_id, export):
    _set(db, dossier_id, publicity=("non_public", "public"))
    text = flat(all_text(export().data))
    assert "Status je Gremium, siehe Beratungsfolge" in text
    assert "Ausschuss für Internationales (Beispiel) 02.12.2026 Vorberatung nichtöffentlich" in text
    assert "Rat der Stadt (Beispiel) 10.12.2026 zur Kenntnis öffentlich" in text
    english = flat(all_text(export(lang="en").data))
    assert (
        "per body, see order of deliberation" in english
        and "Preliminary discussion not public" in english
    )


def test_an_open_paper_follows_the_dossiers_public_session(db, dossier_id, export):
    text = flat(all_text(export().data))
    assert "Status öffentlich" in text and "Vorberatung öffentlich" in text
    _set(db, dossier_id, is_public=False)
    text = flat(all_text(export().data))
    assert "Status nichtöffentlich" in text and "Vorberatung nichtöffentlich" in text


def test_vs_nfd_in_a_public_session_is_refused(db, dossier_id, export, tmp_path):
    _set(db, dossier_id, classification="vs_nfd", publicity=("as_dossier", "public"))
    with pytest.raises(UserError, match="Rat der Stadt"):
        export()
    assert not list(tmp_path.glob("*.pdf"))  # nothing written


def test_a_public_version_of_a_vs_nfd_dossier_is_refused(db, dossier_id, export, tmp_path):
    _set(db, dossier_id, classification="vs_nfd")
    with pytest.raises(UserError, match="VS-NfD"):
        export(public=True)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_public_version_of_a_paper_no_gremium_discusses_in_public_is_refused(
    db, dossier_id, export
):
    _set(db, dossier_id, publicity=("non_public", "non_public"))
    with pytest.raises(UserError, match="public session"):
        export(public=True)
    _set(db, dossier_id, publicity=("non_public", "public"))
    text = flat(all_text(export(public=True).data))  # public in the Rat: fine
    assert "Rat der Stadt (Beispiel) 10.12.2026 zur Kenntnis öffentlich" in text


def test_an_internal_dossiers_public_version_is_public(db, dossier_id, export):
    _set(db, dossier_id, classification="internal")
    text = flat(all_text(export(public=True).data))
    assert "Status öffentlich" in text and "NUR FÜR DEN INTERNEN GEBRAUCH" not in text


@pytest.mark.parametrize(("own", "chosen"), [("vs_nfd", "open"), ("vs_nfd", "internal")])
def test_an_export_cannot_mark_a_classified_dossier_lower(db, dossier_id, export, own, chosen):
    """Found by a reviewer: ``--classification open`` printed a VS-NfD dossier unmarked."""
    _set(db, dossier_id, classification=own)
    with pytest.raises(UserError, match="cannot be marked lower"):
        export(classification=chosen)


def test_an_export_may_mark_a_dossier_higher(db, dossier_id, export):
    text = all_text(export(classification="vs_nfd").data)
    assert "DIENSTGEBRAUCH" in text
