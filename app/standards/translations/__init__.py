"""Translations as a layer over a standard: they sit beside the source text and never replace it."""
