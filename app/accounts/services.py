"""Account operations, one module per noun; this module gathers them for callers that import
``app.accounts.services`` (tests, scripts and other domains). New code may import the noun module."""

from __future__ import annotations

from app.accounts.cohorts import add_to_cohort, create_cohort, remove_from_cohort
from app.accounts.errors import AccountError, PasswordRejected
from app.accounts.links import INVITATION_TTL, RESET_TTL, create_link, find_link, hash_token, use_link
from app.accounts.organisations import create_organisation, grant_role, revoke_role, set_roles
from app.accounts.tokens import (
    API_TOKEN_PREFIX,
    NewToken,
    authenticate_api_token,
    create_api_token,
    revoke_api_token,
)
from app.accounts.users import (
    LANGUAGES,
    authenticate,
    aware,
    check_language,
    check_name,
    create_user,
    find_user_by_email,
    new_session_token,
    normalise_email,
    set_active,
    set_password,
    sign_out,
    sign_out_everywhere,
    update_profile,
)

__all__ = [
    "API_TOKEN_PREFIX",
    "INVITATION_TTL",
    "LANGUAGES",
    "RESET_TTL",
    "AccountError",
    "NewToken",
    "PasswordRejected",
    "add_to_cohort",
    "authenticate",
    "authenticate_api_token",
    "aware",
    "check_language",
    "check_name",
    "create_api_token",
    "create_cohort",
    "create_link",
    "create_organisation",
    "create_user",
    "find_link",
    "find_user_by_email",
    "grant_role",
    "hash_token",
    "new_session_token",
    "normalise_email",
    "remove_from_cohort",
    "revoke_api_token",
    "revoke_role",
    "set_active",
    "set_password",
    "set_roles",
    "sign_out",
    "sign_out_everywhere",
    "update_profile",
    "use_link",
]
