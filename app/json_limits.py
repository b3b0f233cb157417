"""JSON parsing with a size and a nesting limit, so a hostile document costs little and fails clearly.

Pure: no Flask. ``loads_limited`` raises ``JSONLimitExceeded`` (a ``ValueError``) for a document over a
limit and the usual ``ValueError`` (``json.JSONDecodeError``, ``UnicodeDecodeError``) for a malformed one.
"""

from __future__ import annotations

import json
from typing import Any


class JSONLimitExceeded(ValueError):
    """``limit`` is "bytes" or "depth"; ``maximum`` the number allowed."""

    def __init__(self, limit: str, maximum: int):
        super().__init__(f"JSON document over the {limit} limit of {maximum}")
        self.limit = limit
        self.maximum = maximum


def nesting_depth(value: Any) -> int:
    """How many arrays and objects deep a parsed value goes: a scalar 0, ``{}`` 1, ``[[1]]`` 2.
    Iterative, so any depth is measured without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads_limited(data: str | bytes | bytearray, *, max_bytes: int, max_depth: int, **kwargs: Any) -> Any:
    size = len(data) if isinstance(data, (bytes, bytearray)) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise JSONLimitExceeded("bytes", max_bytes)
    text = bytes(data).decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:  # deeper than the interpreter's own limit: far over ours
        raise JSONLimitExceeded("depth", max_depth) from None
    if nesting_depth(value) > max_depth:
        raise JSONLimitExceeded("depth", max_depth)
    return value
