#!/bin/sh
# Write docs/sample-briefing.pdf (and docs/sample-briefing-N.png) from the demo
# data with documented CLI commands only:
#
#   demo load · import (a dataset JSON, docs/dataset-package.md) · reflist import
#   · checklist install-bundled · assessment start/answer · briefing
#
#   tools/make_sample_briefing.sh [--no-png] [OUT_DIR]     (default: docs/)
#
# The PDF is byte-identical on every run and every day: SOURCE_DATE_EPOCH fixes
# the export date, and faketime (Debian package "faketime") the moment the
# answers and the screening are recorded. pdftoppm (poppler-utils) writes the
# PNG pages (60 dpi). PYTHON defaults to .venv/bin/python, else python3.
# Every invented fact in what this script adds is labelled "(Beispiel)"; the
# reference list is an invented example list with invented entries.
set -eu

PNG=1
if [ "${1:-}" = "--no-png" ]; then PNG=0; shift; fi
ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
OUT=${1:-"$ROOT/docs"}
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON=$ROOT/.venv/bin/python; else PYTHON=python3; fi
fi
if ! command -v faketime >/dev/null 2>&1; then
    echo "make_sample_briefing.sh: faketime fehlt (Debian/Ubuntu: apt-get install faketime)." >&2
    exit 1
fi
if [ "$PNG" = 1 ] && ! command -v pdftoppm >/dev/null 2>&1; then
    echo "make_sample_briefing.sh: pdftoppm fehlt (Debian/Ubuntu: apt-get install poppler-utils)." >&2
    exit 1
fi
# The export date 8 December 2026 (after the demo's latest "abgerufen am"), and
# answers and screening recorded that morning.
SOURCE_DATE_EPOCH=1796688000
NOW="2026-12-08 09:00:00"
TZ=UTC
export SOURCE_DATE_EPOCH TZ
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH

