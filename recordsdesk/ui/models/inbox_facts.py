"""What intake found out about an inbox item, in one or two lines for its tooltip.

The facts come from intake (``InboxItemInfo.facts``): for a mail its header
(``facts["mail"]``) and attachments (``facts["parts"]``), for a PDF its PDF/A
claim and risks (``facts["pdf"]``). Unknown risk keys are shown as they are;
missing or odd values are left out rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from recordsdesk.i18n import N_, _
from recordsdesk.ui.formatting import format_datetime

#: risk keys from intake (``recordsdesk.pdf.PdfFacts.risks`` and the text step)
RISKS = {
    "javascript": N_("contains JavaScript"),
    "launch-action": N_("can start a program"),
    "embedded-files": N_("contains embedded files"),
    "oversized-content": N_("content too large to read safely"),
    "damaged-repaired": N_("damaged, a repaired copy is kept"),
}
#: attachment names shown at most; the rest is counted
MAX_NAMES = 5


def risk_name(key: str) -> str:
    known = RISKS.get(key)
    return _(known) if known else key


def describe_facts(facts: Mapping[str, Any] | None) -> str:
    """The mail's header and attachments, or the PDF's claim and risks ("" when none)."""
    if not facts:
        return ""
    lines: list[str] = []
    mail = facts.get("mail")
    if isinstance(mail, dict):
        parts = facts.get("parts")
        if not isinstance(parts, list):
            parts = mail.get("attachments")
        lines.append(_describe_mail(mail, parts if isinstance(parts, list) else []))
        for part in parts if isinstance(parts, list) else []:
            risks = _risks(part.get("pdf")) if isinstance(part, dict) else []
            if risks:
                lines.append(f"{part.get('name') or '?'}: {', '.join(risks)}")
    pdf = facts.get("pdf")
    if isinstance(pdf, dict):
        lines.append(_describe_pdf(pdf))
    return "\n".join(line for line in lines if line)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _describe_mail(mail: Mapping[str, Any], parts: list[Any]) -> str:
    to = mail.get("to")
    recipients = ", ".join(_text(t) for t in to if _text(t)) if isinstance(to, list) else ""
    text = _("E-mail from {sender} to {to}").format(
        sender=_text(mail.get("sender")) or _("unknown sender"),
        to=recipients or _("unknown recipients"),
    )
    date = _date(mail.get("date"))
    if date:
        text += ", " + _("sent {date}").format(date=date)
    subject = _text(mail.get("subject"))
    text += ", " + (_("subject {subject}").format(subject=subject) if subject else _("no subject"))
    names = [_text(p.get("name")) or "?" for p in parts if isinstance(p, dict)]
    if not names:
        return text + ", " + _("no attachments")
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += ", " + _("…and {count} more").format(count=len(names) - MAX_NAMES)
    if len(names) == 1:
        return text + ", " + _("1 attachment: {names}").format(names=shown)
    return text + ", " + _("{count} attachments: {names}").format(count=len(names), names=shown)


def _date(value: object) -> str:
    if not isinstance(value, str):
        return ""
    try:
        return format_datetime(dt.datetime.fromisoformat(value))
    except ValueError:
        return ""


def _risks(pdf: object) -> list[str]:
    if not isinstance(pdf, dict) or not isinstance(pdf.get("risks"), list):
        return []
    return [risk_name(str(key)) for key in pdf["risks"]]


def _describe_pdf(pdf: Mapping[str, Any]) -> str:
    claim = _text(pdf.get("pdfa_claim"))
    text = (
        _("PDF/A-{level} claimed (not validated)").format(level=claim)
        if claim
        else _("No PDF/A claim")
    )
    risks = _risks(pdf)
    if risks:
        return text + "; " + _("risks: {risks}").format(risks=", ".join(risks))
    return text + "; " + _("no risks found")


__all__ = ["RISKS", "describe_facts", "risk_name"]
