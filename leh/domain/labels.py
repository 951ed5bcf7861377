"""Korean display labels of the domain's codes: evidence statuses, stages and types, case statuses, roles, and
the grounds of 민법 제840조 (their short names from `leh.domain.grounds`). The one source for every page. Pure data."""

from __future__ import annotations

from typing import Final

from leh.domain.audit_actions import AuditAction
from leh.domain.evidence import EvidenceStatus, EvidenceType, ParseStage, Stage
from leh.domain.grounds import GROUNDS

STATUS_KO: Final[dict[str, str]] = {
    EvidenceStatus.UPLOADING: "업로드 중", EvidenceStatus.QUEUED: "대기 중", EvidenceStatus.PROCESSING: "처리 중",
    EvidenceStatus.DONE: "완료", EvidenceStatus.FAILED: "실패", EvidenceStatus.PAUSED: "일시 정지",
    EvidenceStatus.DELETED: "삭제됨",
}
STAGE_KO: Final[dict[str, str]] = {
    Stage.EXTRACT: "텍스트 추출", Stage.ANALYZE: "분석", Stage.INDEX: "색인",
    ParseStage.TRANSCRIBE: "음성 인식", ParseStage.OCR: "문자 인식(OCR)", ParseStage.READ_PAGES: "페이지 읽기",
    ParseStage.READ_TEXT: "대화 읽기",
}
TYPE_KO: Final[dict[str, str]] = {
    EvidenceType.TEXT: "텍스트", EvidenceType.KAKAOTALK: "카카오톡", EvidenceType.PDF: "PDF", EvidenceType.IMAGE: "이미지",
    EvidenceType.AUDIO: "음성", EvidenceType.VIDEO: "동영상", EvidenceType.DOCX: "Word 문서", EvidenceType.HWP: "한글 문서",
    EvidenceType.SPREADSHEET: "엑셀", EvidenceType.STATEMENT: "거래내역",
    EvidenceType.EMAIL: "이메일", EvidenceType.SMS: "문자 메시지", EvidenceType.CALL_LOG: "통화 기록",
    EvidenceType.UNKNOWN: "확인 중",
}
GROUND_KO: Final[dict[str, str]] = {g.id: g.short for g in GROUNDS}
CASE_STATUS_KO: Final[dict[str, str]] = {"active": "진행 중", "closed": "종료"}
ROLE_KO: Final[dict[str, str]] = {"admin": "관리자", "lawyer": "변호사", "staff": "직원"}
MEMBER_ROLE_KO: Final[dict[str, str]] = {"owner": "담당", "member": "구성원", "viewer": "열람"}
# The audit log's actions as an office manager reads them (the stored code is shown second, small).
AUDIT_ACTION_KO: Final[dict[str, str]] = {
    AuditAction.AUTH_LOGIN: "로그인", AuditAction.AUTH_LOGIN_FAILED: "로그인 실패", AuditAction.AUTH_LOGOUT: "로그아웃",
    AuditAction.ACCOUNT_PASSWORD_CHANGE: "비밀번호 변경(본인)",
    AuditAction.AUTH_LOGIN_THROTTLED: "로그인 잠금(시도 초과)", AuditAction.ADMIN_USER_UNLOCK: "로그인 잠금 해제(관리자)",
    AuditAction.INTEGRITY_MISMATCH: "원본 무결성 불일치(해시 다름)",
    AuditAction.INTEGRITY_NEWER_VERSION: "원본 이후에 올라온 새 버전 감지(원본은 보존)",
    AuditAction.CASE_CREATE: "사건 만들기", AuditAction.CASE_VIEW: "사건 열람", AuditAction.CASE_UPDATE: "사건 정보 수정",
    AuditAction.CASE_CLOSE: "사건 종료", AuditAction.CASE_MEMBER_ADD: "사건 구성원 추가",
    AuditAction.CASE_MEMBER_REMOVE: "사건 구성원 제외", AuditAction.CASE_SEARCH: "증거 검색", AuditAction.CASE_ASK: "증거에 질문",
    AuditAction.CASE_PARTIES_UPDATE: "당사자 정보 수정", AuditAction.CASE_RISKS_VIEW: "위험 요소 열람",
    AuditAction.EVIDENCE_PRESIGN: "업로드 주소 발급", AuditAction.EVIDENCE_CREATE: "증거 등록",
    AuditAction.EVIDENCE_VIEW: "증거 열람", AuditAction.EVIDENCE_DOWNLOAD: "원본 파일 열람·다운로드",
    AuditAction.EVIDENCE_RETRY: "증거 다시 처리", AuditAction.EVIDENCE_DELETE: "증거 삭제",
    AuditAction.EVIDENCE_LABELS_CORRECT: "분류 수정", AuditAction.EVIDENCE_SEGMENT_CORRECT: "녹취록 수정",
    AuditAction.EVIDENCE_SPEAKERS_UPDATE: "화자 지정", AuditAction.DRAFT_GENERATE: "소장 초안 생성",
    AuditAction.DRAFT_VIEW: "소장 초안 열람", AuditAction.DRAFT_EXPORT: "소장 초안 다운로드(.docx)",
    AuditAction.ADMIN_BOOTSTRAP: "최초 관리자 계정 생성", AuditAction.ADMIN_USER_CREATE: "사용자 추가",
    AuditAction.ADMIN_USER_BLOCK: "사용자 차단", AuditAction.ADMIN_USER_UNBLOCK: "사용자 차단 해제",
    AuditAction.ADMIN_PASSWORD_RESET: "비밀번호 재설정(관리자)", AuditAction.ADMIN_DLQ_REDRIVE: "처리 실패 보관함 다시 보내기",
    AuditAction.ADMIN_REPROCESS: "증거 재처리(관리자)", AuditAction.ADMIN_BREAKER_OPEN: "AI 처리 일시 정지",
    AuditAction.ADMIN_BREAKER_CLOSE: "AI 처리 재개", AuditAction.ADMIN_CASE_RESTORE: "사건 복구",
    AuditAction.ADMIN_CASE_REINDEX: "검색 색인 다시 만들기", AuditAction.ADMIN_BACKUP: "백업",
    AuditAction.ADMIN_BACKUP_RESTORE: "백업에서 복원", AuditAction.OPS_BREAKER_AUTO_OPEN: "AI 비용 한도 초과로 자동 정지",
}


def status_label(status: str, stage: str | None = None) -> str:
    """'처리 중 · 분석' for an item being processed, otherwise the status alone ('완료')."""
    text = STATUS_KO.get(str(status), str(status))
    if status == EvidenceStatus.PROCESSING and stage:
        text += " · " + STAGE_KO.get(str(stage), str(stage))
    return text
