"""Where derivative files live: a narrow MediaStore interface, a local folder, an S3-compatible bucket."""
from __future__ import annotations

import os
import posixpath
import re
import tempfile
import threading
import time
from typing import Iterator, Protocol, runtime_checkable

_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
CACHE_CONTROL = "public, max-age=31536000, immutable"  # names are content hashes, so files never change


class MediaStoreError(Exception):
    """A storage backend failed (disk, network, permissions); not the artisan's fault, so the job may retry."""


@runtime_checkable
class MediaStore(Protocol):
    """Stores immutable, content-addressed media files and says where they are served from."""

    def put(self, name: str, data: bytes, content_type: str) -> str: ...
    def get(self, key: str) -> bytes: ...
    def url(self, key: str) -> str: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def walk(self, prefix: str = "") -> Iterator[tuple[str, float]]: ...


def check_key(key: str) -> str:
    """Return `key` if it is a plain relative path (no '..', no leading '/'), else raise ValueError."""
    if not _SAFE_KEY.match(key) or ".." in key.split("/") or posixpath.normpath(key) != key:
        raise ValueError(f"unsafe media key: {key!r}")
    return key


class LocalMediaStore:
    """A folder on disk (default `instance/media`); writes are atomic (temp file + rename)."""

    def __init__(self, root: str | os.PathLike = "instance/media", base_url: str = "/media"):
        self.root = os.fspath(root)
        self.base_url = base_url.rstrip("/")

    def _path(self, key: str) -> str:
        return os.path.join(self.root, *check_key(key).split("/"))

    def put(self, name: str, data: bytes, content_type: str) -> str:
        path = self._path(name)
        if os.path.exists(path):  # same name means same bytes: nothing to do
            return name
        try:
            _write_new(path, data)
        except OSError as e:
            raise MediaStoreError(f"cannot write {name}: {e}") from e
        return name

    def get(self, key: str) -> bytes:
        try:
            with open(self._path(key), "rb") as f:
                return f.read()
        except FileNotFoundError:
            raise KeyError(key) from None
        except OSError as e:
            raise MediaStoreError(f"cannot read {key}: {e}") from e

    def url(self, key: str) -> str:
        return f"{self.base_url}/{check_key(key)}"

    def delete(self, key: str) -> None:
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            pass
        except OSError as e:
            raise MediaStoreError(f"cannot delete {key}: {e}") from e

    def exists(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def walk(self, prefix: str = "") -> Iterator[tuple[str, float]]:
        """Every stored file as (key, modification time), found on disk (half-written temp files skipped)."""
        for key, path in _files(self.root):
            if key.startswith(prefix):
                try:
                    yield key, os.stat(path).st_mtime
                except FileNotFoundError:
                    continue  # deleted meanwhile


def _files(root: str) -> Iterator[tuple[str, str]]:
    """(key, path) of each file under `root`, but half-written temp files."""
    for folder, _, names in os.walk(root):
        for name in names:
            if not name.startswith(".tmp-"):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, root).replace(os.sep, "/"), path


def _write_new(path: str, data: bytes) -> None:
    """Write a temp file beside `path` and rename it over: a reader never sees half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class MemoryMediaStore:
    """An in-process store for tests and the simulator; keeps bytes and content types in a dict."""

    def __init__(self, base_url: str = "memory://media"):
        self.base_url = base_url.rstrip("/")
        self.files: dict[str, tuple[bytes, str]] = {}
        self.times: dict[str, float] = {}
        self._lock = threading.Lock()

    def put(self, name: str, data: bytes, content_type: str) -> str:
        with self._lock:
            self.files.setdefault(check_key(name), (bytes(data), content_type))
            self.times.setdefault(name, time.time())
        return name

    def get(self, key: str) -> bytes:
        return self.files[key][0]

    def url(self, key: str) -> str:
        return f"{self.base_url}/{check_key(key)}"

    def delete(self, key: str) -> None:
        with self._lock:
            self.files.pop(key, None)
            self.times.pop(key, None)

    def exists(self, key: str) -> bool:
        return key in self.files

    def walk(self, prefix: str = "") -> Iterator[tuple[str, float]]:
        with self._lock:
            found = [(key, self.times.get(key, 0.0)) for key in self.files if key.startswith(prefix)]
        yield from found


class S3MediaStore:
    """An S3-compatible bucket (AWS, MinIO, R2, Spaces); boto3 is imported only when first used."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, access_key: str | None = None,
                 secret_key: str | None = None, region: str | None = None, prefix: str = "",
                 public_base_url: str | None = None, client=None):
        if not bucket:
            raise MediaStoreError("S3 media store is not configured: no bucket name")
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self._credentials = (access_key, secret_key, region)
        self._client = client

    @property
    def client(self):
        if self._client is None:
            import boto3  # lazily: only deployments that use S3 pay for importing boto3

            access_key, secret_key, region = self._credentials
            self._client = boto3.client("s3", endpoint_url=self.endpoint_url, aws_access_key_id=access_key,
                                        aws_secret_access_key=secret_key, region_name=region)
        return self._client

    def _object(self, key: str) -> str:
        check_key(key)
        if not key.startswith(self.prefix):
            raise ValueError(f"media key outside this store's prefix: {key!r}")
        return key

    def put(self, name: str, data: bytes, content_type: str) -> str:
        key = self.prefix + check_key(name)
        self._call("put", self.client.put_object, Bucket=self.bucket, Key=key, Body=data,
                   ContentType=content_type, CacheControl=CACHE_CONTROL)
        return key

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._object(key))
            return response["Body"].read()
        except Exception as e:
            if _status(e) == 404 or _code(e) in ("NoSuchKey", "404"):
                raise KeyError(key) from None
            raise MediaStoreError(f"S3 get {key}: {e}") from e

    def url(self, key: str) -> str:
        key = self._object(key)
        if self.public_base_url:
            return f"{self.public_base_url}/{key}"
        if self.endpoint_url:  # path-style works on every S3-compatible service
            return f"{self.endpoint_url.rstrip('/')}/{self.bucket}/{key}"
        return f"https://{self.bucket}.s3.amazonaws.com/{key}"

    def delete(self, key: str) -> None:
        self._call("delete", self.client.delete_object, Bucket=self.bucket, Key=self._object(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
            return True
        except Exception as e:
            if _status(e) == 404 or _code(e) in ("NoSuchKey", "404", "NotFound"):
                return False
            raise MediaStoreError(f"S3 head {key}: {e}") from e

    def walk(self, prefix: str = "") -> Iterator[tuple[str, float]]:
        """Every object under this store's prefix, listed page by page, with its last-modified time."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"], item["LastModified"].timestamp()

    @staticmethod
    def _call(what, fn, **kwargs):
        try:
            return fn(**kwargs)
        except Exception as e:  # botocore's ClientError/EndpointConnectionError, turned into ours in one place
            raise MediaStoreError(f"S3 {what} {kwargs.get('Key')}: {e}") from e


def _status(error: Exception):
    return getattr(error, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")


def _code(error: Exception):
    return getattr(error, "response", {}).get("Error", {}).get("Code")
