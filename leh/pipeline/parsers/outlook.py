"""Outlook `.msg` ([MS-OXMSG]): an OLE compound file of MAPI property streams, read with `olefile`.

`extract-msg` was rejected (it pulls a dozen packages, a GUI library among them); the few properties a mail's
evidence needs are read here directly:

- strings in `__substg1.0_PPPPTTTT` streams (PPPP the property id, TTTT 001F = UTF-16LE, 001E = 8-bit in the
  message's code page): subject 0037, sender name 0C1A, sender address 0C1F / 5D01 (SMTP), display-to 0E04,
  display-cc 0E03, plain body 1000 (else the HTML body 1013, reduced to its text);
- the date from the top-level `__properties_version1.0` stream: after its 32-byte header, 16-byte entries
  (tag, flags, 8-byte value); PR_CLIENT_SUBMIT_TIME (0x0039) or else PR_MESSAGE_DELIVERY_TIME (0x0E06), a
  PT_SYSTIME FILETIME (100 ns since 1601-01-01 UTC);
- recipients' addresses from `__recip_version1.0_#N` storages (PR_SMTP_ADDRESS 39FE, else PR_EMAIL_ADDRESS 3003);
- attachments from `__attach_version1.0_#N` storages: the long (3707) or short (3704) filename and the data
  (37010102); an attached Outlook item (3701000D, a storage of its own properties, whose property stream has a
  24-byte header) is read the same way and handed back as an .eml named by its display name (3001).

Segments, dates and the attachment limits are those of the .eml parser (`leh.pipeline.parsers.mail`).
Runs in the sandbox child.
"""

from __future__ import annotations

import codecs
import email.utils
import functools
import struct
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Final

import olefile

from leh.domain.errors import EvidenceError
from leh.pipeline.parsers.base import ParseContext, ParseResult
from leh.pipeline.parsers.dates import Dated, zone
from leh.pipeline.parsers.mail import MailParts, html_to_text, mail_result, take_attachments

PROPERTIES: Final = "__properties_version1.0"
MAX_STRING_BYTES: Final = 64 * 1024 * 1024  # one string property (the body); larger is not a mail we read
MAX_STORAGES: Final = 10_000  # recipients or attachments
MAX_ITEM_DEPTH: Final = 3  # attached Outlook items inside attached items (the worker stops at its own depth too)
PT_SYSTIME: Final = 0x0040
PT_LONG: Final = 0x0003
_TIME_PROPS: Final = (0x0039, 0x0E06)  # PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_DELIVERY_TIME
_CODEPAGE_PROPS: Final = (0x3FFD, 0x3FDE)  # PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID
_FILETIME_EPOCH: Final = datetime(1601, 1, 1, tzinfo=UTC)
_ERRORS: Final = (OSError, ValueError, IndexError, KeyError, struct.error, OverflowError, TypeError, RuntimeError)


def parse_msg(path: Path, ctx: ParseContext) -> ParseResult:
    """ref = {"part": "header"} for the envelope, {"part": "body", "line": n} for the body's paragraphs."""
    try:
        ole = olefile.OleFileIO(str(path))
    except _ERRORS as exc:
        raise EvidenceError("EMAIL_CORRUPT") from exc
    try:
        return mail_result(_read(ole, ctx), ctx)
    except _ERRORS as exc:
        raise EvidenceError("EMAIL_CORRUPT") from exc
    finally:
        ole.close()


def _read(ole: olefile.OleFileIO, ctx: ParseContext, root: str = "", depth: int = 0) -> MailParts:
    """The message at `root` ("" for the file's own, else an attached item's `__substg1.0_3701000D` storage)."""
    base = f"{root}/" if root else ""
    top = _storages(ole, root, "")
    if PROPERTIES not in top or not any(name.startswith("__substg1.0_") for name in top):
        raise EvidenceError("EMAIL_CORRUPT")
    # The property stream's header is 32 bytes for the file's message, 24 for an attached one.
    props = _properties(_stream(ole, base + PROPERTIES), header=24 if root else 32)
    reader = _Strings(ole, _codepage(props))
    get = functools.partial(reader.get, root)
    # 0C1F may hold an Exchange (X.500) address for an internal sender; 5D01 is the SMTP one when present.
    name, address = get(0x0C1A), get(0x5D01) or get(0x0C1F)
    sender = f"{name} <{address}>" if name and address else name or address
    body = get(0x1000)
    if not body:
        html = _binary(ole, base + "__substg1.0_10130102")
        # UTF-8 HTML holds no NUL: one ends the text (writers pad or terminate the stream with them).
        encoding = _codepage(props, (0x3FDE,)) or "utf-8"  # PR_INTERNET_CPID: the HTML's charset
        body = html_to_text(html.split(b"\x00", 1)[0].decode(encoding, "replace")) if html else ""
    attachments, skipped = take_attachments(_attachment_candidates(ole, reader, root, ctx, depth), ctx.limits)
    return MailParts(
        envelope=[("보낸 사람", sender), ("받는 사람", get(0x0E04)), ("참조", get(0x0E03))],
        subject=get(0x0037), dated=_date(props, ctx.timezone),
        body=unicodedata.normalize("NFC", body.replace("\r\n", "\n")), speaker=name or address or None,
        sender=address, recipients=_recipients(ole, reader, root), attachments=attachments, skipped=skipped)


