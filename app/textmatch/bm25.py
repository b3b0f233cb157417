"""BM25 over weighted fields (a small BM25F): a title counts more than a knowledge line.

Scores are comparable within one ranking only; ``Match.relative`` puts them on 0..1 against the best match
of the same query, which is what a person reads ("strong", "weak")."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.textmatch.analysis import Analyser, language_of

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Document:
    """Something to find: ``fields`` maps a field name to its text, ``weights`` a field name to its weight
    (1.0 when not named)."""

    id: object
    language: str | None
    fields: Mapping[str, str | None]
    weights: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    """A term the query and a document share: its stem, how the document wrote it, what it added."""

    stem: str
    word: str
    query_word: str
    weight: float


@dataclass(frozen=True)
class Match:
    id: object
    score: float
    relative: float
    terms: tuple[Term, ...]

    @property
    def shared(self) -> list[str]:
        """The shared words as the document writes them, strongest first."""
        return [t.word for t in self.terms]


@dataclass
class _Indexed:
    id: object
    tf: dict[str, float]
    length: float
    surface: dict[str, str]


class Index:
    """Documents analysed once; ranked against any number of queries."""

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        self._docs: list[_Indexed] = []
        self._df: Counter[str] = Counter()
        for doc in documents:
            self.add(doc)

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, doc: Document) -> None:
        analyser = Analyser(language_of(doc.language))
        tf: dict[str, float] = {}
        length = 0.0
        for name, text in doc.fields.items():
            weight = doc.weights.get(name, 1.0)
            for term in analyser.terms(text):
                tf[term] = tf.get(term, 0.0) + weight
                length += weight
        self._docs.append(_Indexed(doc.id, tf, length, analyser.surface))
        self._df.update(tf.keys())

    def _idf(self, term: str) -> float:
        n, df = len(self._docs), self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def rank(
        self,
        query: str,
        language: str | None,
        *,
        limit: int = 10,
        min_terms: int = 1,
        exclude: Iterable[object] = (),
    ) -> list[Match]:
        """The best ``limit`` documents for ``query`` (in ``language``), each sharing at least ``min_terms``
        terms with it; documents whose id is in ``exclude`` are skipped."""
        analyser = Analyser(language_of(language))
        query_terms = list(dict.fromkeys(analyser.terms(query)))
        if not query_terms or not self._docs:
            return []
        skip = set(exclude)
        avg = sum(d.length for d in self._docs) / len(self._docs) or 1.0
        idf = {t: self._idf(t) for t in query_terms}
        scored = []
        for doc in self._docs:
            if doc.id in skip:
                continue
            terms = []
            for t in query_terms:
                tf = doc.tf.get(t)
                if not tf:
                    continue
                weight = idf[t] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc.length / avg))
                terms.append(Term(t, doc.surface.get(t, t), analyser.surface.get(t, t), round(weight, 4)))
            if len(terms) >= min_terms:
                terms.sort(key=lambda term: (-term.weight, term.stem))
                scored.append((sum(t.weight for t in terms), doc.id, tuple(terms)))
        scored.sort(key=lambda s: (-s[0], str(s[1])))
        best = scored[0][0] if scored else 1.0
        return [Match(i, round(score, 4), round(score / best, 3), terms) for score, i, terms in scored[:limit]]
