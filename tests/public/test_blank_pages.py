"""An empty form page is rendered once and kept (public/blank_pages.py): each later view
must be byte for byte the page the templates draw, with its own token and nonce, and a page
holding anyone's answers, files, errors or messages must never be the kept one."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import Team
from tests.public.helpers import COMPLAINT

FORM_PAGES = ["/complaint", "/question-or-concern", "/compliment", "/young-people/tell-us"]


def nonce_of(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def drawn_afresh(app, client, path):
    app.extensions.pop("public_blank_pages", None)  # as before pages were kept
    return client.get(path)


@pytest.mark.parametrize("path", FORM_PAGES)
def test_a_kept_form_page_is_byte_for_byte_the_page_drawn(app, client, path):
    first = drawn_afresh(app, client, path)
    kept = client.get(path)
    drawn = drawn_afresh(app, client, path)
    assert kept.status_code == drawn.status_code == first.status_code == 200
    assert nonce_of(kept) != nonce_of(drawn)  # each page has its own nonce ...
    assert nonce_of(kept) in kept.get_data(as_text=True)
    # ... and nothing else differs.
    assert kept.get_data(as_text=True).replace(nonce_of(kept), "N") == \
        drawn.get_data(as_text=True).replace(nonce_of(drawn), "N")


def test_each_browser_gets_its_own_csrf_token_on_a_kept_page(app):
    app.config["WTF_CSRF_ENABLED"] = True
    pages = [app.test_client().get("/complaint").get_data(as_text=True) for _ in range(2)]
    tokens = [re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                        r'type="hidden" name="csrf_token" value="([^"]+)"|'
                        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
              for page in pages]
    assert all(tokens), "no CSRF token on the page"
    values = [next(g for g in match.groups() if g) for match in tokens]
    assert values[0] != values[1]
    assert values[1] in pages[1] and values[0] not in pages[1]


def test_a_page_with_your_answers_is_never_shown_to_someone_else(app, client):
    client.get("/complaint")  # the empty page, kept
    assert client.post("/complaint", data=COMPLAINT).status_code == 302
    mine = client.get("/complaint").get_data(as_text=True)
    assert "Nobody has told us who our son" in mine  # my answers come back to me
    theirs = app.test_client().get("/complaint").get_data(as_text=True)
    assert "Nobody has told us who our son" not in theirs
    assert "Alex Example" not in theirs


def test_errors_are_shown_after_an_empty_page_was_kept(client):
    client.get("/complaint")
    page = client.post("/complaint", data={}).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Error: Make a complaint" in page


def test_a_new_team_is_on_the_form_at_once(app, client):
    assert "Leaving care" not in client.get("/complaint").get_data(as_text=True)
    db.session.add(Team(name="Leaving care", active=True))
    db.session.commit()
    assert "Leaving care" in client.get("/complaint").get_data(as_text=True)


def test_a_team_described_anew_is_described_so_on_the_form_at_once(app, client):
    # The form lists a team by its public description: the kept page must not keep the old one.
    client.get("/complaint")
    team = db.session.scalar(db.select(Team).where(Team.active).order_by(Team.name))
    team.public_description = "Help for families who look after a relative's child"
    db.session.commit()
    assert "Help for families who look after a relative&#39;s child" in client.get("/complaint").get_data(as_text=True)


def test_a_message_to_show_is_not_lost_or_kept(app, client):
    client.get("/complaint")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Your draft has gone")]
    assert "Your draft has gone" in client.get("/complaint").get_data(as_text=True)
    assert "Your draft has gone" not in client.get("/complaint").get_data(as_text=True)
