"""The levels of an assessment's chance side (scored in ``domain.scoring``).

In a module of its own so that the window's lists can name them without
loading the scoring and checklist code.
"""

from __future__ import annotations

from enum import StrEnum


class ChanceLevel(StrEnum):
    HIGH = "high"  # hoch
    MEDIUM = "medium"  # mittel
    LOW = "low"  # gering
    NONE = "none"  # nothing answered yet that could be judged
