"""A test client signed in as a member of staff, for the benches that time staff pages."""

from __future__ import annotations


def signed_in(app, email: str, role: str, name: str | None = None):
    """A Werkzeug test client signed in (a real staff session) as the account ``email``,
    made with ``role`` the first time."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import StaffUser
    from portal.services.accounts import auth as auth_service

    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = StaffUser(email=email, name=name or f"Bench {role.replace('_', ' ')}", role=role, active=True)
            db.session.add(user)
            db.session.commit()
        token, user_id = auth_service.complete_sign_in(user), user.id
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["staff_session"] = token
        session["_fresh"] = True
    return client
