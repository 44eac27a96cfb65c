"""Folders the tests read from."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
DATASET_FIXTURES = FIXTURES / "datasets"
FTM_FIXTURES = FIXTURES / "ftm"
SCREENING_FIXTURES = FIXTURES / "screening"
