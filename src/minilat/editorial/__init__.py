"""The editorial side of minilat: what people write, kept apart from the rebuildable store.

- :mod:`minilat.editorial.database`: the editorial database (the only SQL of this side):
  suggestions, editors, tokens, sessions, the audit trail, pending edits; migrations,
  backup and restore.
- :mod:`minilat.editorial.editors`: the rules for editors, passwords, tokens, sessions.
- :mod:`minilat.editorial.edits`: editors' changes to the dataset (versions, conflicts,
  the overlay the web serves).
- :mod:`minilat.editorial.sync`: writing accepted changes back into the YAML files.
"""

__all__: list[str] = []
