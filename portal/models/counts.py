"""Counts the database keeps as records change, for pages that would otherwise count
every open record on each view."""

from datetime import date

from sqlalchemy import Date, Integer
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class OpenRecordCount(db.Model):
    """How many records not closed there are of each team and due date, and how many of
    them are initial contacts in no procedure: kept by triggers on feedback (migration
    0030) as a record is added, changed (status, team, due date, kind, procedure) or
    removed, whatever writes it (the services, the import, a Core statement). The
    dashboard's overdue, due this week and open initial contacts are sums of these rows,
    where counting them read every open record's index entry (192,000 and 100,000 at
    1,000,000 records). A record with no team counts under team_key 0, one with no due
    date under due_key 9999-12-31 (the inbox's order puts those last too); a row is
    removed when its count falls to 0."""

    __tablename__ = "open_record_count"

    team_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    due_key: Mapped[date] = mapped_column(Date, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    initial_contacts: Mapped[int] = mapped_column(Integer)
