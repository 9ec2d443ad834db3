"""Where the case file's content is kept: one small interface, two stores.

Content-addressed: a file's key is its sha256, so the same file sent twice is kept once
and a key says nothing about the case. ``FILE_STORAGE_URL`` chooses the store:

- empty (the default): the file system under ``instance/files/`` (never the web root);
  ``file:///path`` for another folder. Each file is written to a temporary file in the
  same folder, flushed to disk, then renamed into place, so a reader never sees half.
- ``s3://bucket/prefix``: S3-compatible object storage through boto3, for several app
  servers (``S3_ENDPOINT_URL`` for a store that is not AWS's; credentials as boto3 finds them).

Storing happens inside a transaction that may still roll back, and deleting must wait
until the rows that name a file are gone for good: ``put_for`` forgets what it stored if
the session rolls back, and ``delete_after_commit`` deletes once the session commits.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol
from urllib.parse import urlparse

from sqlalchemy import event
from sqlalchemy.orm import Session

CHUNK = 1024 * 1024
_KEY = re.compile(r"^[0-9a-f]{64}$")


class Store(Protocol):
    def put(self, stream: BinaryIO) -> str: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self) -> Iterator[str]: ...


def _check_key(key: str) -> str:
    if not _KEY.match(key or ""):
        raise ValueError(f"not a file store key: {key!r}")
    return key


class FileSystemStore:
    """Files under ``root``, at ``ab/cd/<sha256>``."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def workdir(self) -> Path:
        """Where uploads are checked before storing: the same file system, so a rename."""
        return self.root / "tmp"

    def path_of(self, key: str) -> Path:
        _check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, stream: BinaryIO) -> str:
        self.workdir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        handle, temp = tempfile.mkstemp(prefix="put-", suffix=".part", dir=self.workdir)
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            key = digest.hexdigest()
            target = self.path_of(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, target)  # atomic: the whole file or none of it
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> BinaryIO:
        return open(self.path_of(key), "rb")

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def delete(self, key: str) -> None:
        self.path_of(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if _KEY.match(path.name):
                yield path.name


class S3Store:
    """Objects in ``bucket`` under ``prefix``, named by sha256."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client=None):
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client("s3", endpoint_url=endpoint_url)
        self.workdir = Path(tempfile.gettempdir())

    def _name(self, key: str) -> str:
        return self.prefix + _check_key(key)

    def put(self, stream: BinaryIO) -> str:
        # The key is the content's hash, known only once it is read: spool it to a
        # temporary file (in chunks) while hashing, then upload that.
        digest = hashlib.sha256()
        with tempfile.TemporaryFile() as spool:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                spool.write(chunk)
            spool.seek(0)
            key = digest.hexdigest()
            self.client.upload_fileobj(spool, self.bucket, self._name(key))
        return key

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"][len(self.prefix):]
                if _KEY.match(name):
                    yield name


def store_for(config, instance_path: str) -> Store:
    """The store ``FILE_STORAGE_URL`` names."""
    url = config.get("FILE_STORAGE_URL") or ""
    if not url:
        return FileSystemStore(Path(instance_path) / "files")
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return FileSystemStore(parsed.path)
    if parsed.scheme == "s3" and parsed.netloc:
        return S3Store(parsed.netloc, parsed.path, config.get("S3_ENDPOINT_URL"))
    from portal.config import ConfigError

    raise ConfigError(f"FILE_STORAGE_URL must be empty, file:///folder or s3://bucket/prefix, not {url!r}")


def current_store() -> Store:
    """The app's store (made once per app)."""
    from flask import current_app

    store = current_app.extensions.get("file_store")
    if store is None:
        store = current_app.extensions["file_store"] = store_for(current_app.config, current_app.instance_path)
    return store


# --- Storing and deleting with the transaction ------------------------------------------

_PUT = "files_put_this_transaction"
_DELETE = "files_delete_after_commit"


def put_for(session: Session, store: Store, stream: BinaryIO, expected_key: str | None = None) -> str:
    """Store the content for a row being added in ``session``: if the session rolls back,
    the object is deleted again unless it was already there (another document's)."""
    session.connection()  # in a transaction from here, so that a rollback is seen
    existed = expected_key is not None and store.exists(expected_key)
    if existed:
        return expected_key  # the store is by content: the same content is there already
    key = store.put(stream)
    if expected_key is not None and key != expected_key:
        if not existed:
            store.delete(key)
        raise ValueError("the file changed while it was being stored")
    if not existed:
        session.info.setdefault(_PUT, []).append((store, key))
    _listen(session)
    return key


def delete_after_commit(session: Session, store: Store, key: str) -> None:
    """Delete the object once the session commits (the rows naming it gone for good)."""
    session.info.setdefault(_DELETE, []).append((store, key))
    _listen(session)


def _listen(session: Session) -> None:
    if not event.contains(session, "after_commit", _after_commit):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    session.info.pop(_PUT, None)
    for store, key in session.info.pop(_DELETE, []):
        try:
            store.delete(key)
        except Exception:  # noqa: BLE001 - the rows are gone; the sweep (unreferenced) finds it
            import logging

            logging.getLogger(__name__).warning("could not delete stored file %s; the sweep will", key)


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    session.info.pop(_DELETE, None)
    for store, key in session.info.pop(_PUT, []):
        store.delete(key)
