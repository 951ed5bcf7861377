"""What an exhibit is, by its content and file name (상해진단서, 진술서, 상담일지, 카드 이용내역 …), and what a medical
certificate states (병명, 수상일, 치료기간, 소견): a certificate proves an injury and its date, not who caused it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from leh.domain.documents import EvidenceDoc

# (pattern over the squashed title and file name, the name an 입증방법 line gives), most specific first.
_NAMES: Final = (
    (r"상해진단서", "상해진단서"), (r"진단서", "진단서"), (r"소견서", "소견서"), (r"진료기록|진료확인서", "진료기록"),
    (r"사실확인서", "사실확인서"), (r"진술서", "진술서"), (r"상담일지|상담기록", "상담일지"),
    (r"녹취록", "녹취록"), (r"내용증명", "내용증명"),
    (r"카드(?:이용|사용|결제)?(?:내역|명세)", "카드 이용내역"), (r"(?:거래내역|입출금|통장)", "금융거래내역"),
    (r"카카오톡|카톡", "카카오톡 대화 내역"), (r"문자메시지|문자내역", "문자메시지 내역"),
)
CERTIFICATES: Final = ("상해진단서", "진단서", "소견서")
# A certificate's finding lines: "상병명: 이마 열상 (전치 2주)", "수상일: 2024년 6월 8일", "치료기간: …", "소견: …".
_FINDING_RE: Final = re.compile(r"^\s*[-·•]?\s*(?:상\s*병\s*명|병\s*명|진\s*단\s*명|상\s*병|수\s*상\s*일|상\s*해\s*일|"
                                r"수\s*상\s*일\s*시|치\s*료\s*기\s*간|향\s*후\s*치\s*료|소\s*견|임\s*상\s*소\s*견|"
                                r"치\s*료\s*내\s*용)\s*[:：]")
# …and the ones written as a sentence: "향후 2주간의 치료를 요함", "전치 3주의 상해".
_FINDING_SENTENCE_RE: Final = re.compile(r"\d+\s*(?:주|일)\s*간?\s*의?\s*(?:안정\s*)?(?:가료|치료)\s*를?\s*요|전치\s*\d+\s*주")
_PATIENT_RE: Final = re.compile(r"^\s*(?:환\s*자\s*)?(?:성\s*명|환\s*자)\s*[:：]\s*([가-힣]{2,5})")
_TITLE_LINES: Final = 3  # a document's title is in its first lines
_TITLE_CHARS: Final = 30  # and is short


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text)


def _titles(doc: EvidenceDoc | Mapping[str, Any]) -> list[str]:
    """A document's short opening lines, squashed ("진 술 서" → 진술서): where its title is. A long line is a sentence
    about something ("남편이 카드 명세서를 숨겼다"), never the document's name."""
    segments = sorted(doc.get("segments") or [], key=lambda s: int(s["seq"]))[:_TITLE_LINES]
    return [_squash(text) for s in segments if len(text := str(s.get("text") or "").strip()) <= _TITLE_CHARS]


def exhibit_name(doc: EvidenceDoc | Mapping[str, Any]) -> str | None:
    """The kind of document an exhibit is (상해진단서, 진술서, 카드 이용내역 …) from its title line, then its file
    name; None when neither says (a plain photo stays 사진, a chat export 카카오톡 대화 내역 by its type)."""
    for text in (*_titles(doc), _squash(str(doc.get("filename") or ""))):
        for pattern, name in _NAMES:
            if re.search(pattern, text):
                return name
    return None


def is_certificate(doc: EvidenceDoc | Mapping[str, Any]) -> bool:
    return exhibit_name(doc) in CERTIFICATES


def certificate_findings(doc: EvidenceDoc | Mapping[str, Any]) -> list[int]:
    """The seqs of a certificate's finding lines (병명, 수상일, 치료기간, 소견), in order; [] when it has none."""
    return sorted(int(s["seq"]) for s in doc.get("segments") or []
                  if _FINDING_RE.match(text := str(s.get("text") or "")) or _FINDING_SENTENCE_RE.search(text))


def certificate_patient(doc: EvidenceDoc | Mapping[str, Any]) -> str | None:
    """The patient's name as the certificate writes it ("환자 성명: 한도윤 (남, 1986년생)" → 한도윤)."""
    for s in doc.get("segments") or []:
        m = _PATIENT_RE.match(str(s.get("text") or ""))
        if m:
            return m.group(1)
    return None
