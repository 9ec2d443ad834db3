"""Benchmark: the report's JSON for a half year over many records.

Target (issue 7): with 1,000,000 feedback records spread over ten years, the JSON
report for a half year takes under 2 seconds on SQLite and on PostgreSQL. The
baseline, measured in the same run, is the report for a single day (the fixed cost
of the report's queries, with almost nothing to count).
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL; default a SQLite file in bench/data/")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from bench.inbox import _driver, prepare
    from portal.services.procedures.calendars import current_calendar
    from portal.services.reports import Period, build_report

    database = args.database or f"sqlite:///{ROOT / 'bench' / 'data' / f'report-{args.records}.sqlite3'}"
    app = prepare(_driver(database), args.records, years=10)
    end = date.today()
    half = Period(date(end.year - 1, 4, 1), date(end.year - 1, 9, 30))
    one_day = Period(half.start, half.start)
    with app.app_context():
        calendar = current_calendar()
        print(f"\n{args.records} records over ten years on "
              f"{'PostgreSQL' if database.startswith('postgresql') else 'SQLite'}, {args.repeat} runs each\n")
        print("| report | median s | slowest s |\n|---|---|---|")
        for name, period in (("baseline: one day", one_day), (f"half year {half.start} to {half.end}", half)):
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                build_report(period, calendar)
                times.append(time.perf_counter() - started)
            print(f"| {name} | {statistics.median(times):.2f} | {max(times):.2f} |")


if __name__ == "__main__":
    main()
