"""Shared foundations of Tinget: settings, database base class and the intent catalogue."""
