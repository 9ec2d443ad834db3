""""Download this list as CSV": the inbox's list, as the filters make it, one line a record.

The same rows, columns and words the list shows to the person downloading (what their role
may see: ``inbox.every_row`` applies ``visible_feedback``), dates as ISO dates so that a
spreadsheet reads them as dates, every cell through ``safe_cell`` (no text runs as a
formula). Written a few hundred lines at a time, so a list of any length streams in bounded
memory.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from datetime import date

from portal.models import StaffUser
from portal.services.common import audit
from portal.services.common.spreadsheet_cells import safe_cell
from portal.services.triage import inbox
from portal.services.triage.inbox import InboxFilters, InboxRow

COLUMNS = ("Reference", "What", "From", "Team", "Received", "Due", "Assigned to", "Status")


def cells(row: InboxRow, today: date) -> list:
    """One record's cells, in the order of COLUMNS (the list's columns)."""
    return [
        row.reference,
        row.what(),
        row.person_name or "Anonymous",
        row.team_name or "",
        row.received_on.isoformat(),
        row.due_on.isoformat() if row.due_on else "",
        row.assigned_to_name or "Nobody",
        ", ".join(row.flags(today)),
    ]


def record_download(user: StaffUser, filters: InboxFilters, query: str) -> None:
    """The download in the audit trail, with the filters it was made with (the caller
    commits, before the first line goes)."""
    chosen = {k: v for k, v in asdict(filters).items() if v not in (None, "", False)}
    audit.record(user, "export", "inbox_csv", None, new={"filters": chosen, "query": query[:500]})


# Lines sent together: each piece a response sends costs the server (and the network) as
# much again as writing its lines; a few hundred lines (some 30 KB) is still streaming.
LINES_A_PIECE = 250


def lines(user: StaffUser, filters: InboxFilters, today: date, batch: int = 1000):
    """The CSV in pieces of up to ``LINES_A_PIECE`` lines (a header, then a line a record),
    each piece sent as it is made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the byte-order mark tells Excel it is UTF-8
    writer.writerow(COLUMNS)
    waiting = 1
    for row in inbox.every_row(user, filters, today, batch):
        writer.writerow([safe_cell(v) for v in cells(row, today)])
        waiting += 1
        if waiting >= LINES_A_PIECE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            waiting = 0
    if waiting:
        yield buffer.getvalue()
