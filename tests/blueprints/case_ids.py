"""Identifiers of real CASE objects, for the authorization matrix's CASE provider routes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.standards.exporters import plain_links
from app.standards.exporters.case import export_case, item_type_uuid
from app.standards.models import RatingScale
from app.standards.queries import EVERYONE, get_framework, load_tree


def case_identifiers(session: Session, code: str, key: str) -> dict[str, str]:
    fw = get_framework(session, code, audience=EVERYONE)
    assert fw is not None
    tree = load_tree(session, fw)
    package = export_case(tree, plain_links())
    node = tree.by_key[key]
    item = node.element.uuid
    association = next(a for a in package["CFAssociations"] if a["originNodeURI"]["identifier"] == item)
    scale = fw.scales[0] if fw.scales else session.scalars(select(RatingScale).order_by(RatingScale.id).limit(1)).one()
    return {
        "case_document": fw.uuid,
        "case_item": item,
        "case_association": association["identifier"],
        "case_item_type": str(item_type_uuid(node.element.type)),
        "case_rubric": scale.uuid,
    }
