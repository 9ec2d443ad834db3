"""Signing in: password, then a code from an authenticator app (or a recovery code),
with failures counted, slowed and locked; and the server-side session that follows.

Failures are counted per email address as typed (``SignInThrottle``), for addresses
with an account and without alike, so nothing a person sees or waits for tells them
whether an address has an account. Only a complete sign-in (both steps) clears the
count: a right password alone never does, or a stolen password would reset the
counter between guesses at the code.

Unlike other services (portal.services), this module commits its own changes: a failure
must be counted even though the request then refuses the sign-in, and the session is
read, renewed and ended around every staff request (portal/auth.py), outside the
transaction of whatever view runs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import RecoveryCode, SignInThrottle, StaffSession, StaffToken, StaffUser
from portal.services.common import audit, dates
from portal.services.accounts import passwords

TOTP_ISSUER_FALLBACK = "Feedback portal"
RECOVERY_CODES = 10

# Refusals, as the sign-in pages word them.
WRONG = "wrong"
WAIT = "wait"
LOCKED = "locked"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def find_user(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


# --- Throttling ------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    reason: str  # WRONG, WAIT or LOCKED
    wait_seconds: int = 0

    @property
    def wait_minutes(self) -> int:
        return max(1, -(-self.wait_seconds // 60))


def _settings():
    cfg = current_app.config
    return (cfg["SIGN_IN_SLOW_AFTER"], timedelta(seconds=cfg["SIGN_IN_SLOW_SECONDS"]),
            cfg["SIGN_IN_LOCK_AFTER"], timedelta(minutes=cfg["SIGN_IN_LOCK_MINUTES"]))


def _throttle(email: str) -> SignInThrottle:
    key = _sha256(normalise_email(email))
    throttle = db.session.get(SignInThrottle, key)
    if throttle is None:
        throttle = SignInThrottle(key=key, failures=0)
        db.session.add(throttle)
    return throttle


def _held_back(throttle: SignInThrottle, now: datetime) -> Refusal | None:
    """Whether this address must wait before its next try (without counting it)."""
    slow_after, slow_for, _, _ = _settings()
    if throttle.locked_until is not None:
        if now < throttle.locked_until:
            return Refusal(LOCKED, int((throttle.locked_until - now).total_seconds()))
        # The lock has run out: start again with a clean count.
        throttle.locked_until = None
        throttle.failures = 0
    if throttle.failures >= slow_after and throttle.last_failure_at is not None:
        ready_at = throttle.last_failure_at + slow_for
        if now < ready_at:
            return Refusal(WAIT, int((ready_at - now).total_seconds()) + 1)
    return None


def _count_failure(throttle: SignInThrottle, now: datetime) -> Refusal:
    _, _, lock_after, lock_for = _settings()
    throttle.failures = (throttle.failures or 0) + 1
    throttle.last_failure_at = now
    if throttle.failures >= lock_after:
        throttle.locked_until = now + lock_for
        return Refusal(LOCKED, int(lock_for.total_seconds()))
    return Refusal(WRONG)


def _fail(email: str, user: StaffUser | None, step: str, reason: str, throttle, now) -> Refusal:
    # A try made while held back still counts: hammering only brings the lock nearer.
    refusal = _count_failure(throttle, now) if reason != LOCKED else None
    audit.record(
        user if user is not None else f"unknown email address {normalise_email(email)}"[:254],
        "sign_in_failed",
        "staff_user" if user is not None else None,
        user.id if user is not None else None,
        new={"step": step, "reason": reason, "email": normalise_email(email)},
    )
    db.session.commit()
    if reason in (WAIT, LOCKED):
        return _held_back(throttle, now) or refusal or Refusal(LOCKED)
    return refusal


def count_failure(user: StaffUser, step: str) -> None:
    """A wrong password typed by someone already signed in (their own account page):
    counted and audited like a failed sign-in, so it can lock the account. Committed."""
    now = dates.now_utc()
    _fail(user.email, user, step, WRONG, _throttle(user.email), now)


def clear_failures(email: str) -> None:
    """Forget failures for an address (after a full sign-in or a password reset)."""
    throttle = db.session.get(SignInThrottle, _sha256(normalise_email(email)))
    if throttle is not None:
        throttle.failures = 0
        throttle.locked_until = None
        throttle.last_failure_at = None


def is_locked(email: str, now: datetime | None = None) -> bool:
    throttle = db.session.get(SignInThrottle, _sha256(normalise_email(email)))
    now = now or dates.now_utc()
    return bool(throttle and throttle.locked_until and throttle.locked_until > now)


# Failures older than this are forgotten (unless a lock still stands): a mistyped password
# last week should not bring today's lock nearer, and the table should not keep a row for
# every address ever typed.
FORGET_FAILURES_AFTER = timedelta(days=1)
# Ended sessions and spent or expired one-time links are kept this long, then deleted:
# the audit trail, not these tables, is the record of who signed in and when.
KEEP_SIGN_IN_ROWS_FOR = timedelta(days=30)


def forget_old_sign_in_rows(now: datetime | None = None) -> int:
    """Delete stale throttle rows, sessions and one-time links (run with the nightly
    retention purge, in its transaction). Returns how many rows went."""
    now = now or dates.now_utc()
    old = now - KEEP_SIGN_IN_ROWS_FOR
    statements = [
        delete(SignInThrottle).where(
            or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until < now),
            or_(SignInThrottle.last_failure_at.is_(None),
                SignInThrottle.last_failure_at < now - FORGET_FAILURES_AFTER)),
        # A session nobody ended (the browser was closed) is over once its last use is old.
        delete(StaffSession).where(or_(StaffSession.ended_at < old,
                                       StaffSession.ended_at.is_(None) & (StaffSession.last_seen_at < old))),
        delete(StaffToken).where(or_(StaffToken.used_at < old, StaffToken.expires_at < old)),
    ]
    return sum(db.session.execute(statement).rowcount for statement in statements)


# --- Step one: the password ------------------------------------------------------------


def check_password(email: str, password: str) -> StaffUser | Refusal:
    """The account, if the password is right and the address is not held back; otherwise
    the refusal. The same refusals, after the same number of tries, for every address."""
    now = dates.now_utc()
    throttle = _throttle(email)
    user = find_user(email)
    if (held := _held_back(throttle, now)) is not None:
        return _fail(email, user, "password", held.reason, throttle, now)
    usable = user is not None and user.active and user.password_hash is not None
    if not passwords.verify(user.password_hash if usable else None, password) or not usable:
        return _fail(email, user, "password", WRONG, throttle, now)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    db.session.commit()
    return user


# --- Step two: the code ----------------------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def _step(now: datetime) -> int:
    return int(now.timestamp()) // 30


def _totp_step_matching(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second step the code belongs to, allowing one step either side for clocks
    that drift; None if it matches none."""
    totp = _totp(secret)
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=30 * offset)
        if hmac.compare_digest(totp.at(moment), code):
            return _step(moment)
    return None


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _is_app_code(cleaned: str) -> bool:
    """Six digits: a code from the authenticator app (anything else may be a recovery code)."""
    return len(cleaned) == 6 and cleaned.isdigit()


