"""Evidence files for the browser tests, generated on the fly: chat exports, text, CSV, images, PDFs, Word."""

from __future__ import annotations

import io
from pathlib import Path

from tests.support.samples import docx_bytes

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
BROKEN_PDF = "손상된_계약서.pdf"
BIG_EXPORT = "카카오톡_전체대화_대용량.txt"
FLAKY_UPLOAD = "재전송_메모.txt"
FLAKY_MARKER = "재전송 확인용 메모"


def kakao_pc(day: int, speaker: str, line: str) -> str:
    weekday = "일월화수목금토"[(day - 24) % 7]  # 2023-12-24 was a Sunday
    return (f"홍길동 님과 카카오톡 대화\n저장한 날짜 : 2024-01-02 10:00:00\n\n"
            f"--------------- 2023년 12월 {day}일 {weekday}요일 ---------------\n"
            f"[{speaker}] [오후 10:20] {line}\n[김영희] [오후 10:21] 그만해 무서워\n")


def kakao_big(megabytes: float) -> bytes:
    """A long PC export (about `megabytes` MB): big enough for visible upload progress when throttled."""
    lines = ["홍길동 님과 카카오톡 대화", "--------------- 2023년 12월 31일 일요일 ---------------"]
    size, i = 0, 0
    while size < megabytes * 1024 * 1024:
        line = f"[{'김영희' if i % 2 else '홍길동'}] [오후 {1 + i % 11}:{i % 60:02d}] 메시지 {i} 아이 학원 얘기 좀 하자"
        lines.append(line)
        size += len(line.encode()) + 1
        i += 1
    return ("\n".join(lines) + "\n").encode()


def kakao_android(day: int, line: str) -> str:
    return f"2023년 12월 {day}일 오후 9:05, 홍길동 : {line}\n2023년 12월 {day}일 오후 9:06, 김영희 : 알겠어\n"


def kakao_ios(day: int, line: str) -> str:
    return f"2023. 12. {day}. 오전 8:10, 홍길동 : {line}\n2023. 12. {day}. 오전 8:11, 김영희 : 응\n"


def png(text: str) -> bytes:
    """A chat-screenshot-like PNG (720×140) with one line of Korean text."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (720, 140), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 34)
    draw.text((24, 44), text, fill="black", font=font)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Nanum", str(FONT)))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("Nanum", 13)
    y = 780
    for line in lines:
        c.drawString(60, y, line)
        y -= 22
    c.showPage()
    c.save()
    return out.getvalue()


def mixed_files(folder: Path) -> list[Path]:
    """Twenty files of seven kinds; one is a broken PDF that fails processing on purpose."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "카카오톡_12월24일.txt": kakao_pc(24, "홍길동", "생활비는 이제 안 줄 거야").encode(),
        "카카오톡_12월25일.txt": kakao_pc(25, "홍길동", "가만 안 둔다 다 부숴버릴 거야").encode(),
        "카카오톡_12월26일.txt": kakao_pc(26, "홍길동", "오늘도 늦게 들어간다").encode(),
        "KakaoTalk_android_1.txt": kakao_android(27, "집에 안 들어갈 거야").encode(),
        "KakaoTalk_android_2.txt": kakao_android(28, "연락하지 마").encode(),
        "KakaoTalk_ios.txt": kakao_ios(29, "아이 학원비 못 보내").encode(),
        "상담메모_1.txt": "2023년 12월 26일 상담. 의뢰인은 남편의 폭언을 호소함.\n".encode(),
        "상담메모_2_cp949.txt": "2024년 1월 3일 추가 상담. 생활비 미지급 6개월째.\n".encode("cp949"),
        "진술서.txt": "진술인은 2023년 12월 25일 밤 남편이 물건을 던졌다고 진술함.\n".encode("utf-8-sig"),
        FLAKY_UPLOAD: f"{FLAKY_MARKER}: 2023년 12월 30일 통화 내용 정리.\n".encode(),
        "카카오톡_mac.csv": ("Date,User,Message\n2023-12-25 22:20:00,\"홍길동\",\"가만 안 둔다\"\n"
                            "2023-12-25 22:21:00,\"김영희\",\"그만해\"\n").encode(),
        "지출내역.csv": "날짜,항목,금액\n2023-12-01,생활비,0\n2023-12-15,학원비,0\n".encode(),
        "캡처_1.png": png("2023년 12월 25일 협박 메시지"),
        "캡처_2.png": png("생활비 보내지 않겠다"),
        "캡처_3.png": png("오후 10:20 그만해"),
        "진단서.pdf": _pdf(["진단서", "2023년 12월 26일 내원", "우측 팔 타박상, 전치 2주"]),
        "통장거래내역.pdf": _pdf(["거래내역서", "2023년 11월 ~ 2024년 1월", "생활비 입금 내역 없음"]),
        "경위서.docx": docx_bytes(["경위서", "2023년 12월 25일 22시경 남편이 폭언을 하였습니다."]),
        BIG_EXPORT: kakao_big(1),
        BROKEN_PDF: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00garbage" * 64,
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
