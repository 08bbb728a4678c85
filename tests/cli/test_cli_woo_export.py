"""``recordsdesk woo redact|redactions|unredact|export`` through the real CLI: a request
from filed PDFs to its publication package; refusals exit 2 with a clear message."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from recordsdesk.archive.woo import diwoo
from tests.cli.conftest import Run
from tests.redact.conftest import all_stream_bytes, build_single, word_box

Cli = Callable[..., Run]
NUMMER = "2026-120"
PARTLY = ("deels openbaar", "--gronden", "5.1.2e")


def _request(cli: Cli, src: Path) -> tuple[str, list[str], Path]:
    """A dossier (Woo category set) with two PDFs in scope of a request; the second
    source PDF's path (to measure the area of a word on it)."""
    dossier = cli("dossier", "create", "--title", "Sloop Weena").out.strip()
    assert cli("woo", "category", dossier, "Woo-verzoeken en -besluiten").code == 0
    first, second = src / "a-besluit.pdf", src / "b-brief.pdf"
    build_single(first, b"BT /F1 12 Tf 72 700 Td (Besluit sloopvergunning Weena) Tj ET")
    build_single(second, b"BT /F1 12 Tf 72 700 Td (Brief van Karel Appel over de sloop) Tj ET")
    filed = cli("file", "--dossier", dossier, first, second, "--json")
    assert filed.code == 0, filed.err
    records = sorted(r["kenmerk"] for r in json.loads(filed.out)["records"])
    made = cli("woo", "request", "create", NUMMER, "--onderwerp", "Weena",
               "--ontvangen", "2026-11-20")  # fmt: skip
    assert made.code == 0, made.err
    assert cli("woo", "request", "add", NUMMER, dossier).code == 0
    return dossier, records, second


def test_redact_and_export_round_trip(cli: Cli, src: Path, tmp_path: Path) -> None:
    dossier, records, brief = _request(cli, src)
    assert cli("woo", "assess", NUMMER, records[0], "openbaar").code == 0
    assert cli("woo", "assess", NUMMER, records[1], *PARTLY).code == 0
    x0, y0, x1, y1 = word_box(brief, 1, "Karel Appel")
    area = f"{x0:.2f},{y0:.2f},{x1:.2f},{y1:.2f}"
    marked = cli("woo", "redact", NUMMER, records[1], "--page", "1", "--area", area,
                 "--grond", "5.1.2e")  # fmt: skip
    assert marked.code == 0, marked.err
    assert "lakvlak" in marked.out and records[1] in marked.out and "5.1.2e" in marked.out
    listed = json.loads(cli("woo", "redactions", NUMMER, "--json").out)
    assert [(r["kenmerk"], r["page"], r["grond"]) for r in listed] == [(records[1], 1, "5.1.2e")]
    assert records[1] in cli("woo", "redactions", NUMMER, records[1]).out
    out = tmp_path / "pakket"
    done = cli("woo", "export", NUMMER, "--out", out, "--json")
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert (report["documents"], report["published"], report["redacted"]) == (2, 2, 1)
    assert sorted(p.name for p in (out / "documenten").iterdir()) == [f"{k}.pdf" for k in records]
    redacted = out / "documenten" / f"{records[1]}.pdf"
    assert b"Karel" not in all_stream_bytes(redacted) and b"Appel" not in all_stream_bytes(redacted)
    for kenmerk in records:
        assert diwoo.validate((out / "diwoo" / f"{kenmerk}.xml").read_bytes()) == []
    with (out / "inventarislijst.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert [r[0] for r in rows[1:]] == records and rows[2][4] == "Deels openbaar"
    assert {r[7] for r in rows[1:]} == {dossier}
    # text output, Dutch by default, into an empty folder
    empty = tmp_path / "leeg"
    empty.mkdir()
    text = cli("woo", "export", NUMMER, "--out", empty)
    assert text.code == 0, text.err
    assert f"Woo-pakket van {NUMMER} geschreven naar" in text.out and "gelakt: 1" in text.out


def test_refusals_exit_2_and_write_nothing(cli: Cli, src: Path, tmp_path: Path) -> None:
    _dossier, records, _brief = _request(cli, src)
    out = tmp_path / "pakket"
    early = cli("woo", "export", NUMMER, "--out", out)
    assert early.code == 2 and "nog niet beoordeeld" in early.err and not out.exists()
    assert cli("woo", "assess", NUMMER, records[0], "openbaar").code == 0
    assert cli("woo", "assess", NUMMER, records[1], *PARTLY).code == 0
    missing = cli("woo", "export", NUMMER, "--out", out)
    assert missing.code == 2 and records[1] in missing.err and "geen lakvlakken" in missing.err
    assert not out.exists() and [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    as_json = cli("woo", "export", NUMMER, "--out", out, "--json")
    assert as_json.code == 2 and json.loads(as_json.out)["problems"][0]["kenmerk"] == records[1]
    bad = cli("woo", "redact", NUMMER, records[1], "--page", "1", "--area", "1,2,3",
              "--grond", "5.1.2e")  # fmt: skip
    assert bad.code == 2 and "X0,Y0,X1,Y1" in bad.err
    off = cli("--lang", "en", "woo", "redact", NUMMER, records[1], "--page", "3",
              "--area", "72,690,200,715", "--grond", "5.1.2e")  # fmt: skip
    assert off.code == 2 and "Page 3 does not exist" in off.err
    marked = cli("woo", "redact", NUMMER, records[1], "--page", "1", "--area", "72,690,200,715",
                 "--grond", "5.1.2e", "--json")  # fmt: skip
    assert marked.code == 0, marked.err
    area_id = json.loads(marked.out)["id"]
    full = tmp_path / "vol"
    full.mkdir()
    (full / "iets.txt").write_text("bezet")
    busy = cli("woo", "export", NUMMER, "--out", full)
    assert busy.code == 2 and "geen lege map" in busy.err
    removed = cli("woo", "unredact", area_id)
    assert removed.code == 0 and "verwijderd" in removed.out
    assert "Geen lakvlakken." in cli("woo", "redactions", NUMMER).out
    again = cli("woo", "unredact", area_id)
    assert again.code == 2 and "Geen lakvlak met id" in again.err
