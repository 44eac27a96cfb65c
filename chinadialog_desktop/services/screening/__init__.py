"""Screening against reference lists: lists, index, runs, decisions."""
