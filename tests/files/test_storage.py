"""The file store: content-addressed, written whole or not at all, undone with the
transaction (portal/services/files/storage.py); the same tests on the file system and on
a real S3-speaking server (moto's server mode, in a process of its own)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from portal.extensions import db
from portal.services.files import storage
from portal.services.files.storage import FileSystemStore, S3Store

CONTENT = b"%PDF-1.4 a letter from school\n" * 1000
KEY = hashlib.sha256(CONTENT).hexdigest()
_PAUSE = threading.Event()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server, as a real process on loopback."""
    moto = shutil.which("moto_server", path=os.path.dirname(sys.executable))
    if moto is None:
        if os.environ.get("REQUIRE_S3") == "1":
            pytest.fail("REQUIRE_S3=1 but moto's server is not installed (pip install 'moto[server]')")
        pytest.skip("moto's server is not installed (pip install 'moto[server]'); REQUIRE_S3=1 makes this fail")
    port = _free_port()
    process = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            _PAUSE.wait(0.1)
    else:
        process.terminate()
        pytest.fail("moto_server did not start")
    yield url
    process.terminate()
    process.wait()


@pytest.fixture
def s3_store(s3_server, monkeypatch):
    import boto3

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "eu-west-2")):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server)
    bucket = f"case-files-{os.getpid()}-{time.monotonic_ns()}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    return S3Store(bucket, "portal/files", client=client)


@pytest.fixture(params=["file system", "s3"])
def store(request, tmp_path):
    if request.param == "file system":
        return FileSystemStore(tmp_path / "files")
    return request.getfixturevalue("s3_store")


def test_a_file_is_kept_under_its_sha256(store):
    assert store.put(io.BytesIO(CONTENT)) == KEY
    assert store.exists(KEY)
    with store.open(KEY) as f:
        assert f.read() == CONTENT
    assert list(store.keys()) == [KEY]


def test_the_same_content_twice_is_kept_once(store):
    store.put(io.BytesIO(CONTENT))
    store.put(io.BytesIO(CONTENT))
    assert list(store.keys()) == [KEY]


def test_deleting_leaves_nothing(store):
    store.put(io.BytesIO(CONTENT))
    store.delete(KEY)
    assert not store.exists(KEY) and list(store.keys()) == []
    store.delete(KEY)  # deleting what is not there is no error


def test_a_key_that_is_not_a_sha256_is_never_a_path(store):
    for key in ("../../etc/passwd", "ab", KEY.upper()):
        with pytest.raises(ValueError):
            store.open(key)


def test_on_disk_a_file_is_in_place_whole_and_no_temporary_file_is_left(tmp_path):
    store = FileSystemStore(tmp_path / "files")
    store.put(io.BytesIO(CONTENT))
    assert store.path_of(KEY) == tmp_path / "files" / KEY[:2] / KEY[2:4] / KEY
    assert store.path_of(KEY).read_bytes() == CONTENT
    assert list(store.workdir.iterdir()) == []


def test_a_write_that_fails_half_way_leaves_nothing(tmp_path):
    store = FileSystemStore(tmp_path / "files")

    class Broken(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 0:
                raise OSError("the upload was cut off")
            return super().read(10)

    with pytest.raises(OSError):
        store.put(Broken(CONTENT))
    assert list(store.keys()) == [] and list(store.workdir.iterdir()) == []


def test_what_a_transaction_stored_is_deleted_if_it_rolls_back(app, tmp_path):
    store = FileSystemStore(tmp_path / "files")
    key = storage.put_for(db.session(), store, io.BytesIO(CONTENT), KEY)
    assert store.exists(key)
    db.session.rollback()
    assert not store.exists(key)


def test_content_already_kept_stays_when_a_second_copy_rolls_back(app, tmp_path):
    store = FileSystemStore(tmp_path / "files")
    store.put(io.BytesIO(CONTENT))  # another document's
    storage.put_for(db.session(), store, io.BytesIO(CONTENT), KEY)
    db.session.rollback()
    assert store.exists(KEY)


def test_a_delete_waits_for_the_commit(app, tmp_path):
    store = FileSystemStore(tmp_path / "files")
    store.put(io.BytesIO(CONTENT))
    storage.delete_after_commit(db.session(), store, KEY)
    assert store.exists(KEY)
    db.session.rollback()
    assert store.exists(KEY), "rolled back: nothing deleted"
    storage.delete_after_commit(db.session(), store, KEY)
    db.session.commit()
    assert not store.exists(KEY)


@pytest.mark.parametrize("url, kind", [("", FileSystemStore), ("file:///srv/portal-files", FileSystemStore)])
def test_the_setting_chooses_the_store(url, kind, tmp_path):
    store = storage.store_for({"FILE_STORAGE_URL": url}, str(tmp_path))
    assert isinstance(store, kind)
    assert store.root == (tmp_path / "files" if not url else __import__("pathlib").Path("/srv/portal-files"))


def test_an_s3_url_makes_an_s3_store(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    store = storage.store_for({"FILE_STORAGE_URL": "s3://council-files/portal", "S3_ENDPOINT_URL": None}, "/x")
    assert isinstance(store, S3Store) and store.bucket == "council-files" and store.prefix == "portal/"


def test_another_url_is_refused():
    from portal.config import ConfigError

    with pytest.raises(ConfigError):
        storage.store_for({"FILE_STORAGE_URL": "ftp://files"}, "/x")
