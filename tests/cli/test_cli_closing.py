"""``recordsdesk dossier classify|close|reopen`` and ``retention undetermined`` through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.cli.conftest import Run

Cli = Callable[..., Run]


def test_classify_close_and_reopen(cli: Cli) -> None:
    kenmerk = cli("dossier", "create", "--title", "Evenement Coolsingel").out.strip()
    classified = cli("dossier", "classify", kenmerk, "--resultaat", "1.5")
    assert classified.code == 0, classified.err
    assert "geclassificeerd onder resultaat 1.5" in classified.out
    closed = cli("dossier", "close", kenmerk, "--json")
    assert closed.code == 0, closed.err
    figures = json.loads(closed.out)
    assert figures["waardering"] == "V" and figures["archiefactiedatum"] is not None
    assert "Er wachten geen dossiers" in cli("retention", "undetermined").out
    later = json.loads(cli("retention", "due", "--on", "2999-01-01", "--json").out)
    assert [i["kenmerk"] for i in later["destroy"]] == [kenmerk]
    listed = cli("retention", "due", "--on", "2999-01-01")
    assert listed.code == 0 and "Te vernietigen (V): 1" in listed.out
    again = cli("dossier", "close", kenmerk)
    assert again.code == 2 and "heropen het eerst" in again.err and "Traceback" not in again.err
    reopened = cli("dossier", "reopen", kenmerk, "--reason", "Bezwaar binnengekomen")
    assert reopened.code == 0 and "weer open" in reopened.out


def test_bad_input_exits_2_in_dutch(cli: Cli) -> None:
    kenmerk = cli("dossier", "create", "--title", "Evenement").out.strip()
    unknown = cli("dossier", "classify", kenmerk, "--resultaat", "99.9.9")
    assert unknown.code == 2 and "Traceback" not in unknown.err
    future = cli("dossier", "classify", kenmerk, "--resultaat", "1.5")
    assert future.code == 0
    late = cli("dossier", "close", kenmerk, "--date", "2999-01-01")
    assert late.code == 2 and "toekomst" in late.err
    bad = cli("dossier", "close", kenmerk, "--date", "gisteren")
    assert bad.code == 2 and "geen datum" in bad.err
