"""The ObjectStore contract, on the embedded directory store and on S3 (moto_server over HTTP).

moto does not enforce presigned POST conditions, so the S3 upload target is checked by decoding the policy
document LEH signed: the size cap, the expiry and the encryption are in it, whatever the server does.
"""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from leh.adapters.local_objects import LocalObjectStore
from leh.adapters.s3_objects import S3ObjectStore
from leh.domain.errors import LehError, TooLarge
from leh.ports import ObjectStore
from tests.support import moto

KEY = "cases/00000000-0000-0000-0000-000000000001/raw/00000000-0000-0000-0000-000000000002_녹음 파일.txt"


def _bucket() -> tuple[str, object]:
    s3 = moto.client("s3")
    name = moto.unique_name()
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": moto.REGION})  # type: ignore[attr-defined]
    return name, s3


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield LocalObjectStore(tmp_path / "objects", secret="s" * 40)
    else:
        name, _ = _bucket()
        yield S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION)


def test_put_open_head_list_delete_round_trip(store: ObjectStore, tmp_path: Path) -> None:
    data = "남편이 2023년 12월 25일 폭언했다.\n".encode() * 1000
    info = store.put(KEY, io.BytesIO(data))
    assert (info.key, info.size) == (KEY, len(data))
    assert abs(info.modified_at - time.time()) < 120
    with store.open(KEY) as fh:
        assert fh.read() == data
    assert store.download_to(KEY, tmp_path / "copy").read_bytes() == data
    head = store.head(KEY)
    assert head is not None and head.size == len(data)
    store.put("tmp/a.bin", io.BytesIO(b"x"))
    assert [o.key for o in store.list("cases/")] == [KEY]
    assert sorted(o.key for o in store.list("")) == sorted([KEY, "tmp/a.bin"])
    store.delete(KEY)
    assert store.head(KEY) is None
    with pytest.raises(FileNotFoundError):
        store.open(KEY)
    with pytest.raises(FileNotFoundError):
        store.download_to(KEY, tmp_path / "gone")
    store.delete(KEY)  # deleting twice is harmless


def test_put_past_max_bytes_is_refused_and_leaves_nothing(store: ObjectStore) -> None:
    with pytest.raises(TooLarge):
        store.put(KEY, io.BytesIO(b"x" * 5000), max_bytes=4096)
    assert store.head(KEY) is None
    assert list(store.list("cases/")) == []


@pytest.mark.parametrize("bad", ["", "/etc/passwd", "cases/../../x", "cases/./x", "a\x00b"])
def test_keys_that_escape_are_refused(store: ObjectStore, bad: str) -> None:
    with pytest.raises(LehError) as exc:
        store.put(bad, io.BytesIO(b"x"))
    assert exc.value.code == "INVALID_FILENAME"


def test_upload_target_caps_size_and_lifetime(store: ObjectStore) -> None:
    target = store.presign_upload(KEY, max_bytes=1234, content_type="text/plain", expires_in=250)
    assert target.expires_in == 250
    if target.method == "PUT":  # the embedded store: a signed path on this server, a JWT holding the cap
        assert target.url.startswith("/api/objects/") and target.headers["Content-Type"] == "text/plain"
        claims = store.verify_token(target.url.rsplit("/", 1)[1], "put")  # type: ignore[attr-defined]
        assert claims["max"] == 1234 and 240 < claims["exp"] - time.time() <= 250
        return
    assert target.method == "POST" and target.headers == {}
    policy = json.loads(base64.b64decode(target.fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 0, 1234] in conditions
    assert {"key": KEY} in conditions and {"Content-Type": "text/plain"} in conditions
    assert {"x-amz-server-side-encryption": "AES256"} in conditions
    assert target.fields["x-amz-server-side-encryption"] == "AES256" and target.fields["key"] == KEY
    expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert 240 < (expires - datetime.now(UTC)).total_seconds() <= 250


def test_s3_upload_target_never_lives_past_five_minutes() -> None:
    name, _ = _bucket()
    store = S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION)
    target = store.presign_upload(KEY, max_bytes=1, content_type="", expires_in=3600)
    policy = json.loads(base64.b64decode(target.fields["policy"]))
    expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert target.expires_in == 300 and (expires - datetime.now(UTC)).total_seconds() <= 300
    assert {"Content-Type": "application/octet-stream"} in policy["conditions"]
    url = store.presign_download(KEY, filename="a.txt", expires_in=3600)
    assert parse_qs(urlparse(url).query)["X-Amz-Expires"] == ["300"]


