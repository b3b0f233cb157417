"""RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) over PyLD's dataset.

PyLD only ships URDNA2015, which serialises literals with the older N-Quads escaping
(control characters other than tab, LF and CR are left raw). RDFC-1.0 escapes them, so a
credential whose text contained, say, a form feed would hash differently here than in
a conformant verifier. The algorithm is small; this module implements it as specified
(sections 4.4-4.8) and uses PyLD only for JSON-LD → RDF.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyld import jsonld

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# A term is (kind, value, datatype, language); kind is "iri", "bnode" or "literal".
Term = tuple[str, str, str | None, str | None]
Quad = tuple[Term, Term, Term, Term | None]

#: Bound on recursive hash_n_degree_quads calls, against "poison" datasets.
MAX_N_DEGREE_CALLS = 10_000

_LITERAL_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_LITERAL_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class CanonicalizationError(ValueError):
    pass


def _escape_literal(value: str) -> str:
    return _LITERAL_ESCAPE.sub(lambda m: _LITERAL_ECHAR.get(m.group(), f"\\u{ord(m.group()):04X}"), value)


def _escape_iri(value: str) -> str:
    return _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", value)


def _term(term: Term, labels: dict[str, str] | None = None) -> str:
    kind, value, datatype, language = term
    if kind == "iri":
        return f"<{_escape_iri(value)}>"
    if kind == "bnode":
        return labels.get(value, value) if labels is not None else value
    text = f'"{_escape_literal(value)}"'
    if datatype == RDF_LANGSTRING and language:
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^<{_escape_iri(datatype)}>"
    return text


def serialize_quad(quad: Quad, labels: dict[str, str] | None = None) -> str:
    """One canonical N-Quads line (with its newline); ``labels`` renames blank nodes."""
    s, p, o, g = quad
    parts = [_term(s, labels), _term(p, labels), _term(o, labels)]
    if g is not None:
        parts.append(_term(g, labels))
    return " ".join(parts) + " .\n"


def _pyld_term(node: dict[str, Any]) -> Term:
    if node["type"] == "IRI":
        return ("iri", node["value"], None, None)
    if node["type"] == "blank node":
        return ("bnode", node["value"], None, None)
    return ("literal", node["value"], node.get("datatype"), node.get("language"))


def dataset_quads(dataset: dict[str, list[dict[str, Any]]]) -> list[Quad]:
    """Convert the dataset returned by ``jsonld.to_rdf`` into quads."""
    quads: list[Quad] = []
    for graph_name, triples in dataset.items():
        graph: Term | None = None
        if graph_name != "@default":
            graph = ("bnode" if graph_name.startswith("_:") else "iri", graph_name, None, None)
        for triple in triples:
            quads.append(
                (_pyld_term(triple["subject"]), _pyld_term(triple["predicate"]), _pyld_term(triple["object"]), graph)
            )
    return quads


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Issuer:
    """Identifier issuer: hands out prefix0, prefix1, … in first-come order."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.issued: dict[str, str] = {}

    def issue(self, identifier: str) -> str:
        if identifier not in self.issued:
            self.issued[identifier] = f"{self.prefix}{len(self.issued)}"
        return self.issued[identifier]

    def copy(self) -> _Issuer:
        clone = _Issuer(self.prefix)
        clone.issued = dict(self.issued)
        return clone


@dataclass
class _State:
    quads: list[Quad]
    bnode_quads: dict[str, list[Quad]] = field(default_factory=dict)
    canonical: _Issuer = field(default_factory=lambda: _Issuer("_:c14n"))
    first_degree: dict[str, str] = field(default_factory=dict)
    n_degree_calls: int = 0


def _positions(quad: Quad) -> Iterable[tuple[str, Term]]:
    s, _, o, g = quad
    yield "s", s
    yield "o", o
    if g is not None:
        yield "g", g


def _hash_first_degree(state: _State, identifier: str) -> str:
    if identifier not in state.first_degree:
        lines = []
        for quad in state.bnode_quads[identifier]:
            labels = {
                term[1]: "_:a" if term[1] == identifier else "_:z" for _, term in _positions(quad) if term[0] == "bnode"
            }
            lines.append(serialize_quad(quad, labels))
        state.first_degree[identifier] = _sha256("".join(sorted(lines)))
    return state.first_degree[identifier]


