"""The portfolio export job: queued after the request's commit, progress visible while it runs, a failure
recorded even though the rendering's own work is rolled back."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.portfolio import claims, exports, pdf
from app.portfolio.models import ExportStatus, Notification, PortfolioExport
from app.uow import unit_of_work
from tests.services.test_portfolio import me, new_item, p3  # noqa: F401  (p3 is a fixture)


def _request(world) -> int:
    with unit_of_work():  # as a request does: the job starts once this has committed (eager in tests)
        item = new_item(world)
        claims.add_claim(db.session, me(world), item, world["cohort"], "B1-K1-W1", None, "")
        exports.request_export(db.session, me(world), world["student"], world["cohort"])
    return db.session.scalar(select(PortfolioExport.id).order_by(PortfolioExport.id.desc()))


def test_a_failed_export_keeps_its_progress_and_records_why(p3, monkeypatch) -> None:  # noqa: F811
    def fail_half_way(doc, storage, now_label, progress):
        progress(1, 3)
        raise RuntimeError("renderer gave up")

    monkeypatch.setattr(pdf, "write_pdf", fail_half_way)
    export = db.session.get(PortfolioExport, _request(p3))
    db.session.refresh(export)
    assert export.status == ExportStatus.FAILED
    assert (export.progress, export.total) == (1, 3)  # committed while the job ran
    assert export.error == "RuntimeError: renderer gave up"
    assert export.file_key is None and export.finished_at is not None
    assert db.session.scalar(select(Notification).where(Notification.kind == "export_ready")) is None


def test_an_export_runs_after_the_commit_and_is_not_run_twice(p3) -> None:  # noqa: F811
    export = db.session.get(PortfolioExport, _request(p3))
    assert export.status == ExportStatus.DONE and export.file_key
    assert db.session.scalar(select(Notification).where(Notification.kind == "export_ready")) is not None
    key = export.file_key
    exports.run_export(export.id)
    db.session.refresh(export)
    assert (export.status, export.file_key) == (ExportStatus.DONE, key)
