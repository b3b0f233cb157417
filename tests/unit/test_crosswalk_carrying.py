"""The carrying rules of crosswalks as pure functions: levels, conditions, chains, cycles, contradictions."""

from __future__ import annotations

from app.crosswalks.carrying import MAX_DEPTH, Condition, Evidence, Link, Reason, Relation, Strength, carry

ECF = 7  # a scale id
MBO = 8


def link(id_: int, subject: int, relation: str, obj: int, crosswalk: int = 1, **condition: object) -> Link:
    return Link(id_, crosswalk, subject, obj, Relation(relation), Condition(**condition))  # type: ignore[arg-type]


def result(element: int, level: int | None = 2, scale: int = ECF, meets: bool | None = True, id_: str = "r1"):
    return Evidence(id_, element, "result", level, scale, meets)


def test_exact_link_carries_the_achieved_level_both_ways() -> None:
    links = [link(1, 10, "exact", 20)]
    forward = carry([result(10)], links, {20})[20]
    backward = carry([result(20)], links, {10})[10]
    for carried in (forward[0], backward[0]):
        assert carried.strength == Strength.LEVEL
        assert carried.evidence.level == 2
        assert carried.meets is True
        assert carried.reasons == ()


def test_close_carries_and_broader_narrower_related_only_support() -> None:
    links = [
        link(1, 10, "close", 20),
        link(2, 10, "broader", 21),
        link(3, 10, "narrower", 22),
        link(4, 10, "related", 23),
    ]
    out = carry([result(10)], links, {20, 21, 22, 23})
    assert out[20][0].strength == Strength.LEVEL
    for target in (21, 22, 23):
        assert out[target][0].strength == Strength.SUPPORTING
        assert out[target][0].reasons == (Reason.RELATION,)
        assert out[target][0].meets is None


def test_a_link_read_backwards_inverts_broader_and_narrower() -> None:
    out = carry([result(20)], [link(1, 10, "broader", 20)], {10})
    assert out[10][0].path[0].relation == Relation.NARROWER  # 20 is narrower than 10


def test_minimum_level_condition_is_respected() -> None:
    links = [link(1, 10, "exact", 20, min_level=2, scale_id=ECF)]
    high = carry([result(10, level=3)], links, {20})[20][0]
    low = carry([result(10, level=1, meets=False)], links, {20})[20][0]
    assert high.strength == Strength.LEVEL and high.meets is True
    assert low.strength == Strength.SUPPORTING
    assert low.reasons == (Reason.CONDITION_NOT_MET,)


def test_condition_on_another_scale_or_in_words_makes_the_link_supporting() -> None:
    other_scale = carry([result(10, scale=MBO)], [link(1, 10, "exact", 20, min_level=2, scale_id=ECF)], {20})[20][0]
    assert other_scale.reasons == (Reason.CONDITION_OTHER_SCALE,)
    words = carry([result(10)], [link(1, 10, "exact", 20, text="only the lines about complaints")], {20})[20][0]
    assert words.strength == Strength.SUPPORTING
    assert words.reasons == (Reason.CONDITION_TEXT,)


def test_claims_and_results_without_level_never_carry_a_level() -> None:
    links = [link(1, 10, "exact", 20)]
    claim = carry([Evidence("c1", 10, "claim")], links, {20})[20][0]
    no_level = carry([result(10, level=None, meets=None)], links, {20})[20][0]
    assert claim.strength == no_level.strength == Strength.SUPPORTING
    assert claim.reasons == (Reason.CLAIM,)
    assert no_level.reasons == (Reason.NO_LEVEL,)


def test_level_that_did_not_meet_the_source_target_carries_as_not_met() -> None:
    carried = carry([result(10, level=1, meets=False)], [link(1, 10, "exact", 20)], {20})[20][0]
    assert carried.strength == Strength.LEVEL
    assert carried.meets is False


def test_chains_are_followed_through_carrying_links_up_to_the_documented_depth() -> None:
    links = [link(1, 10, "exact", 20), link(2, 20, "exact", 30), link(3, 30, "exact", 40)]
    out = carry([result(10)], links, {30, 40})
    assert MAX_DEPTH == 2
    assert [s.to_id for s in out[30][0].path] == [20, 30]
    assert out[30][0].strength == Strength.LEVEL
    assert 40 not in out  # three links away
    assert 40 in carry([result(10)], links, {40}, max_depth=3)


