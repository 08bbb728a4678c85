"""``recordsdesk search --facets/--filter/--from/--to`` and ``recordsdesk saved-search``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from recordsdesk.services import open_workspace
from tests.cli.conftest import Run
from tests.search.records import day, dossier, file_text, set_columns

Cli = Callable[..., Run]


def _filed(home: Path, tmp_path: Path) -> tuple[str, str, str]:
    """A dossier with two records about a playground, one appraised B in 2022 (setup)."""
    ws = open_workspace(home)
    try:
        d = dossier(ws, "Speeltuin Oosterpark")
        kept = file_text(ws, tmp_path, d, "besluit", "Besluit over de speeltuin.")
        other = file_text(ws, tmp_path, d, "aanvraag", "Aanvraag voor een speeltuin.")
        set_columns(ws, kept, waardering="B", dekking_begin=day("2022-05-01"))
        return d, kept, other
    finally:
        ws.close()


def hits(run: Run) -> set[str]:
    assert run.code == 0, run.err
    return {r["kenmerk"] for r in json.loads(run.out)["results"]}


def test_facets_in_json_and_text(cli: Cli, home: Path, tmp_path: Path) -> None:
    _filed(home, tmp_path)
    run = cli("search", "speeltuin", "--facets", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["hidden"] == 0
    waardering = data["facets"]["waardering"]
    assert waardering["name"] == "Waardering"
    assert {v["value"]: v["count"] for v in waardering["values"]} == {"B": 1, "N": 2}
    assert {v["value"]: v["count"] for v in data["facets"]["documentjaar"]["values"]}["2022"] == 1
    text = cli("search", "speeltuin", "--facets", "--top", "1")
    assert text.code == 0, text.err
    assert "Waardering (waardering)" in text.out
    assert "Nader te bepalen  [waardering=N]" in text.out  # N 2 before B 1; B left out
    assert "Blijvend te bewaren" not in text.out
    assert "… en 1 waarden meer" in text.out


def test_filters_and_dates_narrow_the_results(cli: Cli, home: Path, tmp_path: Path) -> None:
    d, kept, other = _filed(home, tmp_path)
    assert hits(cli("search", "speeltuin", "--json", "--filter", "waardering=B")) == {kept}
    assert hits(cli("search", "speeltuin", "--json", "--filter", "documentjaar=2022")) == {kept}
    both = ("--filter", "aggregatieniveau=Archiefstuk", "--filter", f"dossier={d}")
    assert hits(cli("search", "speeltuin", "--json", *both)) == {kept, other}
    window = ("--from", "2022", "--to", "2022-06")
    assert hits(cli("search", "speeltuin", "--json", *window)) == {kept}
    filed = ("--datum-soort", "archivering", "--to", "2022")  # everything was filed today
    assert hits(cli("search", "speeltuin", "--json", *filed)) == set()
    assert hits(cli("search", "speeltuin", "--json", "--datum-soort", "archivering",
                    "--from", "2022")) == {d, kept, other}  # fmt: skip


def test_bad_filters_exit_2_with_a_message(cli: Cli, home: Path, tmp_path: Path) -> None:
    _filed(home, tmp_path)
    for args, words in (
        (("--filter", "waardering"), "FACET=WAARDE"),
        (("--filter", "kleur=rood"), "kleur"),
        (("--filter", "documentjaar=vorig"), "jaartal"),
        (("--filter", "waardering=X"), "waardering"),
        (("--from", "gisteren"), "gisteren"),
        (("--from", "2024", "--to", "2023"), "--to"),
    ):
        run = cli("search", "speeltuin", *args)
        assert run.code == 2, (args, run.out, run.err)
        assert words in run.err and "Traceback" not in run.err, (args, run.err)


def test_saved_searches_round_trip(cli: Cli, home: Path, tmp_path: Path) -> None:
    _d, kept, _other = _filed(home, tmp_path)
    saved = cli("saved-search", "save", "Speeltuin B", "speeltuin", "--filter", "waardering=B")
    assert (saved.code, saved.out.strip()) == (0, "Opgeslagen: Speeltuin B"), saved.err
    listed = cli("saved-search", "list", "--json")
    [item] = json.loads(listed.out)
    assert (item["name"], item["query"], item["filters"]) == (
        "Speeltuin B",
        "speeltuin",
        {"waardering": "B"},
    )
    assert cli("saved-search", "list").out.strip() == "Speeltuin B\tspeeltuin\twaardering=B"
    ran = cli("saved-search", "run", "speeltuin b", "--json", "--facets")
    assert hits(ran) == {kept}
    assert json.loads(ran.out)["saved_search"] == "Speeltuin B"
    again = cli("saved-search", "save", "SPEELTUIN B", "iets")
    assert again.code == 2 and "Speeltuin B" in again.err and "verwijder" in again.err
    assert cli("search", "saved").out.strip() == "Niets gevonden."  # a plain query still
    gone = cli("saved-search", "forget", "Speeltuin B")
    assert (gone.code, gone.out.strip()) == (0, "Verwijderd: Speeltuin B")
    assert cli("saved-search", "list").out.strip() == "Geen opgeslagen zoekopdrachten."
    missing = cli("saved-search", "run", "Speeltuin B")
    assert missing.code != 0 and "Speeltuin B" in missing.err and "Traceback" not in missing.err
