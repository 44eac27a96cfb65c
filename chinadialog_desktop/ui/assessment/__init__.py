"""The assessment window (Prüfung) and its menu."""
