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
from portal.models import StaffToken, StaffUser, Team
from portal.services.common.labels import StaffRole
from portal.services.common import audit, dates, held, outbox
from portal.services.accounts import auth, passwords
from portal.services.intake.people import is_email
from portal.services.accounts.permissions import has_permission, permissions_of
from portal.services.common.errors import Refused

INVITE = "invite"
RESET = "reset"
# Where the links go: the staff blueprint's set-up and reset pages (a test checks these
# paths still lead to those views).
LINK_PATHS = {INVITE: "/staff/set-up/", RESET: "/staff/reset-password/"}


@dataclass
class Invitation:
    user: StaffUser
    link: str


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def link_for(purpose: str, token: str) -> str:
    return current_app.config["BASE_URL"] + LINK_PATHS[purpose] + token


def _check_role_and_team(role: str, team_id: int | None) -> None:
    if role not in StaffRole:
        raise Refused("Select a role", "role")
    if team_id is not None and db.session.get(Team, team_id) is None:
        raise Refused("Select a team from the list", "team")
    if role == "team_manager" and team_id is None:
        raise Refused("Select the team this team manager manages", "team")


def create(email: str, name: str, role: str, team_id: int | None = None) -> Invitation:
    """A new account with no password yet, and a set-up link to give them by hand (the
    command line prints it; it is never stored)."""
    return set_up_link_now(_new_account(email, name, role, team_id))


def _new_account(email: str, name: str, role: str, team_id: int | None = None,
                 by: StaffUser | None = None) -> StaffUser:
    """A new account with no password yet.

    ``by`` is the member of staff making it (None: the command line); a role that sees
    cases, given by anyone but a feedback manager, waits for one to approve."""
    email = auth.normalise_email(email)
    name = (name or "").strip()
    if not email or not is_email(email):
        raise Refused("Enter an email address in the correct format, like name@example.com", "email")
    if not name:
        raise Refused("Enter their full name", "name")
    _check_role_and_team(role, team_id)
    if auth.find_user(email) is not None:
        raise Refused("There is already an account with this email address", "email")
    user = StaffUser(email=email, name=name, role=role, team_id=team_id, active=True)
    if by is not None and gives_case_access(role, team_id) and not can_give_case_access(by):
        user.case_access_requested_by_id = by.id
    db.session.add(user)
    db.session.flush()
    audit.record(None, "invited", "staff_user", user.id, new={"email": email, "role": role})
    return user


def set_up_link_now(user: StaffUser) -> Invitation:
    """A set-up link shown once, here and now (the command line prints it); never stored."""
    if user.password_hash is not None:
        raise Refused("This account is already set up")
    _expire_links(user, INVITE)
    return Invitation(user, _new_link(user, INVITE, _valid_for(INVITE)))


def invite(email: str, name: str, role: str, team_id: int | None = None,
           by: StaffUser | None = None) -> StaffUser:
    """Create the account and send a set-up link by email through the outbox."""
    user = _new_account(email, name, role, team_id, by=by)
    _send(user, "Set up your account", "staff/email/invite.txt", INVITE, "staff_invite",
          days=current_app.config["INVITE_VALID_DAYS"])
    return user


def resend_invitation(user: StaffUser) -> None:
    """A fresh set-up link for someone who has not finished setting up; older links stop
    working when it is sent."""
    if user.password_hash is not None:
        raise Refused(f"{user.name} has already set up their account")
    if not user.active:
        raise Refused(f"{user.name}\u2019s account is deactivated")
    _send(user, "Set up your account", "staff/email/invite.txt", INVITE, "staff_invite",
          days=current_app.config["INVITE_VALID_DAYS"])
    audit.record(None, "invitation_resent", "staff_user", user.id)


def _valid_for(purpose: str) -> timedelta:
    if purpose == INVITE:
        return timedelta(days=current_app.config["INVITE_VALID_DAYS"])
    return timedelta(minutes=current_app.config["PASSWORD_RESET_VALID_MINUTES"])


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


def _send(user: StaffUser, subject: str, template: str, purpose: str, mail_purpose: str,
          **context) -> None:
    """Queue the mail with a placeholder: its link is made as it is sent (link_to_send)."""
    body = render_template(template, user=user, link=outbox.LINK, **context)
    outbox.queue(user.email, subject, body, mail_purpose, link_ref=f"{purpose}:{user.id}")


