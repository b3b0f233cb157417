"""Verbs on job profiles and their requirements (flush only; the request commits)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Organisation, OrgKind
from app.audit import Actor, record
from app.db import utcnow
from app.domain import N_
from app.matching.errors import MatchingError
from app.matching.models import JobProfile, ProfileStatus, Requirement, Weight
from app.matching.scales import element_scales
from app.portfolio.programme import programme_roots
from app.standards.models import Element, Framework
from app.standards.queries import Audience, get_framework, load_tree

MAX_REQUIREMENTS = 60


@dataclass(frozen=True)
class ProfileData:
    title: str
    description: str = ""


def _check(data: ProfileData) -> None:
    if not data.title.strip():
        raise MatchingError(N_("give the job profile a title"), field="title")
    if len(data.title) > 200:
        raise MatchingError(N_("a title has at most %(n)s characters"), field="title", n=200)


def create_job_profile(
    session: Session, actor: Actor, org: Organisation, data: ProfileData, source: str = ""
) -> JobProfile:
    if org.kind != OrgKind.EMPLOYER:
        raise MatchingError(N_("only an employer organisation has job profiles"))
    _check(data)
    profile = JobProfile(
        organisation_id=org.id,
        title=data.title.strip(),
        description=data.description.strip(),
        public_token=secrets.token_urlsafe(18),
        source=source[:200],
        created_by_id=actor.user.id if actor.user else None,
    )
    session.add(profile)
    session.flush()
    _audit(session, actor, profile, "matching.profile_create", profile.title)
    return profile


def update_job_profile(session: Session, actor: Actor, profile: JobProfile, data: ProfileData, publish: bool) -> None:
    _check(data)
    profile.title, profile.description = data.title.strip(), data.description.strip()
    status = ProfileStatus.PUBLISHED if publish else ProfileStatus.DRAFT
    if publish and not profile.requirements:
        raise MatchingError(N_("add at least one requirement before publishing"), field="published")
    changed = profile.status != status
    profile.status = status
    profile.updated_at = utcnow()
    session.flush()
    _audit(
        session, actor, profile, "matching.profile_update", f"{profile.title} ({status})" if changed else profile.title
    )


def delete_job_profile(session: Session, actor: Actor, profile: JobProfile) -> None:
    _audit(session, actor, profile, "matching.profile_delete", profile.title)
    session.delete(profile)
    session.flush()


def add_requirement(
    session: Session, actor: Actor, profile: JobProfile, element: Element, level_value: int | None, weight: str
) -> Requirement:
    if element.retired_at is not None:
        raise MatchingError(N_("this element was retired from its standard"), field="element")
    if any(r.element_id == element.id for r in profile.requirements):
        raise MatchingError(N_("%(element)s is already a requirement"), field="element", element=element.label)
    if len(profile.requirements) >= MAX_REQUIREMENTS:
        raise MatchingError(N_("a job profile has at most %(n)s requirements"), field="element", n=MAX_REQUIREMENTS)
    requirement = Requirement(element_id=element.id, position=len(profile.requirements))
    requirement.element = element
    _set_level_and_weight(session, requirement, level_value, weight)
    profile.requirements.append(requirement)
    session.flush()
    _audit(session, actor, profile, "matching.requirement_add", element.label)
    return requirement


def update_requirement(
    session: Session, actor: Actor, requirement: Requirement, level_value: int | None, weight: str
) -> None:
    _set_level_and_weight(session, requirement, level_value, weight)
    session.flush()
    _audit(session, actor, requirement.job_profile, "matching.requirement_update", requirement.element.label)


def remove_requirement(session: Session, actor: Actor, requirement: Requirement) -> None:
    profile = requirement.job_profile
    profile.requirements.remove(requirement)
    for position, other in enumerate(profile.requirements):
        other.position = position
    session.flush()
    _audit(session, actor, profile, "matching.requirement_remove", requirement.element.label)


def _set_level_and_weight(session: Session, requirement: Requirement, level_value: int | None, weight: str) -> None:
    if weight not in set(Weight):
        raise MatchingError(N_("choose essential or optional"), field="weight")
    scale = element_scales(session, [requirement.element_id])[requirement.element_id]
    if level_value is None:
        level_value = scale.required
    level = next((lv for lv in scale.levels if lv.value == level_value), None)
    if level_value is not None and level is None:
        raise MatchingError(N_("choose a level of this element's scale"), field="level")
    requirement.level_id = level.id if level is not None else None
    requirement.level = level
    requirement.weight = weight


def from_standard(
    session: Session, actor: Actor, org: Organisation, framework: Framework, part_key: str | None
) -> JobProfile:
    """A job profile with every element the standard (or one profile of it) sets a level for, essential, at
    that level: a Competent sheet's activities, an e-CF role profile's competences at their target levels,
    a BK's competences, an mbo profile's work processes."""
    tree = load_tree(session, framework)
    if part_key and part_key not in tree.by_key:
        raise MatchingError(N_("the standard has no part %(key)s"), field="source", key=part_key)
    roots = programme_roots(tree, part_key)
    nodes = [n for root in roots for n in (root, *root.descendants()) if n.required is not None]
    nodes = [n for n in nodes if n.element.retired_at is None][:MAX_REQUIREMENTS]
    if not nodes:
        raise MatchingError(
            N_("this standard sets no levels to start from; compose the profile by hand"), field="source"
        )
    part = tree.by_key[part_key].element if part_key else None
    title = part.title if part is not None else str(framework.attributes.get("title_en") or framework.title)
    profile = create_job_profile(
        session, actor, org, ProfileData(title[:200], framework.description or ""), f"{framework.code}:{part_key or ''}"
    )
    for position, node in enumerate(nodes):
        profile.requirements.append(
            Requirement(
                element_id=node.element.id,
                level_id=node.required.id if node.required is not None else None,
                weight=Weight.ESSENTIAL,
                position=position,
            )
        )
    session.flush()
    _audit(session, actor, profile, "matching.profile_from_standard", f"{framework.code} {part_key or ''}".strip())
    return profile


def element_by_ref(session: Session, framework_code: str, key: str, audience: Audience) -> Element | None:
    """An element of the current version of a standard ``audience`` sees (others: as if absent)."""
    framework = get_framework(session, framework_code, audience=audience)
    if framework is None:
        return None
    return session.scalar(select(Element).where(Element.framework_id == framework.id, Element.key == key))


def _audit(session: Session, actor: Actor, profile: JobProfile, action: str, summary: str) -> None:
    record(
        session,
        actor,
        action,
        organisation_id=profile.organisation_id,
        target_type="job_profile",
        target_id=profile.id,
        summary=summary,
    )