def check_code(user: StaffUser, code: str) -> StaffUser | Refusal:
    """Accept a code from the authenticator app (each once only) or an unused recovery
    code. Failures count against the same address as wrong passwords."""
    now = dates.now_utc()
    throttle = _throttle(user.email)
    if (held := _held_back(throttle, now)) is not None:
        return _fail(user.email, user, "code", held.reason, throttle, now)
    cleaned = _clean_code(code)
    if user.active and user.two_step_enrolled:
        if _is_app_code(cleaned):
            step = _totp_step_matching(user.totp_secret, cleaned, now)
            if step is not None and _claim_step(user, step):
                return user
        elif _use_recovery_code(user, cleaned, now):
            audit.record(user, "recovery_code_used", "staff_user", user.id)
            return user
    return _fail(user.email, user, "code", WRONG, throttle, now)


def _claim_step(user: StaffUser, step: int) -> bool:
    """Record that the code of this step is used, if no later or equal step is: one
    conditional UPDATE, so of several sign-ins sending the same code at once (each in its
    own transaction) exactly one changes the row and the others find it already spent."""
    claimed = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id,
               or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed:
        set_committed_value(user, "totp_last_step", step)
    return claimed == 1


# --- Enrolment and recovery codes ------------------------------------------------------


def begin_enrolment(user: StaffUser) -> str:
    """A new secret for the authenticator app, kept until a code from it is checked."""
    if user.totp_secret is None or user.two_step_enrolled:
        user.totp_secret = pyotp.random_base32()
        user.totp_enrolled_at = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: StaffUser) -> str:
    issuer = current_app.config.get("ORG_NAME") or TOTP_ISSUER_FALLBACK
    return _totp(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_code_svg(uri: str) -> str:
    """An inline SVG (no script, no style element) that the strict CSP allows."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff",
                                                  title="QR code for your authenticator app")


def formatted_key(secret: str) -> str:
    """The key in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(user: StaffUser, code: str) -> list[str] | Refusal:
    """Finish enrolment with a code from the app; returns the new recovery codes."""
    now = dates.now_utc()
    throttle = _throttle(user.email)
    if (held := _held_back(throttle, now)) is not None:
        return _fail(user.email, user, "enrolment", held.reason, throttle, now)
    cleaned = _clean_code(code)
    step = None
    if user.totp_secret and _is_app_code(cleaned):
        step = _totp_step_matching(user.totp_secret, cleaned, now)
    if step is None:
        return _fail(user.email, user, "enrolment", WRONG, throttle, now)
    user.totp_enrolled_at = now
    user.totp_last_step = step
    codes = issue_recovery_codes(user)
    audit.record(user, "two_step_enrolled", "staff_user", user.id)
    return codes


def issue_recovery_codes(user: StaffUser) -> list[str]:
    """Ten new one-time codes; any earlier ones stop working. Each has 80 random bits, so
    a fast hash is enough to keep them safe at rest."""
    revoke_recovery_codes(user)
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_sha256(raw)))
    return codes


