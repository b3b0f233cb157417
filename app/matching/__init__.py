"""Employers' job profiles, learners' consents, and matching people on verified evidence (issue 15)."""
