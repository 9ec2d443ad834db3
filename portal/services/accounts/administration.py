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


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def all_themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def _name_taken(model, name: str, except_id: int | None = None) -> bool:
    query = select(model.id).where(db.func.lower(model.name) == name.lower())
    if except_id is not None:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


def save_team(team: Team | None, name: str, public_description: str | None,
              manager_email: str | None, active: bool = True) -> Team:
    name = (name or "").strip()
    if not name:
        raise Refused("Enter the team's name", "name")
    if _name_taken(Team, name, team.id if team else None):
        raise Refused("There is already a team with this name", "name")
    if team is None:
        team = Team()
        db.session.add(team)
    team.name = name
    team.public_description = (public_description or "").strip() or None
    team.manager_email = (manager_email or "").strip().lower() or None
    team.active = active
    return team


def save_theme(theme: Theme | None, name: str, active: bool = True) -> Theme:
    name = (name or "").strip()
    if not name:
        raise Refused("Enter the theme's name", "name")
    if _name_taken(Theme, name, theme.id if theme else None):
        raise Refused("There is already a theme with this name", "name")
    if theme is None:
        theme = Theme()
        db.session.add(theme)
    theme.name = name
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
    return entry


def remove_non_working_day(entry: NonWorkingDay) -> None:
    db.session.delete(entry)
