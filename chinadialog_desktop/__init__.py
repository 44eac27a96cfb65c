"""ChinaDialog Desktop: partnership dossiers, guardrail checklists and briefings, offline."""

import os

__version__ = "0.1.0"
APP_NAME = "ChinaDialog Desktop"
APP_ID = "chinadialog"

# openpyxl parses a workbook with defusedxml only when it does not find lxml, and lxml
# comes with python-docx (the Word export). Workbooks are untrusted input: keep openpyxl
# on defusedxml (no entity expansion, no external references) whatever else is installed.
os.environ["OPENPYXL_LXML"] = "False"
