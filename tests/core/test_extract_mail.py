"""read_mail on real .eml files built with the standard library."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.extract import mail
from recordsdesk.extract.mail import MailAttachment, MailMessage, html_to_text, read_mail
from recordsdesk.i18n import catalogue


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "Vergunning Coolsingel — één aanvraag"
    msg["From"] = "Jeroen de Vries <jeroen@example.nl>"
    msg["To"] = "Afdeling Vergunningen <vergunningen@rotterdam.nl>, b@example.nl"
    msg["Cc"] = "Zoë Ünal <zoe@example.nl>"
    msg["Date"] = "Tue, 03 Mar 2026 10:15:00 +0100"
    msg["Message-ID"] = "<abc.123@example.nl>"
    msg.set_content("Geachte heer,\n\nZie de bijlagen.\n")
    msg.add_alternative("<p>Geachte heer,</p><p>Zie de <b>bijlagen</b>.</p>", subtype="html")
    return msg


def _write(tmp_path: Path, msg: EmailMessage, name: str = "bericht.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(bytes(msg))
    return path


def test_headers_body_and_attachments(tmp_path: Path) -> None:
    msg = _message()
    msg.add_attachment(b"%PDF-1.7 fake", maintype="application", subtype="pdf", filename="plan.pdf")
    msg.add_attachment(b"tekst", maintype="text", subtype="plain", filename="Overzicht büro.txt")
    result = read_mail(_write(tmp_path, msg))
    assert result.subject == "Vergunning Coolsingel — één aanvraag"
    assert result.sender == "Jeroen de Vries <jeroen@example.nl>"
    assert result.to == ("Afdeling Vergunningen <vergunningen@rotterdam.nl>", "b@example.nl")
    assert result.cc == ("Zoë Ünal <zoe@example.nl>",)
    assert result.date == datetime(2026, 3, 3, 10, 15, tzinfo=timezone(timedelta(hours=1)))
    assert result.message_id == "<abc.123@example.nl>"
    assert result.body_text == "Geachte heer,\n\nZie de bijlagen."
    assert [(a.name, a.mime, a.data) for a in result.attachments] == [
        ("plan.pdf", "application/pdf", b"%PDF-1.7 fake"),
        ("Overzicht büro.txt", "text/plain", b"tekst"),
    ]
    meta = result.to_json()
    assert meta["attachments"] == [
        {"name": "plan.pdf", "mime": "application/pdf", "size": 13},
        {"name": "Overzicht büro.txt", "mime": "text/plain", "size": 5},
    ]
    assert meta["date"] == "2026-03-03T10:15:00+01:00"
    json.dumps(meta)  # serialisable, no bytes


def test_message_is_frozen(tmp_path: Path) -> None:
    result = read_mail(_write(tmp_path, _message()))
    assert isinstance(result, MailMessage)
    with pytest.raises(AttributeError):
        result.subject = "x"  # type: ignore[misc]


def test_html_only_body_becomes_text_without_script_or_style(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["Subject"] = "HTML"
    msg["From"] = "a@example.nl"
    msg.set_content(
        "<html><head><style>p{color:red}</style><title>t</title></head><body>"
        "<script>alert('x')</script><p>Beste&nbsp;collega,</p><div>Regel&nbsp;2 &amp; 3</div>"
        "<table><tr><td>a</td><td>b</td></tr></table></body></html>",
        subtype="html",
    )
    result = read_mail(_write(tmp_path, msg))
    assert "alert" not in result.body_text and "color" not in result.body_text
    assert "Beste collega," in result.body_text
    assert "Regel 2 & 3" in result.body_text
    assert result.attachments == ()


def test_attachment_names_are_made_safe(tmp_path: Path) -> None:
    msg = _message()
    for name in ("../../etc/passwd", "..\\..\\boot.ini", "..", "con.txt", "a:b?.pdf"):
        msg.add_attachment(b"x", maintype="application", subtype="octet-stream", filename=name)
    msg.add_attachment(b"y", maintype="application", subtype="octet-stream")  # no name
    names = [a.name for a in read_mail(_write(tmp_path, msg)).attachments]
    assert names == ["passwd", "boot.ini", "bijlage-3", "_con.txt", "a_b_.pdf", "bijlage-6"]
    assert all("/" not in n and "\\" not in n and ".." not in n for n in names)


def test_inline_image_without_name_is_not_an_attachment(tmp_path: Path) -> None:
    msg = _message()
    html = msg.get_body(preferencelist=("html",))
    assert html is not None
    html.add_related(b"\x89PNG...", maintype="image", subtype="png", cid="<logo@x>")
    msg.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="foto.png")
    result = read_mail(_write(tmp_path, msg))
    assert [a.name for a in result.attachments] == ["foto.png"]


def test_nested_message_is_one_eml_attachment(tmp_path: Path) -> None:
    inner = _message()
    inner.replace_header("Subject", "Doorgestuurd bericht")
    inner.add_attachment(b"binnen", maintype="application", subtype="pdf", filename="binnen.pdf")
    outer = EmailMessage()
    outer["Subject"] = "Fwd"
    outer["From"] = "x@example.nl"
    outer.set_content("zie onder")
    outer.add_attachment(inner)
    result = read_mail(_write(tmp_path, outer))
    assert len(result.attachments) == 1
    attached = result.attachments[0]
    assert attached.name == "Doorgestuurd bericht.eml"
    assert attached.mime == "message/rfc822"
    again = tmp_path / attached.name
    again.write_bytes(attached.data)
    reread = read_mail(again)
    assert reread.subject == "Doorgestuurd bericht"
    assert [a.name for a in reread.attachments] == ["binnen.pdf"]


def test_naive_date_is_utc_and_bad_date_is_none(tmp_path: Path) -> None:
    msg = _message()
    msg.replace_header("Date", "Tue, 03 Mar 2026 10:15:00 -0000")
    assert read_mail(_write(tmp_path, msg)).date == datetime(2026, 3, 3, 10, 15, tzinfo=UTC)
    raw = bytes(_message()).replace(b"Tue, 03 Mar 2026 10:15:00 +0100", b"gisteren")
    (tmp_path / "b.eml").write_bytes(raw)
    assert read_mail(tmp_path / "b.eml").date is None


def test_too_many_attachments_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    msg = _message()
    for i in range(mail.MAX_ATTACHMENTS + 1):
        msg.add_attachment(b"x", maintype="application", subtype="pdf", filename=f"{i}.pdf")
    with pytest.raises(UserError) as caught:
        read_mail(_write(tmp_path, msg))
    assert "more than 200 attachments" in caught.value.english()
    monkeypatch.setattr(mail, "MAX_ATTACHMENT_BYTES", 1000)
    big = _message()
    big.add_attachment(b"x" * 600, maintype="application", subtype="pdf", filename="a.pdf")
    big.add_attachment(b"x" * 600, maintype="application", subtype="pdf", filename="b.pdf")
    with pytest.raises(UserError, match="larger than"):
        read_mail(_write(tmp_path, big))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02\xff" * 100,
        b"not a header line\n\nbody",
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; charset=nope"
        b"\n\n\xff\xfe\n--x\nContent-Type: message/rfc822\n\n\n--x--",
        b"From: <<<@@@>>>\nTo: ,,,@\nDate: 99 Foo 99999\nSubject: =?utf-8?q?=FF?=\n\nx",
        b"Content-Type: multipart/mixed; boundary=b\n\n" + b"--b\nContent-Type: multipart/mixed; "
        b"boundary=b\n\n" * 3000,
    ],
)
def test_malformed_mail_raises_user_error_only(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "kapot.eml"
    path.write_bytes(raw)
    try:
        result = read_mail(path)
    except UserError as exc:
        assert exc.english()
    else:
        assert isinstance(result, MailMessage)


def test_empty_file_is_not_mail(tmp_path: Path) -> None:
    path = tmp_path / "leeg.eml"
    path.write_bytes(b"")
    with pytest.raises(UserError, match="not an e-mail"):
        read_mail(path)
    with pytest.raises(NotFoundError):
        read_mail(tmp_path / "er-niet.eml")


def test_msg_suffix_with_rfc822_content_is_read_as_eml(tmp_path: Path) -> None:
    result = read_mail(_write(tmp_path, _message(), "outlook-export.msg"))
    assert result.subject.startswith("Vergunning")


def test_html_to_text_and_dataclass() -> None:
    assert html_to_text("<p>a</p><p>b</p><style>x</style>") == "a\n\nb"
    assert MailAttachment("a", None, b"").mime is None


def test_every_error_msgid_has_dutch() -> None:
    dutch = catalogue("nl")
    for msgid in (
        "The e-mail {name} is damaged and cannot be read. Ask the sender for a new copy.",
        "The e-mail {name} has more than {limit} attachments; it is not processed.",
    ):
        assert dutch.get(msgid)


def test_too_many_parts_is_refused_before_parsing(tmp_path: Path) -> None:
    part = b"--b\nContent-Type: text/plain\n\nx\n"
    path = tmp_path / "delen.eml"
    path.write_bytes(b"Content-Type: multipart/mixed; boundary=b\n\n" + part * 5000 + b"--b--\n")
    with pytest.raises(UserError, match="more than 1000 parts"):
        read_mail(path)
