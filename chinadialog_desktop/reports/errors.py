"""Errors of the report builders (no ReportLab import, so callers can catch them cheaply)."""

from __future__ import annotations

from chinadialog_desktop.jobs import Cancelled

# The user cancelled an export; nothing was written. The app's one cancellation
# exception (``chinadialog_desktop.jobs.Cancelled``), under the name builders know.
BuildCancelled = Cancelled

__all__ = ["BuildCancelled"]
