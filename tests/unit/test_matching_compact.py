"""The compact match rule (ranking thousands at once) agrees with the detailed one (app.matching.match) on
every status, figure and filter, over many random cases."""

from __future__ import annotations

import random

from app.matching import compact
from app.matching.match import Evidence, Kind, Link, Need, match


def _case(rng: random.Random):
    elements = list(range(1, 9))
    passing = {e: rng.choice([None, 1, 2, 3]) for e in elements}
    needs = [
        Need(e, rng.choice(["essential", "optional"]), rng.choice([None, 1, 2, 3, 4]))
        for e in rng.sample(elements[:5], rng.randint(0, 5))
    ]
    links = {
        n.element_id: [
            Link(o, "x", "exact", rng.choice([None, 2, 3])) for o in rng.sample(elements[5:], rng.randint(0, 2))
        ]
        for n in needs
    }
    evidence: dict[int, list[Evidence]] = {}
    for e in elements:
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice(list(Kind))
            level = rng.choice([None, 1, 2, 3, 4]) if kind == Kind.CLAIM else rng.randint(1, 4)
            ok = level is not None and (passing[e] is None or level >= passing[e])
            evidence.setdefault(e, []).append(Evidence(e, kind, level, None, ok, "r"))
    return needs, links, passing, evidence


def test_the_compact_rule_agrees_with_the_detailed_rule() -> None:
    rng = random.Random(15)  # noqa: S311 - reproducible cases, not a secret
    for _ in range(3000):
        needs, links, passing, evidence = _case(rng)
        levels: dict[int, int] = {}
        for e, items in evidence.items():
            verified = [x.level for x in items if x.kind != Kind.CLAIM and x.level is not None]
            if verified:
                levels[e] = max(verified)
        claimed = {e for e, items in evidence.items() if any(x.kind == Kind.CLAIM for x in items)}
        detailed = match("k", "K", needs, evidence, links)
        scorer = compact.Scorer(compact.compile_rules(needs, links, passing))
        quick = scorer.score("k", "K", levels, claimed, False)
        assert [compact.STATUS[c] for c in quick.codes] == [line.status for line in detailed.lines]
        assert (quick.fit, quick.coverage) == (detailed.fit, detailed.coverage)
        assert quick.essentials_verified == detailed.essentials_verified
        assert quick.only_one_level_gaps == detailed.only_one_level_gaps


def test_the_table_ranks_and_filters_as_the_detailed_rule_does() -> None:
    from app.matching.match import keep, rank

    rng = random.Random(14)  # noqa: S311 - reproducible cases, not a secret
    for _ in range(200):
        needs, links, passing, _evidence = _case(rng)
        scorer = compact.Scorer(compact.compile_rules(needs, links, passing))
        table = compact.Table(scorer)
        detailed = []
        for n in range(12):
            _n, _l, _p, evidence = _case(rng)
            levels = {
                e: max(x.level for x in items if x.kind != Kind.CLAIM and x.level is not None)
                for e, items in evidence.items()
                if any(x.kind != Kind.CLAIM and x.level is not None for x in items)
            }
            claimed = {e for e, items in evidence.items() if any(x.kind == Kind.CLAIM for x in items)}
            evidence = {
                e: [
                    x._replace(passing=x.level is not None and (passing[e] is None or x.level >= passing[e])) for x in v
                ]
                for e, v in evidence.items()
            }
            table.add(f"u{n}", rng.choice(["Ann", "Bob", "ann"]), levels, claimed, False)
            detailed.append(match(f"u{n}", table.names[-1], needs, evidence, links))
        order = table.ranked()
        assert [table.keys[i] for i in order] == [m.candidate for m in rank(detailed)]
        for flags in ({"essentials_verified": True}, {"one_level_gaps": True}):
            assert [table.keys[i] for i in table.keep(order, **flags)] == [
                m.candidate for m in keep(rank(detailed), **flags)
            ]
        assert [s.candidate for s in (table.score(i) for i in order)] == [table.keys[i] for i in order]
