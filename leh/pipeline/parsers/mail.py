"""E-mail (.eml, RFC 5322) with the standard library's `email` package (policy=default).

Segments: first the envelope — 보낸 사람, 받는 사람, 참조, 날짜, 제목 — then the body's paragraphs (text/plain
preferred; HTML is reduced to its text, scripts and styles dropped, nothing fetched), all dated by the mail's
Date header to the second, the body spoken by the sender. Attachments (a forwarded mail too) are handed back
in ParseResult.attachments, bounded in count and total size; the worker stores each as evidence of its own,
linked to the mail, and stops at a nesting depth (`leh.pipeline.processor`).

Outlook `.msg` files (OLE compound files) are read by `leh.pipeline.parsers.outlook` into the same segments,
through `mail_result` and `take_attachments` here.

Runs in the sandbox child: a mail of many large base64 parts is bounded by the child's memory cap.
"""

from __future__ import annotations

import email
import email.errors
import email.policy
import email.utils
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

from leh.domain.errors import EvidenceError
from leh.domain.evidence import Segment
from leh.pipeline.parsers import dating
from leh.pipeline.parsers.base import ParseContext, ParsedAttachment, ParseLimits, ParseResult, bounded
from leh.pipeline.parsers.dates import Dated, zone
from leh.pipeline.parsers.text import iter_paragraphs

_ENCRYPTED_TYPES: Final = frozenset({"multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime"})
_BROKEN_DEFECTS: Final = (email.errors.StartBoundaryNotFoundDefect, email.errors.MultipartInvariantViolationDefect,
                          email.errors.CloseBoundaryNotFoundDefect)
OLE_MAGIC: Final = bytes.fromhex("d0cf11e0a1b11ae1")


@dataclass(frozen=True)
class MailParts:
    """What a mail of either format yields: the envelope lines (label, value) before the subject, the sender's
    address and display name (the body's speaker), the recipients' addresses, the body text and attachments."""

    envelope: list[tuple[str, str]]
    subject: str
    dated: Dated | None
    body: str
    speaker: str | None
    sender: str
    recipients: list[str]
    attachments: list[ParsedAttachment]
    skipped: int


def parse(path: Path, ctx: ParseContext) -> ParseResult:
    """ref = {"part": "header"} for the envelope, {"part": "body", "line": n} for the body's paragraphs."""
    with path.open("rb") as fh:
        if fh.read(len(OLE_MAGIC)) == OLE_MAGIC:
            from leh.pipeline.parsers import outlook  # .msg; it builds on this module's helpers

            return outlook.parse_msg(path, ctx)
        fh.seek(0)
        message = email.message_from_binary_file(fh, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    if not message.keys():
        raise EvidenceError("EMAIL_CORRUPT")  # not one header line: garbage under a mail's name (.msg, .eml)
    if message.get_content_type() in _ENCRYPTED_TYPES:
        raise EvidenceError("EMAIL_ENCRYPTED")
    if any(isinstance(d, _BROKEN_DEFECTS) for part in message.walk() for d in part.defects):
        raise EvidenceError("EMAIL_CORRUPT")
    try:
        sender = _address(message, "from")
        dated = _date(message, ctx.timezone)
        body = _body(message)
        attachments, skipped = _attachments(message, ctx)
    except (LookupError, ValueError, TypeError, AttributeError, email.errors.MessageError) as exc:
        raise EvidenceError("EMAIL_CORRUPT") from exc
    envelope = [(label, unicodedata.normalize("NFC", str(message.get(name))).strip())
                for label, name in (("보낸 사람", "from"), ("받는 사람", "to"), ("참조", "cc"))
                if message.get(name) is not None]
    return mail_result(MailParts(
        envelope=envelope, subject=unicodedata.normalize("NFC", str(message.get("subject") or "")).strip(),
        dated=dated, body=body, speaker=_display(message, "from") or sender or None, sender=sender,
        recipients=_addresses(message, "to") + _addresses(message, "cc"), attachments=attachments,
        skipped=skipped), ctx)


def mail_result(mail: MailParts, ctx: ParseContext) -> ParseResult:
    """The envelope segment, then the body's paragraphs spoken by the sender, all dated by the mail's date."""
    envelope = envelope_text(mail.envelope, mail.dated, mail.subject)
    dated = mail.dated

    def pieces() -> Iterator[Segment]:
        yield Segment(seq=0, text=envelope, kind="text", ref={"part": "header"})
        for text, ref in iter_paragraphs(mail.body.split("\n")):
            yield Segment(seq=0, text=text, speaker=mail.speaker, kind="speech", ref={"part": "body", **ref})

    segments: list[Segment] = []
    for seg in bounded(pieces(), ctx.limits.max_segments):
        seg.seq = len(segments)
        if dated is not None:
            dating.stamp(seg, dated)
        segments.append(seg)
    meta: dict[str, Any] = {"engine": "email", "attachments": len(mail.attachments) + mail.skipped,
                            "attachments_kept": len(mail.attachments), "sender": mail.sender,
                            "recipients": mail.recipients}
    return ParseResult(segments=segments, event_time=dated.iso if dated else None,
                       event_time_precision=dated.precision if dated else None, detected_type="email", meta=meta,
                       attachments=mail.attachments, warnings=["EMAIL_ATTACHMENTS_SKIPPED"] if mail.skipped else [])


def _addresses(message: EmailMessage, name: str) -> list[str]:
    header = message.get(name)
    if header is None:
        return []
    return [str(a.addr_spec) for a in getattr(header, "addresses", ()) if a.addr_spec]


def _address(message: EmailMessage, name: str) -> str:
    found = _addresses(message, name)
    return found[0] if found else ""


def _display(message: EmailMessage, name: str) -> str:
    header = message.get(name)
    names = [a.display_name for a in getattr(header, "addresses", ()) if a.display_name]
    return unicodedata.normalize("NFC", names[0]) if names else ""


def _date(message: EmailMessage, tz: str) -> Dated | None:
    raw = message.get("date")
    if raw is None:
        return None
    try:
        at = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone(tz))
    return Dated(at.astimezone(zone(tz)), "second")