def test_s3_upload_target_accepts_the_file_the_way_a_browser_sends_it() -> None:
    name, _ = _bucket()
    store = S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION)
    target = store.presign_upload(KEY, max_bytes=100, content_type="text/plain", expires_in=120)
    # multipart/form-data: the policy fields first, the file last (S3 ignores fields after the file).
    resp = httpx.post(target.url, data=target.fields, files={"file": ("x.txt", "올린 파일".encode(), "text/plain")})
    assert resp.status_code == 204, resp.text
    with store.open(KEY) as fh:
        assert fh.read() == "올린 파일".encode()


def test_download_url_names_the_file_and_expires(store: ObjectStore) -> None:
    store.put(KEY, io.BytesIO(b"abc"))
    url = store.presign_download(KEY, filename="녹음 파일.txt", expires_in=120)
    if url.startswith("/api/objects/"):
        claims = store.verify_token(url.rsplit("/", 1)[1], "get")  # type: ignore[attr-defined]
        assert claims["fn"] == "녹음 파일.txt" and claims["exp"] - time.time() <= 120
        return
    query = parse_qs(urlparse(url).query)
    assert query["X-Amz-Expires"] == ["120"]
    resp = httpx.get(url)
    assert resp.status_code == 200 and resp.content == b"abc"
    assert resp.headers["content-disposition"] == "attachment; filename*=UTF-8''%EB%85%B9%EC%9D%8C%20%ED%8C%8C%EC%9D%BC.txt"


def test_every_s3_write_asks_for_encryption() -> None:
    name, s3 = _bucket()
    S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION).put(KEY, io.BytesIO(b"a"))
    assert s3.head_object(Bucket=name, Key=KEY)["ServerSideEncryption"] == "AES256"  # type: ignore[attr-defined]
    kms = S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION, kms_key_id="alias/leh")
    kms.put("cases/k.txt", io.BytesIO(b"b"))
    head = s3.head_object(Bucket=name, Key="cases/k.txt")  # type: ignore[attr-defined]
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"].endswith("alias/leh")) == ("aws:kms", True)
    target = kms.presign_upload("cases/p.txt", max_bytes=10, content_type="text/plain", expires_in=60)
    conditions = json.loads(base64.b64decode(target.fields["policy"]))["conditions"]
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert {"x-amz-server-side-encryption-aws-kms-key-id": "alias/leh"} in conditions


@pytest.mark.parametrize("size", [3, 6 * 1024 * 1024 + 7], ids=["3B", "6MiB"])
def test_a_stored_key_is_never_overwritten(store: ObjectStore, size: int) -> None:
    """Write-once (issue #15): a second put of a key is refused with OBJECT_EXISTS and the first bytes stay.
    On S3 it is the server that refuses (a conditional put, `If-None-Match: *`, on put_object and on
    complete_multipart_upload), so two writers racing for a key cannot replace each other either."""
    original, forged = b"A" * size, b"B" * size
    store.put(KEY, io.BytesIO(original))
    with pytest.raises(LehError) as err:
        store.put(KEY, io.BytesIO(forged))
    assert (err.value.code, err.value.http_status) == ("OBJECT_EXISTS", 409)
    with store.open(KEY) as fh:
        assert fh.read() == original
    with pytest.raises(TooLarge):  # a refused oversize write never deletes what is stored under the key
        store.put(KEY, io.BytesIO(forged), max_bytes=size - 1)
    with store.open(KEY) as fh:
        assert fh.read() == original


def test_s3_writes_are_conditional_on_the_server() -> None:
    """The refusal comes from S3 itself: an object put behind LEH's back (another writer) is not replaced, for a
    single put and for a multipart upload (smaller parts here so that the test stays small)."""
    name, s3 = _bucket()
    store = S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION, part_size=5 * 1024 * 1024)
    s3.put_object(Bucket=name, Key=KEY, Body=b"first writer")  # type: ignore[attr-defined]
    s3.put_object(Bucket=name, Key="cases/big.bin", Body=b"first writer")  # type: ignore[attr-defined]
    for key, size in ((KEY, 10), ("cases/big.bin", 11 * 1024 * 1024)):
        with pytest.raises(LehError) as err:
            store.put(key, io.BytesIO(b"x" * size))
        assert err.value.code == "OBJECT_EXISTS"
        assert s3.get_object(Bucket=name, Key=key)["Body"].read() == b"first writer"  # type: ignore[attr-defined]
    assert s3.list_multipart_uploads(Bucket=name).get("Uploads", []) == []  # type: ignore[attr-defined]
    info = store.put("cases/new.bin", io.BytesIO(b"y" * (11 * 1024 * 1024)))
    assert info.size == 11 * 1024 * 1024
    assert s3.head_object(Bucket=name, Key="cases/new.bin")["ServerSideEncryption"] == "AES256"  # type: ignore[attr-defined]


