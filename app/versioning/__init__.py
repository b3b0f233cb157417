"""Versions of a standard: the diff of two versions (diff.py, pure), the mapping a person reviews (models,
proposal.py, mapping.py) and moving a cohort with its results and claims to the new version (moving.py)."""
