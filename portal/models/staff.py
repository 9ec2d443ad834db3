"""Staff accounts and what signing in needs: sessions, one-time links, recovery
codes and the per-address throttle. Workflows live in ``portal.services.accounts.auth``."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models._types import UTCDateTime, utcnow


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"
    # Columns the audit trail leaves out (sign-in bookkeeping, not changes to the record)
    # and columns whose values it never copies (secrets: only "changed" is written).
    __audit_exclude__ = {"last_sign_in_at", "totp_last_step", "updated_at"}
    __audit_redact__ = {"password_hash", "totp_secret"}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lower-cased on the way in, so that signing in matches exactly.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # None until the person follows their invitation and chooses a password.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # Set when enrolment starts; the account is enrolled once a code has been checked.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last 30-second step whose code was accepted: a code works once only.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when someone other than a feedback manager gave this account a role (or a team
    # manager's team) that sees cases: until a feedback manager approves, the account may
    # do nothing (portal.services.accounts.permissions).
    case_access_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    team = relationship("Team")
    case_access_requested_by = relationship("StaffUser", remote_side=[id])

    @property
    def awaiting_case_access(self) -> bool:
        return self.case_access_requested_by_id is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return bool(self.active)

    @property
    def two_step_enrolled(self) -> bool:
        return self.totp_enrolled_at is not None

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"


class StaffSession(db.Model):
    """A signed-in session, so that sign-out and timeouts end it on the server too
    (a copied cookie is worth nothing once its row says it has ended)."""

    __tablename__ = "staff_session"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random token kept in the person's (signed) session cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "signed_out", "idle", "absolute", "deactivated", "password_changed", "two_step_reset"
    ended_reason: Mapped[str | None] = mapped_column(String(30))

    user = relationship("StaffUser")


class StaffToken(db.Model):
    """A one-time link: an invitation to set up an account, or a password reset."""

    __tablename__ = "staff_token"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "invite" or "reset"
    # SHA-256 of the token in the link: the database alone cannot make a working link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("StaffUser")


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app, once."""

    __tablename__ = "recovery_code"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInThrottle(db.Model):
    """Failed sign-ins counted per email address as typed, whether or not it has an
    account, so that slowing and locking look the same for both and reveal nothing."""

    __tablename__ = "sign_in_throttle"
    __audited__ = False

    # SHA-256 of the normalised email address (no address is kept for unknown emails).
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
