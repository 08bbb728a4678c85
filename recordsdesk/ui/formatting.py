"""How values look on screen: sizes, dates and file types, in the current language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from recordsdesk.i18n import N_, _, current_language

_UNITS = ("B", "KB", "MB", "GB", "TB")

# Short names for the formats civil servants meet most; others show their MIME type.
_TYPE_NAMES = {
    "application/pdf": N_("PDF document"),
    "image/png": N_("PNG image"),
    "image/jpeg": N_("JPEG image"),
    "image/tiff": N_("TIFF image"),
    "image/gif": N_("GIF image"),
    "text/plain": N_("Text"),
    "text/csv": N_("CSV table"),
    "text/html": N_("HTML page"),
    "text/xml": N_("XML"),
    "application/xml": N_("XML"),
    "message/rfc822": N_("E-mail"),
    "application/vnd.ms-outlook": N_("Outlook e-mail"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": N_("Word document"),
    "application/msword": N_("Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": N_("Excel workbook"),
    "application/vnd.ms-excel": N_("Excel workbook"),
    "application/vnd.oasis.opendocument.text": N_("OpenDocument text"),
    "application/zip": N_("ZIP archive"),
}


def _decimal(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if current_language() == "nl" else text


def format_size(size: int) -> str:
    """``12 B``, ``1,5 KB``, ``3,2 MB`` (decimal comma in Dutch, 1024 steps)."""
    value = float(size)
    for unit in _UNITS:
        if value < 1024 or unit == _UNITS[-1]:
            if unit == "B":
                return f"{size} B"
            return f"{_decimal(value)} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_bytes(size: int) -> str:
    """The exact size with thousands separators: ``24.073 bytes`` / ``24,073 bytes``."""
    grouped = f"{size:,}"
    if current_language() == "nl":
        grouped = grouped.replace(",", ".")
    return _("{size} bytes").format(size=grouped)


def format_datetime(moment: dt.datetime) -> str:
    """Local time, day first (``28-11-2026 21:05``), the way Dutch offices write it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone()
    if current_language() == "nl":
        return local.strftime("%d-%m-%Y %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def type_name(mime: str | None) -> str:
    """A readable name for a MIME type (``PDF document``), else the MIME type itself."""
    if not mime:
        return _("unknown")
    known = _TYPE_NAMES.get(mime)
    return _(known) if known else mime


def status_name(status: str) -> str:
    names = {"open": N_("open"), "closed": N_("closed")}
    known = names.get(status)
    return _(known) if known else status


@dataclass(frozen=True)
class Message:
    """A sentence kept untranslated (msgid + parameters), so a language switch can
    show it again in the new language. A parameter may be a callable, evaluated
    when shown (e.g. the translated reason of an error).
    """

    msgid: str
    params: Mapping[str, object | Callable[[], object]] = field(default_factory=dict)

    def text(self) -> str:
        values = {k: v() if callable(v) else v for k, v in self.params.items()}
        return _(self.msgid).format(**values)
