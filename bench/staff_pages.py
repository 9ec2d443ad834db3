"""Benchmark: every staff page with many records (issue 23, part 2).

Targets (issue 23, at 1,000,000 records): the dashboard in 50 ms median or less, the case
page in 20 ms, every staff page in 100 ms. The pages are the ones
tests/staff/test_statements_per_page.py counts statements for: every GET route under
/staff with no arguments (from the app's url_map, so that a page added later is measured
without being named here), plus a case page, a person page and a person's data-protection
page. Each is asked for as a feedback manager, or as an administrator where a feedback
manager may not open it (the admin pages). Server time is the whole request through the
Flask test client (routing, sign-in check, queries, template, the body read to its end for
a streamed download), without a network. The baseline is the public start page, measured
in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "test")

from bench.inbox import _driver, _sqlite_file, prepare  # noqa: E402

# As tests/staff/test_statements_per_page.py: signing in and out, and setting up an account.
NOT_PAGES = {"staff.sign_in", "staff.two_step", "staff.enrol", "staff.password_reset", "staff.sign_out"}
TARGETS_MS = {"/staff/": 50, "case page": 20}
EVERY_PAGE_MS = 100
# A page slower than this is asked for only this many times, so that one slow download
# does not take the run's whole time; its median is still of several requests.
SLOW_MS, SLOW_REPEAT = 1000, 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL; default a SQLite file in bench/data/")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip", action="append", default=[], metavar="PREFIX",
                        help="leave out the pages whose address starts so (may be given again)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="measure only the page of this name or address (may be given again)")
    args = parser.parse_args()

    database = args.database or _sqlite_file(args.records)
    app = prepare(_driver(database), args.records)
    with app.app_context():
        clients = [_signed_in(app, "bench-manager@example.org", "feedback_manager"),
                   _signed_in(app, "bench-admin@example.org", "administrator")]
        cases = [("baseline: public start page", "/")] + [
            (name, url) for name, url in _pages(app) if _chosen(name, url, args.only, args.skip)]

    print(f"\n{args.records} records on {'PostgreSQL' if database.startswith('postgresql') else 'SQLite'}, "
          f"{args.repeat} requests each (after 2 warm-up requests; pages slower than {SLOW_MS} ms "
          f"{SLOW_REPEAT})\n")
    print("| page | as | median ms | 90th percentile ms | median / baseline | target ms |\n"
          "|---|---|---|---|---|---|")
    baseline = None
    for name, url in cases:
        role, client = _first_let_in(clients, url)
        if client is None:
            print(f"| {name} | (answers {role} to both) | | | | |")
            continue
        role = "anyone" if url == "/" else role
        times = _timed(client, url, args.repeat)
        target = "" if url == "/" else TARGETS_MS.get(name, EVERY_PAGE_MS)
        median = statistics.median(times)
        baseline = baseline or median
        mark = "" if not target or median <= target else " (over)"
        print(f"| {name} | {role} | {median:.1f}{mark} | {times[max(int(len(times) * 0.9) - 1, 0)]:.1f} "
              f"| {median / baseline:.1f}× | {target} |", flush=True)


def _chosen(name: str, url: str, only: list[str], skip: list[str]) -> bool:
    if any(url.startswith(prefix) for prefix in skip):
        return False
    return not only or name in only or url in only


def _pages(app) -> list[tuple[str, str]]:
    """(name, url) of each staff page, as the statements-per-page test lists them."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Feedback

    routes = sorted(rule.rule for rule in app.url_map.iter_rules()
                    if rule.rule.startswith("/staff") and "GET" in rule.methods and not rule.arguments
                    and rule.endpoint not in NOT_PAGES)
    # The newest complaint, and whoever wrote it: a person with a few cases, as most have.
    reference, person_id = db.session.execute(
        select(Feedback.reference, Feedback.person_id).where(Feedback.kind == "complaint")
        .order_by(Feedback.id.desc()).limit(1)).one()
    return [(route, route) for route in routes] + [
        ("case page", f"/staff/cases/{reference}"),
        ("person page", f"/staff/people/{person_id}"),
        ("data-protection person page", f"/staff/data-protection/people/{person_id}"),
    ]


def _signed_in(app, email: str, role: str):
    """(the role in words, a client signed in with it)."""
    from bench.staff_client import signed_in

    return role.replace("_", " "), signed_in(app, email, role)


def _first_let_in(clients, url: str):
    """(role, client) of the first client the page answers 200; else (its status, None)."""
    for role, client in clients:
        response = client.get(url)
        response.get_data()
        if response.status_code == 200:
            return role, client
    return response.status_code, None


def _timed(client, url: str, repeat: int) -> list[float]:
    """Milliseconds for each request (after a second warm-up), sorted."""
    times = [_request_ms(client, url)]
    if times[0] > SLOW_MS:
        repeat = min(repeat, SLOW_REPEAT)
    times = [_request_ms(client, url) for _ in range(repeat)]
    return sorted(times)


def _request_ms(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    response.get_data()  # a streamed download does its work as it is read
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


if __name__ == "__main__":
    main()
