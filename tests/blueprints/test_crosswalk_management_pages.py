"""An editor renames a crosswalk, unpublishes it and deletes the draft; a published one is not deleted."""

from __future__ import annotations

from sqlalchemy import select

from app.audit import Actor
from app.crosswalks import crosswalks, links
from app.crosswalks.models import Crosswalk, CrosswalkStatus
from app.extensions import db
from tests.blueprints.test_crosswalks import _editor
from tests.conftest import csrf_token


def test_editor_renames_unpublishes_and_deletes(app, client) -> None:
    _editor(app, client)
    with app.app_context():
        actor = Actor.system("tests")
        cw = crosswalks.create_crosswalk(
            db.session, actor, crosswalks.NewCrosswalk("Old name", "mbo-commercie", "competent-E110101", None)
        )
        links.add_link(db.session, actor, cw, links.LinkInput("P3-K1-W1", "basis-1", "exact", note="n"))
        crosswalks.publish_crosswalk(db.session, actor, cw)
        db.session.commit()
        crosswalk_id = cw.id
    show = f"/crosswalks/{crosswalk_id}"
    edit = f"{show}/edit"
    response = client.post(
        edit, data={"name": "", "description": "", "csrf_token": csrf_token(client, edit)}
    )  # refused on the form, nothing written
    assert response.status_code == 200 and "Old name" in client.get(show).get_data(as_text=True)
    response = client.post(
        edit, data={"name": "New name", "description": "Reviewed twice", "csrf_token": csrf_token(client, edit)}
    )
    assert response.status_code == 302
    page = client.get(show).get_data(as_text=True)
    assert "New name" in page and "Reviewed twice" in page and "Delete this draft" not in page
    client.post(f"{show}/delete", data={"csrf_token": csrf_token(client, show)})
    with app.app_context():
        assert db.session.get(Crosswalk, crosswalk_id) is not None  # published: refused
    client.post(f"{show}/unpublish", data={"csrf_token": csrf_token(client, show)})
    with app.app_context():
        assert db.session.scalar(select(Crosswalk.status).where(Crosswalk.id == crosswalk_id)) == CrosswalkStatus.DRAFT
    assert app.test_client().get(show).status_code == 404  # a platform draft: not for anonymous readers
    assert "Delete this draft" in client.get(show).get_data(as_text=True)
    response = client.post(f"{show}/delete", data={"csrf_token": csrf_token(client, show)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/crosswalks/")
    with app.app_context():
        assert db.session.get(Crosswalk, crosswalk_id) is None