def test_a_supporting_link_ends_a_chain() -> None:
    links = [link(1, 10, "related", 20), link(2, 20, "exact", 30)]
    out = carry([result(10)], links, {20, 30})
    assert out[20][0].strength == Strength.SUPPORTING
    assert 30 not in out


def test_cycles_do_not_loop_and_the_start_is_never_its_own_evidence() -> None:
    links = [link(1, 10, "exact", 20), link(2, 20, "exact", 30), link(3, 30, "exact", 10)]
    out = carry([result(10)], links, {10, 20, 30}, max_depth=10)
    assert 10 not in out
    assert len(out[20]) == 1 and len(out[30]) == 1
    assert len(out[20][0].path) == 1 and len(out[30][0].path) == 1  # the shortest way round


def test_the_same_link_in_two_crosswalks_counts_once() -> None:
    links = [link(1, 10, "exact", 20, crosswalk=1), link(2, 10, "exact", 20, crosswalk=2)]
    out = carry([result(10)], links, {20})
    assert len(out[20]) == 1
    assert [lk.id for lk in out[20][0].path[0].links] == [1, 2]
    assert not out[20][0].contested


def test_contradicting_links_are_supporting_contested_and_counted_once() -> None:
    links = [link(1, 10, "exact", 20, crosswalk=1), link(2, 20, "broader", 10, crosswalk=2)]
    out = carry([result(10)], links, {20})
    assert len(out[20]) == 1
    carried = out[20][0]
    assert carried.contested
    assert carried.strength == Strength.SUPPORTING
    assert carried.reasons == (Reason.CONTESTED,)


def test_two_paths_to_one_element_give_one_entry_the_level_carrying_one() -> None:
    links = [link(1, 10, "related", 30), link(2, 10, "exact", 20), link(3, 20, "exact", 30)]
    out = carry([result(10)], links, {30})
    assert len(out[30]) == 1
    assert out[30][0].strength == Strength.LEVEL
    assert len(out[30][0].path) == 2


def test_several_results_each_count_once_and_carried_evidence_is_never_final() -> None:
    links = [link(1, 10, "exact", 30), link(2, 11, "related", 30)]
    out = carry([result(10, id_="a"), result(11, id_="b")], links, {30})
    assert [c.evidence.id for c in out[30]] == ["a", "b"]  # level first
    assert all(c.final is False for c in out[30])


def test_no_links_no_evidence() -> None:
    assert carry([result(10)], [], {20}) == {}
    assert carry([], [link(1, 10, "exact", 20)], {20}) == {}


# Routes: the same rules asked once per requirement (employer matching), not once per result.


def test_routes_follow_exact_and_close_links_both_ways_and_never_supporting_ones() -> None:
    from app.crosswalks.carrying import routes

    links = [link(1, 10, "exact", 20), link(2, 30, "close", 20), link(3, 40, "broader", 20), link(4, 20, "related", 50)]
    out = routes(links, [20, 50])
    assert [(r.source_id, str(r.relation)) for r in out[20]] == [(10, "exact"), (30, "close")]
    assert 50 not in out


def test_routes_chain_to_max_depth_without_looping_and_keep_the_shortest_path() -> None:
    from app.crosswalks.carrying import routes

    links = [link(1, 10, "exact", 20), link(2, 20, "exact", 30), link(3, 30, "exact", 40), link(4, 40, "exact", 10)]
    out = {r.source_id: r for r in routes(links, [10])[10]}
    assert set(out) == {20, 40, 30}  # 30 at two links either way; a cycle does not loop
    assert len(out[20].path) == 1 and len(out[30].path) == MAX_DEPTH
    assert [s.links[0].id for s in out[40].path] == [4]
    assert out[30].path[0].from_id == 30 and out[30].path[-1].to_id == 10  # from the source to the target


def test_routes_carry_a_minimum_level_and_drop_words_contests_and_two_scales() -> None:
    from app.crosswalks.carrying import routes

    links = [
        link(1, 10, "close", 20, min_level=3, scale_id=MBO),
        link(2, 11, "exact", 20, text="only about complaints"),
        link(3, 12, "exact", 20),
        link(4, 12, "related", 20, crosswalk=2),  # another crosswalk disagrees
        link(5, 13, "exact", 14, min_level=2, scale_id=ECF),
        link(6, 14, "exact", 20, min_level=2, scale_id=MBO),
    ]
    out = {r.source_id: r for r in routes(links, [20])[20]}
    assert (out[10].min_level, out[10].scale_id) == (3, MBO)
    assert 11 not in out and 12 not in out and 13 not in out
    assert (out[14].min_level, out[14].scale_id) == (2, MBO)
