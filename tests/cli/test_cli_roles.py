"""``recordsdesk role grant|revoke|list`` through the real CLI, as different people
(``RECORDSDESK_USER``), Dutch by default."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run, run_cli

ADMIN, ANNA, PIET = "beheer.bart", "anna.records", "piet.proces"


def _as(home: Path, user: str, *args: str) -> Run:
    """One CLI run as ``user``; never a traceback, never an internal error."""
    done = run_cli(args, env={"RECORDSDESK_HOME": str(home), "RECORDSDESK_USER": user})
    assert "Traceback" not in done.err and "Traceback" not in done.out, done.err
    assert done.code in (0, 2), (done.code, done.err)
    return done


def _grants(home: Path) -> set[tuple[str, str]]:
    done = _as(home, ADMIN, "role", "list", "--json")
    assert done.code == 0, done.err
    return {(g["user"], g["role"]) for g in json.loads(done.out)}


def test_single_seat_mode_is_reported(home: Path) -> None:
    listed = _as(home, ANNA, "role", "list")
    assert listed.code == 0 and listed.err == ""
    assert "Geen rollen toegekend: eenpersoonsmodus, de ene gebruiker handelt in elke rol." in (
        listed.out
    )
    english = _as(home, ANNA, "--lang", "en", "role", "list")
    assert "No roles granted: single-seat mode" in english.out
    assert _grants(home) == set()


def test_the_first_grant_makes_its_giver_admin(home: Path) -> None:
    made = _as(home, ADMIN, "role", "grant", ANNA, "records-manager")
    assert made.code == 0, made.err
    assert made.out.splitlines() == [
        f"{ADMIN} heeft nu de rol admin.",
        f"{ANNA} heeft nu de rol records_manager.",
    ]
    assert _grants(home) == {(ADMIN, "admin"), (ANNA, "records_manager")}
    listed = _as(home, ANNA, "role", "list")
    assert f"{ANNA}\trecords_manager\t{ADMIN}" in listed.out
    assert "eenpersoonsmodus" not in listed.out
    again = _as(home, ADMIN, "role", "grant", ANNA, "records_manager")
    assert again.code == 0 and _grants(home) == {(ADMIN, "admin"), (ANNA, "records_manager")}


def test_only_an_admin_grants_and_revokes(home: Path) -> None:
    assert _as(home, ADMIN, "role", "grant", ANNA, "records_manager").code == 0
    grant = _as(home, ANNA, "role", "grant", PIET, "archivist")
    assert grant.code == 2
    assert f"{ANNA} mag dit niet doen: daarvoor is de rol admin nodig." in grant.err
    revoke = _as(home, ANNA, "role", "revoke", ADMIN, "admin")
    assert revoke.code == 2 and "daarvoor is de rol admin nodig" in revoke.err
    assert _grants(home) == {(ADMIN, "admin"), (ANNA, "records_manager")}


def test_revoking_the_last_admin_is_refused(home: Path) -> None:
    assert _as(home, ADMIN, "role", "grant", ANNA, "admin").code == 0
    assert _grants(home) == {(ADMIN, "admin"), (ANNA, "admin")}
    gone = _as(home, ADMIN, "role", "revoke", ANNA, "admin")
    assert gone.code == 0 and f"{ANNA} heeft de rol admin niet meer." in gone.out
    last = _as(home, ADMIN, "role", "revoke", ADMIN, "admin")
    assert last.code == 2 and last.out == ""
    assert "De laatste beheerder kan niet worden verwijderd." in last.err
    english = _as(home, ADMIN, "--lang", "en", "role", "revoke", ADMIN, "admin")
    assert english.code == 2 and "The last administrator cannot be removed." in english.err
    assert _grants(home) == {(ADMIN, "admin")}


def test_bad_roles_and_users_are_refused(home: Path) -> None:
    unknown = _as(home, ADMIN, "role", "grant", ANNA, "baas")
    assert unknown.code == 2 and "baas is geen rol" in unknown.err
    assert "records_manager" in unknown.err, "the message names the roles to choose from"
    blank = _as(home, ADMIN, "role", "grant", "  ", "archivist")
    assert blank.code == 2 and "Geef een gebruikersnaam" in blank.err
    assert _grants(home) == set(), "a refused grant does not leave single-seat mode"
    assert _as(home, ADMIN, "role", "grant", ANNA, "archivist").code == 0
    missing = _as(home, ADMIN, "role", "revoke", PIET, "archivist")
    assert missing.code == 2 and f"{PIET} heeft de rol archivist niet" in missing.err
