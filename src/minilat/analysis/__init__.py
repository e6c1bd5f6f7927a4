"""Analyses: pure functions of a dataset and a date.

They never print, never read files and know nothing of the CLI or the web; each returns
plain data (dicts, lists, dataclasses) that a face renders.
"""
