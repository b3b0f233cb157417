"""Assessment operations, one module per noun: ``creation`` (start, correct), ``judging`` (judge, submit),
``settling`` (settle, sign, final), ``scope`` (what an assessment covers), ``queries`` (what a viewer
sees) and ``trail`` (the audit trail). Each verb checks the rules, writes, audits and flushes; the request
(or job) commits. Views check who may do what through ``app.authz`` first; the verbs check the domain rules
that hold whoever calls them (an assessor never judges themselves, drafts stay hidden, final is final).

This module gathers the verbs under one name for callers that use ``services.<verb>``."""

from __future__ import annotations

from app.assessment.creation import NewAssessment, correct, create_assessment
from app.assessment.errors import AssessmentError, Conflict
from app.assessment.judging import JudgementInput, save_judgement, submit
from app.assessment.queries import differences, visible_judgements
from app.assessment.scope import (
    ALL,
    DEFAULT_ASSESSORS_REQUIRED,
    assessors_required,
    criteria_of,
    scope_choices,
    scope_nodes,
)
from app.assessment.settling import settle, sign
from app.assessment.trail import history, visible_history

__all__ = [
    "ALL",
    "DEFAULT_ASSESSORS_REQUIRED",
    "AssessmentError",
    "Conflict",
    "JudgementInput",
    "NewAssessment",
    "assessors_required",
    "correct",
    "create_assessment",
    "criteria_of",
    "differences",
    "history",
    "save_judgement",
    "scope_choices",
    "scope_nodes",
    "settle",
    "sign",
    "submit",
    "visible_history",
    "visible_judgements",
]
