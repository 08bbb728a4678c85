"""The olefile-based Outlook .msg reader, on .msg files from tests/support/cfb.py."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime
from pathlib import Path

import olefile
import pytest

from recordsdesk.errors import UserError
from recordsdesk.extract import mail
from recordsdesk.extract.mail import read_mail
from tests.support.cfb import build_msg, build_msg_tree, filetime, write_cfb

SUBMIT = int(datetime(2026, 2, 1, 9, 30, tzinfo=UTC).timestamp())
HEADERS = (
    "Received: from x by y\r\nDate: Mon, 02 Feb 2026 08:00:00 +0100\r\n"
    "Message-ID: <outlook.1@example.nl>\r\nSubject: ignored\r\n\r\n"
)


def _write(tmp_path: Path, data: bytes, name: str = "bericht.msg") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_writer_round_trips_through_olefile() -> None:
    tree = {"klein": b"k" * 100, "groot": b"g" * 5000, "map": {"leeg": b"", "x": b"x" * 4095}}
    ole = olefile.OleFileIO(io.BytesIO(write_cfb(tree)), raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("klein").read() == b"k" * 100
    assert ole.openstream("groot").read() == b"g" * 5000
    assert ole.openstream("map/x").read() == b"x" * 4095
    assert ole.openstream("map/leeg").read() == b""
    assert sorted(ole.listdir()) == [["groot"], ["klein"], ["map", "leeg"], ["map", "x"]]


def test_full_message(tmp_path: Path) -> None:
    data = build_msg(
        {
            0x0037: "Bezwaar tegen besluit — één",
            0x0C1A: "Marieke Jansen",
            0x0C1F: "/O=EXCHANGE/OU=X/CN=MJANSEN",
            0x5D01: "marieke@example.nl",
            0x0E04: "niet gebruikt",
            0x1000: "Geachte heer,\r\n\r\nHierbij mijn bezwaar.\r\n",
            0x007D: HEADERS,
        },
        fixed={0x0039: (0x0040, filetime(SUBMIT))},
        recipients=[
            ("Gemeente Rotterdam", "post@rotterdam.nl", 1),
            ("Jurist", "jurist@rotterdam.nl", 2),
            ("Geheim", "bcc@rotterdam.nl", 3),
        ],
        attachments=[
            {"name": "bezwaar.pdf", "mime": "application/pdf", "data": b"%PDF-1.7 " * 1000},
            {"name": "..\\..\\Windows\\win.ini", "data": b"klein"},
            {"data": b"zonder naam"},
        ],
    )
    result = read_mail(_write(tmp_path, data))
    assert result.subject == "Bezwaar tegen besluit — één"
    assert result.sender == "Marieke Jansen <marieke@example.nl>"
    assert result.to == ("Gemeente Rotterdam <post@rotterdam.nl>",)
    assert result.cc == ("Jurist <jurist@rotterdam.nl>",)
    assert result.date is not None and result.date.isoformat() == "2026-02-02T08:00:00+01:00"
    assert result.message_id == "<outlook.1@example.nl>"
    assert result.body_text == "Geachte heer,\n\nHierbij mijn bezwaar."
    assert [(a.name, a.mime, len(a.data)) for a in result.attachments] == [
        ("bezwaar.pdf", "application/pdf", 9000),
        ("win.ini", None, 5),
        ("bijlage-3", None, 11),
    ]
    assert result.notes == ()


def test_minimal_message_falls_back(tmp_path: Path) -> None:
    """No headers, no recipient storages, 8-bit strings, HTML body only."""
    html = "<html><body><script>x()</script><p>Caf\xe9 open</p></body></html>"
    data = build_msg(
        {0x0037: "Oud bericht", 0x0E04: "Jan; Piet", 0x0E03: "Klaas", 0x1013: html.encode()},
        fixed={0x0039: (0x0040, filetime(SUBMIT)), 0x3FDE: (0x0003, struct.pack("<I", 65001))},
    )
    tree = build_msg_tree({}, fixed={})  # 8-bit (PT_STRING8) strings, as old Outlook wrote
    tree["__substg1.0_0037001E"] = "8-bit onderwerp \xe9".encode("cp1252")
    tree["__substg1.0_0C1A001E"] = "Ren\xe9".encode("cp1252")
    result = read_mail(_write(tmp_path, data))
    assert result.to == ("Jan", "Piet") and result.cc == ("Klaas",)
    assert result.date == datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
    assert result.body_text == "Café open"
    assert result.message_id is None
    eight = read_mail(_write(tmp_path, write_cfb(tree), "b.msg"))  # type: ignore[arg-type]
    assert eight.subject == "8-bit onderwerp é"
    assert eight.sender == "René"
    assert eight.date is None and eight.body_text == ""


def test_embedded_message_becomes_eml(tmp_path: Path) -> None:
    inner = build_msg_tree(
        {0x0037: "Origineel verzoek", 0x0C1A: "Burger", 0x5D01: "burger@example.nl", 0x1000: "Hoi"},
        recipients=[("Gemeente", "post@rotterdam.nl", 1)],
        attachments=[{"name": "foto.jpg", "mime": "image/jpeg", "data": b"\xff\xd8jpeg"}],
        header=24,
    )
    data = build_msg(
        {0x0037: "FW: Origineel verzoek", 0x1000: "Zie bijlage"},
        attachments=[{"name": "Origineel verzoek.msg", "msg": inner}, {"method": 6}],
    )
    result = read_mail(_write(tmp_path, data))
    assert [a.name for a in result.attachments] == ["Origineel verzoek.eml"]
    assert result.attachments[0].mime == "message/rfc822"
    assert any("method 6" in n for n in result.notes)
    eml = _write(tmp_path, result.attachments[0].data, "origineel.eml")
    again = read_mail(eml)
    assert again.subject == "Origineel verzoek"
    assert again.sender == "Burger <burger@example.nl>"
    assert again.to == ("Gemeente <post@rotterdam.nl>",)
    assert again.body_text == "Hoi"
    assert [(a.name, a.data) for a in again.attachments] == [("foto.jpg", b"\xff\xd8jpeg")]


def test_attachment_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail, "MAX_ATTACHMENTS", 3)
    many = build_msg({0x0037: "veel"}, attachments=[{"data": b"x"}] * 4)
    with pytest.raises(UserError, match="more than 3 attachments"):
        read_mail(_write(tmp_path, many))
    monkeypatch.setattr(mail, "MAX_ATTACHMENT_BYTES", 6000)
    big = build_msg({0x0037: "groot"}, attachments=[{"data": b"x" * 5000}] * 2)
    with pytest.raises(UserError, match="larger than"):
        read_mail(_write(tmp_path, big))


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d[:600],  # cut short
        lambda d: d[:512] + b"\xff" * (len(d) - 512),  # header only
        lambda d: d[:76] + b"\xee\xee\xee\xee" + d[80:],  # nonsense first FAT sector
        lambda d: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100,
    ],
)
def test_damaged_msg_is_a_user_error(tmp_path: Path, mangle: object) -> None:
    data = build_msg({0x0037: "x", 0x1000: "y" * 300}, attachments=[{"data": b"z" * 5000}])
    path = _write(tmp_path, mangle(data))  # type: ignore[operator]
    try:
        read_mail(path)
    except UserError as exc:
        assert "damaged" in exc.english()


def test_ole_file_that_is_not_a_message_reads_as_empty(tmp_path: Path) -> None:
    result = read_mail(_write(tmp_path, write_cfb({"WordDocument": b"x" * 10})))
    assert (result.subject, result.body_text, result.attachments) == ("", "", ())
