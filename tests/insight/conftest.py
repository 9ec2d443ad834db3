"""The insight tests: the model in a folder of the test's own, the records of data/, and a
guard that fails any attempt to open a network connection."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DATA = Path(__file__).parent / "data"
TRAIN = DATA / "train.jsonl"
TEST = DATA / "test.jsonl"


@pytest.fixture
def config_overrides(tmp_path) -> dict:
    return {"INSIGHT_PATH": str(tmp_path / "insight"), "INSIGHT_MIN_RECORDS": 50}


@pytest.fixture
def imported(app):
    """The training file's 360 closed records, imported as `flask data import` does."""
    from portal.services.interchange.importer import import_file

    summary = import_file(TRAIN)
    assert (summary.error_count, summary.imported, summary.teams_created, summary.themes_created) == (0, 360, [], [])
    return summary


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(app, monkeypatch):
    """The network unplugged: any connection but the test database's raises. (A real
    unplugged machine still has loopback; the database is the one thing allowed on it.)"""
    url = urlsplit(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", ""))
    allowed = {(url.hostname, url.port or 5432)} if url.scheme.startswith("postgres") else set()
    tried: list = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock, address):
        if sock.family == socket.AF_UNIX or (isinstance(address, tuple) and tuple(address[:2]) in allowed):
            return
        tried.append(address)
        raise NetworkUsed(f"a connection to {address!r} was attempted")

    def connect(sock, address):
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(sock, address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in {h for h, _ in allowed}:
            tried.append(host)
            raise NetworkUsed(f"{host!r} was looked up")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield tried
    assert tried == [], f"the network was used: {tried}"
