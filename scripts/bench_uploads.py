"""`make bench`, part "uploads": the peak memory of one upload of the worst images the pixel budget accepts.

Each case runs in a fresh worker process (this file, run with ``--probe``): the app is created on the bench
database, a student signs in and uploads one small image (so every import and cache is warm), and then the
case's image is POSTed through the upload route. The figure is how far the process's peak resident memory
(VmHWM, reset to the current size just before the POST) rises above its size before it: the decoded pixels
live in Pillow's C memory, which tracemalloc does not see, and ``ru_maxrss`` would still hold the parent's
size from before the exec. The images are the cheapest files that decode to the most memory: one colour,
so a few kB.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.files.pixels import MAX_IMAGE_PIXELS, MAX_WEBP_PIXELS  # noqa: E402

EMAIL = "uploader@bench.example"
PASSWORD = "bench-password-not-secret-2026"  # noqa: S105 - a scratch account on a scratch database
CONFIG_KEYS = ("SQLALCHEMY_DATABASE_URI", "INSTANCE_DIR", "FILE_STORAGE_DIR", "SECRET_KEY", "PUBLIC_BASE_URL")


@dataclass(frozen=True)
class Case:
    label: str
    fmt: str
    mode: str
    size: tuple[int, int]
    params: tuple[tuple[str, Any], ...] = ()
    accepted: bool = True

    @property
    def pixels(self) -> int:
        return self.size[0] * self.size[1]

    def encode(self) -> bytes:
        out = io.BytesIO()
        Image.new(self.mode, self.size).save(out, self.fmt, **dict(self.params))
        return out.getvalue()


def _square(pixels: int) -> tuple[int, int]:
    side = int(pixels**0.5)
    return side, side


_THIN = (62_500, MAX_IMAGE_PIXELS // 62_500)  # too narrow for JPEG's reduced-scale decoding to help
CASES = (
    Case("PNG, transparent, square", "PNG", "RGBA", _square(MAX_IMAGE_PIXELS), (("compress_level", 9),)),
    Case("PNG, transparent, a thin strip", "PNG", "RGBA", _THIN, (("compress_level", 9),)),
    Case("JPEG, a thin strip (decoded at full scale)", "JPEG", "RGB", _THIN),
    Case("JPEG, progressive (a 50 MP phone photo)", "JPEG", "RGB", (8160, 6120), (("progressive", True),)),
    Case("GIF, square", "GIF", "P", _square(MAX_IMAGE_PIXELS)),
    Case("WebP, lossless, transparent", "WEBP", "RGBA", _square(MAX_WEBP_PIXELS), (("lossless", True),)),
    Case("the finding's PNG: 89 MP, Pillow's limit", "PNG", "RGB", (9433, 9434), (("compress_level", 9),), False),
)


def bench_uploads(app: Flask, workdir: Path) -> dict[str, Any]:
    """Prints one row per case and returns the figures for bench-results.json."""
    from app.accounts import services as accounts
    from app.audit import Actor
    from app.extensions import db
    from app.portfolio import services as portfolio

    print(f"\nUploads: peak memory of one upload (a fresh worker each; budget {MAX_IMAGE_PIXELS:,} pixels,")
    print(f"  WebP {MAX_WEBP_PIXELS:,}; growth of the worker's peak RSS over the POST, and the time it took)")
    with app.app_context():
        system = Actor.system("bench")
        user = accounts.create_user(db.session, system, email=EMAIL, name="Uploader", password=PASSWORD)
        me = Actor(user=user)
        items = [
            portfolio.create_item(db.session, me, user, portfolio.ItemData(title=f"Upload {n}")).id
            for n in range(len(CASES))
        ]
        db.session.commit()
    config = {key: app.config[key] for key in CONFIG_KEYS}
    results = []
    for case, item_id in zip(CASES, items, strict=True):
        path = workdir / f"upload-{case.fmt.lower()}-{case.size[0]}x{case.size[1]}.{case.fmt.lower()}"
        path.write_bytes(case.encode())
        probe = json.dumps({"config": config, "item": item_id, "path": str(path), "name": path.name})
        done = subprocess.run(  # noqa: S603 - this very file, with arguments made here
            [sys.executable, __file__, "--probe", probe], capture_output=True, text=True, check=False, cwd=ROOT
        )
        if done.returncode != 0:
            sys.exit(f"upload probe failed for {case.label}:\n{done.stderr[-2000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        assert figures["accepted"] == case.accepted, (case.label, figures)
        w, h = case.size
        label = f"{case.label}: {w:,} × {h:,} ({case.pixels / 1e6:.1f} MP, {path.stat().st_size / 1024:,.0f} kB)"
        verdict = "" if case.accepted else "refused, "
        print(f"  {label:<82} {verdict}+{figures['growth_mb']:,.0f} MB · {figures['seconds']:.1f} s")
        results.append({"case": case.label, "format": case.fmt, "mode": case.mode, "width": w, "height": h,
                        "file_bytes": path.stat().st_size, **figures})  # fmt: skip
        path.unlink()
    accepted = [r for r in results if r["accepted"]]
    worst = max(accepted, key=lambda r: r["growth_mb"])
    print(f"  {'worst accepted upload: ' + worst['case']:<82} +{worst['growth_mb']:,.0f} MB")
    print(f"  {'a worker before the upload (started, signed in, one small upload)':<82} {worst['before_mb']:,.0f} MB")
    return {
        "pixel_budget": MAX_IMAGE_PIXELS,
        "webp_pixel_budget": MAX_WEBP_PIXELS,
        "worst_accepted": worst,
        "cases": results,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


# --- the worker process --------------------------------------------------------------------------------


def _memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Make VmHWM start again from the current size (Linux 4.0+)."""
    Path("/proc/self/clear_refs").write_text("5")


def probe(spec: dict[str, Any]) -> dict[str, Any]:
    from app import create_app
    from app.extensions import db
    from app.portfolio.models import Attachment
    from tests.factories import png_bytes

    app = create_app(
        {**spec["config"], "CHEAP_PASSWORD_HASHING": True, "JOBS_MODE": "eager", "RATELIMIT_ENABLED": False,
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip
    client = app.test_client()
    client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    url = f"/portfolio/items/{spec['item']}/files"
    warm = client.post(url, data={"file": (io.BytesIO(png_bytes((64, 48))), "warm.png")})
    assert warm.status_code == 302, warm.status_code
    data = Path(spec["path"]).read_bytes()
    with app.app_context():
        before_rows = db.session.query(Attachment).filter_by(item_id=spec["item"]).count()
    _reset_peak()
    before = _memory_mb("VmRSS")
    start = time.perf_counter()
    response = client.post(url, data={"file": (io.BytesIO(data), spec["name"])})
    seconds = time.perf_counter() - start
    peak = _memory_mb("VmHWM")
    assert response.status_code == 302, response.status_code
    with app.app_context():
        accepted = db.session.query(Attachment).filter_by(item_id=spec["item"]).count() == before_rows + 1
    return {
        "accepted": accepted,
        "before_mb": round(before, 1),
        "peak_mb": round(peak, 1),
        "growth_mb": round(peak - before, 1),
        "seconds": round(seconds, 2),
    }


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--probe":
    print(json.dumps(probe(json.loads(sys.argv[2]))))
