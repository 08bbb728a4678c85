"""A scanner folder through the real CLI: ``dropfolder add --scan``, ``watch --once``,
``scan list``; in Dutch by default."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from recordsdesk.scan.sheet import SheetFields
from tests.cli.conftest import Run
from tests.scan.synth import Page, make_batch

Cli = Callable[..., Run]
pytestmark = pytest.mark.slow


def test_a_scanner_folder_files_a_batch_by_its_sheet(
    cli: Cli, dossier: str, tmp_path: Path
) -> None:
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    refused = cli("dropfolder", "add", scanner, "--profile", "standaard")
    assert refused.code == 2 and "--scan" in refused.err
    added = cli("dropfolder", "add", scanner, "--scan", "--json")
    assert added.code == 0, added.err
    assert json.loads(added.out)["scan_profile"] == "standaard"
    batch = make_batch(
        [Page(sheet=SheetFields(dossier=dossier, titel="Brief van de buren")), Page(dpi=300)],
        tmp_path / "batch.pdf",
    )
    batch.rename(scanner / "scan.pdf")
    ran = cli("watch", "--once", "--quiet-period", "0")
    assert ran.code == 0, ran.err
    assert "scan.pdf: 1 stukken uit 2 pagina's." in ran.out
    listed = json.loads(cli("scan", "list", "--json").out)
    assert [(b["name"], b["pages"], b["records"], b["state"]) for b in listed] == [
        ("scan.pdf", 2, 1, "needs_review")
    ]
    shown = cli("dossier", "show", dossier)
    # the record: the batch's page and its OCR'd PDF/A beside it
    assert "Brief van de buren" in shown.out and "scan (p. 2) (pdfa).pdf" in shown.out
    assert cli("scan", "process").out.strip() == "Er wachten geen gescande stapels."

    # a re-scan of page 2, asked for through the CLI; bad page lists are refused in Dutch
    batch_id = listed[0]["id"]
    bad = cli("scan", "rescan", batch_id, "--pages", "twee")
    assert bad.code != 0 and "Geef pagina's als getallen" in bad.err and "Traceback" not in bad.err
    beyond = cli("scan", "rescan", batch_id, "--pages", "2-3")
    assert beyond.code != 0 and "van 1 tot en met 2" in beyond.err
    asked = cli("scan", "rescan", batch_id, "--pages", "2", "--note", "scheef")
    assert asked.code == 0 and "scan replace" in asked.out
    assert json.loads(cli("scan", "list", "--json").out)[0]["state"] == "rescan"
    # the paper cannot be scanned again after all: the batch is rejected as it waits
    assert cli("scan", "reject", batch_id, "--note", "origineel kwijt").code == 0
    assert json.loads(cli("scan", "list", "--json").out)[0]["state"] == "rejected"


def test_scan_profiles_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    made = cli("scan", "profile", "set", "balie", "--dpi", "200", "--languages", "nld,eng",
               "--no-rotate", "--sample-size", "5", "--json")  # fmt: skip
    assert made.code == 0, made.err
    shown = json.loads(made.out)
    assert (shown["name"], shown["dpi"], shown["languages"], shown["rotate"]) == (
        "balie", 200, ["nld", "eng"], False)  # fmt: skip
    assert shown["split_on_sheets"] is True  # not given: the default's
    # a later change keeps what it does not name
    assert cli("scan", "profile", "set", "balie", "--min-confidence", "75").code == 0
    kept = json.loads(cli("scan", "profile", "show", "balie", "--json").out)
    assert (kept["dpi"], kept["min_confidence"]) == (200, 75)
    assert json.loads(cli("scan", "profile", "list", "--json").out) == ["standaard", "balie"]
    refused = cli("scan", "profile", "set", "balie", "--dpi", "20")
    assert refused.code != 0 and "tussen 50 en 1200 dpi" in refused.err
    assert json.loads(cli("scan", "profile", "show", "balie", "--json").out)["dpi"] == 200
    # a profile in use is kept; the default is never removed
    scanner = tmp_path / "scanner"
    scanner.mkdir()
    assert cli("dropfolder", "add", scanner, "--scan", "--profile", "balie").code == 0
    in_use = cli("scan", "profile", "remove", "balie")
    assert in_use.code != 0 and "gebruikt door de scannermap" in in_use.err
    default = cli("scan", "profile", "remove", "standaard")
    assert default.code != 0 and "kan niet worden verwijderd" in default.err
