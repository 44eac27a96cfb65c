"""Import and export of records: read, map, dry run, commit, history."""
