"""Staff accounts: creating and inviting, one-time links (set-up and password reset),
and the administrator's changes: role, team, deactivation, two-step reset.

Changes to ``StaffUser`` rows reach the audit trail through the session hook; the
explicit entries here name the action ("invited", "two_step_reset") as well.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app, render_template
from sqlalchemy import select

from portal.extensions import db
from portal.models import STAFF_ROLES, StaffToken, StaffUser, Team
from portal.services import audit, auth, dates, outbox, passwords
from portal.services.permissions import permissions_of

INVITE = "invite"
RESET = "reset"
# Where the links go: the staff blueprint's set-up and reset pages (a test checks these
# paths still lead to those views).
LINK_PATHS = {INVITE: "/staff/set-up/", RESET: "/staff/reset-password/"}


class StaffAccountError(ValueError):
    """A change an administrator asked for that cannot be made; the message says why."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Invitation:
    user: StaffUser
    link: str


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def link_for(purpose: str, token: str) -> str:
    return current_app.config["BASE_URL"] + LINK_PATHS[purpose] + token


def _check_role_and_team(role: str, team_id: int | None) -> None:
    if role not in STAFF_ROLES:
        raise StaffAccountError("Select a role", "role")
    if team_id is not None and db.session.get(Team, team_id) is None:
        raise StaffAccountError("Select a team from the list", "team")
    if role == "team_manager" and team_id is None:
        raise StaffAccountError("Select the team this team manager manages", "team")


def create(email: str, name: str, role: str, team_id: int | None = None) -> Invitation:
    """A new account with no password yet, and a one-time link to set one up and enrol
    two-step sign-in (valid for INVITE_VALID_DAYS). Not committed here."""
    email = auth.normalise_email(email)
    name = (name or "").strip()
    if not email or "@" not in email:
        raise StaffAccountError("Enter an email address in the correct format, like name@example.com", "email")
    if not name:
        raise StaffAccountError("Enter their full name", "name")
    _check_role_and_team(role, team_id)
    if auth.find_user(email) is not None:
        raise StaffAccountError("There is already an account with this email address", "email")
    user = StaffUser(email=email, name=name, role=role, team_id=team_id, active=True)
    db.session.add(user)
    db.session.flush()
    link = _new_link(user, INVITE, timedelta(days=current_app.config["INVITE_VALID_DAYS"]))
    audit.record(None, "invited", "staff_user", user.id, new={"email": email, "role": role})
    return Invitation(user, link)


def invite(email: str, name: str, role: str, team_id: int | None = None) -> Invitation:
    """Create the account and send the link by email through the outbox; committed."""
    invitation = create(email, name, role, team_id)
    _send(invitation.user, "Set up your account", "staff/email/invite.txt", invitation.link,
          "staff_invite", days=current_app.config["INVITE_VALID_DAYS"])
    db.session.commit()
    return invitation


def resend_invitation(user: StaffUser) -> Invitation:
    """A fresh set-up link for someone who has not finished setting up; older links stop working."""
    _expire_links(user, INVITE)
    link = _new_link(user, INVITE, timedelta(days=current_app.config["INVITE_VALID_DAYS"]))
    _send(user, "Set up your account", "staff/email/invite.txt", link, "staff_invite",
          days=current_app.config["INVITE_VALID_DAYS"])
    audit.record(None, "invitation_resent", "staff_user", user.id)
    db.session.commit()
    return Invitation(user, link)


