"""A code from the authenticator app signs in once, even when the same code is sent by
several sign-ins at the same moment (issue 14, item 4).

Each request runs in a thread of its own, with its own database connection, as gunicorn's
workers would; a barrier releases them together.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pyotp
import time_machine

from tests.staff.conftest import PASSWORD

MOMENT = datetime(2026, 3, 2, 10, 0, 5, tzinfo=timezone.utc)
TRIES = 8


def _post_together(clients, path, data_for):
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def run(i, client):
        barrier.wait()
        results[i] = client.post(path, data=data_for(i))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _clients_past_the_password(app, user):
    clients = []
    for _ in range(TRIES):
        client = app.test_client()
        response = client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"].endswith("/staff/sign-in/code")
        clients.append(client)
    return clients


def _signed_in(results):
    return [r for r in results if r.status_code == 302 and r.headers["Location"].endswith("/staff/")]


def test_the_same_code_sent_by_eight_sign_ins_at_once_works_once(app, make_user):
    with time_machine.travel(MOMENT, tick=False):
        user = make_user()
        clients = _clients_past_the_password(app, user)
        code = pyotp.TOTP(user.totp_secret).at(MOMENT)
        results = _post_together(clients, "/staff/sign-in/code", lambda i: {"code": code})
    assert all(r is not None for r in results)
    assert len(_signed_in(results)) == 1, [r.status_code for r in results]
    refused = [r for r in results if r.status_code == 200]
    assert len(refused) == TRIES - 1
    assert all("Enter a correct code" in r.get_data(as_text=True) for r in refused)


def test_the_same_recovery_code_sent_by_eight_sign_ins_at_once_works_once(app, make_user):
    from portal.extensions import db
    from portal.services.accounts import auth as auth_service

    with time_machine.travel(MOMENT, tick=False):
        user = make_user()
        codes = auth_service.issue_recovery_codes(user)
        db.session.commit()
        clients = _clients_past_the_password(app, user)
        results = _post_together(clients, "/staff/sign-in/code", lambda i: {"code": codes[0]})
    assert len(_signed_in(results)) == 1, [r.status_code for r in results]
