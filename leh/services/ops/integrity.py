"""The evidence-integrity alarm (Lv3) of `leh ops diagnose` and `leh ops weekly`: mismatches seen by downloads
and workers (audit rows `integrity.mismatch`), newer versions written over confirmed originals on S3 (audit rows
`integrity.newer_version`), and a re-hash of a random sample of stored originals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leh.domain.audit_actions import AuditAction
from leh.ports import Ports
from leh.services import integrity
from leh.services.ops.findings import Finding, Level, Status

WINDOW_DAYS = 7
DEFAULT_SAMPLE = 20


def check_integrity(c: Ports, *, sample: int = DEFAULT_SAMPLE, seed: int | None = None,
                    now: datetime | None = None) -> Finding:
    title = "증거 원본 무결성 (SHA-256)"
    sampled = integrity.sample_check(c.sessions, c.objects, c.evidence, sample=sample, seed=seed)
    since = ((now or datetime.now(UTC)) - timedelta(days=WINDOW_DAYS)).isoformat()
    with c.sessions() as db:
        seen = [m for m in integrity.recent_mismatches(db) if str(m.get("at") or "") >= since]
        newer = [m for m in integrity.recent_mismatches(db, action=AuditAction.INTEGRITY_NEWER_VERSION)
                 if str(m.get("at") or "") >= since]
    detail = {"sampled": sampled, "mismatches": seen[:50], "newer_versions": newer[:50], "window_days": WINDOW_DAYS}
    bad_ids = sorted({str(m["evidence_id"]) for m in seen} | set(sampled["mismatched"]))
    newer_ids = sorted({str(m["evidence_id"]) for m in newer} | set(sampled["newer_version"]))
    if bad_ids:
        return Finding("integrity", title, Status.FAIL, Level.LV3,
                       f"원본 {len(bad_ids)}건이 접수 때 기록된 해시와 다릅니다 (최근 {WINDOW_DAYS}일, 표본 "
                       f"{sampled['checked']}건 재검사). 변조 또는 저장소 손상입니다.",
                       action=("즉시 보고하세요(Lv3). 해당 원본은 제공·처리되지 않습니다: 저장소 접근 기록과 백업을 대조하고, "
                               "백업의 원본으로 복원한 뒤 leh ops reprocess <evidence_id> 로 재처리하세요."),
                       detail={**detail, "evidence_ids": bad_ids[:100]})
    if newer_ids:
        return Finding("integrity", title, Status.FAIL, Level.LV3,
                       f"접수가 끝난 원본 {len(newer_ids)}건에 새 버전이 쓰였습니다 (최근 {WINDOW_DAYS}일): 원본을 "
                       "덮어쓰려는 시도입니다. 접수 때 기록된 버전은 그대로 보존되어 그 버전만 제공·처리됩니다.",
                       action=("즉시 보고하세요(Lv3). 버킷 접근 기록(CloudTrail 등)에서 해당 키에 쓴 주체와 시각을 확인하고, "
                               "그 사건의 업로드 권한을 점검하세요. 원본은 손실되지 않았으므로 복원은 필요 없습니다."),
                       detail={**detail, "evidence_ids": newer_ids[:100]})
    return Finding("integrity", title, Status.OK, Level.LV3,
                   f"원본 표본 {sampled['checked']}건의 해시가 일치하고, 최근 {WINDOW_DAYS}일 불일치 기록이 없습니다.",
                   detail=detail)
