"""The read-only CASE 1.1 provider under /ims/case/v1p1/, the export downloads and ``flask standards export``."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.standards.exporters.case import item_type_uuid
from app.standards.models import Element, Framework, RatingScale
from tests.conftest import shared_path

BASE = "/ims/case/v1p1"


@pytest.fixture
def mbo(app) -> dict[str, str]:
    """Identifiers of mbo-commercie: the document, an element with a parent, a rating scale."""
    with app.app_context():
        fw = db.session.scalars(select(Framework).where(Framework.code == "mbo-commercie")).one()
        el = db.session.scalars(
            select(Element).where(Element.framework_id == fw.id, Element.parent_id.is_not(None)).limit(1)
        ).one()
        scale = db.session.scalars(select(RatingScale).where(RatingScale.framework_id == fw.id)).first()
        ids = {"doc": fw.uuid, "item": el.uuid, "type": el.type, "scale": scale.uuid if scale else ""}
        db.session.remove()
    return ids


def _status_info(response, status: int, minor: str) -> None:
    assert response.status_code == status
    body = response.get_json()
    assert (body["imsx_codeMajor"], body["imsx_severity"]) == ("failure", "error")
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor


def test_documents_lists_every_standard(client) -> None:
    docs = client.get(f"{BASE}/CFDocuments").get_json()["CFDocuments"]
    assert len(docs) >= 6
    assert all(d["caseVersion"] == "1.1" and d["uri"].startswith("http") for d in docs)


def test_package_of_the_mbo_dossier_validates_in_a_bounded_number_of_queries(client, mbo, count_queries) -> None:
    count_queries.reset()
    response = client.get(f"{BASE}/CFPackages/{mbo['doc']}")
    assert response.status_code == 200
    assert count_queries.count <= 10  # framework with scales and levels, then the tree: never one per element
    package = response.get_json()
    schema = json.loads(
        shared_path("interop", "schemas", "case_v1p1_cfpackage_jsonschema_1edtech.json").read_text("utf-8")
    )
    cls = jsonschema.validators.validator_for(schema)
    assert list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(package)) == []
    assert package["CFDocument"]["identifier"] == mbo["doc"]
    assert package["CFDocument"]["uri"].endswith("/standards/mbo-commercie")


def test_document_item_associations_type_and_rubric_by_identifier(client, mbo) -> None:
    assert client.get(f"{BASE}/CFDocuments/{mbo['doc']}").get_json()["title"] == "Commercie"
    item = client.get(f"{BASE}/CFItems/{mbo['item']}").get_json()
    assert item["identifier"] == mbo["item"]
    assert item["CFDocumentURI"]["identifier"] == mbo["doc"]
    linked = client.get(f"{BASE}/CFItemAssociations/{mbo['item']}").get_json()
    assert linked["CFItem"]["identifier"] == mbo["item"]
    parent_link = next(a for a in linked["CFAssociations"] if a["associationType"] == "isChildOf")
    assert parent_link["originNodeURI"]["identifier"] == mbo["item"]
    one = client.get(f"{BASE}/CFAssociations/{parent_link['identifier']}").get_json()
    assert one["identifier"] == parent_link["identifier"]
    item_type = client.get(f"{BASE}/CFItemTypes/{item_type_uuid(mbo['type'])}").get_json()
    assert item_type["hierarchyCode"] == mbo["type"]
    if mbo["scale"]:
        rubric = client.get(f"{BASE}/CFRubrics/{mbo['scale']}").get_json()
        assert rubric["identifier"] == mbo["scale"] and rubric["CFRubricCriteria"]


@pytest.mark.parametrize(
    "kind", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations", "CFItemAssociations", "CFItemTypes", "CFRubrics"]
)
def test_unknown_and_malformed_identifiers_answer_with_imsx_status_info(client, kind) -> None:
    _status_info(client.get(f"{BASE}/{kind}/00000000-0000-4000-8000-000000000000"), 404, "unknownobject")
    _status_info(client.get(f"{BASE}/{kind}/not-a-uuid"), 400, "invalid_uuid")


def test_the_provider_accepts_no_writes(client, mbo) -> None:
    for method in ("POST", "PUT", "DELETE"):
        assert client.open(f"{BASE}/CFPackages/{mbo['doc']}", method=method).status_code == 405


def test_downloads_in_three_formats(client) -> None:
    case = client.get("/api/v1/frameworks/ecf-2.0/export/case")
    assert case.status_code == 200 and case.mimetype == "application/json"
    assert 'filename="ecf-2.0.case.json"' in case.headers["Content-Disposition"]
    assert json.loads(case.get_data(as_text=True))["CFDocument"]["title"]
    moodle = client.get("/api/v1/frameworks/ecf-2.0/export/moodle")
    assert next(csv.reader(io.StringIO(moodle.get_data(as_text=True))))[0] == "Parent ID number"
    data = yaml.safe_load(client.get("/api/v1/frameworks/ecf-2.0/export/yaml").get_data(as_text=True))
    assert data["framework"]["code"] == "ecf-2.0"
    assert client.get("/api/v1/frameworks/ecf-2.0/export/pdf").status_code == 404
    assert client.get("/api/v1/frameworks/no-such/export/case").status_code == 404


def test_framework_page_offers_the_downloads(client) -> None:
    html = client.get("/standards/ecf-2.0").get_data(as_text=True)
    for fmt in ("case", "moodle", "yaml"):
        assert f"/api/v1/frameworks/ecf-2.0/export/{fmt}" in html
    assert "/ims/case/v1p1/CFPackages/" in html


def test_cli_export_writes_each_format(runner, tmp_path) -> None:
    out = tmp_path / "ecf.case.json"
    result = runner.invoke(args=["standards", "export", "ecf-2.0", "--format", "case", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["CFDocument"]["caseVersion"] == "1.1"
    result = runner.invoke(args=["standards", "export", "ecf-2.0", "--format", "moodle"])
    assert result.exit_code == 0 and result.output.startswith("Parent ID number,")
    result = runner.invoke(args=["standards", "export", "no-such", "--format", "yaml"])
    assert result.exit_code != 0 and "no-such" in result.output