def _new_link(user: StaffUser, purpose: str, valid_for: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(StaffToken(user_id=user.id, purpose=purpose, token_hash=_sha256(token),
                              expires_at=dates.now_utc() + valid_for))
    return link_for(purpose, token)


def _expire_links(user: StaffUser | None, purpose: str) -> None:
    """Spend the unused links of this purpose (None: look for them all the same, and find
    none, so that a request for an unknown address costs what a known one does)."""
    now = dates.now_utc()
    for token in db.session.scalars(select(StaffToken).where(
        StaffToken.user_id == (user.id if user is not None else None), StaffToken.purpose == purpose, StaffToken.used_at.is_(None)
    )):
        token.used_at = now


def _send(user: StaffUser, subject: str, template: str, link: str, purpose: str, **context) -> None:
    body = render_template(template, user=user, link=link, **context)
    outbox.queue(user.email, subject, body, purpose)


# --- Following a link ------------------------------------------------------------------


def find_link(token: str, purpose: str) -> StaffToken | None:
    """The unused, unexpired link for an active account, or None."""
    found = db.session.scalar(select(StaffToken).where(
        StaffToken.token_hash == _sha256(token or ""), StaffToken.purpose == purpose
    ))
    if found is None or found.used_at is not None or found.expires_at <= dates.now_utc():
        return None
    if not found.user.active:
        return None
    return found


def set_password(link: StaffToken, password: str) -> StaffUser:
    """Use a set-up or reset link: the password changes, the link is spent, every session
    of the account ends and its failed sign-ins are forgotten. Committed."""
    user = link.user
    refusal = passwords.problem(password, user.email, user.name)
    if refusal:
        raise StaffAccountError(refusal, "password")
    user.password_hash = passwords.hash_password(password)
    link.used_at = dates.now_utc()
    _expire_links(user, link.purpose)
    auth.end_all_sessions(user, "password_changed")
    auth.clear_failures(user.email)
    audit.record(user, "password_set" if link.purpose == INVITE else "password_reset",
                 "staff_user", user.id)
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Send a reset link if the address has an active, set-up account; otherwise send
    nothing. The person is told the same either way, and the same work is done either
    way, so that how long the answer takes does not tell whether the address has an
    account: the links of the account are looked up, a token is made and the message
    written (to a stand-in when there is no account), the request is audited and the
    transaction committed. Only an account gets the token stored and the message queued."""
    user = auth.find_user(email)
    usable = user is not None and user.active and user.password_hash is not None
    _expire_links(user if usable else None, RESET)
    minutes = current_app.config["PASSWORD_RESET_VALID_MINUTES"]
    token = secrets.token_urlsafe(32)
    to = user if usable else SimpleNamespace(id=None, name="", email=auth.normalise_email(email))
    body = render_template("staff/email/password_reset.txt", user=to, link=link_for(RESET, token),
                           minutes=minutes)
    if usable:
        db.session.add(StaffToken(user_id=user.id, purpose=RESET, token_hash=_sha256(token),
                                  expires_at=dates.now_utc() + timedelta(minutes=minutes)))
        outbox.queue(user.email, "Reset your password", body, "password_reset")
    audit.record(None, "password_reset_requested", "staff_user" if usable else None,
                 user.id if usable else None, new={"account": usable})
    db.session.commit()


# --- A person's own account ------------------------------------------------------------

WRONG_CURRENT = "Enter your current password correctly"


def _check_current(user: StaffUser, current: str) -> None:
    # A wrong current password counts as a failed sign-in: a borrowed, unlocked screen
    # cannot be used to guess it.
    if auth.is_locked(user.email) or not passwords.verify(user.password_hash, current):
        auth.count_failure(user, "own_account")
        raise StaffAccountError(WRONG_CURRENT, "current_password")


def change_own_password(user: StaffUser, current: str, new: str) -> None:
    """Change your own password: the current one first; then every session of the account
    ends (sign in again with the new one). Committed."""
    _check_current(user, current)
    refusal = passwords.problem(new, user.email, user.name)
    if refusal:
        raise StaffAccountError(refusal, "password")
    user.password_hash = passwords.hash_password(new)
    auth.end_all_sessions(user, "password_changed")
    audit.record(user, "password_changed", "staff_user", user.id)
    db.session.commit()


def new_recovery_codes(user: StaffUser, current: str) -> list[str]:
    """Ten new recovery codes for yourself (the old ones stop working), after your
    current password. Shown once. Committed."""
    _check_current(user, current)
    codes = auth.issue_recovery_codes(user)
    audit.record(user, "recovery_codes_renewed", "staff_user", user.id)
    db.session.commit()
    return codes


# --- An administrator's changes ---------------------------------------------------------


def change(user: StaffUser, role: str, team_id: int | None) -> None:
    _check_role_and_team(role, team_id)
    user.role = role
    user.team_id = team_id
    db.session.commit()


def deactivate(user: StaffUser, by: StaffUser | None = None) -> None:
    if by is not None and by.id == user.id:
        raise StaffAccountError("You cannot deactivate your own account")
    user.active = False
    auth.end_all_sessions(user, "deactivated")
    _expire_links(user, INVITE)
    _expire_links(user, RESET)
    db.session.commit()


def reactivate(user: StaffUser) -> None:
    user.active = True
    db.session.commit()


def reset_two_step(user: StaffUser) -> None:
    """Forget the authenticator app and recovery codes: the person enrols again at their
    next sign-in, and is signed out everywhere now."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    auth.revoke_recovery_codes(user)
    auth.end_all_sessions(user, "two_step_reset")
    audit.record(None, "two_step_reset", "staff_user", user.id)
    db.session.commit()


def unlock(user: StaffUser) -> None:
    """End a sign-in lock on this person's email address before it runs out."""
    auth.clear_failures(user.email)
    audit.record(None, "sign_in_unlocked", "staff_user", user.id)
    db.session.commit()


def is_ready_for_work(user: StaffUser) -> bool:
    """Active, and set up: they followed their invitation and chose a password."""
    return bool(user.active) and user.password_hash is not None


def ready_staff(permission: str | None = None, role: str | None = None) -> list[StaffUser]:
    """The staff the portal offers wherever someone is given work (a case's assignee, a
    stage's officer or Investigating Officer, an Independent Person or panel member, an
    action's owner), by name: active accounts that have been set up, with ``permission``
    or ``role`` when given. Issue 13: accounts never set up and inactive ones were offered,
    and work given to them reached nobody."""
    query = select(StaffUser).where(StaffUser.active.is_(True), StaffUser.password_hash.is_not(None))
    if role is not None:
        query = query.where(StaffUser.role == role)
    users = db.session.scalars(query.order_by(StaffUser.name, StaffUser.id))
    return [u for u in users if permission is None or permission in permissions_of(u.role)]


def all_staff() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name)))