def _stream(ole: olefile.OleFileIO, name: str, limit: int = MAX_STRING_BYTES) -> bytes:
    size = ole.get_size(name)
    if size > limit:
        raise EvidenceError("EMAIL_CORRUPT")
    data = ole.openstream(name).read(size)
    if len(data) < size:
        raise EvidenceError("EMAIL_CORRUPT")  # the file ends inside the stream
    return bytes(data)


def _binary(ole: olefile.OleFileIO, name: str) -> bytes:
    return _stream(ole, name) if ole.exists(name) else b""


def _properties(data: bytes, *, header: int) -> dict[int, tuple[int, bytes]]:
    """Fixed-size property entries: property id → (type, 8-byte value)."""
    out: dict[int, tuple[int, bytes]] = {}
    for pos in range(header, len(data) - 15, 16):
        tag = struct.unpack_from("<I", data, pos)[0]
        out.setdefault(tag >> 16, (tag & 0xFFFF, data[pos + 8:pos + 16]))
    return out


def _codepage(props: dict[int, tuple[int, bytes]], which: tuple[int, ...] = _CODEPAGE_PROPS) -> str | None:
    for prop in which:
        kind, value = props.get(prop, (0, b""))
        if kind == PT_LONG:
            name = f"cp{struct.unpack('<I', value[:4])[0]}"
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return None


def _date(props: dict[int, tuple[int, bytes]], tz: str) -> Dated | None:
    for prop in _TIME_PROPS:
        kind, value = props.get(prop, (0, b""))
        if kind != PT_SYSTIME:
            continue
        ticks = struct.unpack("<Q", value)[0]
        if ticks == 0:
            continue
        at = _FILETIME_EPOCH + timedelta(microseconds=ticks // 10)
        return Dated(at.astimezone(zone(tz)).replace(microsecond=0), "second")
    return None


class _Strings:
    """String properties of the message or of one of its recipient/attachment storages."""

    def __init__(self, ole: olefile.OleFileIO, codepage: str | None) -> None:
        self.ole = ole
        self.codepage = codepage

    def get(self, storage: str, prop: int) -> str:
        base = f"{storage}/" if storage else ""
        unicode_name, ansi_name = f"{base}__substg1.0_{prop:04X}001F", f"{base}__substg1.0_{prop:04X}001E"
        if self.ole.exists(unicode_name):
            text = _stream(self.ole, unicode_name).decode("utf-16-le", "replace")
        elif self.ole.exists(ansi_name):
            text = self._ansi(_stream(self.ole, ansi_name))
        else:
            return ""
        return unicodedata.normalize("NFC", text.split("\x00", 1)[0]).strip()

    def _ansi(self, data: bytes) -> str:
        for encoding in (self.codepage, "utf-8"):
            if encoding:
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    continue
        return data.decode("cp949", "replace")


def _storages(ole: olefile.OleFileIO, root: str, prefix: str) -> list[str]:
    """Names of the entries directly under `root` that start with `prefix`."""
    parts = root.split("/") if root else []
    n = len(parts)
    names = sorted({e[n] for e in ole.listdir(streams=True, storages=True)
                    if len(e) > n and e[:n] == parts and e[n].startswith(prefix)})
    if len(names) > MAX_STORAGES:
        raise EvidenceError("EMAIL_CORRUPT")
    return names


def _recipients(ole: olefile.OleFileIO, reader: _Strings, root: str) -> list[str]:
    base = f"{root}/" if root else ""
    found = []
    for storage in _storages(ole, root, "__recip_version1.0_#"):
        address = reader.get(base + storage, 0x39FE) or reader.get(base + storage, 0x3003)
        if "@" in address:
            found.append(address)
    return found


def _attachment_candidates(ole: olefile.OleFileIO, reader: _Strings, root: str, ctx: ParseContext,
                           depth: int) -> Iterator[tuple[str, int, Callable[[], bytes]]]:
    base = f"{root}/" if root else ""
    for n, name in enumerate(_storages(ole, root, "__attach_version1.0_#"), start=1):
        storage = base + name
        data_name, item = f"{storage}/__substg1.0_37010102", f"{storage}/__substg1.0_3701000D"
        if ole.exists(data_name):
            filename = reader.get(storage, 0x3707) or reader.get(storage, 0x3704) or f"첨부{n}"
            yield filename, ole.get_size(data_name), functools.partial(_stream, ole, data_name, limit=1 << 62)
        elif ole.exists(item) and depth < MAX_ITEM_DEPTH:
            # An attached Outlook item (a forwarded mail): handed back as an .eml, like an .eml's attached mail.
            data = _as_eml(_read(ole, ctx, item, depth + 1))
            title = (reader.get(storage, 0x3001) or f"첨부{n}").replace("/", "_")
            yield (title if title.lower().endswith(".eml") else f"{title}.eml"), len(data), functools.partial(bytes, data)


def _as_eml(mail: MailParts) -> bytes:
    message = EmailMessage()
    for (_, value), header in zip(mail.envelope, ("From", "To", "Cc"), strict=True):
        if value:
            message[header] = " ".join(value.split())
    message["Subject"] = " ".join(mail.subject.split())
    if mail.dated is not None:
        message["Date"] = email.utils.format_datetime(mail.dated.at)
    message.set_content(mail.body)
    for attachment in mail.attachments:
        message.add_attachment(attachment.data, maintype="application", subtype="octet-stream",
                               filename=attachment.filename)
    return message.as_bytes()
