"""E-mail messages (``.eml`` and Outlook ``.msg``) as plain data.

:func:`read_mail` returns a :class:`MailMessage`: the headers a records
manager files by (subject, sender, recipients, date, Message-ID), the plain
text of the body and the attachments with their bytes. It never raises
anything but :class:`~recordsdesk.errors.UserError` for a bad file: mail comes
from outside, so a damaged message is the sender's problem, not a bug.

Contracts:

* Which reader runs depends on the content, not the suffix: a file that starts
  with the OLE2 signature is an Outlook message (:mod:`recordsdesk.extract.msg`),
  anything else is parsed as RFC 822 (many ".msg" files are really RFC 822).
* Attachment names are safe to use as file names: no directories, no
  traversal, no forbidden characters; a missing name becomes ``bijlage-N``.
* A forwarded message (``message/rfc822``) is one attachment ``*.eml``.
* Work is bounded: at most :data:`MAX_ATTACHMENTS` attachments and
  :data:`MAX_ATTACHMENT_BYTES` bytes of them, and files larger than
  :data:`MAX_MAIL_FILE_BYTES` are refused before they are read.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.extract.mailheaders import (
    READING,
    addresses,
    aware,
    header_text,
    message_date,
    message_id,
)
from recordsdesk.i18n import N_
from recordsdesk.names import safe_name

MAX_ATTACHMENTS = 200
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024
# Base64 makes attachments a third larger; this leaves room for that and the text.
MAX_MAIL_FILE_BYTES = 1024 * 1024 * 1024
MAX_PARTS = 1000  # MIME parts; a message with more is refused (bounded work)
_CONTENT_TYPE = re.compile(rb"^content-type:", re.IGNORECASE | re.MULTILINE)
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class MailAttachment:
    name: str  # safe file name (see module docstring)
    mime: str | None  # as declared by the sender, lower case; None when unknown
    data: bytes


@dataclass(frozen=True)
class MailMessage:
    subject: str
    sender: str  # "Name <address>", or whichever of the two is known; "" if none
    to: tuple[str, ...]
    cc: tuple[str, ...]
    date: datetime | None  # always timezone-aware
    message_id: str | None
    body_text: str
    attachments: tuple[MailAttachment, ...]
    # English remarks about what was left out (e.g. an Outlook OLE object); for logs.
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """Everything except the attachments' bytes (their names, sizes and types instead)."""
        return {
            "subject": self.subject,
            "sender": self.sender,
            "to": list(self.to),
            "cc": list(self.cc),
            "date": self.date.isoformat() if self.date else None,
            "message_id": self.message_id,
            "body_text": self.body_text,
            "attachments": [
                {"name": a.name, "mime": a.mime, "size": len(a.data)} for a in self.attachments
            ],
            "notes": list(self.notes),
        }