def _versioned_store() -> tuple[S3ObjectStore, str, object]:
    name, s3 = _bucket()
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})  # type: ignore[attr-defined]
    return S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION), name, s3


def test_the_local_store_has_one_version_and_no_other(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects", secret="s" * 40)
    info = store.put(KEY, io.BytesIO(b"abc"))
    head = store.head(KEY)
    assert info.version is None and head is not None and head.version is None
    assert store.head(KEY, version="v1") is None
    with pytest.raises(FileNotFoundError):
        store.open(KEY, version="v1")
    with pytest.raises(FileNotFoundError):
        store.download_to(KEY, tmp_path / "v1", version="v1")
    with pytest.raises(FileNotFoundError):
        store.presign_download(KEY, filename="a.txt", expires_in=60, version="v1")


def test_an_unversioned_bucket_reports_no_version() -> None:
    name, _ = _bucket()
    store = S3ObjectStore(name, endpoint_url=moto.endpoint_url(), region=moto.REGION)
    info = store.put(KEY, io.BytesIO(b"abc"))
    head = store.head(KEY)
    assert info.version is None and head is not None and head.version is None


def test_a_post_after_confirmation_only_adds_a_version_nobody_reads(tmp_path: Path) -> None:
    """Issue #15 High 2 on S3: the presigned POST cannot be conditional and S3 takes it until it expires, also
    after confirmation. On the versioned bucket it adds a newer version; reads of the recorded version (open,
    download_to, head, the presigned GET) still give the first bytes, and the newer one is there to be seen."""
    store, name, s3 = _versioned_store()
    target = store.presign_upload(KEY, max_bytes=100, content_type="text/plain", expires_in=120)
    first, forged = "처음 올린 원본".encode(), "바꿔치기한 내용".encode()
    assert httpx.post(target.url, data=target.fields, files={"file": ("x.txt", first, "text/plain")}).status_code == 204
    confirmed = store.head(KEY)
    assert confirmed is not None and confirmed.version and confirmed.size == len(first)
    # The same form, again, after the confirmation above.
    assert httpx.post(target.url, data=target.fields, files={"file": ("x.txt", forged, "text/plain")}).status_code == 204
    current = store.head(KEY)
    assert current is not None and current.version not in (None, confirmed.version)
    with store.open(KEY, version=confirmed.version) as fh:
        assert fh.read() == first
    assert store.download_to(KEY, tmp_path / "raw", version=confirmed.version).read_bytes() == first
    pinned = store.head(KEY, version=confirmed.version)
    assert pinned is not None and (pinned.version, pinned.size) == (confirmed.version, len(first))
    url = store.presign_download(KEY, filename="원본.txt", expires_in=60, version=confirmed.version)
    assert httpx.get(url).content == first
    with store.open(KEY) as fh:  # without a version: the newer bytes (what LEH never asks for once confirmed)
        assert fh.read() == forged
    with pytest.raises(FileNotFoundError):
        store.open(KEY, version="no-such-version")
    versions = s3.list_object_versions(Bucket=name, Prefix=KEY)["Versions"]  # type: ignore[attr-defined]
    assert len(versions) == 2  # nothing lost


def test_puts_on_a_versioned_bucket_name_their_version_and_stay_write_once() -> None:
    store, _, _ = _versioned_store()
    small = store.put(KEY, io.BytesIO(b"a"))
    big = S3ObjectStore(store.bucket, endpoint_url=moto.endpoint_url(), region=moto.REGION,
                        part_size=5 * 1024 * 1024).put("cases/big.bin", io.BytesIO(b"b" * (6 * 1024 * 1024)))
    assert small.version and big.version and small.version != big.version
    head = store.head(KEY)
    assert head is not None and head.version == small.version
    with pytest.raises(LehError) as err:
        store.put(KEY, io.BytesIO(b"forged"))
    assert err.value.code == "OBJECT_EXISTS"
    with store.open(KEY) as fh:
        assert fh.read() == b"a"
