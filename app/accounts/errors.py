"""The refusals of account operations (see app.domain: translated where they are shown)."""

from __future__ import annotations

from app.accounts.passwords import PasswordProblem
from app.domain import N_, DomainError


class AccountError(DomainError):
    """A refused account operation."""


class PasswordRejected(AccountError):
    """The password breaks a rule; ``problems`` names each (pages show one translated line per problem)."""

    def __init__(self, problems: list[PasswordProblem]):
        super().__init__(N_("password rejected: %(problems)s"), field="password", problems=", ".join(problems))
        self.problems = problems
