"""Checklist templates, assessments (Prüfungen) and their answers."""
