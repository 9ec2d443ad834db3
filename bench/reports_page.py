"""Benchmark: the staff reports page against the JSON report for the same period.

Target (issue 23): the reports page for any period takes at most 1.5 times the JSON report
for that period. Both are measured in the same run, for a half year (April to September of
last year, the period bench/report.py times) and for the page's default, this financial year
to date. The page is asked through the Flask test client, signed in as a feedback manager
(routing, sign-in check, queries, charts, template; no network); the JSON report is
``build_report`` written out as ``flask report`` writes it.

A first view is one whose charts are not yet drawn (the drawn charts are let go before it);
a repeat view of the same period finds them drawn. Each period's figures are printed with
their ratio to the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL; default a SQLite file in bench/data/")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of one first view")
    args = parser.parse_args()

    from bench.inbox import _driver, prepare

    database = args.database or _sqlite_file(args.records)
    app = prepare(_driver(database), args.records, years=10)
    client = _signed_in(app)
    last_year = date.today().year - 1
    periods = [("half year", f"from={last_year}-04-01&to={last_year}-09-30"), ("year to date (the default)", "")]
    print(f"\n{args.records} records over ten years on "
          f"{'PostgreSQL' if database.startswith('postgresql') else 'SQLite'}, {args.repeat} runs each\n")
    print("| period | JSON median s | page, first view, median s | ratio | page, repeat view, median s | ratio |")
    print("|---|---|---|---|---|---|")
    for name, query in periods:
        url = f"/staff/reports?{query}" if query else "/staff/reports"
        period = _period_of(app, query)
        assert client.get(url).status_code == 200, url  # warm: imports, templates, the database's cache
        figures, first, again = _interleaved(args.repeat, lambda: _json_report(app, period),
                                             lambda: _page(client, url, fresh=True),
                                             lambda: _page(client, url, fresh=False))
        print(f"| {name} {period.start} to {period.end} | {figures:.2f} | {first:.2f} | {first / figures:.2f} "
              f"| {again:.2f} | {again / figures:.2f} |")
        if args.profile:
            _profile(client, url)


def _signed_in(app):
    from bench.staff_client import signed_in

    return signed_in(app, "bench-reports@example.org", "feedback_manager", "Bench Manager")


def _period_of(app, query: str):
    """The period the page shows for ``query``, read as the page reads it."""
    from werkzeug.datastructures import MultiDict
    from urllib.parse import parse_qsl

    from staff.reports.views import read_period

    with app.app_context():
        return read_period(MultiDict(parse_qsl(query)), date.today()).period


def _json_report(app, period) -> None:
    from portal.services.procedures.calendars import current_calendar
    from portal.services.procedures.timescales import current_timescales
    from portal.services.reports import build_report

    with app.app_context():
        json.dumps(build_report(period, current_calendar(), current_timescales()), indent=2, ensure_ascii=False)


def _page(client, url: str, fresh: bool) -> None:
    if fresh:
        _forget_charts()
    response = client.get(url)
    assert response.status_code == 200, url


def _forget_charts() -> None:
    from portal.services.reports import charts

    forget = getattr(charts, "forget_drawn", None)  # absent before the charts were kept
    if forget:
        forget()


def _interleaved(repeat: int, *runs) -> list[float]:
    """Each run's median time, the runs taken in turn (the JSON, a first view, a repeat
    view, then again), so that a change in the machine's load falls on all of them alike
    rather than on whichever was timed in that minute."""
    times = [[] for _ in runs]
    for _ in range(repeat):
        for run, kept in zip(runs, times):
            started = time.perf_counter()
            run()
            kept.append(time.perf_counter() - started)
    return [statistics.median(kept) for kept in times]


def _profile(client, url: str) -> None:
    import cProfile
    import pstats

    _forget_charts()
    profile = cProfile.Profile()
    profile.runcall(client.get, url)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


def _sqlite_file(records: int) -> str:
    folder = ROOT / "bench" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'report-{records}.sqlite3'}"


if __name__ == "__main__":
    main()
