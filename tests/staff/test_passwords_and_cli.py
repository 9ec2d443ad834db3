"""Password rules (NIST SP 800-63B) and hashes, and the staff commands."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, StaffUser
from portal.services.accounts import passwords


@pytest.mark.parametrize("password, problem", [
    ("short", passwords.TOO_SHORT),
    ("elevenchars", passwords.TOO_SHORT),
    ("Password1234", passwords.TOO_COMMON),
    ("qwertyuiop123", passwords.TOO_COMMON),
    ("aaaaaaaaaaaaaaaa", passwords.TOO_COMMON),
    ("abababababababab", passwords.TOO_COMMON),
    ("123456789012", passwords.TOO_COMMON),
    ("jamie.example rocks", passwords.TOO_PERSONAL),
    ("my name is Jamie Example", passwords.TOO_PERSONAL),
    ("x" * 257, passwords.TOO_LONG),
    ("purple tractor sings", None),
    ("no rules here at all", None),
    ("           two words", None),
])
def test_password_rules(app, password, problem):
    assert passwords.problem(password, "jamie.example@example.org", "Jamie Example") == problem


def test_the_common_list_is_large_and_long_enough_to_matter(app):
    common = passwords.common_passwords()
    assert len(common) > 2000
    assert "liverpool1234" in common


def test_hashes_are_argon2id_and_check_out(app):
    hashed = passwords.hash_password("purple tractor sings")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "purple tractor sings")
    assert not passwords.verify(hashed, "purple tractor sang")
    assert not passwords.verify(None, "anything at all")


@pytest.mark.parametrize("config_overrides", [{"PASSWORD_HASH_CHEAP": False}])
def test_real_hashes_use_argon2_defaults(app):
    assert passwords.hash_password("purple tractor sings").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_staff_create_prints_a_one_time_link_from_base_url(app, runner):
    result = runner.invoke(args=["staff", "create", "Lee.Officer@example.org", "--name", "Lee Officer",
                                 "--role", "feedback_officer"])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://localhost/staff/set-up/\S+", result.output).group(0)
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "lee.officer@example.org"))
    assert user.role == "feedback_officer" and user.password_hash is None
    client = app.test_client()
    assert client.get(link.removeprefix("http://localhost")).status_code == 200
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "staff_user",
                                                       AuditEntry.action == "create"))
    assert entry.actor_label == "command line"


@pytest.mark.parametrize("config_overrides", [{"BASE_URL": "http://127.0.0.1:5055"}])
def test_staff_create_says_which_address_its_link_uses_and_a_fresh_link_follows_base_url(
        app, runner, config_overrides):
    """Issue 13: the command printed a link to port 5000 while the portal ran on another
    port. Links come from BASE_URL alone, and the command says which address it used."""
    result = runner.invoke(args=["staff", "create", "lee@example.org", "--name", "Lee Officer",
                                 "--role", "feedback_officer"])
    assert result.exit_code == 0, result.output
    [link] = re.findall(r"http://\S+/staff/set-up/\S+", result.output)
    assert link.startswith("http://127.0.0.1:5055/staff/set-up/")
    assert "The link starts with the portal's address from BASE_URL: http://127.0.0.1:5055" in result.output
    assert "flask --app wsgi staff set-up-link lee@example.org" in result.output

    app.config["BASE_URL"] = "http://127.0.0.1:5060"
    fresh = runner.invoke(args=["staff", "set-up-link", "Lee@example.org"])
    assert fresh.exit_code == 0, fresh.output
    [new_link] = re.findall(r"http://\S+/staff/set-up/\S+", fresh.output)
    assert new_link.startswith("http://127.0.0.1:5060/staff/set-up/")
    assert "from BASE_URL: http://127.0.0.1:5060" in fresh.output
    client = app.test_client()
    assert client.get(link.removeprefix("http://127.0.0.1:5055")).status_code != 200  # the old one no longer works
    assert client.get(new_link.removeprefix("http://127.0.0.1:5060")).status_code == 200


def test_a_set_up_link_is_only_for_an_account_not_yet_set_up(app, runner, make_user):
    user = make_user("feedback_officer")
    result = runner.invoke(args=["staff", "set-up-link", user.email])
    assert result.exit_code != 0 and "has already set up their account" in result.output
    result = runner.invoke(args=["staff", "set-up-link", "nobody@example.org"])
    assert result.exit_code != 0 and "no account has the email address" in result.output


def test_staff_create_refuses_an_unknown_role_or_team(app, runner):
    assert runner.invoke(args=["staff", "create", "a@example.org", "--name", "A", "--role", "boss"]).exit_code != 0
    result = runner.invoke(args=["staff", "create", "a@example.org", "--name", "A", "--role", "team_manager",
                                 "--team", "No Such Team"])
    assert result.exit_code != 0 and "no team" in result.output


def test_staff_create_with_a_team(app, runner):
    result = runner.invoke(args=["staff", "create", "tm@example.org", "--name", "Team Manager",
                                 "--role", "team_manager", "--team", "Fostering Team"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(StaffUser).where(StaffUser.email == "tm@example.org")).team.name == "Fostering Team"


def test_staff_reset_2fa_and_unlock(app, runner, make_user):
    from portal.services.accounts import auth

    user = make_user()
    result = runner.invoke(args=["staff", "reset-2fa", user.email])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert not user.two_step_enrolled
    client = app.test_client()
    for _ in range(20):
        client.post("/staff/sign-in", data={"email": user.email, "password": "wrong wrong wrong"})
    assert auth.is_locked(user.email)
    assert runner.invoke(args=["staff", "unlock", user.email]).exit_code == 0
    assert not auth.is_locked(user.email)
