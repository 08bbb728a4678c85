"""``recordsdesk woo``: a request from registration to besluit through the real CLI,
Dutch by default, English on request; refusals exit 2 and change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run

Cli = Callable[..., Run]


def _filed(cli: Cli, src: Path, title: str, *texts: str) -> tuple[str, list[str]]:
    kenmerk = cli("dossier", "create", "--title", title).out.strip()
    paths = []
    for n, text in enumerate(texts):
        path = src / f"{title.replace(' ', '-')}-{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    done = cli("file", "--dossier", kenmerk, *paths, "--json")
    assert done.code == 0, done.err
    return kenmerk, [r["kenmerk"] for r in json.loads(done.out)["records"]]


def test_a_request_from_registration_to_besluit(cli: Cli, src: Path) -> None:
    dossier, records = _filed(cli, src, "Bouw Coolsingel", "aanvraag", "advies")
    made = cli("woo", "request", "create", "2026-041", "--onderwerp", "Coolsingel 40",
               "--ontvangen", "2026-11-02", "--json")  # fmt: skip
    assert made.code == 0, made.err
    assert json.loads(made.out)["besluit_uiterlijk"] == "2026-11-30"
    added = cli("woo", "request", "add", "2026-041", dossier)
    assert added.code == 0 and f"toegevoegd aan de reikwijdte van 2026-041: {dossier}" in added.out
    assert "bewaarplichten opgelegd: 1" in added.out
    assert "Woo-verzoek 2026-041: Coolsingel 40" in cli("hold", "list", dossier).out
    again = cli("woo", "request", "add", "2026-041", dossier)
    assert again.code == 0 and "al in de reikwijdte" in again.out
    early = cli("woo", "request", "close", "2026-041", "--besluit", "openbaarmaking")
    assert early.code == 2 and "nog niet beoordeeld" in early.err
    first = cli("woo", "assess", "2026-041", records[0], "deels openbaar",
                "--gronden", "5.1.2E, 5.1.1c", "--toelichting", "Namen weggelakt")  # fmt: skip
    assert first.code == 0 and "deels_openbaar 5.1.1c; 5.1.2e" in first.out
    second = cli("woo", "assess", "2026-041", records[1], "openbaar")
    assert second.code == 0, second.err
    shown = json.loads(cli("woo", "request", "show", "2026-041", "--json").out)
    assert shown["documents"] == 2 and shown["unassessed"] == 0
    assert [a["kenmerk"] for a in shown["assessments"]] == sorted(records)
    assert shown["scope"][0]["kenmerk"] == dossier
    text = cli("woo", "request", "show", "2026-041")
    assert "documenten in de reikwijdte: 2, nog niet beoordeeld: 0" in text.out
    closed = cli("woo", "request", "close", "2026-041", "--besluit", "gedeeltelijke openbaarmaking")
    assert closed.code == 0 and "afgesloten (gedeeltelijke_openbaarmaking)" in closed.out
    assert "Geen bewaarplichten." in cli("hold", "list", dossier).out
    listed = cli("woo", "request", "list", "--json")
    assert [(r["nummer"], r["status"]) for r in json.loads(listed.out)] == [("2026-041", "closed")]


def test_categories_and_grounds(cli: Cli, src: Path) -> None:
    _dossier, [record] = _filed(cli, src, "Haven", "convenant")
    done = cli("woo", "category", record, "convenanten")
    assert done.code == 0 and "Woo-informatiecategorie convenant" in done.out
    as_json = json.loads(cli("woo", "category", record, "3.3 lid 2 sub e", "--json").out)
    assert as_json["new"].endswith("c_99a836c7") and as_json["old"].endswith("c_8fc2335c")
    grounds = cli("woo", "gronden")
    assert grounds.code == 0 and "5.1.2e\tWoo art. 5.1 lid 2 sub e" in grounds.out
    assert "(absoluut)" in grounds.out and "(belangenafweging)" in grounds.out
    english = cli("--lang", "en", "woo", "gronden")
    assert "(weighing of interests)" in english.out
    assert len(json.loads(cli("woo", "gronden", "--json").out)) == 17


def test_bad_input_exits_2_with_a_clear_message_and_changes_nothing(cli: Cli, src: Path) -> None:
    dossier, [record] = _filed(cli, src, "Haven", "stuk")
    assert cli("woo", "request", "create", "2026-7", "--onderwerp", "Haven",
               "--ontvangen", "2026-11-20").code == 0  # fmt: skip
    cases = [
        (
            (
                "woo",
                "request",
                "create",
                "2026-7",
                "--onderwerp",
                "Nog eens",
                "--ontvangen",
                "2026-11-20",
            ),
            "bestaat al een Woo-verzoek",
        ),
        (
            ("woo", "request", "create", "2026-8", "--onderwerp", "x", "--ontvangen", "20-11-2026"),
            "geen datum",
        ),
        (("woo", "request", "add", "2026-7", dossier, "D-ZZZZZZ-11"), "niets aan de reikwijdte"),
        (("woo", "request", "add", "2099-1", dossier), "Geen Woo-verzoek met nummer 2099-1"),
        (("woo", "assess", "2026-7", record, "openbaar"), "valt niet onder de reikwijdte"),
        (("woo", "request", "remove", "2026-7", dossier), "valt niet onder de reikwijdte"),
        (("woo", "category", record, "recepten"), "Onbekende Woo-informatiecategorie"),
        (("woo", "request", "close", "2026-7", "--besluit", "misschien"), "Onbekend besluit"),
    ]
    for args, message in cases:
        refused = cli(*args)
        assert refused.code == 2, (args, refused.out, refused.err)
        assert message in refused.err and "Traceback" not in refused.err, (args, refused.err)
    shown = json.loads(cli("woo", "request", "show", "2026-7", "--json").out)
    assert shown["scope"] == [] and shown["status"] == "open"
    assert "Geen bewaarplichten." in cli("hold", "list", dossier).out
    cli("woo", "request", "add", "2026-7", dossier)
    bad_grounds = cli("woo", "assess", "2026-7", record, "niet openbaar", "--gronden", "10.2e")
    assert bad_grounds.code == 2 and "Onbekende weigeringsgrond: 10.2e" in bad_grounds.err
    assert "5.1.1a" in bad_grounds.err
    english = cli("--lang", "en", "woo", "assess", "2026-7", record, "niet openbaar")
    assert english.code == 2 and "needs the weigeringsgronden" in english.err
    removed = cli("woo", "request", "remove", "2026-7", dossier)
    assert removed.code == 0 and "bewaarplichten opgelegd: 0, opgeheven: 1" in removed.out
