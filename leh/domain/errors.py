"""Typed errors: every error has a stable code, an HTTP status and a Korean message telling the user what to do.

The API maps `LehError` to `{"error": {"code", "message"}}` in one place (`leh.api.errors`); the worker
stores `code`/`message` on the evidence document.
"""

from __future__ import annotations

from typing import Final


class LehError(Exception):
    """Base error. `message_ko` is shown to users as is; never put evidence text or PII in it."""

    code: str = "INTERNAL_ERROR"
    http_status: int = 500
    message_ko: str = "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요."

    def __init__(self, code: str | None = None, message_ko: str | None = None, *, http_status: int | None = None):
        if code is not None:
            self.code = code
        if message_ko is not None:
            self.message_ko = message_ko
        elif self.code in ERROR_MESSAGES_KO:
            self.message_ko = ERROR_MESSAGES_KO[self.code]
        if http_status is not None:
            self.http_status = http_status
        super().__init__(f"{self.code}: {self.message_ko}")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message_ko}


class ValidationFailed(LehError):
    code = "VALIDATION_ERROR"
    http_status = 400


class Unauthorized(LehError):
    code = "UNAUTHORIZED"
    http_status = 401


class Forbidden(LehError):
    code = "FORBIDDEN"
    http_status = 403


class NotFound(LehError):
    code = "NOT_FOUND"
    http_status = 404


class Conflict(LehError):
    code = "CONFLICT"
    http_status = 409


class TooLarge(LehError):
    code = "FILE_TOO_LARGE"
    http_status = 413


class RateLimited(LehError):
    code = "RATE_LIMITED"
    http_status = 429


class EvidenceError(LehError):
    """A problem with one evidence file. `retryable=False` means retrying the same bytes cannot help."""

    http_status = 422

    def __init__(self, code: str, message_ko: str | None = None, *, retryable: bool = False):
        super().__init__(code, message_ko)
        self.retryable = retryable


# Failures a retry of the same file can get past: the cause was outside the file (a worker died, the AI
# service or the object store answered late, the model was missing until an admin fixed it, the case was
# paused). Every other failure code describes the file itself (corrupt, encrypted, too long …): retrying the same
# bytes gives the same result, so the pages offer 재시도 only for these.
RETRYABLE_CODES: Final[frozenset[str]] = frozenset({
    "INTERNAL_ERROR", "WORKER_CRASHED", "AI_PROVIDER_UNAVAILABLE", "OBJECT_MISSING", "STT_MODEL_MISSING",
    "CASE_PAUSED", "RATE_LIMITED",
})


def retry_can_help(code: str | None) -> bool:
    """Whether processing the same file again can succeed after a failure with this code."""
    return code in RETRYABLE_CODES


