"""Analyses over stored events: trend breaks in weekly counts."""