def link_to_send(user_id: int, purpose: str) -> str:
    """The link for a set-up or reset mail being sent now (the outbox calls this): a new
    token, stored hashed, valid from now; earlier unused links of the kind stop working.
    In the caller's transaction. A link that is no longer needed is never made."""
    user = db.session.get(StaffUser, user_id)
    if user is None or not user.active:
        raise outbox.Undeliverable("Not sent: the account has been deactivated")
    if purpose == INVITE and user.password_hash is not None:
        raise outbox.Undeliverable("Not sent: the account is already set up")
    if purpose == RESET and user.password_hash is None:
        raise outbox.Undeliverable("Not sent: the account has not been set up yet")
    _expire_links(user, purpose)
    return _new_link(user, purpose, _valid_for(purpose))


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
    if purpose == INVITE and found.user.password_hash is not None:
        return None  # an account already set up is never set up again by a link
    return found


def set_password(link: StaffToken, password: str) -> StaffUser:
    """Use a set-up or reset link: the password changes, the link is spent, every session
    of the account ends and its failed sign-ins are forgotten."""
    user = link.user
    refusal = passwords.problem(password, user.email, user.name)
    if refusal:
        raise Refused(refusal, "password")
    user.password_hash = passwords.hash_password(password)
    link.used_at = dates.now_utc()
    _expire_links(user, link.purpose)
    auth.end_all_sessions(user, "password_changed")
    auth.clear_failures(user.email)
    audit.record(user, "password_set" if link.purpose == INVITE else "password_reset",
                 "staff_user", user.id)
    return user


def request_password_reset(email: str) -> None:
    """Send a reset link if the address has an active, set-up account; otherwise send
    nothing. The person is told the same either way, and the same work is done either
    way, so that how long the answer takes does not tell whether the address has an
    account: the message is written (to a stand-in when there is no account), the request
    is audited, and the caller then commits either way. Only an account gets the message
    queued; its link and token are made as it is sent."""
    user = auth.find_user(email)
    usable = user is not None and user.active and user.password_hash is not None
    to = user if usable else SimpleNamespace(id=None, name="", email=auth.normalise_email(email))
    body = render_template("staff/email/password_reset.txt", user=to, link=outbox.LINK,
                           minutes=current_app.config["PASSWORD_RESET_VALID_MINUTES"])
    if usable:  # the link itself is made as the mail is sent (link_to_send)
        outbox.queue(user.email, "Reset your password", body, "password_reset", link_ref=f"{RESET}:{user.id}")
    audit.record(None, "password_reset_requested", "staff_user" if usable else None,
                 user.id if usable else None, new={"account": usable})


# --- A person's own account ------------------------------------------------------------

WRONG_CURRENT = "Enter your current password correctly"


def _check_current(user: StaffUser, current: str) -> None:
    # A wrong current password counts as a failed sign-in: a borrowed, unlocked screen
    # cannot be used to guess it.
    if auth.is_locked(user.email) or not passwords.verify(user.password_hash, current):
        auth.count_failure(user, "own_account")
        raise Refused(WRONG_CURRENT, "current_password")


def change_own_password(user: StaffUser, current: str, new: str) -> None:
    """Change your own password: the current one first; then every session of the account
    ends (sign in again with the new one)."""
    _check_current(user, current)
    refusal = passwords.problem(new, user.email, user.name)
    if refusal:
        raise Refused(refusal, "password")
    user.password_hash = passwords.hash_password(new)
    auth.end_all_sessions(user, "password_changed")
    audit.record(user, "password_changed", "staff_user", user.id)


def new_recovery_codes(user: StaffUser, current: str) -> list[str]:
    """Ten new recovery codes for yourself (the old ones stop working), after your
    current password. Shown once."""
    _check_current(user, current)
    codes = auth.issue_recovery_codes(user)
    audit.record(user, "recovery_codes_renewed", "staff_user", user.id)
    return codes


# --- An administrator's changes ---------------------------------------------------------


def gives_case_access(role: str, team_id: int | None) -> bool:
    """Whether an account with this role (and team) would see cases."""
    return "view_cases" in permissions_of(role)


def can_give_case_access(by: StaffUser) -> bool:
    return has_permission(by, "approve_case_access")


