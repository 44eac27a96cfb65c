"""The import wizard, the export dialog and the Datasets menu."""