def revoke_recovery_codes(user: StaffUser) -> None:
    """Spend every unused recovery code of a person (in the caller's transaction)."""
    db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=dates.now_utc())
    )


def _use_recovery_code(user: StaffUser, cleaned: str, now: datetime) -> bool:
    if len(cleaned) != 16:
        return False
    # Spent in one conditional UPDATE, so a code sent twice at once works once.
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _sha256(cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return spent == 1


def recovery_codes_left(user: StaffUser) -> int:
    return len(db.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all())


# --- Sessions --------------------------------------------------------------------------


def complete_sign_in(user: StaffUser) -> str:
    """Both steps passed: a new server-side session. Returns the token for the cookie."""
    now = dates.now_utc()
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=_sha256(token), user_id=user.id,
                                created_at=now, last_seen_at=now))
    user.last_sign_in_at = now
    clear_failures(user.email)
    audit.record(user, "sign_in", "staff_user", user.id)
    db.session.commit()
    return token


LAST_SEEN_EVERY = timedelta(minutes=1)


def session_user(token: str | None, user_id: int | None) -> tuple[StaffUser | None, str | None]:
    """The signed-in person for this session token, or None and why the session ended
    ("idle", "absolute", or None when there was no live session)."""
    if not token or user_id is None:
        return None, None
    found = db.session.scalar(select(StaffSession).options(joinedload(StaffSession.user))
                              .where(StaffSession.token_hash == _sha256(token)))
    if found is None or found.ended_at is not None or found.user_id != user_id:
        return None, None
    now = dates.now_utc()
    cfg = current_app.config
    reason = None
    if now - found.created_at > timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"]):
        reason = "absolute"
    elif now - found.last_seen_at > timedelta(minutes=cfg["SESSION_IDLE_MINUTES"]):
        reason = "idle"
    elif not found.user.active:
        reason = "deactivated"
    if reason is not None:
        found.ended_at, found.ended_reason = now, reason
        audit.record(found.user, "session_ended", "staff_user", found.user_id, new={"reason": reason})
        db.session.commit()
        return None, reason
    # Every staff request passes here: write the time of use at most once a minute (an
    # idle session may end up to a minute early), not an UPDATE and a COMMIT a request.
    if now - found.last_seen_at >= LAST_SEEN_EVERY:
        found.last_seen_at = now
        db.session.commit()
    return found.user, None


def end_session(token: str | None, reason: str = "signed_out") -> None:
    if not token:
        return
    found = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == _sha256(token)))
    if found is not None and found.ended_at is None:
        found.ended_at, found.ended_reason = dates.now_utc(), reason
        if reason == "signed_out":
            audit.record(found.user, "sign_out", "staff_user", found.user_id)
        db.session.commit()


def end_all_sessions(user: StaffUser, reason: str) -> int:
    """End every live session of a person (in the caller's transaction)."""
    return db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=dates.now_utc(), ended_reason=reason)
    ).rowcount
