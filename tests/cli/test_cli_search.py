"""``recordsdesk search``: grouped text output, the JSON contract, and refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from recordsdesk.cli import build_parser
from recordsdesk.services import open_workspace
from tests.cli.conftest import Run
from tests.search.records import dossier, file_text

Cli = Callable[..., Run]


def _filed(home: Path, tmp_path: Path) -> tuple[str, str, str]:
    """A dossier with two records whose extracted text mentions a playground (setup)."""
    ws = open_workspace(home)
    try:
        d = dossier(ws, "Speeltuin Oosterpark")
        first = file_text(ws, tmp_path, d, "aanvraag", "Aanvraag voor een nieuwe speeltuin.")
        second = file_text(ws, tmp_path, d, "besluit", "De speeltuinen worden vernieuwd.")
        return d, first, second
    finally:
        ws.close()


def test_text_output_shows_each_dossier_with_its_hits(cli: Cli, home: Path, tmp_path: Path) -> None:
    d, first, second = _filed(home, tmp_path)
    run = cli("search", "speeltuin")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == "3 treffers in 1 dossiers (pagina 1)."
    assert f"{d}  Speeltuin Oosterpark  (3)" in lines
    assert any(line.strip().startswith(first) for line in lines)
    assert any(line.strip().startswith(second) for line in lines)
    assert "«speeltuin»" in run.out
    assert run.err == ""

    nothing = cli("search", "zwembad")
    assert (nothing.code, nothing.out.strip()) == (0, "Niets gevonden.")


def test_json_output_has_groups_and_flat_results(cli: Cli, home: Path, tmp_path: Path) -> None:
    d, first, second = _filed(home, tmp_path)
    run = cli("search", "speeltuinen", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert (data["total"], data["pending"], data["dossiers"]) == (3, 0, 1)
    [group] = data["groups"]
    assert (group["dossier"], group["naam"], group["hit_count"]) == (d, "Speeltuin Oosterpark", 3)
    assert {h["kenmerk"] for h in group["hits"]} == {d, first, second}
    assert {r["kenmerk"] for r in data["results"]} == {d, first, second}
    for result in data["results"]:
        assert set(result) >= {"dossier", "kenmerk", "title", "snippet", "score"}
        assert result["dossier"] == d
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_a_malformed_query_exits_2_with_the_message_and_no_traceback(cli: Cli) -> None:
    run = cli("search", '"niet gesloten')
    assert run.code == 2
    assert "aanhalingsteken" in run.err.lower() or "quotation" in run.err.lower()
    assert "Traceback" not in run.out + run.err
    english = cli("--lang", "en", "search", "--", "-alleen")  # -- : a query may start with -
    assert english.code == 2 and "only excludes" in english.err
    assert "Traceback" not in english.err


def test_paging_through_dossiers(cli: Cli, home: Path, tmp_path: Path) -> None:
    ws = open_workspace(home)
    try:
        kenmerken = {dossier(ws, f"Fietspad {n}") for n in range(3)}
    finally:
        ws.close()
    runs = [cli("search", "fietspad", "--json", "--page-size", "2", "--page", n) for n in "12"]
    pages = [json.loads(run.out) for run in runs]
    assert [len(p["groups"]) for p in pages] == [2, 1]
    assert {g["dossier"] for p in pages for g in p["groups"]} == kenmerken


def test_central_is_accepted_after_the_verb_and_before_it() -> None:
    parser = build_parser()
    assert parser.parse_args(["search", "--central", "woo"]).in_central is True
    assert parser.parse_args(["--central", "search", "woo"]).in_central is True
    assert parser.parse_args(["search", "woo"]).in_central is False
