"""Benchmark: what a page weighs as served, on a first visit and on the next (issue 23).

Target: the start page is at most 60 KB transferred on a first visit and under 10 KB on
the next, with the browser's cache on.

Chromium (Debian's, through Playwright) opens each page twice in one browser context, as
a visitor does: a first visit with an empty cache, then the same page again. The bytes
are what Chromium's network layer counts as received for each request (DevTools'
"transferred": the headers and the body as sent, compressed or not; Network.loadingFinished's
encodedDataLength), summed over every request the page makes; a file the cache answers
costs nothing. The baseline, in the same run against the same server, is the same two
visits with the cache off and "Accept-Encoding: identity": every file fetched whole and
uncompressed each time, which is how the portal served its pages before (no compression,
static files "no-cache", so every view asked for each again).

The portal runs in this process under Werkzeug's threaded server on loopback, on a new
SQLite database (the database makes no difference to the bytes).

    .venv/bin/python bench/page_weight.py
    .venv/bin/python bench/page_weight.py --pages / /complaint /staff/sign-in
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # so that "public" is our blueprint package (docs/development.md)
os.environ.setdefault("PORTAL_ENV", "test")

KB = 1024
FIRST_VISIT_TARGET = 60 * KB
NEXT_VISIT_TARGET = 10 * KB


def serve() -> str:
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from portal import create_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-page-weight-"))
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}", "SECRET_KEY": secrets.token_urlsafe(32),
        "RATELIMIT_ENABLED": False, "MAIL_SERVER": None, "TASK_QUEUE_URL": "memory://",
        "FILE_STORAGE_URL": f"file://{tmp / 'files'}", "BASE_URL": "http://127.0.0.1",
    })
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


class Visit:
    """The requests one page view made, with the bytes each took on the wire."""

    def __init__(self, cdp):
        self.received: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.cached: set[str] = set()
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.setdefault(e["requestId"], e["request"]["url"]))
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.loadingFinished", lambda e: self.received.__setitem__(e["requestId"], int(e["encodedDataLength"])))

    def reset(self) -> None:
        self.received.clear()
        self.urls.clear()
        self.cached.clear()

    @property
    def bytes(self) -> int:
        return sum(self.received.values())

    @property
    def fetched(self) -> int:
        return sum(1 for request, size in self.received.items() if request not in self.cached and size > 0)


def two_visits(browser, url: str, baseline: bool) -> tuple[Visit, Visit]:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if baseline:
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})
    visit = Visit(cdp)
    results = []
    for _ in range(2):
        visit.reset()
        page.goto(url, wait_until="networkidle")
        snapshot = Visit.__new__(Visit)
        snapshot.received, snapshot.urls, snapshot.cached = dict(visit.received), dict(visit.urls), set(visit.cached)
        results.append(snapshot)
    context.close()
    return results[0], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", nargs="+", default=["/", "/complaint", "/staff/sign-in"])
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import CHROMIUM, LAUNCH_ARGS

    base = serve()
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for path in args.pages:
            before = two_visits(browser, base + path, baseline=True)
            after = two_visits(browser, base + path, baseline=False)
            rows.append((path, before, after))
        browser.close()

    print("| page | baseline first visit (requests) | first visit (requests) | baseline next visit (requests) | next visit (requests) |")
    print("|---|---|---|---|---|")
    for path, (b1, b2), (a1, a2) in rows:
        cell = lambda v: f"{v.bytes / KB:.1f} KB ({v.fetched})"  # noqa: E731
        print(f"| `{path}` | {cell(b1)} | {cell(a1)} | {cell(b2)} | {cell(a2)} |")
    start = next((r for r in rows if r[0] == "/"), None)
    if start:
        _, _, (first, following) = start
        met = first.bytes <= FIRST_VISIT_TARGET and following.bytes < NEXT_VISIT_TARGET
        print(f"\nstart page: {first.bytes / KB:.1f} KB first (target <= 60 KB), "
              f"{following.bytes / KB:.1f} KB next (target < 10 KB): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