def change(user: StaffUser, role: str, team_id: int | None, by: StaffUser | None = None) -> None:
    """A new role and team. Nobody changes their own. A change that gives case access (a
    role that sees cases and may do more than before, or a team manager's new team) made
    by anyone but a feedback manager
    leaves the account able to do nothing until a feedback manager approves it."""
    if by is not None and by.id == user.id and (role != user.role or team_id != user.team_id):
        raise Refused("You cannot change your own role or team", "role")
    _check_role_and_team(role, team_id)
    grants = gives_case_access(role, team_id) and (
        not permissions_of(role) <= permissions_of(user.role)
        or (role == user.role == "team_manager" and team_id != user.team_id))
    user.role = role
    user.team_id = team_id
    if not gives_case_access(role, team_id):
        user.case_access_requested_by_id = None
    elif grants and by is not None and not can_give_case_access(by):
        user.case_access_requested_by_id = by.id


def awaiting_case_access() -> list[StaffUser]:
    return list(db.session.scalars(
        select(StaffUser).where(StaffUser.case_access_requested_by_id.is_not(None)).order_by(StaffUser.name)))


def approve_case_access(user: StaffUser, by: StaffUser) -> None:
    """A feedback manager approves the case access someone else gave. Not their own, nor
    one they asked for."""
    if not can_give_case_access(by):
        raise Refused("Only a feedback manager can approve access to cases")
    if not user.awaiting_case_access:
        raise Refused(f"{user.name}\u2019s access is not waiting for approval")
    if by.id in (user.id, user.case_access_requested_by_id):
        raise Refused("Someone else must approve this: you cannot approve your own "
                      "access or a change you asked for")
    requested_by = user.case_access_requested_by_id
    user.case_access_requested_by_id = None
    audit.record(by, "case_access_approved", "staff_user", user.id,
                 new={"role": user.role, "team_id": user.team_id, "requested_by": requested_by})


def deactivate(user: StaffUser, by: StaffUser | None = None) -> None:
    if by is not None and by.id == user.id:
        raise Refused("You cannot deactivate your own account")
    user.active = False
    auth.end_all_sessions(user, "deactivated")
    _expire_links(user, INVITE)
    _expire_links(user, RESET)


def reactivate(user: StaffUser, by: StaffUser | None = None) -> None:
    """Reactivating an account that sees cases gives its case access back, so when anyone
    but a feedback manager does it, a feedback manager approves it first."""
    if by is not None and by.id == user.id:
        raise Refused("You cannot reactivate your own account")
    user.active = True
    if by is not None and gives_case_access(user.role, user.team_id) and not can_give_case_access(by):
        user.case_access_requested_by_id = by.id


def reset_two_step(user: StaffUser) -> None:
    """Forget the authenticator app and recovery codes: the person enrols again at their
    next sign-in, and is signed out everywhere now."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    auth.revoke_recovery_codes(user)
    auth.end_all_sessions(user, "two_step_reset")
    audit.record(None, "two_step_reset", "staff_user", user.id)


def unlock(user: StaffUser) -> None:
    """End a sign-in lock on this person's email address before it runs out."""
    auth.clear_failures(user.email)
    audit.record(None, "sign_in_unlocked", "staff_user", user.id)


def is_ready_for_work(user: StaffUser) -> bool:
    """Active, and set up: they followed their invitation and chose a password."""
    return bool(user.active) and user.password_hash is not None


def ready_staff(permission: str | None = None, role: str | None = None) -> list[StaffUser]:
    """The staff the portal offers wherever someone is given work (a case's assignee, a
    stage's officer or Investigating Officer, an Independent Person or panel member, an
    action's owner), by name: active accounts that have been set up, with ``permission``
    or ``role`` when given. Issue 13: accounts never set up and inactive ones were offered,
    and work given to them reached nobody. Read once within a ``held.holding`` (the case
    page offers them in several of its forms)."""
    users = held.once("ready staff", _read_ready_staff)
    return [u for u in users if (role is None or u.role == role)
            and (permission is None or permission in permissions_of(u.role))]


def _read_ready_staff() -> list[StaffUser]:
    return list(db.session.scalars(
        select(StaffUser).where(StaffUser.active.is_(True), StaffUser.password_hash.is_not(None))
        .order_by(StaffUser.name, StaffUser.id)))


def all_staff() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name)))
