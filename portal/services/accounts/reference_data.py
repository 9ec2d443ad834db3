"""Teams and themes: the defaults of DOMAIN.md, and the lists forms offer."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Team, Theme

# Migration 0001 keeps its own copy of these lists as they stood then (a migration never
# imports the app), so a change here for existing databases also wants a new migration.

# (name, what a member of the public would recognise it as)
DEFAULT_TEAMS = [
    ("SEND Team", "Special educational needs and disabilities (SEND), including EHC plans"),
    ("Assessment Teams", "Social workers who assess a child's needs"),
    ("Child Protection Teams", "Social workers who work with children on a child protection plan"),
    ("Adoption Team", "Adoption"),
    ("Connected Carers Team", "Family and friends who care for a child"),
    ("Independent Children's Reviewing Team (ICRT)", "Independent reviewing officers and child protection conferences"),
    ("Children with Disabilities Team", "Social work for disabled children"),
    ("Early Help", "Early help and family support"),
    ("Permanence Teams", "Social workers for children in care"),
    ("Education - Transport", "Home to school transport"),
    ("Fostering Team", "Fostering"),
    ("Children's Homes", "Our children's homes"),
    ("Next Steps Team", "Support for care leavers"),
    ("Business Support", "Letters, phone calls and office support"),
    ("Finance", "Payments and allowances"),
    ("Customer Feedback Team", "How we handled your feedback"),
]

DEFAULT_THEMES = [
    "Case management",
    "SEND",
    "Communication",
    "Information held",
    "Social worker conduct",
    "Delay",
    "Finance",
    "Transport",
    "Other",
]


def ensure_defaults() -> tuple[int, int]:
    """Add any default team or theme that is missing; return how many were added."""
    have_teams = set(db.session.scalars(select(Team.name)))
    have_themes = set(db.session.scalars(select(Theme.name)))
    teams = [Team(name=n, public_description=d) for n, d in DEFAULT_TEAMS if n not in have_teams]
    themes = [Theme(name=n) for n in DEFAULT_THEMES if n not in have_themes]
    db.session.add_all(teams + themes)
    return len(teams), len(themes)


def active_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.active).order_by(Team.name)))


def public_team_choices() -> list:
    """The active teams as the public forms list them: rows of (id, name,
    public_description), read as plain rows. Every view of a form reads them (a kept blank
    page's key holds them), and loading them as Team entities was most of such a view's
    time (issue 23: some 20 of its 33 ms of CPU under a profiler)."""
    teams = Team.__table__.c  # Core, not the ORM: a third of the time again
    return list(db.session.connection().execute(
        select(teams.id, teams.name, teams.public_description).where(teams.active).order_by(teams.name)))
