"""The words of the carried-evidence blocks, translated once per request.

A learner record can show a hundred carried results, each with its chain of links; asking Babel for the same
dozen strings for every one of them was most of the page's time (issue 14, ``make bench`` part crosswalks).
The templates read them from this dict instead; strings with parameters are formatted there (``|format``)."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _

from app.blueprints.crosswalks import bp


def _labels() -> dict[str, object]:
    return {
        "relation": {
            "exact": _("exact match"),
            "close": _("close match"),
            "broader": _("broader than"),
            "narrower": _("narrower than"),
            "related": _("related to"),
        },
        "reason": {
            "relation": _("the link is not an exact or close match"),
            "contested": _("crosswalks disagree about this link"),
            "condition_not_met": _("below the link's minimum level"),
            "condition_other_scale": _("the link's minimum level is on the other standard's scale"),
            "condition_text": _("the link has a condition for an assessor to check"),
            "claim": _("a portfolio claim, not a judgement"),
            "no_level": _("the result has no level"),
        },
        "group": _("Evidence via crosswalk"),
        "via": _("via crosswalk"),
        "not_final": _("Not a final judgement of this standard; never counts towards a certificate."),
        "claim": _("portfolio claim"),
        "self": _("self-assessment:"),
        "final": _("final result"),
        "judged_by": _("judged by %(names)s"),
        "carries": _("carries the level"),
        "meets": _("meets the level the link asks"),
        "below": _("below the level the link asks"),
        "supporting": _("supporting evidence only"),
        "editorial": _("editorial proposal"),
        "only_at": _("only at %(level)s or higher"),
        "condition": _("condition: %(text)s"),
    }


@bp.app_template_global()
def carried_labels() -> dict[str, object]:
    """The labels for this request's language, made once per request."""
    if "carried_labels" not in g:
        g.carried_labels = _labels()
    return g.carried_labels
