"""What a programme certifies, checked against final judgements (the learner record).

- the programme: every element the profile or framework requires is achieved (mbo: every work process of
  the profile's core tasks at least voldoende; e-CF: every competence at its target level; BK/Competent:
  every competence or activity beheerst);
- a group: every element of one core task, cluster or area achieved;
- an element: one competence or work process achieved, certified at the level reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.assessment.record import ACHIEVED, Outcome, Record
from app.certificates.models import CertificateScope
from app.domain import N_

PROGRAMME = "*"


def translate(msgid: str, params: dict[str, Any]) -> str:
    """``msgid`` with ``params`` in the language of the current request (English outside one)."""
    from flask import has_request_context

    if not has_request_context():
        return msgid % params if params else msgid
    from flask_babel import gettext

    return gettext(msgid, **params) if params else gettext(msgid)


@dataclass(frozen=True)
class Reason:
    """Why something is not earned: a message id and its values, translated only when shown (``str``)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return translate(self.msgid, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": dict(self.params)}


class Reasons(list[Reason]):
    """Reasons joined with "; " when shown, each in the viewer's language (a parameter of a refusal)."""

    def __str__(self) -> str:
        return "; ".join(str(r) for r in self)


@dataclass
class Decision:
    scope: str
    scope_key: str
    title: str
    outcomes: list[Outcome]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.reasons


def certifiable_scopes(record: Record) -> list[tuple[str, str]]:
    """(scope_key, label) of everything this programme can certify, programme first."""
    framework = record.programme.framework
    profile_key = record.programme.cohort.profile_key
    title = framework.title
    if profile_key and profile_key in record.programme.tree.by_key:
        profile = record.programme.tree.by_key[profile_key].element
        title = f"{profile.code or ''} {profile.title}".strip()
    out = [(PROGRAMME, title)]
    out += [(g.node.key, g.node.element.label) for g in record.groups]
    out += [(o.node.key, o.node.element.label) for o in record.outcomes]
    return out


def decide(record: Record, scope_key: str) -> Decision:
    """Whether ``record`` earns the certificate for ``scope_key``, with the reasons when it does not."""
    programme = record.programme
    if scope_key == PROGRAMME:
        decision = Decision(CertificateScope.PROGRAMME, PROGRAMME, certifiable_scopes(record)[0][1], record.outcomes)
    else:
        group = next((g for g in record.groups if g.node.key == scope_key), None)
        element = next((o for o in record.outcomes if o.node.key == scope_key), None)
        if group is not None:
            decision = Decision(CertificateScope.GROUP, scope_key, group.node.element.label, group.outcomes)
        elif element is not None:
            decision = Decision(CertificateScope.ELEMENT, scope_key, element.node.element.label, [element])
        else:
            return Decision(
                CertificateScope.ELEMENT,
                scope_key,
                scope_key,
                [],
                [
                    Reason(
                        N_("%(framework)s certifies no '%(scope)s'"),
                        {"framework": programme.framework.title, "scope": scope_key},
                    )
                ],
            )
    if not decision.outcomes:
        decision.reasons.append(Reason(N_("there is nothing to certify in this part")))
    for outcome in decision.outcomes:
        if outcome.status == ACHIEVED:
            continue
        label = outcome.node.element.label
        if outcome.level is None:
            decision.reasons.append(Reason(N_("%(element)s: no final judgement yet"), {"element": label}))
        else:
            assert outcome.target is not None  # an outcome that counts has a required level
            target = outcome.target.code or outcome.target.label
            reached = outcome.level.code or outcome.level.label
            decision.reasons.append(
                Reason(
                    N_("%(element)s: %(reached)s, %(target)s required"),
                    {"element": label, "reached": reached, "target": target},
                )
            )
    return decision
