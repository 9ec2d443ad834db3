import pytest


@pytest.fixture(scope="session")
def _dovecot():
    from tests.imap import dovecot_or_skip

    server = dovecot_or_skip()
    yield server
    server.stop()


@pytest.fixture
def imap(_dovecot):
    """A real IMAP server (Dovecot, tests/imap) with an empty mailbox for this test."""
    _dovecot.empty()
    yield _dovecot
    _dovecot.empty()


from tests.staff.conftest import make_user, signed_in  # noqa: E402,F401 - the staff pages' sign-in
