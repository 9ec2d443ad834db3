"""Issue 16, done when: each public form sent from a browser with JavaScript off, the
page closed at once, and the acknowledgement (and, for a risk of harm, the duty team's
alert) reaches a real SMTP server with no command run by hand, with ``make run`` (the
development server and the worker) and with ``make serve`` (gunicorn and the worker),
both started as ``make`` starts them (``python -m portal.supervise``)."""

from __future__ import annotations

import pytest

from tests.browser.public_site import PublicSite
from tests.smtp import start_smtp
from tests.deploy.worker_process import Served, served_env
from tests.public.helpers import COMPLAINT, COMPLIMENT, CONCERN, YOUNG

FORMS = [
    ("complaint", {**COMPLAINT, "at_risk": "yes", "email": "alex@example.org"}, "alex@example.org"),
    ("concern", {**CONCERN, "email": "casey@example.org"}, "casey@example.org"),
    ("compliment", {**COMPLIMENT, "name": "Sam Example", "email": "sam@example.org"}, "sam@example.org"),
    ("young", {**YOUNG, "contact_methods": ["email"], "email": "riley@example.org", "phone": ""},
     "riley@example.org"),
]


@pytest.mark.parametrize("mode", ["run", "serve"])
def test_every_form_sent_without_javascript_is_acknowledged_though_the_page_closes_at_once(
        app, browser, tmp_path, database_url, mode):
    smtp = start_smtp()
    served = Served(mode, tmp_path / "served.log", served_env(database_url, tmp_path / "tasks.sqlite3", smtp.port))
    try:
        served.start()
        references = {}
        for form, answers, _ in FORMS:
            context = browser.new_context(java_script_enabled=False)
            context.set_default_timeout(15_000)
            page = context.new_page()
            references[form] = PublicSite(page, lambda path="/": served.url + path).complete(
                form, answers, keyboard=False)
            context.close()  # at once: nothing waits on the browser staying
        expected = len(FORMS) + 1  # and the duty team's alert
        arrived = smtp.inbox.wait_for(expected, timeout=60)
        summary = [(m["To"], m["Subject"]) for m in arrived]
        assert len(arrived) == expected, f"{summary}\n{served.output()[-3000:]}"
        for form, _, address in FORMS:
            [ack] = smtp.inbox.to(address)
            assert references[form] in ack["Subject"] or references[form] in ack.get_payload(decode=True).decode()
        [alert] = smtp.inbox.to("duty@example.org")
        assert "URGENT" in alert["Subject"] and references["complaint"] in alert["Subject"]
    finally:
        served.stop()
        smtp.stop()
