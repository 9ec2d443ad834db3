"""``/healthz``: for a load balancer or a monitor. No sign-in and no personal data: 200
when the database and the task queue both answer, 503 (saying which did not) when not."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from sqlalchemy import text

from portal.extensions import csrf, db, limiter

log = logging.getLogger(__name__)


def check() -> dict[str, str]:
    from portal import tasks

    answers = {}
    try:
        db.session.execute(text("SELECT 1"))
        answers["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        log.warning("healthz: the database did not answer: %s", exc)
        answers["database"] = "not answering"
    try:
        tasks.ping()
        answers["queue"] = "ok"
    except Exception as exc:  # noqa: BLE001
        log.warning("healthz: the task queue did not answer: %s", exc)
        answers["queue"] = "not answering"
    return answers


def init_app(app: Flask) -> None:
    @app.get("/healthz")
    @limiter.exempt
    def healthz():
        answers = check()
        ok = all(v == "ok" for v in answers.values())
        response = jsonify(status="ok" if ok else "not ok", **answers)
        response.status_code = 200 if ok else 503
        response.headers["Cache-Control"] = "no-store"
        return response

    csrf.exempt(healthz)
