"""Korean display labels of the domain's codes: evidence statuses, stages and types, case statuses, roles, and
the grounds of 민법 제840조 (their short names from `leh.domain.grounds`). The one source for every page. Pure data."""

from __future__ import annotations

from typing import Final

from leh.domain.evidence import EvidenceStatus, EvidenceType, Stage
from leh.domain.grounds import GROUNDS

STATUS_KO: Final[dict[str, str]] = {
    EvidenceStatus.UPLOADING: "업로드 중", EvidenceStatus.QUEUED: "대기 중", EvidenceStatus.PROCESSING: "처리 중",
    EvidenceStatus.DONE: "완료", EvidenceStatus.FAILED: "실패", EvidenceStatus.PAUSED: "일시 정지",
    EvidenceStatus.DELETED: "삭제됨",
}
STAGE_KO: Final[dict[str, str]] = {Stage.EXTRACT: "텍스트 추출", Stage.ANALYZE: "분석", Stage.INDEX: "색인"}
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


def status_label(status: str, stage: str | None = None) -> str:
    """'처리 중 · 분석' for an item being processed, otherwise the status alone ('완료')."""
    text = STATUS_KO.get(str(status), str(status))
    if status == EvidenceStatus.PROCESSING and stage:
        text += " · " + STAGE_KO.get(str(stage), str(stage))
    return text
