"""CASE export of alignments: the target element is named by its own uuid, the one its source gave it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.audit import Actor
from app.extensions import db
from app.standards.exporters import plain_links
from app.standards.exporters.case import export_case
from app.standards.identity import element_uuid
from app.standards.importers import service as importer
from app.standards.loader import load_paths
from app.standards.models import Element, Framework
from app.standards.queries import EVERYONE, get_framework, load_tree

PACKAGE = Path(__file__).parents[1] / "fixtures" / "interop" / "case_rubrics_package.json"
SOURCE_UUID = "0b7f9d3e-1a2b-4c5d-8e9f-000000000102"  # "Listens actively to clients" in the package

ALIGNED = """\
format: bekwaam-standard/1
framework:
  code: aligned-profile
  title: Aligned profile
  kind: ecf_role_profile
  language: en
elements:
  - code: P.1
    type: competence
    title: Listens to customers
    alignments:
      - {{to: "service-technician:{key}", relation: exact}}
"""


def test_case_export_names_an_imported_target_by_the_uuid_of_its_source(tmp_path: Path) -> None:
    result = importer.preview(db.session, PACKAGE.read_bytes(), PACKAGE.name)
    assert result.can_apply, result.conversion.report
    importer.apply(db.session, Actor.system("test"), result)
    target = db.session.scalar(select(Element).where(Element.uuid == SOURCE_UUID))
    assert target is not None, "the import keeps the package's identifiers"
    imported = db.session.get(Framework, target.framework_id)
    assert imported is not None and imported.code == "service-technician"
    assert str(element_uuid(imported.code, target.key)) != SOURCE_UUID  # a derived uuid would name another item

    path = tmp_path / "aligned-profile.yaml"
    path.write_text(ALIGNED.format(key=target.key), encoding="utf-8")
    load_paths(db.session, [path])
    db.session.flush()

    fw = get_framework(db.session, "aligned-profile", audience=EVERYONE)
    assert fw is not None
    package = export_case(load_tree(db.session, fw), plain_links())
    aligned = [a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    assert len(aligned) == 1
    destination = aligned[0]["destinationNodeURI"]
    assert destination["identifier"] == SOURCE_UUID
    assert destination["uri"] == f"https://bekwaam.example/standards/service-technician/e/{target.key}"
