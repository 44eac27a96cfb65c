"""Old name of the dataset tests' helpers; they live in ``helpers.db`` and ``helpers.paths``."""

from helpers.db import db_state, failed_runs  # noqa: F401
from helpers.paths import DATASET_FIXTURES as FIXTURES  # noqa: F401
