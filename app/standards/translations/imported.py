"""Translations that come with an imported standard (the Bekwaam extension of a CASE package Bekwaam
exported): written beside the source texts, as a layer file's would be. Flush only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.standards.models import Element, Framework
from app.standards.translations.models import ElementTranslation


def replace_imported(session: Session, framework: Framework, entries: list[dict[str, Any]]) -> int:
    """The framework's translations in each language the import carries become those of the import (other
    languages are kept); returns how many were written. Entries were checked against the source texts
    (``importers.case_bekwaam.Translations``)."""
    if not entries:
        return 0
    languages = sorted({e["language"] for e in entries})
    session.execute(
        delete(ElementTranslation).where(
            ElementTranslation.framework_id == framework.id, ElementTranslation.language.in_(languages)
        )
    )
    rows = session.execute(select(Element.key, Element.id).where(Element.framework_id == framework.id))
    ids: dict[str, int] = {key: element_id for key, element_id in rows}
    written = 0
    for entry in entries:
        element_id = None if entry["key"] is None else ids.get(entry["key"])
        if entry["key"] is not None and element_id is None:
            continue  # not in the loaded tree (checked before; a race must not write a framework text)
        session.add(
            ElementTranslation(
                framework_id=framework.id,
                element_id=element_id,
                field=entry["field"],
                language=entry["language"],
                text=entry["text"],
                translator=entry["translator"],
                status=entry["status"],
                source=entry.get("source") or None,
            )
        )
        written += 1
    session.flush()
    return written
