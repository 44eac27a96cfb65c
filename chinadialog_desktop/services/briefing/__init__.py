"""The council briefing (Vorlage): content, checks, public version, export."""
