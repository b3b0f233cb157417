"""Offline text similarity for suggestions: which elements of one standard read like an element of another
(crosswalks), which elements a vacancy text asks for (employer matching).

A pure API, no Flask and no database: ``Index`` takes documents (an id, a language, named text fields with
weights), ``Index.rank`` scores them against a query with BM25 over stemmed words (Snowball stemmers for
Dutch, English and Hungarian; stop words removed per language) and returns each match with the shared terms
that produced its score, so a person can see why something was suggested. Nothing is downloaded: the
stemmers are algorithms shipped in the ``snowballstemmer`` package.
"""

from app.textmatch.analysis import Analyser, analyse, guess_language, language_of
from app.textmatch.bm25 import Document, Index, Match, Term

__all__ = ["Analyser", "Document", "Index", "Match", "Term", "analyse", "guess_language", "language_of"]
