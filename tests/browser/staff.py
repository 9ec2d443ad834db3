"""Staff accounts for browser tests, and signing in through the real pages: the
password, then the code an authenticator app would show."""

from __future__ import annotations

import time

import pyotp

from portal.extensions import db
from portal.models import StaffUser, Team
from tests import factories

PASSWORD = "quiet orange harbour lamps"


def staff_account(email: str, name: str, role: str = "feedback_officer", team: Team | None = None) -> StaffUser:
    """An active account with two-step sign-in set up, whose password is PASSWORD."""
    return factories.staff(role, name, email=email, team=team, password=PASSWORD, enrolled=True)


def code_after(secret: str, last_step: int | None) -> str:
    """A code the portal has not seen yet: codes work once, so a second sign-in within
    the same 30 seconds uses the next one (the portal allows one step of drift)."""
    step = int(time.time()) // 30
    if last_step is not None and step <= last_step:
        step = last_step + 1
    return pyotp.TOTP(secret).at(step * 30)


def sign_in(page, user: StaffUser) -> None:
    page.goto("/staff/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/staff/sign-in/code")
    db.session.refresh(user)
    page.fill("#code", code_after(user.totp_secret, user.totp_last_step))
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff/")
