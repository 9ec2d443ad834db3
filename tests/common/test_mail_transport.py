"""The mail server is spoken to safely (issue 14, item 14): its certificate is verified, a
password is never sent without TLS, and MAIL_USE_TLS / MAIL_USE_SSL require TLS. Each test
runs a real SMTP server (aiosmtpd, tests/smtp) on loopback, with or without TLS."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import pytest
from sqlalchemy import select

from portal import config
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.common import outbox
from tests.smtp import start_smtp


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A certificate for 127.0.0.1 that no system trusts: (certificate, key) paths."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return str(cert), str(key)


@pytest.fixture
def server_factory():
    """``server_factory(certificate=..., implicit_tls=...)``: a server that offers AUTH and
    records each login (``server.logins``), stopped after the test."""
    started = []

    def start(**kw):
        started.append(start_smtp(auth=True, **kw))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def _send(app, server, **settings):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    mail = replace(outbox.MailSettings.from_config(app.config), **settings)
    outbox.queue("person@example.org", "Hello", "A body.", purpose="test")
    db.session.commit()
    return outbox.send_due(mail)


def _kept() -> OutboxMessage:
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None
    return message


def test_a_password_is_never_sent_to_a_server_that_does_not_offer_starttls(app, server_factory):
    """The reviewer's server took the password in clear."""
    server = server_factory()
    result = _send(app, server, username="portal", password="mail-password")
    assert (result.sent, result.failed) == (0, 1)
    assert server.logins == []
    assert server.inbox.messages == []
    assert "does not offer STARTTLS" in _kept().last_error
    assert "a password is never sent without TLS" in _kept().last_error


def test_mail_use_tls_requires_starttls_even_without_a_password(app, server_factory):
    server = server_factory()
    result = _send(app, server, use_tls=True)
    assert (result.sent, result.failed) == (0, 1)
    assert "MAIL_USE_TLS requires it" in _kept().last_error


def test_starttls_to_a_certificate_nobody_vouches_for_is_refused(app, server_factory, certificate):
    """STARTTLS did not check the certificate, so anyone in the path could read the mail."""
    server = server_factory(certificate=certificate)
    result = _send(app, server, username="portal", password="mail-password")
    assert (result.sent, result.failed) == (0, 1)
    assert server.logins == [] and server.inbox.messages == []
    assert "CERTIFICATE_VERIFY_FAILED" in _kept().last_error


def test_starttls_verified_against_the_trusted_certificates_logs_in_and_delivers(app, server_factory,
                                                                                  certificate):
    server = server_factory(certificate=certificate)
    result = _send(app, server, username="portal", password="mail-password", ca_file=certificate[0])
    assert (result.sent, result.failed) == (1, 0)
    assert server.logins == [("portal", True)]
    [message] = server.inbox.wait_for(1)
    assert message["Subject"] == "Hello"


def test_mail_use_ssl_speaks_tls_from_the_start_and_verifies_it(app, server_factory, certificate):
    server = server_factory(certificate=certificate, implicit_tls=True)
    assert _send(app, server, use_ssl=True).failed == 1
    assert "CERTIFICATE_VERIFY_FAILED" in _kept().last_error
    db.session.execute(db.delete(OutboxMessage))
    db.session.commit()
    result = _send(app, server, use_ssl=True, ca_file=certificate[0], username="portal", password="pw")
    assert (result.sent, result.failed) == (1, 0)
    assert server.logins == [("portal", True)]


def test_a_local_relay_without_tls_or_password_still_gets_the_mail(app, server_factory):
    server = server_factory()
    assert _send(app, server).sent == 1
    assert len(server.inbox.wait_for(1)) == 1


def test_the_settings_come_from_the_environment(tmp_path):
    loaded = config.load({"MAIL_USE_TLS": "true", "MAIL_TLS_CA_FILE": "/etc/ca.pem"}, str(tmp_path))
    mail = outbox.MailSettings.from_config(loaded)
    assert (mail.use_tls, mail.use_ssl, mail.ca_file) == (True, False, "/etc/ca.pem")
    with pytest.raises(config.ConfigError, match="not both"):
        config.load({"MAIL_USE_TLS": "1", "MAIL_USE_SSL": "1"}, str(tmp_path))
