"""The schema revisions this version knows, checked without importing Alembic."""

from __future__ import annotations

# Oldest first. A test asserts that the last entry is Alembic's head and that
# the list matches db/versions, so this cannot drift from the migrations.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_council_header",
    "0003_reference_lists",
    "0004_audit_chain",
    "0005_briefing_facts",
    "0006_vorlage_header",
    "0007_checklist_chances",
    "0008_financial_effects",
    "0009_screening_index",
    "0010_import_fingerprints",
    "0011_registers",
    "0012_partnership_file_reference",
    "0013_assessment_classification",
    "0014_travel_copy",
    "0015_copy_stamp",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
