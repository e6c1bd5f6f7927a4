"""minilat: the open observatory of tech minilateralism."""

__version__ = "0.1.0"
