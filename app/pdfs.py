"""What every PDF Bekwaam renders with WeasyPrint shares: a URL fetcher that serves only stored files it is
given (none, for the certificate and the assessment form) and refuses every other URL, so rendering never
reaches the network or the file system; and one FontConfiguration per thread, reused across renders (about
a quarter faster per PDF than a fresh one; WeasyPrint objects are not shared between threads)."""

from __future__ import annotations

import threading

from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.files.storage import Storage

FILE_SCHEME = "bekwaam-file:"
_local = threading.local()


class RefusedURL(ValueError):
    pass


class StoredFilesFetcher(URLFetcher):
    """Serves ``bekwaam-file:<sha256>`` for the allowed keys and nothing else (no http, no file:, no data:)."""

    def __init__(self, storage: Storage | None = None, allowed: dict[str, str] | None = None):
        super().__init__(allowed_protocols=())
        self.storage = storage
        self.allowed = dict(allowed or {})  # storage key -> mime type
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        key = url.removeprefix(FILE_SCHEME) if url.startswith(FILE_SCHEME) else None
        if key is None or key not in self.allowed or self.storage is None:
            self.refused.append(url)
            raise RefusedURL(f"this PDF fetches only its own stored files, not {url[:100]}")
        return URLFetcherResponse(url, self.storage.read(key), {"Content-Type": self.allowed[key]})


def font_config() -> FontConfiguration:
    config = getattr(_local, "config", None)
    if config is None:
        config = _local.config = FontConfiguration()
    return config
