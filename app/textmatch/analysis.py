"""Words to terms: tokenise, drop stop words, stem with the language's Snowball stemmer, fold diacritics.

Folding happens after stemming (the stemmers expect the accents), so 'enquêtes' and 'enquete' meet, and a
term keeps the first word it was seen as, to show a person ("klachten") instead of a stem ("klacht")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from app.textmatch.stopwords import BY_LANGUAGE

STEMMERS = {"nl": "dutch", "en": "english", "hu": "hungarian"}
DEFAULT_LANGUAGE = "en"
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?", re.UNICODE)
MIN_LENGTH = 3


def language_of(tag: str | None) -> str:
    """The stemmer language of a BCP 47 tag ('nl-BE' → 'nl'); English for anything else."""
    base = (tag or "").split("-", 1)[0].lower()
    return base if base in STEMMERS else DEFAULT_LANGUAGE


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    """One word's stem, folded. Standards repeat their words a great deal and stemming is the slow part of
    every ranking, so stems are kept for the life of the process (bounded: about 30 MB at the limit)."""
    return _fold(_stemmer(language).stemWord(word))


@dataclass
class Analyser:
    """Turns text into terms for one language; remembers how each term was first written."""

    language: str
    surface: dict[str, str] = field(default_factory=dict)

    def terms(self, text: str | None) -> list[str]:
        if not text:
            return []
        stop = BY_LANGUAGE.get(self.language, frozenset())
        words = [w.casefold().replace("’", "'") for w in _WORD.findall(text)]
        kept = [w for w in words if len(w) >= MIN_LENGTH and w not in stop and _fold(w) not in stop]
        out = []
        for word in kept:
            term = _stem(self.language, word)
            if len(term) < MIN_LENGTH - 1:
                continue
            self.surface.setdefault(term, word)
            out.append(term)
        return out


def analyse(text: str | None, language: str | None = None) -> list[str]:
    """The terms of ``text`` (a shortcut for one-off use and tests)."""
    return Analyser(language_of(language)).terms(text)


def guess_language(text: str | None, languages: tuple[str, ...] = ("nl", "en")) -> str:
    """The language of ``languages`` whose stop words the text uses most (a vacancy is Dutch or English);
    the first one on a tie. Stop words are the most frequent words of a language, so a few lines suffice."""
    words = [w.casefold() for w in _WORD.findall(text or "")]
    hits = {lang: sum(1 for w in words if w in BY_LANGUAGE.get(lang, frozenset())) for lang in languages}
    return max(languages, key=lambda lang: (hits[lang], -languages.index(lang)))
