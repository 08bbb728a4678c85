"""``recordsdesk destruction|transfer``: the list procedure through the real CLI, as the
different people of the four-eyes procedure (``RECORDSDESK_USER``), Dutch by default.

The dossiers are prepared in-process through the services (classified under result 1.5,
V, or 1.1.1, B, and closed on 2024-02-29); the subprocess runs on the real clock, on
which they are long due.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recordsdesk.services import create_dossier, open_workspace
from recordsdesk.services import disposal as lists
from tests.cli.conftest import Run, run_cli
from tests.retention.disposal_support import (
    ARCHIVIST,
    AUTHOR,
    REVIEWER,
    approve_whole,
    closed_dossier,
    people,
)

STRANGER = "karel.kantoor"  # holds no role once roles are granted


def _as(home: Path, user: str, *args: str | Path) -> Run:
    """One CLI run as ``user``; never a traceback, whatever the outcome."""
    done = run_cli(args, env={"RECORDSDESK_HOME": str(home), "RECORDSDESK_USER": user})
    assert "Traceback" not in done.err and "Traceback" not in done.out, done.err
    assert done.code in (0, 2), (done.code, done.err)  # 70 would be an internal error
    return done


def _ok(home: Path, user: str, *args: str | Path) -> Any:
    """A CLI run with ``--json`` that must succeed; returns the parsed output."""
    done = _as(home, user, *args, "--json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def _refused(home: Path, user: str, *args: str | Path) -> str:
    """A CLI run that must be refused as a user error: exit 2, one message, no output."""
    done = _as(home, user, *args)
    assert done.code == 2, (done.out, done.err)
    assert done.err.strip() and not done.out, "a refusal says why, and only that"
    return done.err


def _dossiers(home: Path, tmp_path: Path, count: int, *, nummer: str = "1.5") -> list[str]:
    """``count`` closed, due dossiers with real files; anna, piet and ria get their roles."""
    ws = open_workspace(home)
    try:
        people(ws)
        return [closed_dossier(ws, tmp_path, f"Project {n}", nummer=nummer) for n in range(count)]
    finally:
        ws.close()


def _dossier(home: Path, kenmerk: str) -> Any:
    return _ok(home, AUTHOR, "dossier", "show", kenmerk)


def _files(detail: Any) -> list[Any]:
    return [f for record in detail["records"] for f in record["files"]]


@pytest.fixture
def due(home: Path, tmp_path: Path) -> list[str]:
    """Four destruction candidates (V, due since 2025-02-28) with the three people."""
    return _dossiers(home, tmp_path, 4)


def _to_approval(home: Path, list_id: str) -> None:
    """Take a fresh list through one review without exclusions up to ter_accordering."""
    _ok(home, AUTHOR, "destruction", "submit", list_id, "--reviewer", REVIEWER)
    assert _ok(home, REVIEWER, "destruction", "review", list_id)["state"] == "beoordeeld"
    assert _ok(home, AUTHOR, "destruction", "submit", list_id)["state"] == "ter_accordering"


def test_a_full_destruction_run(home: Path, due: list[str]) -> None:
    one, two, three, four = due
    created = _ok(home, AUTHOR, "destruction", "create", "--name", "VL 2026-01")
    assert (created["state"], created["counts"], created["author"]) == (
        "concept", {"listed": 4}, AUTHOR,
    )  # fmt: skip
    key = created["id"][:8]  # a prefix of the id suffices

    sent = _ok(home, AUTHOR, "destruction", "submit", key, "--reviewer", REVIEWER)
    assert (sent["state"], sent["reviewer"]) == ("ter_beoordeling", REVIEWER)
    back = _ok(
        home, REVIEWER, "destruction", "review", key,
        "--exclude", f"{two}=Loopt nog bezwaar", "--exclude", f"{three}=Woo-verzoek 2026-041",
    )  # fmt: skip
    assert back["state"] == "wijzigingen_gevraagd"
    assert back["counts"] == {"listed": 2, "excluded": 2}
    kept = _ok(home, AUTHOR, "destruction", "decide", two, "--keep", "--reason",
               "Bezwaar is afgehandeld", key)  # fmt: skip
    assert kept["counts"] == {"listed": 2, "kept": 1, "excluded": 1}
    removed = _ok(home, AUTHOR, "destruction", "decide", three, "--remove", key)
    assert removed["counts"] == {"listed": 2, "kept": 1, "removed": 1}

    assert _ok(home, AUTHOR, "destruction", "submit", key)["state"] == "ter_beoordeling"
    assert _ok(home, REVIEWER, "destruction", "review", key)["state"] == "beoordeeld"
    assert _ok(home, AUTHOR, "destruction", "submit", key)["state"] == "ter_accordering"
    # the archivist sends it back once, excluding one more dossier
    rejected = _ok(
        home, ARCHIVIST, "destruction", "reject", key, "--reason", "Eén dossier twijfelachtig",
        "--exclude", f"{four}=Hoort bij een Woo-verzoek",
    )  # fmt: skip
    assert (rejected["state"], rejected["last_reason"]) == (
        "wijzigingen_gevraagd", "Eén dossier twijfelachtig",
    )  # fmt: skip
    assert rejected["counts"] == {"listed": 1, "kept": 1, "removed": 1, "excluded": 1}
    reason = "Woo-besluit is al verzonden"
    _ok(home, AUTHOR, "destruction", "decide", four, "--keep", "--reason", reason, key)
    assert _ok(home, AUTHOR, "destruction", "submit", key)["state"] == "ter_beoordeling"
    assert _ok(home, REVIEWER, "destruction", "review", key)["state"] == "beoordeeld"
    assert _ok(home, AUTHOR, "destruction", "submit", key)["state"] == "ter_accordering"
    approved = _ok(home, ARCHIVIST, "destruction", "approve", key)
    assert approved["state"] == "geaccordeerd" and approved["approved_by"] == ARCHIVIST

    run = _ok(home, AUTHOR, "destruction", "execute", key)
    assert (run["state"], run["done"], run["skipped"]) == ("vernietigd", 3, 0)

    shown = _ok(home, AUTHOR, "destruction", "show", key)
    assert shown["id"] == created["id"] and shown["state"] == "vernietigd"
    assert shown["counts"] == {"destroyed": 3, "removed": 1}
    assert (shown["author"], shown["reviewed_by"], shown["approved_by"], shown["executed_by"]) == (
        AUTHOR, REVIEWER, ARCHIVIST, AUTHOR,
    )  # fmt: skip
    states = {item["kenmerk"]: item["state"] for item in shown["items"]}
    assert states == {one: "destroyed", two: "destroyed", three: "removed", four: "destroyed"}
    notes = {item["kenmerk"]: item["note"] for item in shown["items"]}
    assert (notes[two], notes[four]) == ("Bezwaar is afgehandeld", reason)

    listed = _as(home, AUTHOR, "destruction", "list")
    assert listed.code == 0
    line = next(x for x in listed.out.splitlines() if x.startswith(created["id"][:8]))
    assert "vernietigd" in line and "VL 2026-01" in line
    assert "Geen lijsten." in _as(home, AUTHOR, "transfer", "list").out

    # residual metadata stays, the content is gone; the removed dossier is untouched
    gone = _dossier(home, one)
    assert (gone["status"], gone["title"], _files(gone)) == ("destroyed", "Project 0", [])
    spared = _dossier(home, three)
    assert spared["status"] == "closed" and len(_files(spared)) == 1


def test_unknown_list_id_in_dutch_and_in_english(home: Path, due: list[str]) -> None:
    dutch = _refused(home, AUTHOR, "destruction", "show", "0123456789")
    assert "Geen lijst met id 0123456789." in dutch
    english = _refused(home, AUTHOR, "--lang", "en", "destruction", "approve", "0123456789")
    assert "No list with id 0123456789." in english
    short = _refused(home, AUTHOR, "destruction", "show", "abc")
    assert "geef minstens 6 tekens" in short


def test_approving_your_own_list_is_refused_four_eyes(home: Path, due: list[str]) -> None:
    # anna is made archivist too, so only the four-eyes rule stands in her way
    granted = _as(home, AUTHOR, "role", "grant", AUTHOR, "archivist")
    assert granted.code == 0 and f"{AUTHOR} heeft nu de rol archivist." in granted.out
    key = _ok(home, AUTHOR, "destruction", "create", "--name", "VL eigen")["id"]
    _to_approval(home, key)
    err = _refused(home, AUTHOR, "destruction", "approve", key)
    assert "U hebt deze lijst opgesteld en kunt haar dus niet accorderen (vier ogen)." in err
    english = _refused(home, AUTHOR, "--lang", "en", "destruction", "approve", key)
    assert "You compiled this list, so you cannot approve it (four eyes)." in english
    shown = _ok(home, AUTHOR, "destruction", "show", key)
    assert shown["state"] == "ter_accordering" and shown["approved_by"] is None


def test_four_eyes_hold_in_single_seat_mode(home: Path, tmp_path: Path) -> None:
    """No role granted: one user acts in every role, but never approves their own list."""
    ws = open_workspace(home)
    try:
        kenmerk = closed_dossier(ws, tmp_path, "Enig project")
    finally:
        ws.close()
    assert "eenpersoonsmodus" in _as(home, "solo", "role", "list").out
    key = _ok(home, "solo", "destruction", "create", "--name", "VL solo")["id"]
    own_review = _refused(home, "solo", "destruction", "submit", key, "--reviewer", "solo")
    assert "De opsteller kan de eigen lijst niet beoordelen; noem iemand anders." in own_review
    _ok(home, "solo", "destruction", "submit", key, "--reviewer", REVIEWER)
    _ok(home, REVIEWER, "destruction", "review", key)
    _ok(home, "solo", "destruction", "submit", key)
    assert "(vier ogen)" in _refused(home, "solo", "destruction", "approve", key)
    assert _ok(home, ARCHIVIST, "destruction", "approve", key)["state"] == "geaccordeerd"
    assert _ok(home, "solo", "destruction", "execute", key)["state"] == "vernietigd"
    assert _dossier(home, kenmerk)["status"] == "destroyed"


def test_executing_an_unapproved_list_is_refused(home: Path, due: list[str]) -> None:
    key = _ok(home, AUTHOR, "destruction", "create", "--name", "VL te vroeg")["id"]
    err = _refused(home, AUTHOR, "destruction", "execute", key)
    assert "De lijst VL te vroeg is concept; alleen een geaccordeerde lijst kan worden" in err
    _to_approval(home, key)
    later = _refused(home, AUTHOR, "destruction", "execute", key)
    assert "is ter_accordering; alleen een geaccordeerde lijst" in later
    for kenmerk in due:  # nothing was destroyed
        detail = _dossier(home, kenmerk)
        assert detail["status"] == "closed" and len(_files(detail)) == 1
    shown = _ok(home, AUTHOR, "destruction", "show", key)
    assert shown["state"] == "ter_accordering" and shown["executed_by"] is None


def test_execute_honours_if_version(home: Path, tmp_path: Path) -> None:
    """``execute`` offers ``--if-version`` ("refuse if the list changed since you saw
    version N"); a stale N must refuse the irreversible step, not be ignored."""
    ws = open_workspace(home)
    try:
        people(ws)
        kenmerk = closed_dossier(ws, tmp_path, "Project versie")
        ws.actor = AUTHOR
        key = lists.create_list(ws, kind=lists.DESTRUCTION, name="VL uitvoeren").id
        seen = lists.show(ws, key).version  # what the executor looked at, before approval
        approve_whole(ws, key)
        now = lists.show(ws, key).version
    finally:
        ws.close()
    assert now > seen
    err = _refused(home, AUTHOR, "destruction", "execute", key, "--if-version", str(seen))
    assert "is intussen door iemand anders gewijzigd" in err
    detail = _dossier(home, kenmerk)
    assert detail["status"] == "closed" and len(_files(detail)) == 1, "nothing was destroyed"
    done = _ok(home, AUTHOR, "destruction", "execute", key, "--if-version", str(now))
    assert done["state"] == "vernietigd"


def test_a_user_without_the_role_may_not_compile_classify_or_close(
    home: Path, due: list[str]
) -> None:
    ws = open_workspace(home)
    try:
        ws.actor = AUTHOR
        open_one = create_dossier(ws, "Nog open dossier").kenmerk
    finally:
        ws.close()
    needs = f"{STRANGER} mag dit niet doen: daarvoor is de rol records_manager nodig."
    assert needs in _refused(home, STRANGER, "destruction", "create", "--name", "VL karel")
    assert "Geen lijsten." in _as(home, STRANGER, "destruction", "list").out
    classify = ("dossier", "classify", open_one, "--resultaat", "1.5")
    assert needs in _refused(home, STRANGER, *classify)
    assert needs in _refused(home, STRANGER, "dossier", "close", due[0], "--date", "2024-03-01")
    assert _dossier(home, open_one)["status"] == "open"
    # the records manager may
    assert _as(home, AUTHOR, *classify).code == 0
    # and a process owner is no records manager either
    err = _refused(home, REVIEWER, "destruction", "create", "--name", "VL piet")
    assert "daarvoor is de rol records_manager nodig" in err


def test_an_exclusion_without_a_reason_is_refused(home: Path, due: list[str]) -> None:
    key = _ok(home, AUTHOR, "destruction", "create", "--name", "VL uitzondering")["id"]
    _ok(home, AUTHOR, "destruction", "submit", key, "--reviewer", REVIEWER)
    before = _ok(home, REVIEWER, "destruction", "show", key)
    for bad in (due[0], f"{due[0]}=", f"={due[0]}"):
        err = _refused(home, REVIEWER, "destruction", "review", key, "--exclude", bad)
        assert f"schrijf een uitzondering als KENMERK=REDEN: {bad}" in err
    english = _as(home, REVIEWER, "--lang", "en", "destruction", "review", key, "--exclude", "x")
    assert english.code == 2 and "write an exclusion as KENMERK=REASON: x" in english.err
    after = _ok(home, REVIEWER, "destruction", "show", key)
    assert (after["state"], after["version"], after["counts"]) == (
        "ter_beoordeling", before["version"], {"listed": 4},
    )  # fmt: skip


def test_a_stale_version_is_refused_and_the_current_one_works(home: Path, due: list[str]) -> None:
    key = _ok(home, AUTHOR, "destruction", "create", "--name", "VL versie")["id"]
    seen = _ok(home, AUTHOR, "destruction", "show", key)["version"]
    # meanwhile (another window) the author takes one dossier off the concept
    changed = _ok(home, AUTHOR, "destruction", "decide", due[0], "--remove", key)
    assert changed["version"] > seen
    err = _refused(home, AUTHOR, "destruction", "submit", key, "--reviewer", REVIEWER,
                   "--if-version", str(seen))  # fmt: skip
    assert "is intussen door iemand anders gewijzigd" in err
    assert f"versie {changed['version']}, u zag {seen}" in err
    unchanged = _ok(home, AUTHOR, "destruction", "show", key)
    assert (unchanged["state"], unchanged["reviewer"]) == ("concept", None)
    assert unchanged["version"] == changed["version"]
    sent = _ok(home, AUTHOR, "destruction", "submit", key, "--reviewer", REVIEWER,
               "--if-version", str(changed["version"]))  # fmt: skip
    assert sent["state"] == "ter_beoordeling" and sent["counts"] == {"listed": 3, "removed": 1}
    # the reviewer's verdict on an old version is refused as well: no lost update
    err = _refused(home, REVIEWER, "destruction", "review", key, "--exclude", f"{due[1]}=twijfel",
                   "--if-version", str(seen))  # fmt: skip
    assert "is intussen door iemand anders gewijzigd" in err
    assert _ok(home, REVIEWER, "destruction", "show", key)["counts"] == {"listed": 3, "removed": 1}


def test_abort_then_create_again(home: Path, due: list[str]) -> None:
    first = _ok(home, AUTHOR, "destruction", "create", "--name", "VL eerste")
    # everything due is on the first list, so a second one has nothing to take
    busy = _refused(home, AUTHOR, "destruction", "create", "--name", "VL dubbel")
    assert "is niets aan de beurt voor dit soort lijst; er is geen lijst gemaakt" in busy
    aborted = _ok(home, AUTHOR, "destruction", "abort", first["id"], "--reason", "Verkeerde naam")
    assert (aborted["state"], aborted["last_reason"]) == ("afgebroken", "Verkeerde naam")
    again = _refused(home, AUTHOR, "destruction", "abort", first["id"], "--reason", "nogmaals")
    assert "is afgebroken; deze stap is in die toestand niet mogelijk" in again
    second = _ok(home, AUTHOR, "destruction", "create", "--name", "VL tweede")
    assert second["id"] != first["id"] and second["counts"] == {"listed": 4}
    listed = _as(home, AUTHOR, "destruction", "list").out
    assert "afgebroken" in listed and "VL eerste" in listed
    assert "concept" in listed and "VL tweede" in listed


def _transfer_due(home: Path, tmp_path: Path, count: int) -> list[str]:
    """``count`` B dossiers due for transfer: the transfer term (a setting) is shortened
    to one year through the CLI before they are closed on 2024-02-29."""
    term = _as(home, AUTHOR, "settings", "set", "retention.overbrengingstermijn", "P1Y")
    assert term.code == 0, term.err
    return _dossiers(home, tmp_path, count, nummer="1.1.1")


def _approved_transfer(home: Path, name: str) -> str:
    key: str = _ok(home, AUTHOR, "transfer", "create", "--name", name)["id"]
    _ok(home, AUTHOR, "transfer", "submit", key, "--reviewer", REVIEWER)
    assert _ok(home, REVIEWER, "transfer", "review", key)["state"] == "beoordeeld"
    _ok(home, AUTHOR, "transfer", "submit", key)
    assert "de rol archivist nodig" in _refused(home, AUTHOR, "transfer", "approve", key)
    assert _ok(home, ARCHIVIST, "transfer", "approve", key)["state"] == "geaccordeerd"
    return key


def test_a_transfer_list_is_approved_executed_and_confirmed(home: Path, tmp_path: Path) -> None:
    first, second, held = _transfer_due(home, tmp_path, 3)
    assert _dossier(home, first)["waardering"] == "B"
    nothing = _refused(home, AUTHOR, "destruction", "create", "--name", "VL geen V")
    assert "is niets aan de beurt voor dit soort lijst" in nothing, "B is never destroyed"

    created = _ok(home, AUTHOR, "transfer", "create", "--name", "OL 2026-01")
    assert (created["kind"], created["counts"]) == ("transfer", {"listed": 3})
    key = created["id"]
    wrong = _refused(home, ARCHIVIST, "destruction", "approve", key)
    assert "OL 2026-01 is een ander soort lijst" in wrong
    early = _refused(home, AUTHOR, "transfer", "confirm", key, "--reference", "NA-2026-77")
    assert "alleen een uitgevoerde overbrenging kan worden bevestigd" in early
    aborted = _ok(home, AUTHOR, "transfer", "abort", key, "--reason", "Opnieuw opstellen")
    assert aborted["state"] == "afgebroken"
    key = _approved_transfer(home, "OL 2026-02")

    # a legal hold placed after approval: that dossier must stay where it is
    hold = _as(home, AUTHOR, "hold", "place", held, "--reason", "Woo-verzoek 2026-041")
    assert hold.code == 0, hold.err
    no_out = _as(home, AUTHOR, "transfer", "execute", key)
    assert no_out.code == 2 and "--out" in no_out.err
    out = tmp_path / "edepot"
    out.mkdir()
    run = _ok(home, AUTHOR, "transfer", "execute", key, "--out", out)
    assert (run["state"], run["done"], run["skipped"]) == ("uitgevoerd", 2, 1)
    package = Path(run["package"])
    assert package.is_dir() and package.parent == out
    assert (package / "bagit.txt").is_file()
    assert {p.name for p in (package / "data").iterdir()} == {first, second}
    for kenmerk in (first, second):
        detail = _dossier(home, kenmerk)
        assert detail["status"] == "transferred"
        assert len(_files(detail)) == 1, "content is kept until the archive confirms"
    shown = _as(home, AUTHOR, "transfer", "show", key)
    assert f"{held}\tovergeslagen" in shown.out and "onder bewaarplicht" in shown.out

    confirmed = _ok(home, AUTHOR, "transfer", "confirm", key, "--reference", "NA-2026-77")
    assert confirmed["state"] == "overgebracht"
    assert confirmed["counts"] == {"transferred": 2, "skipped": 1}
    for kenmerk in (first, second):
        detail = _dossier(home, kenmerk)
        assert detail["status"] == "transferred" and _files(detail) == []
    survivor = _dossier(home, held)
    assert survivor["status"] == "closed" and len(_files(survivor)) == 1
    assert (package / "bagit.txt").is_file(), "the delivered package is not touched"
    listed = _as(home, AUTHOR, "transfer", "list").out
    assert "overgebracht" in listed and "OL 2026-02" in listed and "afgebroken" in listed


def test_transfer_execute_names_the_package_without_json(home: Path, tmp_path: Path) -> None:
    """Without ``--json`` the operator must still learn where the SIP was written (as
    ``recordsdesk export sip`` says it)."""
    (kenmerk,) = _transfer_due(home, tmp_path, 1)
    key = _approved_transfer(home, "OL tekst")
    out = tmp_path / "edepot"
    run = _as(home, AUTHOR, "transfer", "execute", key, "--out", out)
    assert run.code == 0, run.err
    assert "uitgevoerd" in run.out
    (package,) = out.iterdir()
    assert (package / "bagit.txt").is_file() and _dossier(home, kenmerk)["status"] == "transferred"
    assert str(package) in run.out, "the text output names the package folder"
