"""TLS certificate check against a real local TLS server with self-signed certificates made here."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from leh.services.ops.findings import Level, Status
from leh.services.ops.tls import check_tls, fetch_certificate


def make_cert(folder: Path, days_valid: float) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1/localhost that expires in `days_valid` days: (cert, key) files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "leh-test.local")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=30))
            .not_valid_after(now + dt.timedelta(days=days_valid))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"cert-{days_valid}.pem", folder / f"key-{days_valid}.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextlib.contextmanager
def tls_server(cert: Path, key: Path) -> Iterator[str]:
    """A TLS server on a free local port that completes handshakes until the block ends; yields its https URL."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with contextlib.suppress(OSError), ctx.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield f"https://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        t.join(timeout=5)
        sock.close()


@pytest.mark.parametrize(("days", "status", "words"), [
    (90, Status.OK, "90일 남음"),
    (20, Status.WARN, "자동 갱신이 되지 않고"),
    (3, Status.FAIL, "3일 뒤 만료"),
    (-2, Status.FAIL, "만료되었습니다"),
])
def test_days_to_expiry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days: int, status: Status, words: str) -> None:
    cert, key = make_cert(tmp_path, days)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust this self-signed certificate, as a real CA would be
    with tls_server(cert, key) as url:
        finding = check_tls(url)
    assert finding.status == status and finding.level == Level.LV1, finding.summary
    assert words in finding.summary
    assert finding.detail["subject"] == "leh-test.local"


def test_untrusted_certificate_fails_even_far_from_expiry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = make_cert(tmp_path, 200)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    with tls_server(cert, key) as url:
        info = fetch_certificate(url)
        finding = check_tls(url)
    assert not info.trusted and info.days_left > 198
    assert finding.status == Status.FAIL and "신뢰하지 않는" in finding.summary


def test_unreachable_plain_http_and_unset_urls(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = check_tls(f"https://127.0.0.1:{port}")
    assert down.status == Status.FAIL and "연결할 수 없습니다" in down.summary
    assert check_tls("http://leh.example.com").status == Status.FAIL
    assert check_tls(None).status == Status.WARN
