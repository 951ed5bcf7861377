"""Evidence batches for the reliability suites, made on the spot: a good mixed batch, and the nasty corpus (bad
inputs, each with the outcome LEH owes it: failed with its code, or done — recovered — with a warning)."""

from __future__ import annotations

import io
import os
import random
import struct
import subprocess
import wave
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from leh.config import Settings
from tests.support.samples import (
    docx_bytes,
    docx_with_corrupt_member,
    eml_bytes,
    encrypted_pdf,
    hwp5_bytes,
    hwpx_bytes,
    kakao_android,
    korean_text_png,
    sms_backup_xml,
    text_pdf,
    zip_bytes,
)

_NOTE = ("2024년 3월 2일 남편이 생활비를 주지 않겠다고 했다. 아이들 학원비도 끊겠다고 소리를 질렀다. "
         "다음 날 아침 남편은 집을 나가 연락이 되지 않았다.")


@dataclass(frozen=True)
class Item:
    """One file of a batch and what must become of it: `status` done or failed, `code` the failure code (failed)
    or the warning it must carry (done; None: no particular warning)."""

    filename: str
    data: bytes
    status: str = "done"
    code: str | None = None


# ------------------------------------------------------------------------------------------------ good files
def kakao_export(n: int, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    words = ["생활비", "아이들", "학원비", "병원", "카드값", "주말", "이혼", "변호사", "집", "연락"]
    msgs = [(f"2023년 12월 {1 + i // 40}일 오후 {1 + (i // 10) % 11}:{i % 60:02d}", "홍길동" if i % 2 else "김영희",
             f"{rng.choice(words)} 얘기 {i}번째 {rng.choice(words)}") for i in range(n)]
    return kakao_android(msgs).encode()


def note_text(n: int = 6, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    paras = [f"{2024}년 {1 + i % 12}월 {1 + i % 27}일 메모 {seed}-{i}. " + rng.choice(
        ["남편이 폭언을 했다.", "생활비가 들어오지 않았다.", "아이 면접교섭 약속을 어겼다.", "시어머니가 찾아왔다."])
        for i in range(n)]
    return "\n\n".join(paras).encode()


def mixed_batch(n: int, seed: int = 0) -> list[Item]:
    """`n` good files cycling KakaoTalk, text, PDF, image (OCR) — each distinct, so no duplicate warnings."""
    items: list[Item] = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            items.append(Item(f"KakaoTalk_{i}.txt", kakao_export(30 + i, seed + i)))
        elif kind == 1:
            items.append(Item(f"memo_{i}.txt", note_text(6, seed + i)))
        elif kind == 2:
            items.append(Item(f"statement_{i}.pdf", text_pdf([[f"진술서 {seed}-{i}", "2024년 3월 2일 남편이 생활비를 끊었다."],
                                                             [f"{i}쪽 둘째 장", "아이들 학원비를 내지 않았다."]])))
        else:
            items.append(Item(f"photo_{i}.png", korean_text_png([f"사진 {seed}-{i}번", "생활비 보내줘"])))
    return items


def jpeg(size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(korean_text_png(["사진 속 메모", "내일 보자"]))).convert("RGB").resize(size).save(out, "JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    return korean_text_png(["영수증", "모텔 55,000원"])


def wav_bytes(seconds: float = 1.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x00\x00" * int(16000 * seconds))
    return out.getvalue()


def mp3_bytes(tmp: Path) -> bytes:
    dest = tmp / "tone.mp3"
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
                    "-c:a", "libmp3lame", "-b:a", "64k", str(dest)], check=True, capture_output=True)
    return dest.read_bytes()


# ------------------------------------------------------------------------------------------------ bad files
def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bomb(side: int = 30_000) -> bytes:
    """A 1-bit PNG of side×side pixels (900 megapixels) whose compressed data is a few hundred KB of zeros."""
    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def pdf_page_bomb(pages: int) -> bytes:
    """A tiny PDF declaring `pages` pages (all sharing one empty content stream)."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    objs += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {3 + pages} 0 R >>"] * pages
    objs.append("<< /Length 0 >>\nstream\n\nendstream")
    return _pdf(objs)


def pdf_flate_bomb(mb: int = 200) -> bytes:
    """One page whose content stream inflates to `mb` MB of spaces (a few hundred KB compressed)."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(packer.compress(chunk) for _ in range(mb)) + packer.flush()
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"]
    body = f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    return _pdf(objs, extra=body)


def _pdf(objs: list[str], extra: bytes | None = None) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    bodies = [o.encode() for o in objs] + ([extra] if extra is not None else [])
    for n, body in enumerate(bodies, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pe_executable() -> bytes:
    head = bytearray(b"MZ" + b"\x90" * 62)
    struct.pack_into("<I", head, 0x3C, 0x80)
    return bytes(head) + b"\x00" * (0x80 - 64) + b"PE\x00\x00" + os.urandom(2000)


def nested_zip(depth: int) -> bytes:
    data = b"innermost"
    for n in range(depth):
        data = zip_bytes({f"layer{n}.zip" if n else "a.txt": data})
    return data


def docx_bad_xml() -> bytes:
    good = docx_bytes(["정상 문단"])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    return buf.getvalue()


def docx_deep_xml(depth: int = 300_000) -> bytes:
    good = docx_bytes(["정상 문단"])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:sdt>" * depth + b"</w:sdt>" * depth, 1)
            dst.writestr(info.filename, data)
    return buf.getvalue()


_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY a "생활비생활비생활비생활비생활비">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
           + ']>\n<smses count="1"><sms address="010" date="1709390000000" type="1" body="&i;" /></smses>\n')


def long_text_with_bad_bytes(paragraphs: int = 400) -> bytes:
    """A long UTF-8 note with a handful of invalid bytes, one inside the first 64 KiB (where detection looks)."""
    body = bytearray("\n\n".join(f"{i}번째 문단: 2024년 3월 {1 + i % 28}일 남편이 생활비 문제로 소리를 질렀다."
                                 for i in range(paragraphs)).encode())
    for at in (300, 5000, len(body) // 2, len(body) - 200):
        while body[at] & 0xC0 == 0x80:  # land on the start of a character, so the text around it survives
            at += 1
        body[at:at] = b"\xff\xfe"
    return bytes(body)


def mixed_encoding_text() -> bytes:
    """A UTF-8 note with one paragraph pasted in CP949 (an old Windows tool's export)."""
    head = "\n\n".join(f"{i}번째 메모: 남편이 아이들 앞에서 폭언을 했다." for i in range(60)).encode()
    return head + b"\n\n" + "2024년 3월 5일 시어머니가 찾아와 욕설을 했다.".encode("cp949") + "\n\n끝.".encode()


def kakao_with_broken_lines() -> bytes:
    text = kakao_export(40, seed=7).decode()
    lines = text.split("\n")
    lines[10] = lines[10][:7]  # cut inside the date
    lines[20] = "\x00\x01 깨진 줄 ###"
    lines[25] = "2023년 12월 , 홍길동 :"
    lines.insert(30, "2023년 13월 45일 오후 99:99, 김영희 : 불가능한 시각")
    return "\n".join(lines).encode()


def hwp_truncated() -> bytes:
    data = hwp5_bytes(["2024년 3월 2일 남편이 집을 나갔다.", "아이들은 내가 키운다."] * 50)
    return data[: len(data) * 2 // 3]


def hwpx_laughs() -> bytes:
    ns = ('xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
          'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"')
    section = (f'<?xml version="1.0"?><!DOCTYPE hs:sec [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
               f'<hs:sec {ns}><hp:p><hp:run><hp:t>&b;</hp:t></hp:run></hp:p></hs:sec>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/hwp+zip")
        zf.writestr("Contents/section0.xml", section.encode(), zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def mail_with_corrupt_attachment() -> bytes:
    return eml_bytes(subject="사진 보냅니다", body="첨부한 사진과 메모를 확인해주세요.",
                     attachments=[("receipt.png", png_bytes()), ("broken.jpg", jpeg()[:400]),
                                  ("memo.txt", note_text(3, seed=99))])


def _huge_line(mb: float) -> Item:
    """One line of `mb` MB: analysed when within LEH_MAX_ANALYSIS_CHARS (the default), else refused with its code."""
    text = "생활비 " * int(mb * 1024 * 1024 / 10)
    budget = Settings.model_fields["max_analysis_chars"].default
    if len(text) > budget:
        return Item("huge_line.txt", text.encode(), "failed", "ANALYSIS_TOO_LARGE")
    return Item("huge_line.txt", text.encode(), "done")


def nasty_corpus(tmp: Path, *, huge_line_mb: float = 1.0) -> list[Item]:
    """≥ 30 kinds of bad input (and a few awkward-but-fine ones), each with the outcome LEH owes it."""
    good_pdf = text_pdf([["2024년 3월 2일 진술서", "남편이 생활비를 끊었다."]])
    mp3 = mp3_bytes(tmp)
    sms = sms_backup_xml([{"tag": "sms", "address": "010-1234-5678", "date": "1709390000000", "type": "1",
                           "body": "생활비 보내"}])
    rng = random.Random(1)
    elf = Path("/bin/true").read_bytes()[:20_000]
    return [
        # empty and cut short
        Item("empty.txt", b"", "failed", "EMPTY_FILE"),
        Item("bom_only.txt", b"\xef\xbb\xbf", "failed", "EMPTY_FILE"),
        Item("cut.pdf", good_pdf[: len(good_pdf) // 3], "failed", "PDF_CORRUPT"),
        Item("header_only.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "failed", "PDF_CORRUPT"),
        Item("cut.jpg", jpeg()[:600], "failed", "IMAGE_CORRUPT"),
        Item("cut.png", png_bytes()[:300], "failed", "IMAGE_CORRUPT"),
        Item("cut.mp3", mp3[:200], "failed", "AUDIO_CORRUPT"),
        Item("header_only.wav", wav_bytes(0.0), "failed", "AUDIO_CORRUPT"),
        Item("cut.docx", docx_bytes(["문단 하나", "문단 둘"])[:700], "failed", "DOCX_CORRUPT"),
        Item("cut.zip", zip_bytes({"a.txt": b"x" * 5000})[:60], "failed", "UNSUPPORTED_TYPE"),
        Item("cut.hwp", hwp_truncated(), "failed", "HWP_CORRUPT"),
        Item("cut_sms.xml", sms[: len(sms) - 30], "failed", "PHONE_BACKUP_CORRUPT"),
        Item("ftyp_only.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "failed",
             "VIDEO_CORRUPT"),
        # lying names and garbage under a known name
        Item("statement.jpg", good_pdf, "done"),  # a PDF named .jpg is read as the PDF it is
        Item("scan.pdf", png_bytes(), "done"),  # a PNG named .pdf is read as an image
        Item("elf.jpg", elf, "failed", "UNSUPPORTED_TYPE"),
        Item("setup.jpg", pe_executable(), "failed", "UNSUPPORTED_TYPE"),
        Item("garbage.hwp", bytes(rng.randrange(256) for _ in range(5000)), "failed", "HWP_CORRUPT"),
        Item("garbage.msg", bytes(rng.randrange(256) for _ in range(5000)), "failed", "EMAIL_CORRUPT"),
        Item("garbage.xlsx", bytes(rng.randrange(256) for _ in range(5000)), "failed", "SHEET_CORRUPT"),
        Item("garbage.docx", bytes(rng.randrange(256) for _ in range(5000)), "failed", "DOCX_CORRUPT"),
        Item("noise.bin", bytes(rng.randrange(256) for _ in range(5000)), "failed", "UNSUPPORTED_TYPE"),
        # bombs and deep nesting
        Item("bomb_pages.pdf", pdf_page_bomb(1001), "failed", "PDF_TOO_MANY_PAGES"),
        Item("bomb_flate.pdf", pdf_flate_bomb(), "done"),  # 200 MB of spaces: a blank page, read within the caps
        Item("bomb.png", png_bomb(), "failed", "IMAGE_TOO_LARGE"),
        Item("nested.zip", nested_zip(12), "failed", "UNSUPPORTED_TYPE"),
        Item("nested.json", (b"[" * 200_000 + b"]" * 200_000), "done"),
        Item("laughs.xml", _LAUGHS.encode(), "failed", "PHONE_BACKUP_CORRUPT"),
        Item("laughs.hwpx", hwpx_laughs(), "failed", "HWP_CORRUPT"),
        Item("deep.docx", docx_deep_xml(), "failed", "DOCX_CORRUPT"),
        Item("broken_xml.docx", docx_bad_xml(), "failed", "DOCX_CORRUPT"),
        Item("locked.pdf", encrypted_pdf(["비밀 문서"]), "failed", "PDF_ENCRYPTED"),
        # encodings
        Item("bad_bytes.txt", long_text_with_bad_bytes(), "done", "TEXT_CHARS_REPLACED"),
        Item("mixed_encoding.txt", mixed_encoding_text(), "done", "TEXT_CHARS_REPLACED"),
        Item("cp949.txt", "2024년 3월 2일 남편이 생활비를 주지 않았다.".encode("cp949"), "done"),
        Item("utf16.txt", "2024년 3월 2일 남편이 집을 나갔다.\r\n".encode("utf-16-le"), "done"),
        _huge_line(huge_line_mb),
        # broken members among good ones
        Item("corrupt_member.docx", docx_with_corrupt_member(["2024년 3월 2일 남편이 생활비를 주지 않았다.",
                                                              "아이들 학원비도 끊었다."]), "done"),
        Item("KakaoTalk_broken.txt", kakao_with_broken_lines(), "done", "TEXT_CHARS_REPLACED"),  # a NUL line
        Item("mail_with_broken_attachment.eml", mail_with_corrupt_attachment(), "done"),
        Item("hwpx_corrupt_member.hwpx", hwpx_bytes(["2024년 3월 2일 메모"], extra={"BinData/image1.png": b"junk"}),
             "done"),
    ]


def good_batch() -> list[Item]:
    """The good files the nasty corpus is mixed into (every kind the pipeline reads cheaply)."""
    return [
        Item("KakaoTalk_good.txt", kakao_export(50, seed=3)),
        Item("memo_good.txt", note_text(8, seed=4)),
        Item("statement_good.pdf", text_pdf([["2024년 3월 9일 진술", "아이 면접교섭을 거부했다."]])),
        Item("photo_good.png", korean_text_png(["3월 9일", "아이 못 보여줘"])),
        Item("letter_good.docx", docx_bytes(["2024년 3월 10일", "생활비를 보내지 않았습니다."])),
        Item("mail_good.eml", eml_bytes(subject="양육비", body="양육비를 이번 달에도 못 보냅니다.")),
        Item("hangul_good.hwp", hwp5_bytes(["2024년 3월 11일 남편이 폭언을 했다."])),
        Item("sms_good.xml", sms_backup_xml([{"tag": "sms", "address": "010-1111-2222", "date": "1709390000000",
                                              "type": "1", "body": "오늘 집에 안 들어감"}])),
    ]


def write_sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(size)
    return path
