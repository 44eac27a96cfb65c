"""Database files: new, open, recent, team server, backups (File menu)."""
