"""Benchmark: importing the interchange format.

Target (issue 7): import runs at 5,000 records a second or more in bounded memory.
The records are generated, exported to a file, then imported into an empty database.
The baseline, measured in the same run, is reading and parsing the same file as JSON
(the least any import must do). Peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--into", default=None, help="a PostgreSQL URL to import into; default a new SQLite file")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import text

    from bench.inbox import _driver, prepare
    from portal import create_app
    from portal.extensions import db
    from portal.services.interchange.export import export
    from portal.services.interchange.importer import import_file

    data = ROOT / "bench" / "data"
    data.mkdir(parents=True, exist_ok=True)
    source = prepare(f"sqlite:///{data / f'inbox-{args.records}.sqlite3'}", args.records)
    path = data / f"export-{args.records}.jsonl"
    with source.app_context(), path.open("w", encoding="utf-8") as out:
        export(out)

    started = time.perf_counter()
    with path.open(encoding="utf-8") as lines:
        parsed = sum(1 for line in lines if json.loads(line))
    baseline = time.perf_counter() - started

    target = args.into or f"sqlite:///{data / 'import-target.sqlite3'}"
    if target.startswith("sqlite"):
        Path(target.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": _driver(target), "SECRET_KEY": secrets.token_urlsafe(32)})
    with app.app_context():
        if target.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        started = time.perf_counter()
        summary = import_file(path)
        elapsed = time.perf_counter() - started
    assert summary.ok, summary.errors[:5]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{parsed} lines into {'PostgreSQL' if target.startswith('postgresql') else 'SQLite'}\n")
    print("| step | seconds | lines a second |\n|---|---|---|")
    print(f"| baseline: read and parse the file | {baseline:.1f} | {parsed / baseline:,.0f} |")
    print(f"| import (checked and loaded in one pass) | {elapsed:.1f} | {parsed / elapsed:,.0f} |")
    print(f"\npeak resident memory of the whole run: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
