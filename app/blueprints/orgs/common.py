"""What the organisation pages share: the signed-in person and passing an invitation link on."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.invitations import InviteResult, Outcome
from app.accounts.models import Organisation, User
from app.blueprints.orgs import bp
from app.mail import send_mail
from app.urls import public_url

bp.add_app_template_global(Outcome, "InviteOutcome")  # templates compare against it, not literal strings


def me() -> User:
    return current_user._get_current_object()


def pass_on(org: Organisation, result: InviteResult) -> tuple[str | None, bool]:
    """The invitation link and whether it was mailed. It goes to the typed address, which is the owner's."""
    if result.token is None:
        return None, False
    link = public_url("auth.accept_invitation", token=result.token)
    sent = send_mail(
        result.email,
        _("You are invited to Bekwaam"),
        _("%(org)s invites you to Bekwaam. Open this link within 7 days:", org=org.name) + f"\n\n{link}\n",
    )
    return (None if sent else link), sent
