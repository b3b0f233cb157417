"""Crosswalks end to end on the real standards: seeds, carried evidence on a learner record (with a query
count that does not grow with the links), SSSOM and CASE exchange, suggestions."""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import OrgKind, Role
from app.assessment.demo import create_demo_levels
from app.audit import Actor
from app.crosswalks import crosswalks, links
from app.crosswalks.carrying import Reason, Strength
from app.crosswalks.evidence import carried_evidence
from app.crosswalks.exchange import case_associations, import_mapping_set, mapping_set
from app.crosswalks.models import Crosswalk, CrosswalkStatus
from app.crosswalks.seeds import load_seeds, seed_paths
from app.crosswalks.sssom import export_sssom, parse_sssom
from app.crosswalks.suggestions import suggest
from app.domain import DomainError
from app.extensions import db
from app.portfolio.programme import load_programme
from app.standards.models import Element, Framework
from tests.factories import PASSWORD

ACTOR = Actor.system("tests")


@pytest.fixture
def seeded() -> dict[str, Crosswalk]:
    loaded = load_seeds(db.session, ACTOR, seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
    db.session.flush()
    return {c.code: c for c in loaded if c.code}


@pytest.fixture
def sanne() -> dict:
    s = db.session
    fw = {f.code: f for f in s.scalars(select(Framework))}
    org = accounts.create_organisation(s, ACTOR, name="Horizon", kind=OrgKind.SCHOOL)
    people = {
        k: accounts.create_user(s, ACTOR, email=f"{k}@test.example", name=k.title(), password=PASSWORD)
        for k in ("sanne", "anouk", "ruben")
    }
    p3 = accounts.create_cohort(
        s, ACTOR, org, name="4A", year="2026", framework_id=fw["mbo-commercie"].id, profile_key="P3"
    )
    ecf_fw = fw["ecf-profile-online-community-manager"]
    ecf = accounts.create_cohort(s, ACTOR, org, name="OCM", year="2026", framework_id=ecf_fw.id, profile_key=None)
    for cohort in (p3, ecf):
        accounts.add_to_cohort(s, ACTOR, cohort, people["sanne"], Role.STUDENT)
        for assessor in ("anouk", "ruben"):
            accounts.add_to_cohort(s, ACTOR, cohort, people[assessor], Role.ASSESSOR)
    s.flush()
    levels = {"C.1": 2, "C.3": 2, "D.6": 3, "E.5": 2}
    create_demo_levels(people["sanne"], ecf, [people["anouk"], people["ruben"]], PASSWORD, levels)
    return {"student": people["sanne"], "p3": p3, "ecf": ecf}


def _element(code: str, key: str) -> Element:
    return db.session.scalar(select(Element).join(Framework).where(Framework.code == code, Element.key == key))


def test_seeds_are_published_editorial_and_reload_in_place(seeded) -> None:
    assert set(seeded) == {
        "competent-E110101--ecf-ocm",
        "mbo-p3--ecf-ocm",
        "mbo-p3--competent-E110101",
        "bk-0331-4--ecf-2.0",
    }
    for crosswalk in seeded.values():
        assert crosswalk.status == CrosswalkStatus.PUBLISHED and crosswalk.editorial
        assert crosswalk.organisation_id is None
        assert 3 <= len(crosswalk.links) <= 6
        assert all(len(link.note) > 80 for link in crosswalk.links)  # every link argued
    again = load_seeds(db.session, ACTOR, seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
    assert {c.id for c in again} == {c.id for c in seeded.values()}
    assert db.session.scalar(select(db.func.count()).select_from(Crosswalk)) == 4


def test_sannes_ecf_results_show_on_her_p3_progress_marked_and_never_final(seeded, sanne, count_queries) -> None:
    programme = load_programme(db.session, sanne["p3"])
    count_queries.reset()
    carried = carried_evidence(db.session, sanne["student"], programme)
    assert count_queries.count == 5  # links, results, required levels, claims, assessors
    w1 = carried[_element("mbo-commercie", "P3-K1-W1").id]
    assert len(w1) == 1
    assert w1[0].carries_level and w1[0].carried.meets is True  # close link, e-2 meets the condition
    assert w1[0].result.level_code == "e-2" and w1[0].result.assessors == ("Anouk", "Ruben")
    assert w1[0].links[0].crosswalk_name.startswith("mbo Commercie P3")
    assert w1[0].final is False and w1[0].carried.final is False
    w4 = carried[_element("mbo-commercie", "P3-K2-W4").id]
    # D.6 directly (related) and C.1 through Competent basis-1 (close, then related): both only supporting.
    assert {v.carried.strength for v in w4} == {Strength.SUPPORTING}
    assert {len(v.links) for v in w4} == {1, 2}
    assert all(Reason.RELATION in v.carried.reasons for v in w4)


def test_carried_evidence_query_count_does_not_grow_with_links(seeded, sanne, count_queries) -> None:
    programme = load_programme(db.session, sanne["p3"])
    count_queries.reset()
    carried_evidence(db.session, sanne["student"], programme)
    before = count_queries.count
    extra = crosswalks.create_crosswalk(
        db.session,
        ACTOR,
        crosswalks.NewCrosswalk("More", "mbo-commercie", "ecf-profile-online-community-manager", None),
    )
    for key in ("P3-K1-W2", "P3-K1-W4", "P3-K2-W1", "P3-K2-W2"):
        links.add_link(db.session, ACTOR, extra, links.LinkInput(key, "C.1", "related", note="test"))
    extra.status = CrosswalkStatus.PUBLISHED
    db.session.flush()
    count_queries.reset()
    carried = carried_evidence(db.session, sanne["student"], programme)
    assert count_queries.count == before
    assert _element("mbo-commercie", "P3-K2-W1").id in carried


def test_portfolio_claims_carry_as_supporting_only_after_results(seeded, sanne, count_queries) -> None:
    from app.portfolio import services as portfolio

    student, me = sanne["student"], Actor(user=sanne["student"])
    item = portfolio.create_item(db.session, me, student, portfolio.ItemData(title="Forum moderation log"))
    for key in ("C.3", "D.6"):
        portfolio.add_claim(db.session, me, item, sanne["ecf"], key, 3, "Moderated for a term")
    db.session.flush()
    programme = load_programme(db.session, sanne["p3"])
    count_queries.reset()
    carried = carried_evidence(db.session, student, programme)
    assert count_queries.count == 5  # the claims are one more query, whatever their number
    claims = [v for views in carried.values() for v in views if v.result.is_claim]
    assert {v.result.item_title for v in claims} == {"Forum moderation log"}
    assert len({v.key for v in claims}) == 2
    for v in claims:  # a claim never carries a level, even over an exact or close link, at e-3
        assert not v.carries_level and Reason.CLAIM in v.carried.reasons and v.final is False
        assert v.result.level_code == "e-3" and v.result.assessment_id is None
    w1 = carried[_element("mbo-commercie", "P3-K1-W1").id]
    assert [v.result.is_claim for v in w1] == sorted(v.result.is_claim for v in w1)  # results first
    assert w1[0].carries_level and any(v.result.is_claim for v in w1)


def test_drafts_carry_nothing(sanne) -> None:
    draft = crosswalks.create_crosswalk(
        db.session,
        ACTOR,
        crosswalks.NewCrosswalk("Draft", "mbo-commercie", "ecf-profile-online-community-manager", None),
    )
    links.add_link(db.session, ACTOR, draft, links.LinkInput("P3-K1-W1", "C.3", "exact", note="x"))
    assert carried_evidence(db.session, sanne["student"], load_programme(db.session, sanne["p3"])) == {}


def test_sssom_export_reimports_identically(seeded) -> None:
    base = "https://bekwaam.example"
    for original in seeded.values():
        text = export_sssom(mapping_set(db.session, original, base))
        assert text.startswith("# curie_map:")
        copy = import_mapping_set(db.session, ACTOR, parse_sssom(text), "Copy", None)
        again = export_sssom(mapping_set(db.session, copy, base))
        body = lambda t: [  # noqa: E731 - the rows, without the set's own id and the authors' addresses
            [c for i, c in enumerate(line.split("\t")) if i not in (7, 8)]
            for line in t.splitlines()
            if not line.startswith("#")
        ]
        assert body(again) == body(text)
        facts = lambda cw: sorted(  # noqa: E731
            (k.subject_id, k.object_id, k.relation, k.min_level_id, k.condition_text, k.confidence, k.note)
            for k in cw.links
        )
        assert facts(copy) == facts(original)


def test_sssom_predicates_follow_skos_direction(seeded) -> None:
    text = export_sssom(mapping_set(db.session, seeded["competent-E110101--ecf-ocm"], "https://x.example"))
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    header, rows = rows[0], rows[1:]
    by_subject = {r[0]: r[header.index("predicate_id")] for r in rows}
    assert by_subject["competent-E110101:basis-1"] == "skos:closeMatch"
    assert by_subject["competent-E110101:basis-6"] == "skos:broadMatch"  # Bekwaam "narrower": C.4 is broader
    assert all(r[header.index("mapping_justification")] == "semapv:ManualMappingCuration" for r in rows)


def test_bad_sssom_is_refused_and_writes_nothing() -> None:
    with pytest.raises(DomainError):
        parse_sssom(
            "# mapping_set_id: x\nsubject_id\tpredicate_id\tobject_id\tmapping_justification\n"
            "nope\tskos:exactMatch\ta:b\tx\n"
        )
    ms = parse_sssom(
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
        "mbo-commercie:P3-K1-W1\tskos:exactMatch\tcompetent-E110101:no-such\tsemapv:ManualMappingCuration\n"
    )
    count = db.session.scalar(select(db.func.count()).select_from(Crosswalk))
    with pytest.raises(DomainError), db.session.begin_nested():
        import_mapping_set(db.session, ACTOR, ms, "Bad", None)
    assert db.session.scalar(select(db.func.count()).select_from(Crosswalk)) == count


def test_case_associations_use_case_and_extension_types(seeded) -> None:
    data = case_associations(db.session, seeded["bk-0331-4--ecf-2.0"], "https://x.example")
    types = {a["associationType"] for a in data["CFAssociations"]}
    assert types == {"ext:isCloseMatchOf", "ext:isNarrowerThan", "isRelatedTo"}
    close = next(a for a in data["CFAssociations"] if a["associationType"] == "ext:isCloseMatchOf")
    assert close["extensions"]["bekwaam"]["condition"]["min_level"] == "bk-0331-4:beheersing:3"


def test_suggestions_show_shared_terms_and_skip_linked_and_rejected() -> None:
    crosswalk = crosswalks.create_crosswalk(
        db.session, ACTOR, crosswalks.NewCrosswalk("Suggest", "mbo-commercie", "competent-E110101", None)
    )
    found = suggest(db.session, crosswalk)
    assert found and all(len(s.shared) >= 2 for s in found)
    first = found[0]
    links.add_link(
        db.session, ACTOR, crosswalk, links.LinkInput(first.subject.key, first.object.key, "related", suggested=True)
    )
    second = next(s for s in found[1:])
    links.reject_suggestions(db.session, ACTOR, crosswalk, [(second.subject.key, second.object.key)])
    pairs = {(s.subject.key, s.object.key) for s in suggest(db.session, crosswalk)}
    assert (first.subject.key, first.object.key) not in pairs
    assert (second.subject.key, second.object.key) not in pairs
    assert crosswalk.links[0].suggested


def test_links_are_checked() -> None:
    crosswalk = crosswalks.create_crosswalk(
        db.session, ACTOR, crosswalks.NewCrosswalk("Checks", "mbo-commercie", "competent-E110101", None)
    )
    for bad in (
        links.LinkInput("basis-1", "basis-1", "exact"),  # subject not in the source standard
        links.LinkInput("P3-K1-W1", "basis-1", "same"),
        links.LinkInput("P3-K1-W1", "basis-1", "exact", confidence=2),
    ):
        with pytest.raises(DomainError):
            links.add_link(db.session, ACTOR, crosswalk, bad)
    links.add_link(db.session, ACTOR, crosswalk, links.LinkInput("P3-K1-W1", "basis-1", "exact"))
    with pytest.raises(DomainError):
        links.add_link(db.session, ACTOR, crosswalk, links.LinkInput("P3-K1-W1", "basis-1", "close"))
    with pytest.raises(DomainError):
        crosswalks.create_crosswalk(
            db.session, ACTOR, crosswalks.NewCrosswalk("Same", "mbo-commercie", "mbo-commercie", None)
        )


def test_a_private_standard_is_linked_only_by_its_own_organisation_and_never_published() -> None:
    from tests.factories import PRIVATE_STANDARD, build_private_standard

    s = db.session
    owner = accounts.create_organisation(s, ACTOR, name="Owner school", kind=OrgKind.SCHOOL)
    other = accounts.create_organisation(s, ACTOR, name="Other school", kind=OrgKind.SCHOOL)
    build_private_standard(owner)
    for org_id in (other.id, None):  # another organisation, and a platform-wide crosswalk
        with pytest.raises(DomainError) as refused:
            crosswalks.create_crosswalk(
                s, ACTOR, crosswalks.NewCrosswalk("Leak", PRIVATE_STANDARD, "mbo-commercie", org_id)
            )
        assert refused.value.field == "source"
    own = crosswalks.create_crosswalk(
        s, ACTOR, crosswalks.NewCrosswalk("Own", PRIVATE_STANDARD, "mbo-commercie", owner.id)
    )
    subject = s.scalars(select(Element.key).where(Element.framework_id == own.source_framework_id)).first()
    target = s.scalars(select(Element.key).where(Element.framework_id == own.target_framework_id)).first()
    links.add_link(s, ACTOR, own, links.LinkInput(subject, target, "related", note="test"))
    with pytest.raises(DomainError):
        crosswalks.publish_crosswalk(s, ACTOR, own)
    assert own.status == CrosswalkStatus.DRAFT