# Korean messages for every code the system emits. Each says what happened and what the user can do.
ERROR_MESSAGES_KO: Final[dict[str, str]] = {
    "INTERNAL_ERROR": "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.",
    "VALIDATION_ERROR": "입력값이 올바르지 않습니다. 입력 내용을 확인해주세요.",
    "UNAUTHORIZED": "로그인이 필요합니다. 다시 로그인해주세요.",
    "INVALID_CREDENTIALS": "이메일 또는 비밀번호가 올바르지 않습니다.",
    "TOKEN_EXPIRED": "로그인이 만료되었습니다. 다시 로그인해주세요.",
    "USER_BLOCKED": "차단된 계정입니다. 관리자에게 문의해주세요.",
    "FORBIDDEN": "이 작업을 할 권한이 없습니다. 관리자에게 문의해주세요.",
    "NOT_FOUND": "요청한 항목을 찾을 수 없습니다. 주소를 확인해주세요.",
    "CASE_NOT_FOUND": "사건을 찾을 수 없습니다. 사건 목록에서 다시 선택해주세요.",
    "CASE_CLOSED": "종료된 사건입니다. 사건을 복구한 뒤 다시 시도해주세요.",
    "EVIDENCE_NOT_FOUND": "증거를 찾을 수 없습니다. 증거 목록에서 다시 선택해주세요.",
    "USER_NOT_FOUND": "사용자를 찾을 수 없습니다. 이메일을 확인해주세요.",
    "WEAK_PASSWORD": "비밀번호는 10자 이상이어야 하고 이메일과 같으면 안 됩니다. 더 긴 비밀번호를 입력해주세요.",
    "PASSWORD_MISMATCH": "새 비밀번호와 확인이 서로 다릅니다. 같은 비밀번호를 두 번 입력해주세요.",
    "WRONG_PASSWORD": "현재 비밀번호가 올바르지 않습니다. 다시 입력해주세요.",
    "PASSWORD_UNCHANGED": "새 비밀번호가 현재 비밀번호와 같습니다. 다른 비밀번호를 입력해주세요.",
    "USER_EXISTS": "이미 등록된 이메일입니다. 다른 이메일을 사용해주세요.",
    "CONFLICT": "현재 상태에서는 이 작업을 할 수 없습니다. 새로고침 후 다시 시도해주세요.",
    "FILE_TOO_LARGE": "파일이 너무 큽니다. 허용된 크기 이하로 나누어 업로드해주세요.",
    "RATE_LIMITED": "요청이 너무 많습니다. 잠시 후 다시 시도해주세요.",
    "UPLOAD_URL_INVALID": "업로드 주소가 만료되었거나 올바르지 않습니다. 업로드를 처음부터 다시 시도해주세요.",
    "UPLOAD_INCOMPLETE": "파일 업로드가 완료되지 않았습니다. 파일을 다시 업로드해주세요.",
    "INVALID_FILENAME": "파일 이름이 올바르지 않습니다. 파일 이름을 바꾼 뒤 다시 업로드해주세요.",
    "EMPTY_FILE": "빈 파일입니다. 내용이 있는 파일을 업로드해주세요.",
    "UNSUPPORTED_TYPE": ("지원하지 않는 파일 형식입니다. 텍스트, 카카오톡 내보내기, PDF, Word, 한글(HWP/HWPX), 엑셀·CSV, 이메일(.eml), "
                         "문자·통화 기록 백업(XML), 이미지, 음성, 동영상 파일을 업로드해주세요."),
    "TYPE_MISMATCH": "파일 내용이 확장자와 다릅니다. 원본 파일을 다시 업로드해주세요.",
    "HWP_UNSUPPORTED": ("HWP 3.0 이전 형식의 한글 문서는 읽을 수 없습니다. 최신 한글 프로그램에서 HWP 또는 HWPX로 다시 "
                        "저장한 뒤 업로드해주세요."),
    "HWP_ENCRYPTED": ("암호가 걸렸거나 배포용(읽기 전용)으로 저장된 한글 문서입니다. 한글 프로그램에서 암호·배포용 설정을 "
                      "해제하고 다시 저장한 뒤 업로드해주세요."),
    "HWP_CORRUPT": "손상된 한글 문서입니다. 한글 프로그램에서 문서를 다시 저장해서 업로드해주세요.",
    "HWP_TOO_LARGE": "한글 문서의 내용이 너무 큽니다. 문서를 여러 파일로 나누어 업로드해주세요.",
    "SHEET_CORRUPT": "손상된 엑셀 파일입니다. 엑셀에서 파일을 다시 저장하거나 CSV로 내보내 업로드해주세요.",
    "SHEET_TOO_LARGE": "엑셀 파일의 내용이 너무 큽니다. 기간별로 나누어 여러 파일로 업로드해주세요.",
    "EMAIL_CORRUPT": "손상된 이메일 파일입니다. 메일 프로그램에서 메일을 다시 저장(.eml 또는 Outlook .msg)해서 업로드해주세요.",
    "EMAIL_ENCRYPTED": "암호화된(S/MIME) 이메일입니다. 메일 프로그램에서 암호를 해제한 메일을 .eml로 저장해서 업로드해주세요.",
    # A warning: the mail is processed, but some attachments were not stored as evidence.
    "EMAIL_ATTACHMENTS_SKIPPED": ("첨부파일이 너무 많거나 커서(최대 20개, 업로드 한도 이내) 일부 첨부파일을 증거로 저장하지 "
                                  "않았습니다. 빠진 첨부파일은 따로 업로드해주세요."),
    "ATTACHMENTS_TOO_DEEP": ("메일 안의 메일처럼 너무 깊이 들어 있는 첨부파일은 증거로 저장하지 않았습니다. 필요한 첨부파일은 "
                             "따로 업로드해주세요."),
    "PHONE_BACKUP_CORRUPT": ("문자·통화 기록 백업 파일이 손상되었습니다. 백업 앱(SMS Backup & Restore)에서 다시 백업한 XML "
                             "파일을 업로드해주세요."),
    "OFFICE_ENCRYPTED": "암호가 걸린 엑셀·Word 문서입니다. 암호를 해제하고 다시 저장한 뒤 업로드해주세요.",
    "TEXT_DECODE_FAILED": "텍스트 인코딩을 인식할 수 없습니다. UTF-8로 저장한 뒤 다시 업로드해주세요.",
    # A warning: a few bytes of the text could not be read and are shown as '�'; the rest was processed.
    "TEXT_CHARS_REPLACED": ("파일 일부에 읽을 수 없는 글자가 있어 '�'로 바꾸어 처리했습니다. 나머지 내용은 정상 처리되었으니, "
                            "'�'가 있는 부분은 원본 파일에서 직접 확인해주세요."),
    "KAKAO_PARSE_FAILED": "카카오톡 대화 내용을 읽을 수 없습니다. 카카오톡의 '대화 내용 내보내기'로 만든 파일을 그대로 업로드해주세요.",
    "PDF_ENCRYPTED": "암호가 걸린 PDF입니다. 암호를 해제한 PDF를 업로드해주세요.",
    "PDF_CORRUPT": ("PDF 파일이 손상되었거나 일부만 저장되어 열 수 없습니다. 컴퓨터에서 파일이 열리는지 확인한 뒤, "
                    "원본을 다시 내려받거나 'PDF로 저장'으로 새로 저장해서 업로드해주세요."),
    "PDF_TOO_MANY_PAGES": "PDF 페이지 수가 너무 많습니다. 여러 파일로 나누어 업로드해주세요.",
    "IMAGE_CORRUPT": "손상된 이미지 파일입니다. 원본 사진을 다시 업로드해주세요.",
    "IMAGE_TOO_LARGE": "이미지 해상도가 너무 큽니다. 해상도를 줄여 다시 업로드해주세요.",
    "AUDIO_CORRUPT": "음성 파일을 재생할 수 없습니다. 원본 녹음 파일을 다시 업로드해주세요.",
    "AUDIO_TOO_LONG": "녹음이 너무 깁니다. 여러 파일로 나누어 업로드해주세요.",
    "VIDEO_NO_AUDIO": "동영상에 소리가 없습니다. 소리가 있는 원본 동영상을 업로드해주세요.",
    "VIDEO_CORRUPT": "손상된 동영상 파일입니다. 원본 동영상을 다시 업로드해주세요.",
    "DOCX_CORRUPT": "손상된 Word 문서입니다. 문서를 다시 저장해서 업로드해주세요.",
    "TOO_MANY_SEGMENTS": "파일 내용이 너무 많습니다(메시지·문단 수 초과). 기간별로 나누어 여러 파일로 업로드해주세요.",
    "PARSE_TIMEOUT": "파일 처리 시간이 초과되었습니다. 파일을 나누어 다시 업로드해주세요.",
    "PARSER_CRASHED": "파일을 처리하는 중 분석 엔진이 중단되었습니다. 파일을 다시 저장해서 업로드해주세요.",
    "ANALYSIS_TOO_LARGE": ("텍스트가 너무 길어 분석할 수 없습니다(분석 한도 초과). 파일을 기간별·부분별로 나누어 여러 파일로 "
                           "업로드해주세요."),
    "ANALYSIS_TIMEOUT": "분석 시간이 초과되었습니다. 파일을 나누어 여러 파일로 다시 업로드해주세요.",
    "ANALYSIS_CRASHED": "분석 중 분석 엔진이 중단되었습니다. 잠시 후 관리자에게 재처리를 요청해주세요.",
    "OBJECT_MISSING": "저장소에서 원본 파일을 찾을 수 없습니다. 파일을 다시 업로드해주세요.",
    "WORKER_CRASHED": "처리 중 작업자가 반복해서 중단되었습니다. 관리자에게 재처리를 요청해주세요.",
    "STT_MODEL_MISSING": "음성 인식 모델을 찾을 수 없습니다. 관리자에게 음성 인식 설정 확인을 요청해주세요.",
    # A warning, not a failure: the file is processed, but what the lawyer reads may be missing something.
    "STT_EMPTY": ("녹음에 말소리가 있는 것으로 보이지만 음성 인식 결과가 비어 있습니다. 원본을 직접 들어 확인하고, "
                  "관리자에게 음성 인식 엔진 점검과 재처리를 요청해주세요."),
    "AI_PROVIDER_UNAVAILABLE": "AI 서비스에 일시적으로 연결할 수 없습니다. 잠시 후 자동으로 다시 처리됩니다.",
    "CASE_PAUSED": "이 사건의 AI 처리가 일시 정지되었습니다. 관리자가 정지를 해제하면 자동으로 처리됩니다.",
    "DRAFT_NOT_FOUND": "아직 생성된 소장 초안이 없습니다. '초안 생성'을 먼저 눌러주세요.",
    "DRAFT_INCONSISTENT": "초안의 인용과 증거 목록이 맞지 않아 초안을 저장하지 않았습니다. 다시 생성해주세요.",
    "INVALID_DRAFT_KIND": "초안 종류(kind)는 complaint(소장), counterclaim(반소장), answer(답변서) 중 하나로 지정해주세요.",
    "ANSWER_NEEDS_DEFENDANT_CLIENT": ("답변서는 의뢰인이 피고인 사건에서만 만들 수 있습니다. 당사자 정보에서 의뢰인의 지위를 "
                                      "피고로 바꾸거나, 소장(complaint)을 선택해주세요."),
    "COUNTERCLAIM_NEEDS_DEFENDANT_CLIENT": ("반소장은 의뢰인이 피고인 사건에서만 만들 수 있습니다. 당사자 정보에서 의뢰인의 지위를 "
                                            "피고로 바꾸거나, 소장(complaint)을 선택해주세요."),
    "COMPLAINT_NEEDS_PLAINTIFF_CLIENT": ("의뢰인이 피고인 사건에서는 소장 대신 반소장(counterclaim) 또는 답변서(answer)를 "
                                         "선택해주세요. 의뢰인이 원고라면 당사자 정보에서 지위를 원고로 바꿔주세요."),
    "REASON_REQUIRED": "사유를 입력해주세요. 차단기 조작에는 사유가 필요합니다.",
    "INVALID_STATE": "상태 값이 올바르지 않습니다. open 또는 closed 중 하나를 입력해주세요.",
    "INVALID_ACTION": "알 수 없는 작업입니다. open, close, status 중 하나를 입력해주세요.",
    "INVALID_DURATION": "기간 형식이 올바르지 않습니다. 30m, 1h, 7d 처럼 입력해주세요.",
    "INVALID_PAGE": "offset은 0 이상, limit은 1 이상의 정수로 지정해주세요.",
    "PAGE_LIMIT_TOO_LARGE": "한 번에 받을 수 있는 개수(limit)를 넘었습니다. limit을 줄이고 응답의 next로 다음 페이지를 요청해주세요.",
    "INVALID_LOG_LEVEL": "로그 수준이 올바르지 않습니다. DEBUG, INFO, WARNING, ERROR 중 하나를 입력해주세요.",
    "BACKUP_NOT_FOUND": "백업을 찾을 수 없습니다. 'leh ops backups'로 백업 목록을 확인해주세요.",
    "BACKUP_CORRUPT": "백업 파일이 손상되었습니다. 다른 백업을 선택해주세요.",
    "BACKUP_ENGINE_MISMATCH": "백업과 현재 데이터베이스 종류가 다릅니다. 같은 종류의 백업을 선택해주세요.",
    "WORKERS_RUNNING": "작업자가 실행 중입니다. 작업자를 모두 멈춘 뒤 다시 복원해주세요.",
    "NO_PROCESSED_EVIDENCE": "분석할 증거가 없습니다. 증거를 먼저 업로드해주세요.",
    # A warning on the later of two identical files: it is kept (chain of custody) but counted once.
    "DUPLICATE_EVIDENCE": ("이 사건에 이미 올린 파일과 내용이 완전히 같은 파일입니다. 타임라인·검색·소장 초안에는 한 번만 "
                           "반영됩니다. 필요 없으면 이 증거를 삭제해주세요."),
    "EVIDENCE_NOT_PROCESSED": "아직 분석이 끝나지 않은 증거입니다. 처리가 끝난 뒤 다시 수정해주세요.",
    "LABEL_CORRECTION_EMPTY": "수정할 내용이 없습니다. 추가(add) 또는 삭제(remove)할 라벨을 하나 이상 지정해주세요.",
    "LABEL_GROUND_UNKNOWN": "알 수 없는 이혼 사유입니다. 840-1, 840-2, 840-3, 840-4, 840-5, 840-6 중 하나로 지정해주세요.",
    "LABEL_TAG_UNKNOWN": "이 이혼 사유에 없는 세부 항목입니다. 세부 항목을 비우거나 해당 사유의 항목 중에서 골라주세요.",
    "LABEL_SEGMENTS_REQUIRED": "라벨을 붙이거나 뗄 구간(segments) 번호를 하나 이상 지정해주세요.",
    "SEGMENT_OUT_OF_RANGE": "이 증거에 없는 구간 번호입니다. 증거 상세에서 구간 번호를 확인한 뒤 다시 지정해주세요.",
    "SEGMENT_NOT_CORRECTABLE": ("원본 파일의 글자가 그대로 증거인 구간(카카오톡 내보내기, 텍스트, Word, PDF 본문)은 고칠 수 "
                                "없습니다. 사진·스캔 문서의 글자 인식(OCR)이나 녹음의 음성 인식 결과만 고칠 수 있습니다."),
    "SEGMENT_TEXT_INVALID": "고친 문장이 비어 있거나 너무 깁니다. 1~5000자로 입력해주세요.",
    # A warning after reprocessing: the engine now reads the line differently, so the lawyer's correction waits.
    "SEGMENT_CORRECTION_STALE": ("재처리 후 인식된 문장이 바뀌어 이전에 고친 문장을 적용하지 않았습니다. 해당 구간을 확인하고 "
                                 "필요하면 다시 고쳐주세요."),
    "INVALID_PARTY": "당사자 정보는 client, opponent, children, client_side 항목으로 입력해주세요.",
    "INVALID_PARTY_NAME": "의뢰인과 상대방의 이름을 1~100자로 입력해주세요.",
    "INVALID_ALIASES": "별칭은 50자 이하로 최대 20개까지 입력해주세요.",
    "AMBIGUOUS_PARTY_NAME": "같은 이름이나 별칭이 의뢰인과 상대방에 모두 있습니다. 한쪽에서 지워주세요.",
    "INVALID_CHILD": "자녀(사건본인)의 이름과 출생연도(예: 2015)를 확인해주세요.",
    "INVALID_CLIENT_SIDE": "의뢰인의 지위는 plaintiff(원고) 또는 defendant(피고) 중 하나로 입력해주세요.",
    "INVALID_SPEAKERS_MAP": ('화자별 당사자를 {"화자 이름": "client|opponent|third_party|unknown|opponent_parent|'
                             'client_parent"} 형식으로 입력해주세요.'),
    "UNKNOWN_SPEAKER": "이 증거에 없는 화자입니다. 증거의 화자 목록에서 선택해주세요.",
    "INVALID_PARTY_ROLE": ("당사자는 client(의뢰인), opponent(상대방), third_party(제3자), unknown(미상), "
                           "opponent_parent(상대방의 부모), client_parent(의뢰인의 부모) 중 하나로 지정해주세요."),
    "INTEGRITY_MISMATCH": ("원본 파일이 접수 때 기록된 해시(SHA-256)와 일치하지 않아 제공·처리하지 않았습니다. "
                           "원본이 변경되었을 수 있으니 파일을 열지 말고 즉시 관리자에게 알려주세요."),
    "OBJECT_EXISTS": "이미 접수된 원본은 바꿀 수 없습니다. 다른 파일이면 새 증거로 업로드해주세요.",
    "UPLOAD_CLOSED": "이 업로드 주소는 더 이상 쓸 수 없습니다(이미 접수되었거나 권한이 없습니다). 새로 업로드해주세요.",
    "LAST_OWNER": "사건에는 담당자(owner)가 한 명 이상 있어야 합니다. 다른 담당자를 먼저 지정해주세요.",
    "OWNER_REQUIRED": "구성원 변경은 사건 담당자(owner)나 관리자만 할 수 있습니다. 담당자에게 요청해주세요.",
    "SELF_BLOCK": "자기 자신의 계정은 차단할 수 없습니다. 다른 관리자에게 요청해주세요.",
    "LOGIN_THROTTLED": "로그인 시도가 너무 많습니다. {retry} 후에 다시 시도하거나 관리자에게 잠금 해제를 요청해주세요.",
}
