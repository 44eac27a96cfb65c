"""The briefing preview, export and comparison, and the Briefing menu."""
