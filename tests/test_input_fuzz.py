"""Odd input never breaks a page: every route in the URL map, public and (signed in as a
feedback manager) staff, gets odd values in its form fields and query string: NUL and
other control characters, very long text, unicode, files sent in text fields, a field
sent many times, huge numbers and impossible dates. Whatever comes back, it is never a
5xx. The odd values are tried on every route first, then hypothesis tries more, bounded
in examples and time."""

from __future__ import annotations

import io
import re
import time

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from portal.extensions import db
from portal.models import Feedback, Person
from portal.services.intake import status_links
from tests.public.helpers import COMPLAINT, send
from tests.staff.conftest import make_user, sign_in, signed_in  # noqa: F401 (fixtures)

ODD = [
    "\x00", "search\x00text", "a\x07b\x1bc\x7f", "x" * 20_000, "9" * 60, "-1", "0", "1e308", "NaN",
    "31/02/2026", "2026-13-45", "\u202eevil", "\U0001f642 \u00e9\u00e8 \u4e2d\u6587", "\ufeff", "' OR 1=1 --",
    "<script>alert(1)</script>", "%00", "None", "null", "[]", "{}", " ", "\r\n\t",
]
# Not sent by the staff client: they end its session, and the rest of the run needs it.
SKIP = {"staff.sign_out", "static"}
DEADLINE = 120  # seconds for the whole walk, so a slow machine bounds the run, not the walk


def form_field_names() -> set[str]:
    """Every field name any WTForms form of the portal declares."""
    names, todo = set(), [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        names.update(n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField))
    return names


def page_field_names(client, url: str) -> set[str]:
    response = client.get(url)
    if response.status_code != 200 or not response.mimetype.startswith("text/html"):
        return set()
    return set(re.findall(r'name="([^"]+)"', response.get_data(as_text=True)))


def routes(app, values: dict[str, str]):
    """(endpoint, methods, url) for every rule, its arguments filled with real ids."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), rule.rule)
        found.append((rule.endpoint, sorted(rule.methods & {"GET", "POST"}), url))
    return sorted(found)


def odd_values():
    return st.one_of(
        st.sampled_from(ODD),
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=200),
        st.lists(st.sampled_from(ODD), min_size=2, max_size=4),
        st.builds(lambda body: (io.BytesIO(body), "file.txt"), st.binary(max_size=200)),
    )


@pytest.fixture
def world(app, signed_in, make_user):
    """A record from the public form (a person, a status link) and a signed-in manager."""
    public = app.test_client()
    send(public, "complaint", COMPLAINT)
    record = db.session.scalars(db.select(Feedback)).one()
    person = db.session.scalars(db.select(Person)).first()
    manager = signed_in("feedback_manager")
    other = make_user("feedback_officer")
    values = {"reference": record.reference, "token": status_links.token_for(record),
              "person_id": str(person.id), "user_id": str(other.id), "number": "1"}
    return public, manager, values


def assert_never_5xx(client, method: str, url: str, data: dict, query: dict, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        response = client.get(url, query_string={**query, **{k: v for k, v in data.items() if isinstance(v, str)}},
                              headers=headers)
    else:
        response = client.post(url, query_string=query, data=data, headers=headers,
                               content_type="multipart/form-data")
    assert response.status_code < 500, (method, url, data, query, response.get_data()[:3000])
    return response


def test_odd_input_on_every_route_is_never_a_server_error(app, world):
    public, manager, values = world
    names = form_field_names() | {"q", "from", "to", "after", "sort", "team", "theme", "kind", "status",
                                  "assigned", "channel", "pick", "page", "reference", "next", "back",
                                  "owner", "source", "version", "action"}
    walk = routes(app, values)
    for endpoint, methods, url in walk:
        if "GET" in methods:
            client = manager if endpoint.startswith("staff.") else public
            names |= page_field_names(client, url)
    names = sorted(n for n in names if n != "csrf_token")
    started = time.monotonic()

    # Every odd value, in every field at once, on every route and method.
    for value in ODD[:3] + ["9" * 60, "\U0001f642 \u202e"] + [(io.BytesIO(b"\x00\xff a file"), "evil.txt")]:
        for endpoint, methods, url in walk:
            client = manager if endpoint.startswith("staff.") else public
            for method in methods:
                data = {name: (io.BytesIO(value[0].getvalue()), value[1]) if isinstance(value, tuple) else value
                        for name in names}
                assert_never_5xx(client, method, url, data, {"q": "x"}, htmx=False)
        if manager.get("/staff/").status_code != 200:  # still signed in after all that
            sign_in(manager, manager.user)

    # Then hypothesis: a few fields at a time, odd values, on routes it picks.
    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(route=st.sampled_from(walk), method_index=st.integers(0, 1),
           data=st.dictionaries(st.sampled_from(names), odd_values(), max_size=6),
           query=st.dictionaries(st.sampled_from(names), st.one_of(st.sampled_from(ODD), st.text(max_size=50)),
                                 max_size=3),
           htmx=st.booleans())
    def fuzz(route, method_index, data, query, htmx):
        if time.monotonic() - started > DEADLINE:
            return
        endpoint, methods, url = route
        client = manager if endpoint.startswith("staff.") else public
        query = {k: v for k, v in query.items() if "\x00" not in k}
        assert_never_5xx(client, methods[method_index % len(methods)], url, data, query, htmx)
        if endpoint.startswith("staff.") and client.get("/staff/").status_code != 200:
            sign_in(manager, manager.user)

    fuzz()
