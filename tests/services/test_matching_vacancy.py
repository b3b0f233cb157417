"""Requirements from a vacancy text: a Dutch and an English vacancy propose the elements they speak of, with
the words that matched, over the current versions of the standards the employer sees; accepting adds them as
essential requirements at their own level, all or nothing; bad input is refused, never a crash."""

from __future__ import annotations

import pytest

from app.audit import Actor
from app.extensions import db
from app.matching import job_profiles as verbs
from app.matching import vacancy
from app.matching.errors import MatchingError
from tests.matching_world import build_match_world

DUTCH = """Webwinkel Noord zoekt een medewerker klantenservice / servicedesk (32 uur).
Je biedt eerstelijnsondersteuning aan onze klanten: je luistert actief naar hun vragen en problemen, analyseert
de vraag, maakt een ticket aan in ons helpdesksysteem en wijst het zo nodig toe aan de tweede lijn. Klachten
behandel je oplossingsgericht volgens de Service Level Agreement. Je werkt graag in teamverband."""

ENGLISH = """Online community manager (m/f/x) for our webshop.
You build and moderate our online community, write content for social media, answer the questions and
complaints of users in discussions on the forum, and measure engagement. You report to marketing."""


@pytest.fixture
def w():
    world = build_match_world()
    hr = Actor(user=world.people["hr"])
    world.profile = verbs.create_job_profile(db.session, hr, world.employer, verbs.ProfileData("Vacancy"))
    db.session.flush()
    return world


def test_a_dutch_vacancy_proposes_the_first_line_support_competence_with_the_words_that_matched(w) -> None:
    found = vacancy.propose(db.session, w.profile, DUTCH)
    assert found.language == "nl"
    top = [(p.element.framework_code, p.element.key) for p in found.items[:3]]
    assert ("bk-0331-4", "competentie-7") in top, top
    first_line = next(p for p in found.items if p.element.key == "competentie-7")
    assert {"eerstelijnsondersteuning", "luistert"} & set(first_line.shared)
    assert first_line.element.level_name == "beheerst"


def test_an_english_vacancy_proposes_user_support_of_the_hungarian_profile_through_its_translation(w) -> None:
    found = vacancy.propose(db.session, w.profile, ENGLISH)
    assert found.language == "en"
    first = found.items[0]
    assert (first.element.framework_code, first.element.key) == ("ecf-profile-online-community-manager", "C.1")
    assert {"questions", "community"} <= set(first.shared)
    assert first.element.title == "Felhasználó támogatás"  # the standard's own text, as written
    assert all(len(p.terms) >= vacancy.MIN_SHARED for p in found.items)
    assert len({p.ref for p in found.items}) == len(found.items)  # an element and its translation: once


def test_accepting_adds_essential_requirements_at_their_own_level_and_skips_them_next_time(w) -> None:
    found = vacancy.propose(db.session, w.profile, DUTCH)
    chosen = [p.ref for p in found.items[:2]]
    assert vacancy.accept(db.session, Actor(user=w.people["hr"]), w.profile, chosen) == 2
    added = {(r.element.framework.code, r.element.key): r for r in w.profile.requirements}
    assert len(added) == 2 and all(r.weight == "essential" for r in added.values())
    for p in found.items[:2]:
        r = added[(p.element.framework_code, p.element.key)]
        assert (r.level.value if r.level else None) == p.element.level_value
    again = vacancy.propose(db.session, w.profile, DUTCH)
    assert not {p.ref for p in again.items} & set(chosen)


def test_refusals_write_nothing(w) -> None:
    hr = Actor(user=w.people["hr"])
    with pytest.raises(MatchingError):
        vacancy.propose(db.session, w.profile, "x" * (vacancy.MAX_CHARS + 1))
    with pytest.raises(MatchingError):
        vacancy.propose(db.session, w.profile, "12 34 !! de het een")
    with pytest.raises(MatchingError):
        vacancy.accept(db.session, hr, w.profile, [])
    good = vacancy.propose(db.session, w.profile, DUTCH).items[0].ref
    with pytest.raises(MatchingError):
        vacancy.accept(db.session, hr, w.profile, [good, "bk-0331-4|no-such-key"])
    assert w.profile.requirements == []


def test_a_standard_private_to_another_organisation_is_never_proposed(w) -> None:
    from sqlalchemy import select

    from app.standards.models import Framework

    fw = db.session.scalar(select(Framework).where(Framework.code == "bk-0331-4"))
    fw.organisation_id = w.other_employer.id
    db.session.flush()
    found = vacancy.propose(db.session, w.profile, DUTCH)
    assert all(p.element.framework_code != "bk-0331-4" for p in found.items)
    with pytest.raises(MatchingError):
        vacancy.accept(db.session, Actor(user=w.people["hr"]), w.profile, ["bk-0331-4|competentie-7"])
