"""The portfolio's reads: the claims of a student in a cohort, asked in one place."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from app.extensions import db
from app.portfolio import queries, services
from app.portfolio.models import Claim
from tests.services.test_portfolio import me, new_item, p3  # noqa: F401  (p3 is a fixture)


def test_claims_of_a_student_in_a_cohort_are_theirs_there_only_in_three_queries(p3, count_queries) -> None:  # noqa: F811
    first, second = new_item(p3, "Marktonderzoek"), new_item(p3, "Webshop")
    a = services.add_claim(db.session, me(p3), first, p3["cohort"], "B1-K1-W1", 3, "")
    b = services.add_claim(db.session, me(p3), second, p3["cohort"], "B1-K1-W1", None, "")
    c = services.add_claim(db.session, me(p3), second, p3["cohort"], "P3-K1-W1", None, "")
    services.add_claim(db.session, me(p3), first, p3["ecf"], "B.3", 2, "")  # another programme
    theirs = services.create_item(db.session, me(p3, "other"), p3["other"], services.ItemData(title="Daan's"))
    services.add_claim(db.session, me(p3, "other"), theirs, p3["cohort"], "B1-K1-W1", None, "")  # another student
    student_id, cohort_id = p3["student"].id, p3["cohort"].id
    ids, elements = [a.id, b.id, c.id], [a.element_id, c.element_id]
    db.session.flush()
    db.session.expire_all()

    count_queries.reset()
    claims = queries.claims_of_student(db.session, student_id, cohort_id)
    assert [cl.id for cl in claims] == ids
    assert [cl.item.title for cl in claims] == ["Marktonderzoek", "Webshop", "Webshop"]
    assert claims[0].self_level.label == "goed"
    assert count_queries.count == 3  # claims, their items, their levels: not one per claim

    grouped = queries.claims_by_element(db.session, student_id, cohort_id, load=[selectinload(Claim.reviewed_by)])
    assert {key: [cl.id for cl in value] for key, value in grouped.items()} == {
        elements[0]: ids[:2],
        elements[1]: ids[2:],
    }
    assert queries.claims_of_student(db.session, p3["other"].id, p3["ecf"].id) == []
