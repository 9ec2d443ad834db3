"""Reference data administrators manage: teams, themes and extra non-working days.

Every change is a plain row change, so the audit trail records it through the session
hook. The working-days rules that read non-working days are in ``working_days``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import NonWorkingDay, Team, Theme
from portal.services.common.errors import Refused
from portal.services.procedures import reckoning


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def all_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def _named(model, record, name: str, what: str):
    """``record`` (a new one when None) with its name: entered, and no other team's (or
    theme's) name, whatever its case."""
    name = (name or "").strip()
    if not name:
        raise Refused(f"Enter the {what}'s name", "name")
    taken = select(model.id).where(db.func.lower(model.name) == name.lower())
    if record is not None:
        taken = taken.where(model.id != record.id)
    if db.session.scalar(taken) is not None:
        raise Refused(f"There is already a {what} with this name", "name")
    if record is None:
        record = model()
        db.session.add(record)
    record.name = name
    return record


def save_team(team: Team | None, name: str, public_description: str | None,
              manager_email: str | None, active: bool = True) -> Team:
    team = _named(Team, team, name, "team")
    team.public_description = (public_description or "").strip() or None
    team.manager_email = (manager_email or "").strip().lower() or None
    team.active = active
    return team


def save_theme(theme: Theme | None, name: str, active: bool = True) -> Theme:
    theme = _named(Theme, theme, name, "theme")
    theme.active = active
    return theme


def non_working_days() -> list[NonWorkingDay]:
    return list(db.session.scalars(select(NonWorkingDay).order_by(NonWorkingDay.day.desc())))


def add_non_working_day(day: date, description: str) -> NonWorkingDay:
    description = (description or "").strip()
    if not description:
        raise Refused("Enter a description, like \u2018Extra bank holiday for the coronation\u2019", "description")
    if db.session.scalar(select(NonWorkingDay.id).where(NonWorkingDay.day == day)) is not None:
        raise Refused("This date is already a non-working day", "day")
    entry = NonWorkingDay(day=day, description=description)
    db.session.add(entry)
    reckoning.forget()
    return entry


def remove_non_working_day(entry: NonWorkingDay) -> None:
    db.session.delete(entry)
    reckoning.forget()
