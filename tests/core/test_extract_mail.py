"""read_mail on real .eml files built with the standard library."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.extract import mail, mailheaders
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


# -- Headers read without the header registry give what the registry gives ----------


def _registry_view(raw: bytes) -> object:
    """The header fields as read_mail read them through ``email.policy.default``."""
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)

        def addresses(name: str) -> tuple[str, ...]:
            found: list[str] = []
            for header in msg.get_all(name) or []:
                found += [
                    mailheaders.format_address(a.display_name, a.addr_spec)
                    for a in header.addresses
                ]
            return tuple(a for a in found if a)

        date, message_id, sender = msg.get("date"), msg.get("message-id"), addresses("from")
        when = getattr(date, "datetime", None)
        return (
            str(msg.get("subject") or "").strip(),
            sender[0] if sender else "",
            addresses("to"),
            addresses("cc"),
            mailheaders.aware(when) if when else mail.header_date(str(date) if date else None),
            str(message_id).strip() if message_id else None,
        )
    except Exception:
        return "damaged"


def _read_view(tmp_path: Path, raw: bytes) -> object:
    path = tmp_path / "kop.eml"
    path.write_bytes(raw)
    try:
        r = read_mail(path)
    except UserError as exc:
        assert "damaged" in exc.english()
        return "damaged"
    return (r.subject, r.sender, r.to, r.cc, r.date, r.message_id)


_HEADERS = {
    "folded encoded subject": b"Subject: =?utf-8?q?Vergunning_caf=C3=A9?=\r\n"
    b" =?utf-8?b?IGVuIG1lZXI=?=\r\n\tnog  tekst\r\n",
    "encoded word glued to text": b"Subject: Re:=?utf-8?q?caf=C3=A9?=x\n",
    "8-bit subject": "Subject: café in UTF-8\n".encode(),
    "leading folded subject": b"Subject:\n  =?utf-8?q?a?=  =?utf-8?q?b?= c \n",
    "unknown charset": b"Subject: =?x-onbekend?q?caf=E9?= en =?utf-8?q?=FF?=\n"
    b"From: =?x-onbekend?q?caf=E9?= <c@example.nl>\n",
    "bad base64": b"Subject: =?utf-8?b?w6?= =?utf-8?b?w6k?=\n",
    "encoded names": b"From: =?utf-8?q?Zo=C3=AB?= =?utf-8?q?_=C3=9Cnal?= <zoe@example.nl>\n"
    b'To: "Vries, Jeroen de" <j@example.nl>, =?iso-8859-1?q?Caf=E9__x?= <c@example.nl>,\n'
    b"  b@example.nl\nCc: J. de  Vries <v@example.nl>, =?utf-8?b?w6k=?= <e@example.nl>\n"
    b'Cc: a"b"c <abc@example.nl>, " x " <x@example.nl>, <n@example.nl>\n',
    "group": b"To: undisclosed-recipients:;\nCc: Team: a@example.nl, B <b@example.nl>;\n",
    "unparseable addresses": b"From: <<<@@@>>>\nTo: ,,,@\nCc: Jan (zaken) <jan@example.nl>, x@\n",
    "trailing dot in a name": b"From: J.<j@example.nl>\n",
    "line break in a name": b"From: =?utf-8?q?a=0Ab?= <a@example.nl>\n",
    "no date": b"Message-ID: <a.b@example.nl> \n",
    "date -0000": b"Date: Tue, 03 Mar 2026 10:15:00 -0000\nMessage-ID:  <x@y> (c)\n",
    "bad date": b"Date: 99 Foo 99999\nMessage-ID: geen-id\n",
}


@pytest.mark.parametrize("headers", list(_HEADERS.values()), ids=list(_HEADERS))
def test_headers_are_read_as_the_registry_reads_them(tmp_path: Path, headers: bytes) -> None:
    raw = headers + b"MIME-Version: 1.0\nContent-Type: text/plain\n\ntekst\n"
    assert _read_view(tmp_path, raw) == _registry_view(raw)


def test_edge_headers_give_the_expected_values(tmp_path: Path) -> None:
    """Spot checks, so the comparison above is not two equal wrong answers."""
    folded = _read_view(tmp_path, _HEADERS["folded encoded subject"] + b"\nx")
    assert isinstance(folded, tuple) and folded[0] == "Vergunning café en meer\tnog  tekst"
    names = _read_view(tmp_path, _HEADERS["encoded names"] + b"\nx")
    assert isinstance(names, tuple)
    assert names[1] == "Zoë  Ünal <zoe@example.nl>"
    assert names[2] == ("Vries, Jeroen de <j@example.nl>", "Café x <c@example.nl>", "b@example.nl")
    group = _read_view(tmp_path, _HEADERS["group"] + b"\nx")
    assert isinstance(group, tuple) and group[2:4] == ((), ("a@example.nl", "B <b@example.nl>"))
    unknown = _read_view(tmp_path, _HEADERS["unknown charset"] + b"\nx")
    assert isinstance(unknown, tuple) and unknown[0] == "caf\ufffd en \ufffd"
    assert _read_view(tmp_path, _HEADERS["date -0000"] + b"\nx") == (
        "",
        "",
        (),
        (),
        datetime(2026, 3, 3, 10, 15, tzinfo=UTC),
        "<x@y> (c)",
    )


def test_attachment_names_are_read_as_the_registry_reads_them(tmp_path: Path) -> None:
    parts = [
        b"Content-Type: application/pdf\nContent-Disposition: attachment;\n"
        b" filename*0*=UTF-8''Overzicht%20b%C3%BC; filename*1*=ro.pdf\n\nx\n",
        b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="=?utf-8?q?'
        b'caf=C3=A9.pdf?="\n\nx\n',
        b'Content-Type: application/pdf; name="=?iso-8859-1?q?r=E9sum=E9.pdf?="\n\nx\n',
        b"Content-Type: text/plain; charset=x-onbekend\nContent-Disposition: attachment;"
        b" filename*=iso-8859-1'nl'na%EFef.txt\n\n\xe9\n",
    ]
    raw = b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhoi\n"
    raw += b"".join(b"--b\n" + part for part in parts) + b"--b--\n"
    expected = []
    for part in email.message_from_bytes(raw, policy=email.policy.default).iter_parts():
        name = part.get_filename() or part.get_param("name")
        if isinstance(name, str):
            expected.append(name)
    path = tmp_path / "namen.eml"
    path.write_bytes(raw)
    names = [a.name for a in read_mail(path).attachments]
    assert names == expected == ["Overzicht büro.pdf", "café.pdf", "résumé.pdf", "naïef.txt"]


def test_a_replaced_header_is_parsed_again() -> None:
    msg = email.message_from_bytes(
        b"Subject: een\nTo: a@example.nl\n\nx", policy=mailheaders.READING
    )
    assert str(msg.get("subject")) == "een" and msg.get("subject") is msg.get("subject")
    msg.replace_header("Subject", "twee")
    assert str(msg.get("subject")) == "twee" and msg.get("cc", "geen") == "geen"


def test_hostile_address_headers_are_read_in_linear_time(tmp_path: Path) -> None:
    """The fast path's patterns must not backtrack exponentially on a near-miss."""
    raw = b"From: " + b"a" * 30 + b" " * 30 + b"x\nTo: " + b"a " * 300 + b"<\n\nx"
    assert _read_view(tmp_path, raw) == _registry_view(raw)
    # No clock here (machines are noisy): with a backtracking pattern each of these
    # near-misses would run for longer than the suite may take, so a regression
    # hangs the run and fails it; linear patterns answer at once.
    for value in ("a" * 100_000 + " " * 100_000 + "x", "a " * 100_000 + "<", " ," * 100_000):
        assert mailheaders.address_items(value) is None  # left to the registry