def envelope_text(fields: list[tuple[str, str]], dated: Dated | None, subject: str) -> str:
    lines = [f"{label}: {value}" for label, value in fields if value]
    if dated is not None:
        lines.append(f"날짜: {dated.at.strftime('%Y-%m-%d %H:%M:%S')}")
    lines.append(f"제목: {subject}")
    return "\n".join(lines)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def _attachments(message: EmailMessage, ctx: ParseContext) -> tuple[list[ParsedAttachment], int]:
    """Files attached to the mail, up to the limits; also the number left out."""
    def candidates() -> Iterator[tuple[str, int, Callable[[], bytes]]]:
        for n, part in enumerate(message.iter_attachments(), start=1):
            data = _payload(part)
            if data is not None:
                yield _filename(part, n), len(data), lambda data=data: data  # type: ignore[misc]

    return take_attachments(candidates(), ctx.limits)


def take_attachments(candidates: Iterable[tuple[str, int, Callable[[], bytes]]],
                     limits: ParseLimits) -> tuple[list[ParsedAttachment], int]:
    """(filename, size, read) of each attachment → those within the count and total-size limits (read only
    those), and the number left out."""
    kept: list[ParsedAttachment] = []
    total = skipped = 0
    for filename, size, read in candidates:
        if len(kept) >= limits.max_attachments or total + size > limits.max_attachment_bytes:
            skipped += 1
            continue
        total += size
        kept.append(ParsedAttachment(filename=filename, data=read()))
    return kept, skipped


def _payload(part: Message) -> bytes | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        mail = inner[0] if isinstance(inner, list) and inner else inner
        return mail.as_bytes() if isinstance(mail, Message) else None
    if part.is_multipart():
        return None
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) and data else None


def _filename(part: Message, n: int) -> str:
    name = part.get_filename()
    if name:
        return unicodedata.normalize("NFC", str(name))
    return f"첨부{n}.eml" if part.get_content_type() == "message/rfc822" else f"첨부{n}"


class _TextOf(HTMLParser):
    """The visible text of HTML: scripts and styles dropped, block elements on lines of their own."""

    _BLOCKS: Final = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                "blockquote", "pre", "hr"})
    _HIDDEN: Final = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCKS:
            self.out.append("\n")
        elif tag == "td":
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
