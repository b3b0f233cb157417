"""Importing a crosswalk from SSSOM: upload → preview with every problem and its line → confirm by digest;
nothing is written before the confirmation."""

from __future__ import annotations

import io
import re

from flask import current_app
from sqlalchemy import func, select

from app.audit import Actor
from app.crosswalks.exchange import mapping_set
from app.crosswalks.imports import preview_import
from app.crosswalks.models import Crosswalk, CrosswalkStatus
from app.crosswalks.seeds import load_seeds, seed_paths
from app.crosswalks.sssom import export_sssom
from app.extensions import db
from tests.blueprints.test_crosswalks import _editor
from tests.conftest import csrf_token

HEADER = "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
BAD = (
    "# mapping_set_id: https://x.example/m\n"
    "# mapping_set_title: Bad one\n"
    + HEADER
    + "mbo-commercie:P3-K1-W1\tskos:exactMatch\tcompetent-E110101:basis-1\tsemapv:ManualMappingCuration\t0.9\n"
    + "mbo-commercie:P3-K1-W2\tskos:sameAs\tcompetent-E110101:basis-1\tsemapv:ManualMappingCuration\t0.9\n"
    + "\n"
    + "mbo-commercie:no-such\tskos:closeMatch\tcompetent-E110101:basis-1\tsemapv:ManualMappingCuration\t1.5\n"
    + "mbo-commercie:P3-K1-W1\tskos:relatedMatch\tcompetent-E110101:basis-1\tsemapv:ManualMappingCuration\t\n"
)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Crosswalk))


def _upload(client, body: str, name: str = ""):
    token = csrf_token(client, "/crosswalks/import")
    data = {"file": (io.BytesIO(body.encode()), "m.sssom.tsv"), "name": name, "owner": "", "csrf_token": token}
    return client.post("/crosswalks/import", data=data, content_type="multipart/form-data")


def test_preview_names_every_problem_with_its_line_and_writes_nothing(app) -> None:
    with app.app_context():
        preview = preview_import(db.session, BAD.encode(), "", None)
        assert preview.name == "Bad one" and not preview.can_apply
        assert [(p.where, p.message) for p in preview.problems] == [
            ("line 5", "Unknown predicate %(value)s."),
            ("line 7", "The confidence must be a number from 0 to 1."),
            ("line 8", "The same two elements are mapped on line %(line)s already."),
        ]
        assert preview.problems[2].params == {"line": 4}
        fixed = BAD.replace("skos:sameAs", "skos:closeMatch").replace("\t1.5", "\t0.5")
        assert [p.where for p in preview_import(db.session, fixed.encode(), "", None).problems] == [
            "line 7",  # no-such is not an element of mbo-commercie
            "line 8",
        ]
        assert db.session.scalar(select(func.count()).select_from(Crosswalk)) == 0


def test_upload_previews_then_confirm_imports_exactly_that_file(app, client) -> None:
    _editor(app, client)
    response = _upload(client, BAD)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "line 5" in page and "line 7" in page and "line 8" in page
    assert 'name="digest"' not in page and _count(app) == 0
    with app.app_context():
        loaded = load_seeds(db.session, Actor.system("tests"), seed_paths(current_app.config["CROSSWALK_SEED_DIR"]))
        seeded = next(c for c in loaded if c.code == "mbo-p3--competent-E110101")
        tsv = export_sssom(mapping_set(db.session, seeded, "https://bekwaam.example"))
        expected = len(seeded.links)
        db.session.commit()
    before = _count(app)
    response = _upload(client, tsv, "Reimported")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f"Import {expected} links as a draft" in page
    assert _count(app) == before  # a preview writes nothing
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    tampered = client.post(
        "/crosswalks/import", data={"digest": "0" * 64, "name": "Reimported", "owner": "", "csrf_token": token}
    )
    assert tampered.status_code == 302 and _count(app) == before
    response = client.post(
        "/crosswalks/import", data={"digest": digest, "name": "Reimported", "owner": "", "csrf_token": token}
    )
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalars(select(Crosswalk).where(Crosswalk.name == "Reimported")).one()
        assert new.status == CrosswalkStatus.DRAFT and len(new.links) == expected and new.organisation_id is None
    again = client.post(
        "/crosswalks/import", data={"digest": digest, "name": "Reimported", "owner": "", "csrf_token": token}
    )
    assert again.status_code == 302 and _count(app) == before + 1  # confirmed once only
