"""MediaStore implementations: local folder, in-memory, S3-compatible (against a tiny fake client)."""
import io
import os

import pytest

from marketplace.photos import LocalMediaStore, MediaStore, MediaStoreError, MemoryMediaStore, S3MediaStore


def test_local_store_round_trip(tmp_path):
    store = LocalMediaStore(tmp_path, base_url="/media/")
    assert isinstance(store, MediaStore)
    key = store.put("ab/cd/abcd_320.jpg", b"jpeg bytes", "image/jpeg")
    assert key == "ab/cd/abcd_320.jpg" and store.exists(key)
    assert store.get(key) == b"jpeg bytes"
    assert store.url(key) == "/media/ab/cd/abcd_320.jpg"
    assert not [f for f in os.listdir(tmp_path / "ab" / "cd") if f.startswith(".tmp-")]  # temp file renamed
    store.delete(key)
    store.delete(key)  # deleting twice is fine
    assert not store.exists(key)
    with pytest.raises(KeyError):
        store.get(key)


@pytest.mark.parametrize("key", ["../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "", "a\\b"])
def test_local_store_refuses_paths_outside_its_folder(tmp_path, key):
    with pytest.raises(ValueError):
        LocalMediaStore(tmp_path).put(key, b"x", "image/jpeg")


def test_local_store_failure_is_a_media_store_error(tmp_path):
    (tmp_path / "ab").write_text("a file where a folder should be")
    with pytest.raises(MediaStoreError):
        LocalMediaStore(tmp_path).put("ab/cd/x.jpg", b"x", "image/jpeg")


def test_memory_store():
    store = MemoryMediaStore()
    key = store.put("ab/cd/x.webp", b"w", "image/webp")
    assert store.get(key) == b"w" and store.url(key) == "memory://media/ab/cd/x.webp"


class FakeS3:
    """Just enough of boto3's S3 client; errors shaped like botocore's ClientError."""

    class ClientError(Exception):
        def __init__(self, status, code):
            super().__init__(code)
            self.response = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}

    def __init__(self):
        self.objects = {}
        self.down = False

    def put_object(self, Bucket, Key, Body, ContentType, CacheControl):
        if self.down:
            raise ConnectionError("endpoint unreachable")
        self.objects[(Bucket, Key)] = (Body, ContentType, CacheControl)

    def get_object(self, Bucket, Key):
        if (Bucket, Key) not in self.objects:
            raise self.ClientError(404, "NoSuchKey")
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)][0])}

    def head_object(self, Bucket, Key):
        if (Bucket, Key) not in self.objects:
            raise self.ClientError(404, "404")
        return {}

    def delete_object(self, Bucket, Key):
        self.objects.pop((Bucket, Key), None)


def test_s3_store_keys_urls_and_errors():
    fake = FakeS3()
    store = S3MediaStore("hunar-media", endpoint_url="https://s3.example.net", prefix="/photos/", client=fake)
    key = store.put("ab/cd/abcd_1600.jpg", b"data", "image/jpeg")
    assert key == "photos/ab/cd/abcd_1600.jpg"
    assert fake.objects[("hunar-media", key)][1:] == ("image/jpeg", "public, max-age=31536000, immutable")
    assert store.get(key) == b"data" and store.exists(key)
    assert store.url(key) == "https://s3.example.net/hunar-media/photos/ab/cd/abcd_1600.jpg"
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(KeyError):
        store.get(key)
    with pytest.raises(ValueError):
        store.url("other/ab.jpg")  # not under this store's prefix
    fake.down = True
    with pytest.raises(MediaStoreError):
        store.put("ab/cd/x.jpg", b"x", "image/jpeg")


def test_s3_store_urls_without_endpoint_or_with_cdn():
    assert S3MediaStore("b", client=FakeS3()).url("k.jpg") == "https://b.s3.amazonaws.com/k.jpg"
    cdn = S3MediaStore("b", public_base_url="https://cdn.hunar.example/", client=FakeS3())
    assert cdn.url("k.jpg") == "https://cdn.hunar.example/k.jpg"


def test_s3_store_needs_a_bucket():
    with pytest.raises(MediaStoreError, match="not configured"):
        S3MediaStore("")


def test_s3_store_builds_a_boto3_client_lazily():
    store = S3MediaStore("b", endpoint_url="http://127.0.0.1:9", access_key="k", secret_key="s", region="ap-south-1")
    assert store._client is None
    assert store.client.meta.endpoint_url == "http://127.0.0.1:9"  # built, not called: no network
