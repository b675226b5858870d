"""Balise's measuring engine: pure Python + numpy, no Django (enforced by import-linter)."""
