"""From gap to development, wired to the curriculum maps (issue 13): for each element, the units and exam
instruments of adopted curricula mapped onto it, named with their curriculum and school. Only adopted
(vastgestelde) plans: a draft is the school's own work in progress. Two queries whatever the number of
elements or curricula."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Organisation
from app.curriculum.models import Curriculum, CurriculumLink, CurriculumStatus, CurriculumUnit, ExamInstrument


def _label(code: str, title: str) -> str:
    return f"{code} {title}" if code else title


class AdoptedCurricula:
    def units(self, session: Session, element_ids: list[int], organisation_ids: set[int]) -> dict[int, list[str]]:
        """Only curricula of ``organisation_ids`` (see ``development._curriculum_owners``)."""
        out: dict[int, list[str]] = defaultdict(list)
        if not element_ids or not organisation_ids:
            return out
        for source, source_id in (
            (CurriculumUnit, CurriculumLink.unit_id),
            (ExamInstrument, CurriculumLink.instrument_id),
        ):
            rows = session.execute(
                select(CurriculumLink.element_id, source.code, source.title, Curriculum.title, Organisation.name)
                .join(source, source.id == source_id)
                .join(Curriculum, Curriculum.id == CurriculumLink.curriculum_id)
                .join(Organisation, Organisation.id == Curriculum.organisation_id)
                .where(
                    CurriculumLink.element_id.in_(sorted(set(element_ids))),
                    Curriculum.status == CurriculumStatus.ADOPTED,
                    Curriculum.organisation_id.in_(sorted(organisation_ids)),
                )
                .order_by(Organisation.name, Curriculum.title, source.position, source.id)
            ).all()
            for element_id, code, title, curriculum, school in rows:
                entry = f"{_label(code, title)} ({curriculum}, {school})"
                if entry not in out[element_id]:
                    out[element_id].append(entry)
        return out
