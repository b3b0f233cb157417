"""Uploaded evidence: what a file really is, where its bytes live, and image thumbnails.

No Flask request and no database here: a view reads the upload, calls check_size() and detect(),
saves the bytes with storage_for(app).save() and keeps the returned key with the FileType and
safe_filename() on its own record.
"""

from app.files.content import FileType, UploadRefused, check_size, detect, safe_filename
from app.files.storage import LocalStorage, Storage, storage_for
from app.files.thumbnails import make_thumbnail

__all__ = [
    "FileType",
    "LocalStorage",
    "Storage",
    "UploadRefused",
    "check_size",
    "detect",
    "make_thumbnail",
    "safe_filename",
    "storage_for",
]
