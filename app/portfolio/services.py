"""The portfolio's verbs, by noun: ``items``, ``attachments`` (files and links), ``claims``, ``comments``,
``notifications`` and ``sharing``; reads are in ``queries``. Each verb validates, writes, audits and
flushes; the request (or ``app.uow.unit_of_work``) commits once.

This module gathers them under one name for callers outside the domain (``from app.portfolio import
services``); new code imports the module of the noun it works on.
"""

from __future__ import annotations

from app.portfolio.attachments import (
    MAX_ATTACHMENTS_PER_ITEM,
    add_attachment,
    add_link,
    check_url,
    remove_attachment,
    remove_link,
)
from app.portfolio.claims import add_claim, mark_reviewed, remove_claim, request_feedback, update_claim
from app.portfolio.comments import add_comment
from app.portfolio.errors import PortfolioError
from app.portfolio.items import ItemData, create_item, delete_item, freeze_item, snapshot, update_item
from app.portfolio.notifications import mark_all_read, notify
from app.portfolio.queries import (
    element_for,
    programmes_of,
    staff_of_cohort,
    unread_count,
    version_of,
    versions_of,
)
from app.portfolio.sharing import (
    MAX_SHARE_DAYS,
    NewShare,
    create_share,
    find_share,
    record_share_access,
    revoke_share,
    shared_item_ids,
)

__all__ = [
    "MAX_ATTACHMENTS_PER_ITEM",
    "MAX_SHARE_DAYS",
    "ItemData",
    "NewShare",
    "PortfolioError",
    "add_attachment",
    "add_claim",
    "add_comment",
    "add_link",
    "check_url",
    "create_item",
    "create_share",
    "delete_item",
    "element_for",
    "find_share",
    "freeze_item",
    "mark_all_read",
    "mark_reviewed",
    "notify",
    "programmes_of",
    "record_share_access",
    "remove_attachment",
    "remove_claim",
    "remove_link",
    "request_feedback",
    "revoke_share",
    "shared_item_ids",
    "snapshot",
    "staff_of_cohort",
    "unread_count",
    "update_claim",
    "update_item",
    "version_of",
    "versions_of",
]
