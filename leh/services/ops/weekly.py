"""`leh ops weekly` (runbook section 3, 정기 점검): tmp/ lifecycle, backups, TLS certificate, audit-log PII.

Each item is a Finding with its level; the audit hash chain is checked alongside the PII sampling since
both answer "can the audit log be trusted".
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from leh.ports import Ports
from leh.services import audit_anchor
from leh.services.ops import janitor
from leh.services.ops.backup import list_backups, verify_backup
from leh.services.ops.findings import Finding, Level, Status, make_report
from leh.services.ops.integrity import check_integrity
from leh.services.ops.pii_scan import DEFAULT_SAMPLE, check_pii
from leh.services.ops.tls import check_tls

BACKUP_MAX_AGE_HOURS = 24
# Expired tmp/ objects younger than this past their TTL are just waiting for the janitor's next round.
JANITOR_GRACE_HOURS = 1


def ttl_days(ttl_hours: int) -> int:
    """S3 expires in whole days: the TTL rounded up."""
    return max(1, math.ceil(ttl_hours / 24))


def check_tmp(c: Ports, *, apply: bool = False) -> Finding:
    """Weekly item 1: the S3 lifecycle rule (when on S3) and what is left under tmp/; --apply fixes both."""
    title = "tmp/ 임시 파일 정리"
    s = c.settings
    detail: dict[str, Any] = {}
    lifecycle = c.tmp_lifecycle
    if lifecycle is not None:
        want = ttl_days(s.tmp_ttl_hours)
        days = lifecycle.tmp_rule_days()
        if (days is None or days > want) and apply:
            lifecycle.install_tmp_rule(want)
            days = lifecycle.tmp_rule_days()
            detail["installed_rule_days"] = want
        detail.update(lifecycle=lifecycle.where, rule_days=days, wanted_days=want)
        if days is None or days > want:
            return Finding("tmp.lifecycle", title, Status.FAIL, Level.LV1,
                           f"{lifecycle.where} 에 tmp/ 자동 삭제 규칙이 없습니다." if days is None else
                           f"tmp/ 자동 삭제 규칙이 {days}일로, 설정({want}일)보다 깁니다.",
                           action="수명 주기 규칙을 설치하세요: leh ops weekly --apply", detail=detail)
    report = janitor.sweep_tmp(c.objects, s) if apply else janitor.tmp_report(c.objects, s)
    detail.update(report)
    overdue = report["expired"] and report["oldest_hours"] > s.tmp_ttl_hours + JANITOR_GRACE_HOURS
    if overdue and lifecycle is None:
        return Finding("tmp.lifecycle", title, Status.FAIL, Level.LV1,
                       f"보존 기간({s.tmp_ttl_hours}시간)이 지난 tmp/ 파일 {report['expired']}개"
                       f"({report['expired_bytes']:,} bytes)가 남아 있습니다. 정리 작업이 돌지 않고 있습니다.",
                       action="워커가 실행 중인지 확인하세요(정리 작업은 워커가 실행합니다). 즉시 정리: leh ops janitor",
                       detail=detail)
    return Finding("tmp.lifecycle", title, Status.OK, Level.LV1,
                   f"tmp/ 에 {report['objects']}개 ({report['bytes']:,} bytes) 남음, 보존 기간 {s.tmp_ttl_hours}시간"
                   + (f", 수명 주기 규칙 {detail['rule_days']}일" if lifecycle is not None else "") + ".",
                   detail=detail)


def check_backups(c: Ports, *, now: datetime | None = None) -> Finding:
    """Weekly item 2: the newest backup exists, is intact, is under 24 h old and away from the data."""
    title = "백업"
    now = now or datetime.now(UTC)
    backups = list_backups(c.settings)
    where = str(c.settings.effective_backup_dir)
    action = "백업을 만드세요: leh ops backup (cron 등으로 매일 실행)"
    if not backups:
        return Finding("backup.age", title, Status.FAIL, Level.LV2, f"{where} 에 백업이 없습니다.", action=action,
                       detail={"backup_dir": where})
    newest = backups[0]
    age_h = (now - newest.created_at).total_seconds() / 3600
    detail = {"backup_dir": where, "newest": newest.to_dict(), "age_hours": round(age_h, 1), "count": len(backups)}
    bad = verify_backup(newest)
    if bad:
        return Finding("backup.age", title, Status.FAIL, Level.LV2,
                       f"최근 백업 {newest.name} 이 손상되었습니다 ({', '.join(bad)}).", action=action,
                       detail={**detail, "corrupt_files": bad})
    if age_h > BACKUP_MAX_AGE_HOURS:
        return Finding("backup.age", title, Status.FAIL, Level.LV2,
                       f"최근 백업이 {age_h:.0f}시간 전입니다 (기준 {BACKUP_MAX_AGE_HOURS}시간).", action=action, detail=detail)
    counts = newest.manifest.get("counts", {})
    summary = (f"최근 백업 {age_h:.1f}시간 전 ({newest.name}, 사건 {counts.get('cases', 0)}건, "
               f"증거 {counts.get('evidence', 0)}건, 체크섬 정상).")
    if _inside(c.settings.effective_backup_dir, c.settings.data_dir):
        # Next to the data it protects, a backup does not survive the loss of that disk.
        return Finding("backup.age", title, Status.WARN, Level.LV2, summary + " 단, 데이터와 같은 디렉터리에 있습니다.",
                       action="백업을 다른 디스크나 저장소에 두세요: LEH_BACKUP_DIR", detail={**detail, "same_disk": True})
    return Finding("backup.age", title, Status.OK, Level.LV2, summary, detail=detail)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def check_audit_chain(c: Ports) -> Finding:
    """The audit log's hash chain is intact (Lv2 when a row was changed or removed)."""
    rep = audit_anchor.verify_log(c.sessions, c.objects, c.settings.resolved_anchor_key())
    detail = {"checked": rep["checked"], "first_bad_id": rep["first_bad_id"], "reason": rep["reason"],
              "anchors": rep["anchors"]}
    if rep["ok"]:
        return Finding("audit.chain", "감사 로그 해시 체인", Status.OK, Level.LV2,
                       f"감사 로그 {rep['checked']}건의 해시 체인이 온전하고 서명된 체크포인트 "
                       f"{rep['anchors']['checkpoints']}개와 일치합니다.", detail=detail)
    return Finding("audit.chain", "감사 로그 해시 체인", Status.FAIL, Level.LV2,
                   f"감사 로그가 변경·삭제되었습니다 (첫 불일치 {rep['first_bad_id'] or '-'}: {rep['reason']}).",
                   action="감사 로그 변조 경위를 조사하세요: leh ops verify-audit", detail=detail)


def weekly(c: Ports, *, apply: bool = False, sample: int = DEFAULT_SAMPLE, seed: int | None = None) -> dict[str, Any]:
    """The whole weekly checklist as a report."""
    with c.sessions() as db:
        pii = check_pii(c.settings, db, sample=sample, seed=seed)
    findings = [check_tmp(c, apply=apply), check_backups(c), check_tls(c.settings.public_url), pii, check_audit_chain(c),
                check_integrity(c, seed=seed)]
    return make_report("weekly", findings)
