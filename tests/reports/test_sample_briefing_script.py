"""tools/make_sample_briefing.sh: the published sample is honest and reproducible.

The script builds docs/sample-briefing.pdf from ``demo load`` and documented CLI
commands only. Run here, on another day and in another folder than where the
committed PDF was made, it writes the same bytes as that PDF: one run proves both
that it is reproducible and that docs/ is current (after a change of the briefing's
layout or content, run the script and commit docs/ again).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.paths import ROOT
from helpers.pdf import all_text, flat

pytestmark = [
    pytest.mark.slow,  # one run of about 20 s
    pytest.mark.skipif(
        shutil.which("faketime") is None,
        reason="faketime missing (tools/bootstrap.sh test installs it)",
    ),
]

SCRIPT = ROOT / "tools" / "make_sample_briefing.sh"
ITEM_ID = re.compile(
    r"\b(?:purpose|partner|values|research|security|economy|supply_chains|data_cyber|"
    r"education_culture|governance)-\d\d\b"
)


def _run(out: Path) -> bytes:
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("SOURCE_DATE_EPOCH", None)  # the script fixes it itself
    subprocess.run(
        ["sh", str(SCRIPT), "--no-png", str(out)],
        check=True,
        env=env,
        cwd=out.parent,
        capture_output=True,
        timeout=600,
    )
    return (out / "sample-briefing.pdf").read_bytes()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    # An odd folder name: the script quotes every path.
    return _run(tmp_path_factory.mktemp("sample") / "zwei #%?ä 中")


def test_a_run_writes_the_same_bytes_as_the_committed_sample(sample: bytes) -> None:
    assert (ROOT / "docs" / "sample-briefing.pdf").read_bytes() == sample, (
        "docs/sample-briefing.pdf is not what tools/make_sample_briefing.sh writes; run it "
        "and commit docs/"
    )


def test_the_sample_is_a_beschlussvorlage_with_screening_and_matching_answers(
    sample: bytes,
) -> None:
    text = flat(all_text(sample))
    # the letterhead (Stadt, Dezernat/Amt), then the kind; the date of the paper, not the export
    assert text.startswith(
        "Stadt Braunschweig (Beispiel) Dezernat I – Referat für Internationales (Beispiel) "
        "Beschlussvorlage"
    )
    assert "Datum 15.12.2026" in text
    assert "Vorlageart Beschlussvorlage" in text
    assert "1 Beschlussvorschlag" in text
    # Finanzielle Auswirkungen stated as "nein", the free text as its Erläuterung
    assert (
        "2 Finanzielle Auswirkungen Keine finanziellen Auswirkungen. Erläuterung: Keine "
        "unmittelbaren Auswirkungen auf den Haushalt"
    ) in text
    assert "Der Rat nimmt den Sachstand" in text
    assert "Abgleich mit Referenzlisten" in text
    assert "Abgeglichen mit: Exportkontroll-Liste (Beispiel)" in text
    assert "ergab keine bestätigten Treffer" in text
    # Each answer right after its own question (appendix: question, answer, evidence).
    for question, answer in [
        (
            "Enthält die Vereinbarung eine Überprüfungs- und Ausstiegsklausel?",
            "Nein Die Partnerschaftsurkunde enthält keine Überprüfungs- oder Ausstiegsklausel",
        ),
        (
            "Ist der Nutzen für die eigene Kommune benannt und beruht die Zusammenarbeit auf "
            "Gegenseitigkeit?",
            "Teilweise Austausch in beide Richtungen",
        ),
        ("Exportkontrolllisten abgeglichen?", "Abgeglichen, kein Treffer Braunschweig und Zhuhai"),
        ("(Schwellen 10 %, 20 % oder 25 %)?", "Entfällt Keine Beteiligung und kein Erwerb"),
    ]:
        assert f"{question} {answer}" in text, question
    # Invented facts are labelled; the real council document is cited for its subject.
    assert "26-24517 (Beispiel)" in text
    assert "Stellungnahme Drs. 23-20838-01 zu den Partnerschaftssymbolen" in text
    # No internal codes in what a reader sees.
    assert not ITEM_ID.search(text), ITEM_ID.search(text)
    for code in ("urn:chinadialog", "decision", "partly", "unknown", "beispielliste"):
        assert code not in text, code
