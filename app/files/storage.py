"""Content-addressed file storage: a file's key is the SHA-256 of its bytes.

Keys never come from user file names, so a stored path cannot be chosen by the uploader, and the same
evidence uploaded twice is kept once. Because content is shared, callers must only delete a key that no
record refers to any more.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from flask import Flask

_KEY = re.compile(r"[0-9a-f]{64}")
EXTENSION_KEY = "bekwaam_storage"


class Storage(Protocol):
    def save(self, data: bytes) -> str: ...
    def read(self, key: str) -> bytes: ...
    def open(self, key: str) -> BinaryIO: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def size(self, key: str) -> int: ...


def key_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_key(key: str) -> str:
    """Refuse anything but 64 lowercase hex digits, so a key can never walk out of the storage folder."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r:.80}")
    return key


class LocalStorage:
    """Files at root/ab/cd/abcd…, written atomically so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def save(self, data: bytes) -> str:
        key = key_for(data)
        target = self.path(key)
        if target.exists():
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(data)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        return key

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size


def storage_for(app: Flask) -> Storage:
    """The app's storage, made once per app; refuses a folder inside the static folder, which would serve it."""
    storage = app.extensions.get(EXTENSION_KEY)
    if storage is None:
        root = Path(app.config["FILE_STORAGE_DIR"])
        static = app.static_folder
        if static and root.resolve().is_relative_to(Path(static).resolve()):
            raise RuntimeError(f"FILE_STORAGE_DIR {root} is inside the static folder {static}")
        storage = app.extensions[EXTENSION_KEY] = LocalStorage(root)
    return storage
