"""Outlook ``.msg`` files, read with olefile (BSD); extract-msg is GPL and not used.

A ``.msg`` is a Compound File (OLE2) holding MAPI properties ([MS-OXMSG]):
variable-size values in ``__substg1.0_TTTTYYYY`` streams (property tag, type),
fixed-size ones in the ``__properties_version1.0`` stream (a header of 32
bytes at the top, 24 in an embedded message, 8 in recipients and attachments,
then 16-byte entries: tag, flags, 8-byte value).

Supported: subject, sender (name and SMTP address), recipients (the recipient
storages, else the display To/Cc), date (transport headers, else the client
submit time, else the delivery time), Message-ID, the plain body, or the HTML
body as text, and attachments by value. An attached Outlook message (embedded
``.msg``) becomes a simple ``.eml`` (headers, plain body, its own attachments)
up to :data:`MAX_EMBED_DEPTH` levels. Not supported, and reported in
:attr:`MailMessage.notes`: OLE-object attachments, attachments by reference
and a body that exists only as compressed RTF.
"""

from __future__ import annotations

import email.policy
import struct
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import HeaderParser
from pathlib import Path

import olefile  # type: ignore[import-untyped]

from recordsdesk.errors import UserError
from recordsdesk.extract.mail import (
    MAX_ATTACHMENT_BYTES,
    AttachmentBudget,
    MailAttachment,
    MailMessage,
    damaged,
    header_date,
    html_to_text,
)
from recordsdesk.extract.mailheaders import format_address
from recordsdesk.i18n import N_

MAX_BODY_BYTES = 64 * 1024 * 1024  # a larger body stream is refused, not read into memory
MAX_EMBED_DEPTH = 3
_PT_STRING8, _PT_UNICODE, _PT_BINARY, _PT_OBJECT = 0x001E, 0x001F, 0x0102, 0x000D
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_ATTACH_BY_VALUE, _ATTACH_EMBEDDED_MSG = 1, 5


def read_msg(path: Path) -> MailMessage:
    """Read an Outlook message; :class:`UserError` for anything that cannot be read."""
    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError ... on junk
        raise damaged(path.name) from exc
    try:
        return _Reader(ole, path.name).message([], 32, depth=0)
    except UserError:
        raise
    except Exception as exc:
        raise damaged(path.name) from exc
    finally:
        ole.close()


def _codec(cpid: int | None) -> str:
    """Python codec for a Windows code page (PR_INTERNET_CPID); UTF-8 when unknown."""
    if cpid in (None, 65001):
        return "utf-8"
    name = {20127: "ascii", 28591: "latin-1", 28605: "iso8859-15"}.get(cpid or 0, f"cp{cpid}")
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


