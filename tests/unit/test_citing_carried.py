"""Citing carried evidence: when settling starts, the assessors' citations are merged, each item once."""

from app.assessment.citing import merged


def test_citations_of_several_assessors_merge_each_item_once_in_order() -> None:
    a = [{"key": "judgement:1", "label": "a"}, {"key": "claim:2", "label": "b"}]
    b = [{"key": "claim:2", "label": "b later"}, {"key": "judgement:3", "label": "c"}]
    assert [c["key"] for c in merged([a, b])] == ["judgement:1", "claim:2", "judgement:3"]
    assert merged([a, b])[1]["label"] == "b"  # the first assessor's snapshot stands
    assert merged([]) == []
