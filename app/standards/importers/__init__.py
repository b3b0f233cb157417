"""Importers: a CASE package, a Moodle competency CSV or a Bekwaam YAML file as one seed structure.

The converters (case.py, moodle.py) are pure and return the structure a seed YAML file parses into plus an
import report; detect.py reads the bytes and picks the converter; service.py is the one module that touches
the database (preview, then load through the seed validator and loader, with an audit event).
"""
