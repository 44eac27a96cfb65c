"""How many rotating backups are kept unless the user chose otherwise (``persistence.backup``
uses it; the preferences read it without loading the backup code before the first frame)."""

from __future__ import annotations

DEFAULT_KEEP = 10
