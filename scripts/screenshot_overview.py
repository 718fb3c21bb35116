"""Capture docs/overview.png: the overview page (/overview) over the demo store, in headless Chromium.

    .venv/bin/python scripts/screenshot_overview.py [--out docs/overview.png] [--chromium /usr/bin/chromium]

Builds the store as ``duban demo`` does (corpus/demo served on 127.0.0.1, one
nightly run into a fresh store), then runs the track stage as of the 1st and
the 15th of each month of 2025 up to the page's date, each recorded in
``runs`` exactly as ``duban track --as-of DATE`` records it, so the overdue
trend has a history to draw. The page is served on 127.0.0.1 and captured at
1280 px; nothing leaves the machine. Needs Playwright and Chromium with CJK
fonts (Debian: chromium, fonts-noto-cjk); refuses to write a picture of tofu.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEMO = ROOT / "corpus" / "demo"
AS_OF = dt.date(2025, 8, 1)            # after the last demo document: some tasks done, some overdue, some open
MAX_BYTES = 300 * 1024


def _twice_a_month(first: dt.date, last: dt.date) -> list[dt.date]:
    """The 1st and the 15th of each month from ``first`` to ``last``, and ``last``."""
    days, day = [], first
    while day < last:
        days.append(day)
        day = day.replace(day=15) if day.day < 15 else (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return days + [last]


def build_demo_store(db_path: Path, as_of: dt.date = AS_OF, history: bool = True) -> None:
    """The demo store as of ``as_of``. With ``history``, the nightly run is dated the 1st of January and the
    track stage then runs twice a month up to ``as_of``, as a store that ran all year would have recorded."""
    from pipeline.crawl.config import load_sites
    from pipeline.crawl.demo_site import DemoSite
    from pipeline.nightly.orchestrate import run
    from pipeline.store import open_db
    from pipeline.store.runs import now_iso, record_run
    from pipeline.track.tracker import track_store

    with tempfile.TemporaryDirectory(prefix="duban-shot-") as tmp, DemoSite(DEMO) as site:
        sites = Path(tmp) / "sites.toml"
        sites.write_text(site.sites_toml(), encoding="utf-8")
        days = _twice_a_month(dt.date(as_of.year, 1, 1), as_of) if history else [as_of]
        summary = run(str(db_path), load_sites(sites), "nightly", as_of=days[0])
    if summary.status not in ("ok", "partial"):
        raise SystemExit(f"demo nightly run failed: {summary.status} {summary.errors()}")
    db = open_db(db_path)
    try:
        for day in days[1:]:                      # what `duban track --as-of DAY` records, night after night
            started = now_iso()
            record_run(db, "track", started, track_store(db, as_of=day), [], "ok")
    finally:
        db.conn.close()


def _cjk_fonts() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return [line for line in out.splitlines() if line.strip()]


def _shrink(png: bytes) -> bytes:
    """The PNG as a 256-colour palette image when it is over MAX_BYTES (the page is flat colours)."""
    if len(png) <= MAX_BYTES:
        return png
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def capture(out: Path, chromium: Path, width: int = 1280) -> int:
    """Build, serve, capture; returns the size of the PNG written."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log(self, *_args: object) -> None:       # one line per request would bury the script's own
            pass

    from pipeline.web.app import create_app

    if not _cjk_fonts():
        raise SystemExit("no CJK font (fc-list :lang=zh is empty): install fonts-noto-cjk first")
    with tempfile.TemporaryDirectory(prefix="duban-shot-") as tmp:
        db_path = Path(tmp) / "duban.db"
        build_demo_store(db_path)
        server = make_server("127.0.0.1", 0, create_app(str(db_path), secret_key="screenshot", as_of=AS_OF),
                             threaded=True, request_handler=Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(chromium), headless=True)
                page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
                page.goto(f"http://127.0.0.1:{server.server_port}/overview")
                page.wait_for_selector("svg#chart-trend")
                png = page.screenshot(full_page=True)
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=5)
    png = _shrink(png)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    return len(png)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "overview.png")
    parser.add_argument("--chromium", type=Path, default=Path("/usr/bin/chromium"))
    args = parser.parse_args()
    size = capture(args.out, args.chromium)
    print(f"{args.out}: {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