class _Reader:
    def __init__(self, ole: olefile.OleFileIO, mail_name: str) -> None:
        self.ole = ole
        self.mail_name = mail_name
        self.budget = AttachmentBudget(mail_name)
        self.notes: list[str] = []

    # -- raw access --------------------------------------------------------------

    def _stream(self, where: list[str], name: str, limit: int) -> bytes | None:
        entry = [*where, name]
        if self.ole.get_type(entry) != olefile.STGTY_STREAM:
            return None
        if self.ole.get_size(entry) > limit:  # check before olefile reads it all
            raise UserError(
                N_("The e-mail {name} has a part larger than {limit} MiB; it is not processed."),
                {"name": self.mail_name, "limit": limit // (1024 * 1024)},
            )
        data: bytes = self.ole.openstream(entry).read()
        return data

    def string(self, where: list[str], prop: int) -> str | None:
        raw = self._stream(where, f"__substg1.0_{prop:04X}{_PT_UNICODE:04X}", MAX_BODY_BYTES)
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").rstrip("\x00")
        raw = self._stream(where, f"__substg1.0_{prop:04X}{_PT_STRING8:04X}", MAX_BODY_BYTES)
        if raw is not None:
            return raw.decode("cp1252", errors="replace").rstrip("\x00")
        return None

    def binary(self, where: list[str], prop: int, limit: int = MAX_BODY_BYTES) -> bytes | None:
        return self._stream(where, f"__substg1.0_{prop:04X}{_PT_BINARY:04X}", limit)

    def fixed(self, where: list[str], header: int) -> dict[int, bytes]:
        """Fixed-size property values by property id (the type is in the low 16 bits)."""
        raw = self._stream(where, "__properties_version1.0", MAX_BODY_BYTES) or b""
        values: dict[int, bytes] = {}
        for offset in range(header, len(raw) - 15, 16):
            tag = struct.unpack_from("<I", raw, offset)[0]
            values[tag >> 16] = raw[offset + 8 : offset + 16]
        return values

    def children(self, where: list[str], prefix: str) -> list[list[str]]:
        """Sub-storages of ``where`` whose names start with ``prefix``, in name order."""
        found = {
            tuple(entry[: len(where) + 1])
            for entry in self.ole.listdir(streams=False, storages=True)
            if len(entry) == len(where) + 1
            and entry[: len(where)] == where
            and entry[-1].lower().startswith(prefix)
        }
        return [list(e) for e in sorted(found)]

    # -- the message ---------------------------------------------------------------

    def message(self, where: list[str], header: int, depth: int) -> MailMessage:
        fixed = self.fixed(where, header)
        headers = self.string(where, 0x007D) or ""
        parsed = HeaderParser(policy=email.policy.compat32).parsestr(headers) if headers else None
        date = header_date(parsed.get("Date")) if parsed else None
        date = date or _filetime(fixed.get(0x0039)) or _filetime(fixed.get(0x0E06))
        message_id = self.string(where, 0x1035) or (parsed.get("Message-ID") if parsed else None)
        sender = format_address(
            self.string(where, 0x0C1A),
            self.string(where, 0x5D01) or self.string(where, 0x0C1F),
        )
        if not sender and parsed and parsed.get("From"):
            sender = " ".join(str(parsed.get("From")).split())
        to, cc = self._recipients(where)
        if not to and not cc:
            to = _split_display(self.string(where, 0x0E04))
            cc = _split_display(self.string(where, 0x0E03))
        return MailMessage(
            subject=(self.string(where, 0x0037) or "").strip(),
            sender=sender,
            to=to,
            cc=cc,
            date=date,
            message_id=message_id.strip() if message_id else None,
            body_text=self._body(where, fixed),
            attachments=tuple(self._attachments(where, depth)),
            notes=tuple(self.notes) if depth == 0 else (),
        )

    def _body(self, where: list[str], fixed: dict[int, bytes]) -> str:
        plain = self.string(where, 0x1000)
        if plain and plain.strip():
            return plain.replace("\r\n", "\n").strip()
        html = self.string(where, 0x1013)
        if html is None:
            raw = self.binary(where, 0x1013)
            if raw is not None:
                cpid = fixed.get(0x3FDE)
                codec = _codec(struct.unpack_from("<I", cpid)[0] if cpid else None)
                html = raw.decode(codec, errors="replace")
        if html:
            return html_to_text(html)
        if self.binary(where, 0x1009) is not None:
            self.notes.append("body only as compressed RTF: not read")
        return ""

    def _recipients(self, where: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        to: list[str] = []
        cc: list[str] = []
        for storage in self.children(where, "__recip_version1.0_#"):
            kind_raw = self.fixed(storage, 8).get(0x0C15)
            kind = struct.unpack_from("<I", kind_raw)[0] if kind_raw else 1
            address = format_address(
                self.string(storage, 0x3001),
                self.string(storage, 0x39FE) or self.string(storage, 0x3003),
            )
            if address and kind in (1, 2):  # 3 is Bcc: not part of what recipients saw
                (to if kind == 1 else cc).append(address)
        return tuple(to), tuple(cc)

    def _attachments(self, where: list[str], depth: int) -> list[MailAttachment]:
        found: list[MailAttachment] = []
        for storage in self.children(where, "__attach_version1.0_#"):
            fixed = self.fixed(storage, 8)
            method_raw = fixed.get(0x3705)
            method = struct.unpack_from("<I", method_raw)[0] if method_raw else _ATTACH_BY_VALUE
            name = self.string(storage, 0x3707) or self.string(storage, 0x3704)
            name = name or self.string(storage, 0x3001)
            mime = (self.string(storage, 0x370E) or "").strip().lower() or None
            embedded = [*storage, f"__substg1.0_3701{_PT_OBJECT:04X}"]
            if method == _ATTACH_EMBEDDED_MSG and self.ole.get_type(embedded) == 1:
                if depth >= MAX_EMBED_DEPTH:
                    self.notes.append(f"attached message nested too deep: {name or '?'}")
                    continue
                inner = self.message(embedded, 24, depth + 1)
                data = _as_eml(inner)
                base = (name or inner.subject or "bericht").removesuffix(".msg")
                self.budget.check_size(len(data))
                found.append(self.budget.add(base + ".eml", "message/rfc822", data))
                continue
            data_entry = [*storage, f"__substg1.0_3701{_PT_BINARY:04X}"]
            if self.ole.get_type(data_entry) == olefile.STGTY_STREAM:
                self.budget.check_size(self.ole.get_size(data_entry))  # before reading it
            data_raw = self.binary(storage, 0x3701, limit=MAX_ATTACHMENT_BYTES)
            if data_raw is None:
                self.notes.append(f"attachment not stored by value (method {method}): {name}")
                continue
            found.append(self.budget.add(name, mime, data_raw))
        return found


def _filetime(raw: bytes | None) -> datetime | None:
    """A FILETIME (100 ns since 1601, UTC); None for zero or out of range."""
    if not raw or len(raw) < 8:
        return None
    ticks = struct.unpack_from("<Q", raw)[0]
    if ticks == 0:
        return None
    try:
        return _FILETIME_EPOCH + timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None


def _split_display(value: str | None) -> tuple[str, ...]:
    """PR_DISPLAY_TO/CC: display names separated by semicolons."""
    return tuple(p.strip() for p in (value or "").split(";") if p.strip())


def _as_eml(message: MailMessage) -> bytes:
    """A simple RFC 822 rendering of an embedded Outlook message (text body only)."""
    out = EmailMessage(policy=email.policy.default.clone(linesep="\r\n"))
    # Display names may hold anything; sanitised header values keep the generator happy.
    for header, value in (
        ("Subject", message.subject),
        ("From", message.sender),
        ("To", ", ".join(message.to)),
        ("Cc", ", ".join(message.cc)),
        ("Message-ID", message.message_id or ""),
    ):
        clean = " ".join(value.split())
        if clean:
            try:
                out[header] = clean
            except (ValueError, TypeError):
                out[f"X-Original-{header}"] = clean.encode("ascii", "replace").decode()
    if message.date:
        out["Date"] = message.date
    out.set_content(message.body_text or "")
    for attachment in message.attachments:
        maintype, _, subtype = (attachment.mime or "application/octet-stream").partition("/")
        if maintype == "message":  # an already rendered nested message
            maintype, subtype = "application", "octet-stream"
        out.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.name,
        )
    return out.as_bytes()