def read_mail(path: Path) -> MailMessage:
    """Read an ``.eml`` or ``.msg`` file; :class:`UserError` when it cannot be read."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            magic = f.read(len(OLE2_MAGIC))
    except FileNotFoundError as exc:
        raise NotFoundError(N_("File not found: {path}"), {"path": str(path)}) from exc
    except OSError as exc:
        raise UserError(
            N_("The e-mail {name} cannot be opened: {reason}"),
            {"name": path.name, "reason": exc.strerror or type(exc).__name__},
        ) from exc
    if size > MAX_MAIL_FILE_BYTES:
        raise UserError(
            N_("The e-mail {name} is larger than {limit} MiB and is not processed."),
            {"name": path.name, "limit": MAX_MAIL_FILE_BYTES // (1024 * 1024)},
        )
    if magic == OLE2_MAGIC:
        from recordsdesk.extract.msg import read_msg  # msg imports this module

        return read_msg(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(
            N_("The e-mail {name} cannot be opened: {reason}"),
            {"name": path.name, "reason": exc.strerror or type(exc).__name__},
        ) from exc
    _check_part_count(data, path.name)
    try:
        message = email.message_from_bytes(data, policy=READING)
        return _from_email(message, path.name)
    except UserError:
        raise
    except Exception as exc:  # the stdlib parser has many ways to fail on hostile input
        raise damaged(path.name) from exc


def _check_part_count(data: bytes, mail_name: str) -> None:
    """Refuse before parsing: the stdlib parser costs about 0.5 ms a part, and recurses."""
    for count, _match in enumerate(_CONTENT_TYPE.finditer(data), start=1):
        if count > MAX_PARTS:
            raise UserError(
                N_("The e-mail {name} has more than {limit} parts; it is not processed."),
                {"name": mail_name, "limit": MAX_PARTS},
            )


def damaged(name: str) -> UserError:
    return UserError(
        N_("The e-mail {name} is damaged and cannot be read. Ask the sender for a new copy."),
        {"name": name},
    )


class AttachmentBudget:
    """Counts attachments and their bytes; raises once a limit is passed."""

    def __init__(self, mail_name: str) -> None:
        self.mail_name = mail_name
        self.count = 0
        self.total = 0

    def check_size(self, size: int) -> None:
        """Refuse before reading ``size`` more bytes if that would pass the byte limit."""
        if self.total + size > MAX_ATTACHMENT_BYTES:
            raise UserError(
                N_(
                    "The attachments of the e-mail {name} are larger than {limit} MiB "
                    "together; it is not processed."
                ),
                {"name": self.mail_name, "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            )

    def add(self, raw_name: str | None, mime: str | None, data: bytes) -> MailAttachment:
        self.count += 1
        if self.count > MAX_ATTACHMENTS:
            raise UserError(
                N_("The e-mail {name} has more than {limit} attachments; it is not processed."),
                {"name": self.mail_name, "limit": MAX_ATTACHMENTS},
            )
        self.check_size(len(data))
        self.total += len(data)
        return MailAttachment(attachment_name(raw_name, self.count), mime, data)


def attachment_name(raw: str | None, index: int) -> str:
    """A safe file name: the last path component only, cleaned; ``bijlage-N`` if empty."""
    base = re.split(r"[/\\]", raw or "")[-1].strip().lstrip(".").strip()
    return safe_name(base) if base else f"bijlage-{index}"


def header_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return aware(email.utils.parsedate_to_datetime(str(raw)))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class _TextFromHtml(HTMLParser):
    """Visible text of an HTML body; block elements become line breaks."""

    BLOCKS = frozenset(
        {"p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "pre", "hr", "title"}
        | {f"h{n}" for n in range(1, 7)}
    )
    HIDDEN = frozenset({"script", "style", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML document, without scripts and styles."""
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part: Message) -> str:
    """Decoded text of a text part; an unknown charset falls back to UTF-8 with replacements."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, UnicodeError, AssertionError):
        pass
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def _leaves(message: Message, mail_name: str) -> Iterator[Message]:
    """Non-multipart parts in order; forwarded messages are not entered.

    Iterative, not recursive: a deeply nested hostile message cannot exhaust the stack.
    """
    stack = [message]
    seen = 0
    while stack:
        part = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            raise UserError(
                N_("The e-mail {name} has more than {limit} parts; it is not processed."),
                {"name": mail_name, "limit": MAX_PARTS},
            )
        if part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), list):
            stack.extend(reversed(part.get_payload()))  # type: ignore[arg-type]
        else:
            yield part


def _from_email(message: EmailMessage, mail_name: str) -> MailMessage:
    if not message.keys():
        raise UserError(
            N_("The file {name} is not an e-mail message: it has no headers."),
            {"name": mail_name},
        )
    body_parts: set[int] = set()
    body_text = ""
    plain = message.get_body(preferencelist=("plain",))
    html = None if plain is not None else message.get_body(preferencelist=("html",))
    if plain is not None:
        body_text = _part_text(plain).strip()
        body_parts.add(id(plain))
    elif html is not None:
        body_text = html_to_text(_part_text(html))
        body_parts.add(id(html))
    # The alternatives of the body (the HTML twin of a plain body) are not attachments.
    budget = AttachmentBudget(mail_name)
    attachments: list[MailAttachment] = []
    for part in _leaves(message, mail_name):
        if id(part) in body_parts:
            continue
        filename = part.get_filename() or part.get_param("name")
        name = filename if isinstance(filename, str) else None
        disposition = part.get_content_disposition()
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if not isinstance(inner, list) or not inner:
                continue
            nested = inner[0]
            if not isinstance(nested, Message):
                continue
            if not name:
                name = header_text(nested, "subject") or "bericht"
            if not name.lower().endswith(".eml"):
                name += ".eml"
            data = nested.as_bytes(policy=email.policy.default.clone(linesep="\r\n"))
            budget.check_size(len(data))
            attachments.append(budget.add(name, ctype, data))
            continue
        if not name and disposition != "attachment":
            continue  # alternative bodies, inline images without a name
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        attachments.append(budget.add(name, ctype, data))
    sender = addresses(message, "from")
    return MailMessage(
        subject=(header_text(message, "subject") or "").strip(),
        sender=sender[0] if sender else "",
        to=addresses(message, "to"),
        cc=addresses(message, "cc"),
        date=message_date(message),
        message_id=message_id(message),
        body_text=body_text,
        attachments=tuple(attachments),
    )
