"""Answers a person might give, per form, and a helper to send a form through."""

from __future__ import annotations

import re

COMPLAINT = {
    "role": "parent_or_carer",
    "about": "child",
    "about_name": "Sam Example",
    "about_consent": "yes",
    "team": "not_sure",
    "summary": "Nobody has told us who our son's new social worker is.",
    "when_it_happened": "Since September",
    "desired_outcome": "A named worker and a visit.",
    "at_risk": "no",
    "advocate": "no",
    "name": "Alex Example",
    "contact_methods": ["email"],
    "email": "alex@example.org",
    "phone": "",
    "address": "",
    "support_needs": "",
}

CONCERN = {**COMPLAINT, "category": "query", "summary": "When is the next review meeting?"}

COMPLIMENT = {
    "role": "foster_carer",
    "team": "not_sure",
    "named_staff": "Jo in the fostering team",
    "summary": "Jo helped us through our first placement with real kindness.",
    "publish_consent": "yes",
    "name": "",
    "email": "",
}

YOUNG = {
    "what": "complaint",
    "role": "child_or_young_person",
    "age": "14",
    "summary": "My social worker keeps changing and nobody tells me.",
    "team": "not_sure",
    "desired_outcome": "",
    "at_risk": "no",
    "advocate": "yes",
    "name": "Riley",
    "contact_methods": ["text"],
    "email": "",
    "phone": "07700 900123",
    "address": "",
}

PATHS = {
    "complaint": "/complaint",
    "concern": "/question-or-concern",
    "compliment": "/compliment",
    "young": "/young-people/tell-us",
}


def send(client, form: str, answers: dict):
    """Fill in a form, continue to check the answers, send; return the sent page."""
    path = PATHS[form]
    response = client.post(path, data=answers)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"{path}/check")
    check = client.get(f"{path}/check")
    assert check.status_code == 200
    response = client.post(f"{path}/check", data={}, follow_redirects=True)
    assert response.status_code == 200
    return response


def reference_in(page: str) -> str:
    match = re.search(r"CF-\d{4}-\d{5}", page)
    assert match, "no reference on the page"
    return match.group(0)
