"""What changed between two versions of a standard: a pure comparison of two element lists.

Elements are matched by their stable key, then by their code, then (for what is left) by how alike their
titles are (difflib, word by word), greedily from the most alike pair down. Each pair is unchanged, retitled (its title
differs, whatever else does) or changed (description, attributes, type or parent differ); what has no
partner is added or removed. Pure: no Flask, no database; unit-tested in tests/unit.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from app.standards.text import fold

# Titles at least this alike (difflib ratio of the folded titles) pair up when key and code do not.
TEXT_THRESHOLD = 0.75
# Above this many unmatched pairs only elements of the same type are compared (keeps 5,000 items fast).
MAX_PAIRS_ACROSS_TYPES = 250_000


class Change(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RETITLED = "retitled"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class MatchedBy(enum.StrEnum):
    KEY = "key"
    CODE = "code"
    TEXT = "text"


@dataclass(frozen=True)
class Item:
    """One element of a version, as the comparison needs it."""

    key: str
    type: str
    title: str
    code: str | None = None
    description: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    parent_key: str | None = None
    ref: int | None = None  # the element's id, for the caller


@dataclass(frozen=True)
class Entry:
    change: Change
    old: Item | None
    new: Item | None
    matched_by: MatchedBy | None = None
    fields: tuple[str, ...] = ()  # what differs: title, description, attributes, type, parent
    similarity: float = 1.0


@dataclass
class Diff:
    entries: list[Entry]

    def counts(self) -> dict[Change, int]:
        found = Counter(e.change for e in self.entries)
        return {change: found.get(change, 0) for change in Change}

    def of(self, *changes: Change) -> list[Entry]:
        return [e for e in self.entries if e.change in changes]


def diff(old: Sequence[Item], new: Sequence[Item], threshold: float = TEXT_THRESHOLD) -> Diff:
    """Compare two versions' elements (each in tree order). Entries follow the new version's order, with
    what was removed after it in the old version's order."""
    pairs: dict[str, tuple[str, MatchedBy, float]] = {}  # old key -> (new key, how, similarity)
    new_by_key = {i.key: i for i in new}
    for item in old:
        if item.key in new_by_key:
            pairs[item.key] = (item.key, MatchedBy.KEY, 1.0)
    _match_codes(old, new, pairs)
    _match_texts(old, new, pairs, threshold)
    old_by_key = {i.key: i for i in old}
    new_partner = {n: o for o, (n, _how, _sim) in pairs.items()}
    entries: list[Entry] = []
    for item in new:
        old_key = new_partner.get(item.key)
        if old_key is None:
            entries.append(Entry(Change.ADDED, None, item))
            continue
        _new_key, how, similarity = pairs[old_key]
        entries.append(_compare(old_by_key[old_key], item, how, similarity, pairs))
    entries.extend(Entry(Change.REMOVED, item, None) for item in old if item.key not in pairs)
    return Diff(entries)


def _match_codes(old: Sequence[Item], new: Sequence[Item], pairs: dict[str, tuple[str, MatchedBy, float]]) -> None:
    """Pair what the keys left by a code that is unique on both sides."""
    taken = {n for n, _how, _sim in pairs.values()}
    old_codes = Counter(i.code for i in old if i.code)
    new_codes = Counter(i.code for i in new if i.code)
    new_by_code = {i.code: i for i in new if i.code and new_codes[i.code] == 1 and i.key not in taken}
    for item in old:
        if item.key in pairs or not item.code or old_codes[item.code] != 1:
            continue
        partner = new_by_code.get(item.code)
        if partner is not None and partner.key not in taken:
            pairs[item.key] = (partner.key, MatchedBy.CODE, 1.0)
            taken.add(partner.key)


def _match_texts(
    old: Sequence[Item], new: Sequence[Item], pairs: dict[str, tuple[str, MatchedBy, float]], threshold: float
) -> None:
    """Pair the rest by title, most alike first; across types only when there are few."""
    taken = {n for n, _how, _sim in pairs.values()}
    left_old = [i for i in old if i.key not in pairs]
    left_new = [i for i in new if i.key not in taken]
    same_type_only = len(left_old) * len(left_new) > MAX_PAIRS_ACROSS_TYPES
    candidates: list[tuple[float, int, int]] = []
    folded_new = [_words(i.title) for i in left_new]
    for oi, item in enumerate(left_old):
        matcher = SequenceMatcher(None, [], _words(item.title), autojunk=False)  # b is indexed once
        for ni, other in enumerate(left_new):
            if same_type_only and other.type != item.type:
                continue
            matcher.set_seq1(folded_new[ni])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                candidates.append((ratio, oi, ni))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for ratio, oi, ni in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if oi in used_old or ni in used_new:
            continue
        used_old.add(oi)
        used_new.add(ni)
        pairs[left_old[oi].key] = (left_new[ni].key, MatchedBy.TEXT, round(ratio, 3))


def _words(title: str) -> list[str]:
    """Titles compare word by word (case and accents folded): as alike as a reader finds them, and fast."""
    return fold(title).split()


def _compare(
    old: Item, new: Item, how: MatchedBy, similarity: float, pairs: dict[str, tuple[str, MatchedBy, float]]
) -> Entry:
    fields: list[str] = []
    if old.title != new.title:
        fields.append("title")
    if (old.description or None) != (new.description or None):
        fields.append("description")
    if old.attributes != new.attributes:
        fields.append("attributes")
    if old.type != new.type:
        fields.append("type")
    moved_to = pairs[old.parent_key][0] if old.parent_key in pairs else old.parent_key
    if moved_to != new.parent_key:
        fields.append("parent")
    change = Change.RETITLED if "title" in fields else Change.CHANGED if fields else Change.UNCHANGED
    return Entry(change, old, new, how, tuple(fields), similarity)
