"""Records one at a time and as lists: edit, validate, list, link."""
