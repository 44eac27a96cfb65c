"""SQLAlchemy models, engine, migrations, backups and the audit trail."""
