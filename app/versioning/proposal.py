"""A version mapping proposed from a diff: each old element's successor in the new version, and how.

``exactMatchOf``: the same element (unchanged, or only moved or re-attributed); ``replacedBy``: a successor
that says something else (retitled, redescribed, or paired by text alone); none: the element has no
successor. A person reviews every row before the mapping carries anything. Pure: no Flask, no database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.versioning.diff import Change, Diff, MatchedBy


class Relation(enum.StrEnum):
    EXACT = "exactMatchOf"
    REPLACED = "replacedBy"
    NONE = "none"


# What only moves or re-labels an element, not what it asks of a student.
SAME_ELEMENT_FIELDS = {"parent", "attributes"}


@dataclass(frozen=True)
class Proposal:
    old_key: str
    new_key: str | None
    relation: Relation
    old_ref: int | None = None
    new_ref: int | None = None


def propose(result: Diff) -> list[Proposal]:
    """One proposal per element of the old version, in the diff's order (the new tree, then what is gone)."""
    proposals: list[Proposal] = []
    for entry in result.entries:
        if entry.old is None:
            continue
        if entry.new is None:
            proposals.append(Proposal(entry.old.key, None, Relation.NONE, entry.old.ref))
            continue
        exact = (
            entry.matched_by != MatchedBy.TEXT
            and entry.change in (Change.UNCHANGED, Change.CHANGED)
            and set(entry.fields) <= SAME_ELEMENT_FIELDS
        )
        relation = Relation.EXACT if exact else Relation.REPLACED
        proposals.append(Proposal(entry.old.key, entry.new.key, relation, entry.old.ref, entry.new.ref))
    return proposals