mkdir -p "$OUT"
OUT=$(CDPATH='' cd -- "$OUT" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
DB=$TMP/sample.sqlite3

cd_() { faketime "$NOW" "$PYTHON" -m chinadialog_desktop --db "$DB" --lang de "$@"; }

DOSSIER=efa91fd3-c1f1-48fc-87ff-4749170aea8c      # Braunschweig–Zhuhai (demo)
PARTNERSHIP=5ff5af0a-7593-4243-9f4d-5426c8c19460  # Braunschweig–Zhuhai (demo)
SRC_METROPOLREGION=d791c955-7405-4fc6-90ba-003418f0cd95
SRC_VERFASSUNGSSCHUTZ=996271ab-faeb-49a0-aa8e-83ac0ddb1aec
SRC_AKTIVITAETEN=5b93fe00-bb25-4c31-8488-d983fdc21590
TEMPLATE=urn:chinadialog:checklist:leitplanken-kommunal
BY="M. Beispiel (Referat für Internationales)"

cd_ demo load >/dev/null
cd_ checklist install-bundled >/dev/null

# 1. The dossier as a Beschlussvorlage: a dataset JSON (docs/dataset-package.md,
#    "dossiers"); fields left out keep the demo's values.
cat >"$TMP/dossier.json" <<EOF
{"format": "chinadialog-dataset", "format_version": 1,
 "records": {"dossiers": [{
  "uuid": "$DOSSIER",
  "title": "Städtepartnerschaft Braunschweig–Zhuhai: Sachstand und Leitplanken",
  "document_kind": "decision",
  "file_number": "26-24517 (Beispiel)",
  "document_date": "2026-12-15",
  "city": "Stadt Braunschweig (Beispiel)",
  "department": "Dezernat I – Referat für Internationales (Beispiel)",
  "responsible": "Leitung Referat für Internationales (Beispiel)",
  "proposed_resolution": "1. Der Rat nimmt den Sachstand der Städtepartnerschaft mit Zhuhai und das Ergebnis der Leitplanken-Prüfung zur Kenntnis.\n2. Die Partnerschaft wird fortgeführt. Die Verwaltung wird beauftragt, ihre Ziele, den Nutzen für die Stadt und eine Überprüfungs- und Ausstiegsregel schriftlich festzuhalten und dem Rat bis zum 30. Juni 2027 zum Beschluss vorzulegen (Beispiel).\n3. Vor neuen Vorhaben mit der Partnerstadt prüft die Verwaltung sie mit der Leitplanken-Checkliste und bezieht Land und Auswärtiges Amt frühzeitig ein.\n4. Die Verwaltung berichtet dem Rat jährlich über Aktivitäten und Prüfergebnisse der Partnerschaft.",
  "financial_impact": "no",
  "financial_effects": "Keine unmittelbaren Auswirkungen auf den Haushalt; die Prüfungen erfolgen im Rahmen der vorhandenen Personalmittel (Beispiel).",
  "deliberations": [
   {"body": "Ausschuss für Internationales (Beispiel)", "meeting_on": "2027-01-13",
    "role": "preliminary", "status": "geplant", "publicity": "as_dossier"},
   {"body": "Rat der Stadt (Beispiel)", "meeting_on": "2027-01-26",
    "role": "decision", "status": "geplant", "publicity": "as_dossier"}
  ]}]}}
EOF
cd_ import "$TMP/dossier.json" --take-theirs >/dev/null

# 2. An invented reference list (FollowTheMoney JSON lines); importing it
#    screens every actor and contact against it. Braunschweig and Zhuhai are not
#    on it, so the screening section shows them as checked without a match.
cat >"$TMP/beispielliste.ftm.json" <<'EOF'
{"id": "beispiel-1", "schema": "Company", "caption": "Beispiel Technik GmbH", "properties": {"name": ["Beispiel Technik GmbH"], "country": ["de"], "topics": ["export.control"], "notes": ["Erfundener Eintrag (Beispiel)"]}, "datasets": ["beispielliste"], "target": true}
{"id": "beispiel-2", "schema": "Organization", "caption": "Beispielinstitut für Fernerkundung", "properties": {"name": ["Beispielinstitut für Fernerkundung"], "country": ["cn"], "topics": ["export.control"], "notes": ["Erfundener Eintrag (Beispiel)"]}, "datasets": ["beispielliste"], "target": true}
EOF
cd_ reflist import "$TMP/beispielliste.ftm.json" --key beispielliste \
    --name "Exportkontroll-Liste (Beispiel)" --source "ChinaDialog Desktop (Beispiel)" \
    --date 2026-12-01 --category designation >/dev/null

# 3. A guardrail assessment of the partnership. Each answer is chosen for its
#    question's text in resources/checklists/leitplanken-kommunal.yaml ("Ja" is the
#    safe answer); items without an answer stay open.
ASSESSMENT=$(cd_ assessment start "$PARTNERSHIP" --template "$TEMPLATE" \
    --title "Leitplanken-Prüfung Braunschweig–Zhuhai 2026 (Beispiel)" --json |
    "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["id"])')
answer() { cd_ assessment answer "$ASSESSMENT" "$@" --by "$BY" >/dev/null; }

# Ziele schriftlich festgehalten und vom Rat beschlossen?
answer purpose-01 partly --evidence "Ziele nur allgemein im Gründungsbeschluss beschrieben (Beispiel)."
# Passt zu den beschlossenen Strategien der Kommune?
answer purpose-02 yes --evidence "Die Partnerschaft ist im Internationalisierungskonzept der Stadt genannt (Beispiel)."
# Nutzen für die eigene Kommune benannt, Gegenseitigkeit?
answer purpose-03 partly --evidence "Austausch in beide Richtungen; der Nutzen für die Stadt ist nicht schriftlich benannt (Beispiel)."
# Überprüfungs- und Ausstiegsklausel in der Vereinbarung?
answer purpose-04 no --evidence "Die Partnerschaftsurkunde enthält keine Überprüfungs- oder Ausstiegsklausel (Beispiel)." \
    --responsible "Referat für Internationales (Beispiel)" --due 2027-06-30
# Zeitlich und inhaltlich bewertbar (Meilensteine, Bericht an den Rat)?
answer purpose-05 no --evidence "Keine Meilensteine vereinbart (Beispiel)."
# Ist bekannt, wer auf chinesischer Seite Ansprechpartner ist und entscheidet?
answer partner-01 partly --source "$SRC_AKTIVITAETEN" --evidence \
    "Ansprechstelle ist das Büro für auswärtige Angelegenheiten (Beispiel); die Delegation 2024 leitete der Parteisekretär von Zhuhai. Wer dort entscheidet, ist nicht dokumentiert (Beispiel)."
# Beteiligung von Organisationen der Einheitsfront-Arbeit (CPAFFC) geklärt?
answer partner-02 unknown --evidence "Noch nicht geprüft (Beispiel)." \
    --responsible "Referat für Internationales (Beispiel)" --due 2027-01-31
# Gegen Sanktions- und Exportkontrolllisten abgeglichen? (own scale)
answer partner-03 clear --evidence "Braunschweig und Zhuhai mit der Exportkontroll-Liste (Beispiel) abgeglichen, kein Treffer."
# Geprüft, ob die Vorhaben Militär, Sicherheitsbehörden, Rüstungsindustrie berühren?
answer partner-05 yes --evidence "Partner ist die Stadtverwaltung; an den Vorhaben sind keine Militär- oder Sicherheitsbehörden beteiligt (Beispiel)."
# Vereinbarung frei von politischen Formeln (Ein-China-Prinzip, Hongkong, Xinjiang, Tibet)?
answer values-01 yes --evidence "Die Partnerschaftsurkunde enthält keine solche Formel (Beispiel)."
# Beugt die Kommune vor, dass Besuche für politische Botschaften genutzt werden?
answer values-04 partly --source "$SRC_AKTIVITAETEN" --evidence \
    "Den Besuch 2024 leitete der Parteisekretär; wie die Partnerseite darüber berichtet hat, ist nicht ausgewertet (Beispiel)."
# Dual Use ausgeschlossen oder Ausfuhrkontrolle geklärt?
answer security-01 yes --evidence "Keine Weitergabe von Gütern, Technik oder Wissen vorgesehen; Austausch in Schule und Kultur (Beispiel)."
# Reisende vor Dienstreisen zu Spionagerisiken und Geräteschutz unterrichtet?
answer security-02 partly --source "$SRC_VERFASSUNGSSCHUTZ" --evidence \
    "Das Infoblatt des Verfassungsschutzes wird ausgegeben; eine Unterrichtung vor der Reise findet nicht immer statt (Beispiel)."
# Investitionsprüfung nach AWG/AWV: no investment, so not applicable.
answer economy-01 na --evidence "Keine Beteiligung und kein Erwerb durch die Partnerseite geplant (Beispiel)."
# Schüleraustausch mit klaren Regeln zu Betreuung, Programm und Datenschutz?
answer education_culture-02 partly --evidence "Betreuung ist geregelt; Regeln zum Datenschutz fehlen (Beispiel)."
# Land und Auswärtiges Amt einbezogen?
answer governance-01 partly --evidence "Das Land wurde informiert, das Auswärtige Amt nicht (Beispiel)."
# Rat regelmäßig und vollständig unterrichtet?
answer governance-02 partly --evidence "Der Rat wird nur anlassbezogen unterrichtet, nicht regelmäßig (Beispiel)."
# Verantwortung in der Verwaltung festgelegt?
answer governance-03 yes --evidence "Federführend ist das Referat für Internationales; es bewertet die Risiken mit dieser Prüfung (Beispiel)."
# Austausch mit anderen Kommunen und Netzwerken?
answer governance-05 yes --source "$SRC_METROPOLREGION" --evidence \
    "Die Verwaltung nahm am Strategiedialog der Metropolregion am 19. Februar 2026 teil (Beispiel)."

# The chance side (sections of kind "chance"): what the partnership yields, scored
# apart from the risks (docs/checklist-format.md, "Scoring: both sides").
# Begegnungen zwischen Menschen beider Städte?
answer chance_exchange-01 realised --evidence \
    "Gegenseitige Besuche von Verwaltung und Bürgerschaft; Begegnungen über einen Partnerschaftsverein (Beispiel)."
# Kontakte und Aufträge für die örtliche Wirtschaft?
answer chance_economy-01 potential --evidence \
    "Unternehmen der Region haben eigene Kontakte nach China; die Wirtschaftsförderung nutzt die Partnerschaft bisher nicht (Beispiel)."
# Zusammenarbeit bei Klimaschutz, Umwelt, nachhaltiger Stadtentwicklung?
answer chance_climate-01 potential --evidence \
    "Ein Fachaustausch zu Elektromobilität wurde angeregt, aber nicht vereinbart (Beispiel)."
# Frei gestalteter Kulturaustausch?
answer chance_culture-01 realised --evidence \
    "Jährliche Kulturveranstaltung mit der Partnerstadt; Programm und Mitwirkende wählt die Stadt (Beispiel)."
# Schüler-, Jugend-, Studierendenaustausch und Chinesisch-Lernen?
answer chance_education-01 planned --evidence \
    "Schüleraustausch für 2027 vereinbart; ein Chinesisch-Angebot an einem Gymnasium ist in Vorbereitung (Beispiel)."
# China-Kompetenz der Verwaltung durch die Partnerschaft?
answer chance_competence-01 potential --source "$SRC_METROPOLREGION" --evidence \
    "Teilnahme am Strategiedialog der Metropolregion; Hospitationen oder Sprachkurse sind nicht vereinbart (Beispiel)."

# 4. The briefing; it is not recorded as an export in the throw-away database.
cd_ briefing "$DOSSIER" -o "$OUT/sample-briefing.pdf" --no-record \
    --editor "M. Beispiel" >/dev/null

if [ "$PNG" = 1 ]; then
    rm -f "$OUT"/sample-briefing-*.png
    pdftoppm -png -r 60 "$OUT/sample-briefing.pdf" "$OUT/sample-briefing"
    # pdftoppm pads the page number when there are ten pages or more: 01 → 1.
    for f in "$OUT"/sample-briefing-0*.png; do
        [ -e "$f" ] || continue
        n=${f##*-}
        mv "$f" "$OUT/sample-briefing-$(echo "$n" | sed 's/^0*//')"
    done
fi
echo "$OUT/sample-briefing.pdf"
