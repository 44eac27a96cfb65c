"""ChinaDialog Desktop: partnership dossiers, guardrail checklists and briefings, offline."""

__version__ = "0.1.0"
APP_NAME = "ChinaDialog Desktop"
APP_ID = "chinadialog"
