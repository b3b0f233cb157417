"""RDFC-1.0 canonicalization against PyLD's URDNA2015 and the RDFC-1.0 escaping rules."""

from __future__ import annotations

import random
import re

import pytest
from pyld import jsonld
from pyld.nquads import parse_nquads

from app.credentials.contexts import document_loader
from app.credentials.rdfc import (
    MAX_N_DEGREE_CALLS,
    CanonicalizationError,
    canonicalize,
    canonicalize_quads,
    dataset_quads,
    jsonld_options,
)
from tests.unit.test_credentials_badges import sample_credential

# Blank-node shapes that need the n-degree hashing (cycles, symmetric stars, shared neighbours).
GRAPHS = [
    # two identical 3-cycles
    """
    _:a <http://ex/p> _:b .
    _:b <http://ex/p> _:c .
    _:c <http://ex/p> _:a .
    _:d <http://ex/p> _:e .
    _:e <http://ex/p> _:f .
    _:f <http://ex/p> _:d .
    """,
    # a 6-cycle (isomorphic to nothing above, same first-degree hashes everywhere)
    """
    _:a <http://ex/p> _:b .
    _:b <http://ex/p> _:c .
    _:c <http://ex/p> _:d .
    _:d <http://ex/p> _:e .
    _:e <http://ex/p> _:f .
    _:f <http://ex/p> _:a .
    """,
    # a star of identical leaves, a named graph and a literal-carrying node
    """
    _:hub <http://ex/has> _:x .
    _:hub <http://ex/has> _:y .
    _:hub <http://ex/has> _:z .
    _:x <http://ex/v> "1" .
    _:y <http://ex/v> "1" .
    _:z <http://ex/v> "2"@nl _:g .
    _:g <http://ex/label> "graph" .
    <http://ex/s> <http://ex/o> _:hub _:g .
    """,
]


def relabel(nquads: str, seed: int) -> str:
    """Same dataset, shuffled lines and renamed blank nodes."""
    rng = random.Random(seed)  # noqa: S311 - reproducible shuffles, not cryptography
    labels = sorted(set(re.findall(r"_:\w+", nquads)))
    renamed = dict(zip(labels, rng.sample([f"_:n{i}" for i in range(len(labels))], len(labels)), strict=True))
    lines = [line.strip() for line in nquads.strip().splitlines()]
    rng.shuffle(lines)
    return "\n".join(re.sub(r"_:\w+", lambda m: renamed[m.group()], line) for line in lines) + "\n"


def ours(nquads: str) -> str:
    return canonicalize_quads(dataset_quads(parse_nquads(nquads)))


def pyld_urdna2015(nquads: str) -> str:
    return jsonld.normalize(
        nquads, {"algorithm": "URDNA2015", "inputFormat": "application/n-quads", "format": "application/n-quads"}
    )


@pytest.mark.parametrize("graph", GRAPHS)
def test_matches_urdna2015_on_blank_node_graphs(graph: str) -> None:
    assert ours(graph) == pyld_urdna2015(graph)


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_labels_do_not_depend_on_input_order_or_names(graph: str, seed: int) -> None:
    assert ours(relabel(graph, seed)) == ours(graph)


def test_matches_urdna2015_on_a_credential() -> None:
    credential = sample_credential()
    expected = jsonld.normalize(
        credential, {**jsonld_options(document_loader), "algorithm": "URDNA2015", "format": "application/n-quads"}
    )
    assert canonicalize(credential, document_loader) == expected


def test_control_characters_are_escaped_as_rdfc_1_0_requires() -> None:
    text = 'tab\t bell\x07 ff\f bs\b del\x7f quote" slash\\'
    quad = (("iri", "http://ex/s", None, None), ("iri", "http://ex/p", None, None), ("literal", text, None, None), None)
    assert canonicalize_quads([quad]) == (
        '<http://ex/s> <http://ex/p> "tab\\t bell\\u0007 ff\\f bs\\b del\\u007F quote\\" slash\\\\" .\n'
    )


def test_non_ascii_text_is_kept_as_utf8() -> None:
    assert ours('<http://ex/s> <http://ex/p> "Ĳsselmeer – café" .\n') == (
        '<http://ex/s> <http://ex/p> "Ĳsselmeer – café" .\n'
    )


def test_a_poison_graph_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.credentials.rdfc.MAX_N_DEGREE_CALLS", 2)
    with pytest.raises(CanonicalizationError):
        ours(GRAPHS[1])
    assert MAX_N_DEGREE_CALLS > 1000
