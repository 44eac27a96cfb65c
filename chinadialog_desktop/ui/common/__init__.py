"""Widgets and helpers every part of the window uses: icons, theme, jobs, fonts."""
