"""``recordsdesk hold``: place, list and lift through the real CLI, Dutch by default."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.cli.conftest import Run

Cli = Callable[..., Run]


def test_place_list_and_lift(cli: Cli) -> None:
    kenmerk = cli("dossier", "create", "--title", "Bezwaar WOZ").out.strip()
    placed = cli("hold", "place", kenmerk, "--reason", "Woo-verzoek 2026-041", "--json")
    assert placed.code == 0, placed.err
    hold = json.loads(placed.out)
    assert (
        hold["kenmerk"] == kenmerk and hold["active"] and hold["reason"] == "Woo-verzoek 2026-041"
    )
    listed = cli("hold", "list", kenmerk)
    assert listed.code == 0 and hold["id"] in listed.out and "actief" in listed.out
    lifted = cli("hold", "lift", hold["id"], "--reason", "Besluit verzonden")
    assert lifted.code == 0 and "opgeheven" in lifted.out
    assert "Geen bewaarplichten." in cli("hold", "list", kenmerk).out
    assert hold["id"] in cli("hold", "list", kenmerk, "--all").out


def test_refusals_exit_2_with_a_dutch_message(cli: Cli) -> None:
    kenmerk = cli("dossier", "create", "--title", "Bezwaar WOZ").out.strip()
    blank = cli("hold", "place", kenmerk, "--reason", " ")
    assert blank.code == 2 and "reden nodig" in blank.err and "Traceback" not in blank.err
    unknown = cli("hold", "lift", "geen-id", "--reason", "x")
    assert unknown.code == 2 and "geen bewaarplicht" in unknown.err.lower()
