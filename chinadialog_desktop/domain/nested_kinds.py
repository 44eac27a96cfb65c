"""The nested record kinds a package or JSON file carries (dossiers, checklist templates,
assessments): their keys and their names, for the datasets services and the command line."""

from __future__ import annotations

from chinadialog_desktop.i18n import N_

DOSSIERS, TEMPLATES, ASSESSMENTS = "dossiers", "checklist_templates", "assessments"
NESTED_KINDS = (DOSSIERS, TEMPLATES, ASSESSMENTS)
NESTED_LABELS = {
    DOSSIERS: N_("Dossiers"),
    TEMPLATES: N_("Checklist templates"),
    ASSESSMENTS: N_("Assessments"),
}
