"""ChinaDialog Desktop: partnership dossiers, guardrail checklists and briefings, offline."""

import os

__version__ = "0.1.0"
APP_NAME = "ChinaDialog Desktop"
APP_ID = "chinadialog"

# openpyxl parses a workbook with defusedxml only when it does not find lxml, and lxml
# comes with python-docx (the Word export). Workbooks are untrusted input: keep openpyxl
# on defusedxml (no entity expansion, no external references) whatever else is installed.
os.environ["OPENPYXL_LXML"] = "False"

# The interpreter's own import function, kept before any library replaces it:
# PySide6 puts a hook there that reads the source of every module imported after it
# (ui/window/plain_import.py explains why the window loads its database layer without it).
import builtins as _builtins  # noqa: E402

BUILTIN_IMPORT = _builtins.__import__
