"""Every action the audit log records, named once: entry points write `AuditAction.CASE_CLOSE`, never the string.

The values are what is stored in `audit_log.action` and what `leh ops`/the admin API filter on, so they never
change; a new action is a new member. A StrEnum compares equal to its value, so stored rows read back as-is.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    AUTH_LOGIN = "auth.login"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOGOUT = "auth.logout"
    ACCOUNT_PASSWORD_CHANGE = "account.password_change"  # the user's own change; never the password
    AUTH_LOGIN_THROTTLED = "auth.login_throttled"

    CASE_CREATE = "case.create"
    CASE_VIEW = "case.view"
    CASE_UPDATE = "case.update"
    CASE_CLOSE = "case.close"
    CASE_MEMBER_ADD = "case.member_add"
    CASE_MEMBER_REMOVE = "case.member_remove"
    CASE_SEARCH = "case.search"
    CASE_ASK = "case.ask"
    CASE_PARTIES_UPDATE = "case.parties_update"  # detail: which fields changed, never the names
    CASE_RISKS_VIEW = "case.risks_view"

    EVIDENCE_PRESIGN = "evidence.presign"
    EVIDENCE_CREATE = "evidence.create"
    EVIDENCE_VIEW = "evidence.view"
    EVIDENCE_DOWNLOAD = "evidence.download"
    EVIDENCE_RETRY = "evidence.retry"
    EVIDENCE_DELETE = "evidence.delete"
    EVIDENCE_LABELS_CORRECT = "evidence.labels_correct"
    EVIDENCE_SEGMENT_CORRECT = "evidence.segment_correct"
    EVIDENCE_SPEAKERS_UPDATE = "evidence.speakers_update"  # detail: counts per party, never speaker names

    DRAFT_GENERATE = "draft.generate"
    DRAFT_VIEW = "draft.view"
    DRAFT_EXPORT = "draft.export"

    ADMIN_BOOTSTRAP = "admin.bootstrap"
    ADMIN_USER_CREATE = "admin.user_create"
    ADMIN_USER_BLOCK = "admin.user_block"
    ADMIN_USER_UNBLOCK = "admin.user_unblock"
    ADMIN_USER_UNLOCK = "admin.user_unlock"
    ADMIN_PASSWORD_RESET = "admin.password_reset"
    ADMIN_DLQ_REDRIVE = "admin.dlq_redrive"
    ADMIN_REPROCESS = "admin.reprocess"
    ADMIN_BREAKER_OPEN = "admin.breaker_open"
    ADMIN_BREAKER_CLOSE = "admin.breaker_close"
    ADMIN_CASE_RESTORE = "admin.case_restore"
    ADMIN_CASE_REINDEX = "admin.case_reindex"
    ADMIN_BACKUP = "admin.backup"
    ADMIN_BACKUP_RESTORE = "admin.backup_restore"

    OPS_BREAKER_AUTO_OPEN = "ops.breaker_auto_open"

    INTEGRITY_MISMATCH = "integrity.mismatch"
    INTEGRITY_NEWER_VERSION = "integrity.newer_version"
