"""Errors of the report builders (no ReportLab import, so callers can catch them cheaply)."""

from __future__ import annotations

from chinadialog_desktop.errors import UserError


class BuildCancelled(UserError):
    """The user cancelled an export; nothing was written."""
