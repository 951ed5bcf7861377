"""TLS certificate of LEH_PUBLIC_URL (weekly checklist 3): days to expiry and whether clients trust it.

Automatic renewal (certbot, ACM) renews about 30 days ahead, so fewer than 30 days left means renewal is
not happening (warning) and fewer than 7 means users will soon be locked out (failure, Lv1).
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import NameOID

from leh.services.ops.findings import Finding, Level, Status

WARN_DAYS = 30
FAIL_DAYS = 7


@dataclass(frozen=True)
class CertInfo:
    """What the server presented, and whether a default client trusts it."""
    host: str
    port: int
    subject: str
    issuer: str
    not_after: str
    days_left: float
    trusted: bool
    trust_error: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cn(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else name.rfc4514_string()


def fetch_certificate(url: str, *, timeout: float = 5.0, now: datetime | None = None) -> CertInfo:
    """Handshake twice: once verifying like a browser would (trust), once without (to read any certificate)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 443
    trusted, trust_error = True, None
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                ssl.create_default_context().wrap_socket(raw, server_hostname=host):
            pass
    except ssl.SSLCertVerificationError as exc:
        trusted, trust_error = False, exc.verify_message or str(exc.reason)
    reader = ssl.create_default_context()
    reader.check_hostname = False
    reader.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            reader.wrap_socket(raw, server_hostname=host) as tls:
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("no certificate presented")
    cert = x509.load_der_x509_certificate(der)
    not_after = cert.not_valid_after_utc
    days = (not_after - (now or datetime.now(UTC))).total_seconds() / 86400
    return CertInfo(host=host, port=port, subject=_cn(cert.subject), issuer=_cn(cert.issuer),
                    not_after=not_after.isoformat(), days_left=round(days, 1), trusted=trusted, trust_error=trust_error)


def check_tls(public_url: str | None, *, now: datetime | None = None) -> Finding:
    """Weekly item 3: expiry and trust of LEH_PUBLIC_URL's certificate."""
    title = "TLS 인증서"
    if not public_url:
        return Finding("tls.certificate", title, Status.WARN, Level.LV1,
                       "LEH_PUBLIC_URL 이 설정되지 않아 인증서를 확인하지 못했습니다.",
                       action="서비스 주소를 LEH_PUBLIC_URL=https://… 로 설정하세요.")
    if urlsplit(public_url).scheme != "https":
        return Finding("tls.certificate", title, Status.FAIL, Level.LV1,
                       f"서비스 주소가 HTTPS가 아닙니다 ({public_url}). 증거가 암호화되지 않은 채 오갑니다.",
                       action="TLS를 적용하고 LEH_PUBLIC_URL 을 https:// 주소로 바꾸세요.")
    try:
        info = fetch_certificate(public_url, now=now)
    except (OSError, ssl.SSLError) as exc:
        return Finding("tls.certificate", title, Status.FAIL, Level.LV1,
                       f"{public_url} 에 TLS로 연결할 수 없습니다 ({type(exc).__name__}).",
                       action="서비스와 로드밸런서가 살아 있는지, 443 포트가 열려 있는지 확인하세요.",
                       detail={"url": public_url, "error": type(exc).__name__})
    detail = {"url": public_url, **info.to_dict()}
    renew = "인증서를 갱신하고 자동 갱신(certbot/ACM) 설정을 확인하세요."
    if info.days_left < FAIL_DAYS:
        state = "만료되었습니다" if info.days_left < 0 else f"{info.days_left:.0f}일 뒤 만료됩니다"
        return Finding("tls.certificate", title, Status.FAIL, Level.LV1, f"인증서가 {state} ({info.not_after[:10]}).",
                       action=renew, detail=detail)
    if not info.trusted:
        return Finding("tls.certificate", title, Status.FAIL, Level.LV1,
                       f"브라우저가 신뢰하지 않는 인증서입니다 ({info.trust_error}).",
                       action="공인 인증기관의 인증서(전체 체인 포함)를 설치하세요.", detail=detail)
    if info.days_left < WARN_DAYS:
        return Finding("tls.certificate", title, Status.WARN, Level.LV1,
                       f"인증서가 {info.days_left:.0f}일 뒤 만료됩니다 ({info.not_after[:10]}). 자동 갱신이 되지 않고 있습니다.",
                       action=renew, detail=detail)
    return Finding("tls.certificate", title, Status.OK, Level.LV1,
                   f"인증서 유효: {info.days_left:.0f}일 남음 ({info.not_after[:10]}, 발급자 {info.issuer}).", detail=detail)
