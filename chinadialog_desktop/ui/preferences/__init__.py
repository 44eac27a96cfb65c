"""Preferences: the settings registry over QSettings and its dialog."""
