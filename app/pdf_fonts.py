"""One WeasyPrint FontConfiguration per thread, reused across renders (about a quarter faster per PDF
than a fresh one each time; WeasyPrint objects are not shared between threads)."""

from __future__ import annotations

import threading

from weasyprint.text.fonts import FontConfiguration

_local = threading.local()


def font_config() -> FontConfiguration:
    config = getattr(_local, "config", None)
    if config is None:
        config = _local.config = FontConfiguration()
    return config
