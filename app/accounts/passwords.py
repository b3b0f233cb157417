"""Password hashing (argon2id) and the password policy: length over composition, common ones refused."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterable

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 1024  # long passphrases are welcome; this only stops abuse of the hasher

# argon2-cffi's defaults are argon2id, t=3, m=64 MiB (RFC 9106 "second recommended" profile).
_hasher = PasswordHasher()


def use_cheap_hashing_for_tests() -> None:
    """Tests hash many passwords; the cheapest profile keeps the suite fast. Never in production."""
    global _hasher
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        _burn_time(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


_DUMMY_HASH = ""


def _burn_time(password: str) -> None:
    """Spend about as long as a real check, so timing does not tell whether an account exists."""
    global _DUMMY_HASH
    if not _DUMMY_HASH:
        _DUMMY_HASH = _hasher.hash("not-a-real-password-0000")
    with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


class PasswordProblem(enum.StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_COMMON = "too_common"
    CONTAINS_PERSONAL = "contains_personal"


def password_problems(password: str, personal: Iterable[str] = ()) -> list[PasswordProblem]:
    """What is wrong with a new password (empty list: acceptable). No composition rules."""
    problems: list[PasswordProblem] = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if len(password) > MAX_LENGTH:
        problems.append(PasswordProblem.TOO_LONG)
        return problems
    lowered = password.casefold()
    for value in personal:
        for part in {value, value.split("@")[0]}:
            part = part.casefold().strip()
            if len(part) >= 4 and part in lowered:
                problems.append(PasswordProblem.CONTAINS_PERSONAL)
                break
        if PasswordProblem.CONTAINS_PERSONAL in problems:
            break
    if len(password) >= MIN_LENGTH:
        # zxcvbn knows common passwords, names, words and keyboard patterns; score 0-4.
        result = zxcvbn(password[:72], user_inputs=[p for p in personal if p])  # its maximum
        if result["score"] < 3:
            problems.append(PasswordProblem.TOO_COMMON)
    return problems
