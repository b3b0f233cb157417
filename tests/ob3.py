"""1EdTech's official OpenBadgeCredential JSON schema (../shared/interop/schemas, read in place), as its
conformance validator applies it: draft 2019-09 with formats checked."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft201909Validator

from tests.conftest import shared_path

SCHEMA = ("interop", "schemas", "ob_v3p0_achievementcredential_schema.json")


@cache
def _validator() -> Draft201909Validator:
    schema = json.loads(shared_path(*SCHEMA).read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(credential: dict[str, Any]) -> list[str]:
    """Every schema error of ``credential`` as "path: message" (empty when it conforms)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(_validator().iter_errors(credential), key=lambda e: list(map(str, e.absolute_path)))
    ]


def vector(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(shared_path("interop", "schemas", name).read_text(encoding="utf-8"))
    return data
