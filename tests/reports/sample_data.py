"""Moved to ``helpers.briefing_sample``; this name stays for branches not yet moved over."""

from helpers.briefing_sample import *  # noqa: F403
from helpers.briefing_sample import INTERNAL_NOTE, prepare  # noqa: F401
