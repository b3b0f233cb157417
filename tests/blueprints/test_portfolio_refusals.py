"""A refused operation writes nothing, even when it had written part of its work before it was refused."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.domain import N_
from app.extensions import db
from app.portfolio import claims as portfolio_claims
from app.portfolio.errors import PortfolioError
from app.portfolio.models import Claim
from tests.blueprints.test_accounts import sign_in
from tests.blueprints.test_portfolio import post, world  # noqa: F401  (world is a fixture)


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Claim)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_a_claim_refused_after_its_row_was_flushed_is_not_stored(client, world, app, monkeypatch) -> None:  # noqa: F811
    real_add_claim = portfolio_claims.add_claim
    flushed: list[int] = []

    def add_then_refuse(session, actor, item, cohort, *args, **kwargs):
        claim = real_add_claim(session, actor, item, cohort, *args, **kwargs)  # step one: row and audit flushed
        flushed.append(claim.id)
        raise PortfolioError(N_("a later step refused: %(why)s"), why="test")  # step two refuses

    monkeypatch.setattr(portfolio_claims, "add_claim", add_then_refuse)
    sign_in(client, "student@test.example")
    before = _counts(app)
    item_url = f"/portfolio/items/{world['private_item']}"
    response = post(
        client,
        f"{item_url}/claims",
        {"target": f"{world['cohort']}:{world['claim_key']}", "level": "", "explanation": "Zie bijlage"},
        page=item_url,
    )
    assert response.status_code == 302
    assert flushed, "the first step ran and flushed its row"
    assert _counts(app) == before  # neither the claim nor its audit event was committed
    with app.app_context():
        assert db.session.get(Claim, flushed[0]) is None
    assert "a later step refused: test" in client.get(item_url).get_data(as_text=True)