def _hash_related(state: _State, related: str, quad: Quad, issuer: _Issuer, position: str) -> str:
    if related in state.canonical.issued:
        identifier = state.canonical.issued[related]
    elif related in issuer.issued:
        identifier = issuer.issued[related]
    else:
        identifier = _hash_first_degree(state, related)
    text = position
    if position != "g":
        text += _term(quad[1])
    return _sha256(text + identifier)


# RDFC-1.0 §4.8 (Hash N-Degree Quads) and §4.4 (the canonicalization algorithm) kept step by step as the
# specification numbers them, so each line can be checked against it.
def _hash_n_degree(state: _State, identifier: str, issuer: _Issuer) -> tuple[str, _Issuer]:  # noqa: C901
    state.n_degree_calls += 1
    if state.n_degree_calls > MAX_N_DEGREE_CALLS:
        raise CanonicalizationError("dataset too complex to canonicalize")
    related_by_hash: dict[str, list[str]] = {}
    for quad in state.bnode_quads[identifier]:
        for position, term in _positions(quad):
            if term[0] == "bnode" and term[1] != identifier:
                related_hash = _hash_related(state, term[1], quad, issuer, position)
                related_by_hash.setdefault(related_hash, []).append(term[1])

    data = ""
    for related_hash in sorted(related_by_hash):
        data += related_hash
        chosen_path = ""
        chosen_issuer: _Issuer | None = None
        for permutation in itertools.permutations(related_by_hash[related_hash]):
            issuer_copy = issuer.copy()
            path = ""
            recursion: list[str] = []
            skip = False
            for related in permutation:
                if related in state.canonical.issued:
                    path += state.canonical.issued[related]
                else:
                    if related not in issuer_copy.issued:
                        recursion.append(related)
                    path += issuer_copy.issue(related)
                if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                    skip = True
                    break
            if not skip:
                for related in recursion:
                    result_hash, result_issuer = _hash_n_degree(state, related, issuer_copy)
                    path += issuer_copy.issue(related) + f"<{result_hash}>"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
            if not skip and (not chosen_path or path < chosen_path):
                chosen_path, chosen_issuer = path, issuer_copy
        data += chosen_path
        assert chosen_issuer is not None
        issuer = chosen_issuer
    return _sha256(data), issuer


def canonicalize_quads(quads: list[Quad]) -> str:  # noqa: C901 - RDFC-1.0 §4.4, step by step (see above)
    """Canonical N-Quads (RDFC-1.0 with SHA-256) of a dataset."""
    state = _State(quads=quads)
    for quad in quads:
        for _, term in _positions(quad):
            if term[0] == "bnode":
                bucket = state.bnode_quads.setdefault(term[1], [])
                if not bucket or bucket[-1] is not quad:
                    bucket.append(quad)

    hash_to_bnodes: dict[str, list[str]] = {}
    for identifier in state.bnode_quads:
        hash_to_bnodes.setdefault(_hash_first_degree(state, identifier), []).append(identifier)

    for first_hash in sorted(hash_to_bnodes):
        identifiers = hash_to_bnodes[first_hash]
        if len(identifiers) == 1:
            state.canonical.issue(identifiers[0])
            del hash_to_bnodes[first_hash]

    for first_hash in sorted(hash_to_bnodes):
        results = []
        for identifier in hash_to_bnodes[first_hash]:
            if identifier in state.canonical.issued:
                continue
            temporary = _Issuer("_:b")
            temporary.issue(identifier)
            results.append(_hash_n_degree(state, identifier, temporary))
        for _, result_issuer in sorted(results, key=lambda item: item[0]):
            for existing in result_issuer.issued:
                state.canonical.issue(existing)

    lines = {serialize_quad(quad, state.canonical.issued) for quad in quads}
    return "".join(sorted(lines))


def jsonld_options(document_loader: Any) -> dict[str, Any]:
    """PyLD options for credentials: the given loader, and no invented base IRI.

    PyLD 3 resolves relative IRIs against a placeholder ``http://example.org/base/`` when
    no base is given; jsonld.js leaves them relative and drops them from the RDF. A null
    base makes PyLD behave the same, so both sides canonicalize identically.
    """
    return {"documentLoader": document_loader, "base": None, "produceGeneralizedRdf": False}


def canonicalize(document: dict[str, Any], document_loader: Any) -> str:
    """JSON-LD document → canonical N-Quads, loading contexts only through ``document_loader``."""
    dataset = jsonld.to_rdf(document, jsonld_options(document_loader))
    return canonicalize_quads(dataset_quads(dataset))
