"""Uploads waiting between their preview and the confirmation, under the instance folder.

The bytes of a previewed file wait on the server under their digest, so what is confirmed is exactly what
was previewed. Confirming removes the file; an upload previewed and never confirmed is swept after a day
(on each new preview, and by ``flask standards sweep-imports``). No Flask, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

FOLDER = "standard-imports"
SUFFIX = ".upload"
KEEP = dt.timedelta(days=1)
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def folder(instance_path: str | Path) -> Path:
    found = Path(instance_path) / FOLDER
    found.mkdir(parents=True, exist_ok=True)
    return found


def path(where: Path, digest: str) -> Path:
    """The waiting file of a digest (64 hex digits, checked here too: it names a file)."""
    if not _DIGEST.match(digest):
        raise ValueError("not a digest")
    return where / f"{digest}{SUFFIX}"


def sweep(where: Path, keep: dt.timedelta = KEEP, now: dt.datetime | None = None) -> int:
    """Remove the uploads older than ``keep``; returns how many were removed."""
    limit = (now or dt.datetime.now(dt.UTC)).timestamp() - keep.total_seconds()
    removed = 0
    for upload in where.glob(f"*{SUFFIX}"):
        try:
            if upload.stat().st_mtime < limit:
                upload.unlink()
                removed += 1
        except FileNotFoundError:  # another request swept or confirmed it meanwhile
            continue
    return removed
