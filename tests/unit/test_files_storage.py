import hashlib
from pathlib import Path

import pytest
from flask import Flask

from app.files.storage import LocalStorage, Storage, storage_for

DATA = b"%PDF-1.7\nportfolio evidence\n"
KEY = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "files")


def test_save_returns_the_sha256_of_the_content(storage: LocalStorage, tmp_path: Path) -> None:
    assert storage.save(DATA) == KEY
    assert (tmp_path / "files" / KEY[:2] / KEY[2:4] / KEY).read_bytes() == DATA


def test_saving_the_same_content_twice_keeps_one_file(storage: LocalStorage, tmp_path: Path) -> None:
    assert storage.save(DATA) == storage.save(DATA)
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [KEY]


def test_saved_content_reads_back(storage: LocalStorage) -> None:
    key = storage.save(DATA)
    assert storage.read(key) == DATA
    with storage.open(key) as handle:
        assert handle.read() == DATA
    assert storage.exists(key)
    assert storage.size(key) == len(DATA)


def test_no_temporary_files_are_left_behind(storage: LocalStorage, tmp_path: Path) -> None:
    storage.save(DATA)
    storage.save(b"second")
    assert not [p for p in (tmp_path / "files").rglob(".upload-*")]


def test_delete_removes_and_is_idempotent(storage: LocalStorage) -> None:
    key = storage.save(DATA)
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)
    with pytest.raises(FileNotFoundError):
        storage.read(key)


def test_empty_content_has_a_key_too(storage: LocalStorage) -> None:
    key = storage.save(b"")
    assert storage.read(key) == b""


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "../" + "a" * 61,
        "/etc/passwd",
        "g" * 64,
        KEY.upper(),
        KEY[:-1],
        KEY + "0",
        KEY + "\n",
        "",
        f"{KEY[:2]}/{KEY}",
    ],
)
def test_anything_but_a_lowercase_hex_key_is_refused(storage: LocalStorage, key: str) -> None:
    for operation in (storage.read, storage.open, storage.exists, storage.delete, storage.size):
        with pytest.raises(ValueError, match="not a storage key"):
            operation(key)


def test_a_non_string_key_is_refused(storage: LocalStorage) -> None:
    with pytest.raises(ValueError, match="not a storage key"):
        storage.read(None)  # type: ignore[arg-type]


def test_local_storage_satisfies_the_protocol(storage: LocalStorage) -> None:
    as_protocol: Storage = storage
    assert as_protocol.exists(as_protocol.save(DATA))


def test_storage_for_is_made_once_per_app(tmp_path: Path) -> None:
    app = Flask(__name__, static_folder=str(tmp_path / "static"))
    app.config["FILE_STORAGE_DIR"] = str(tmp_path / "instance" / "files")
    storage = storage_for(app)
    assert storage is storage_for(app)
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "instance" / "files"


def test_storage_for_refuses_a_folder_inside_the_static_folder(tmp_path: Path) -> None:
    app = Flask(__name__, static_folder=str(tmp_path / "static"))
    app.config["FILE_STORAGE_DIR"] = str(tmp_path / "static" / "uploads")
    with pytest.raises(RuntimeError, match="inside the static folder"):
        storage_for(app)
