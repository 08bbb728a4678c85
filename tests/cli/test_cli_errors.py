"""User errors on the command line: exit 2, a short reason, never a traceback; Dutch by default.

Each case runs three times: default locale (Dutch expected), ``--lang en``, and
``LANG=en_US.UTF-8`` (English expected). The Dutch fragments are the texts of
``resources/i18n/nl``; the English ones are the msgids.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from recordsdesk import kenmerk
from tests.cli.conftest import Run, run_cli
from tests.core.samples import write
from tests.core.test_filing_refusals import without_read_override

Cli = Callable[..., Run]


@dataclass(frozen=True)
class Case:
    args: Callable[[str, Path], list[str]]
    dutch: str
    english: str


def _unknown(dossier: str) -> str:
    _kind, station, _rest = dossier.split("-")
    return kenmerk.make("D", station, 31337)


CASES = {
    "unknown-kenmerk": Case(
        lambda d, s: ["dossier", "show", _unknown(d)],
        "Er is geen dossier met kenmerk",
        "No dossier with kenmerk",
    ),
    "invalid-kenmerk": Case(
        lambda d, s: ["dossier", "show", "D-ABC-12"],
        "dit is geen geldig kenmerk",
        "this is not a valid kenmerk",
    ),
    "file-into-unknown-dossier": Case(
        lambda d, s: ["file", str(write(s / "a.txt", b"a\n")), "--dossier", _unknown(d)],
        "Er is geen dossier met kenmerk",
        "No dossier with kenmerk",
    ),
    "missing-path": Case(
        lambda d, s: ["file", str(s / "bestaat-niet.pdf"), "--dossier", d],
        "Bestand niet gevonden: ",
        "File not found: ",
    ),
    "zero-byte-file": Case(
        lambda d, s: ["file", str(write(s / "leeg.txt", b"")), "--dossier", d],
        "Het bestand is leeg: ",
        "The file is empty: ",
    ),
    "directory": Case(
        lambda d, s: ["file", str(s), "--dossier", d],
        "Geen bestand maar een map: ",
        "Not a file but a folder: ",
    ),
    "no-arguments": Case(lambda d, s: [], "verplicht", "required"),
    "unknown-command": Case(lambda d, s: ["archiveer"], "ongeldige keuze", "invalid choice"),
    "file-without-dossier": Case(
        lambda d, s: ["file", str(write(s / "a.txt", b"a\n"))], "verplicht", "required"
    ),
    "file-without-paths": Case(lambda d, s: ["file", "--dossier", d], "verplicht", "required"),
    "blank-title": Case(
        lambda d, s: ["dossier", "create", "--title", "   "],
        "Een titel is verplicht.",
        "A title is required.",
    ),
}

LANGUAGES = {
    "default-dutch": ([], {}),
    "lang-option-en": (["--lang", "en"], {}),
    "LANG-en_US": ([], {"LANG": "en_US.UTF-8"}),
}


def _user_error(run: Run, max_lines: int = 4) -> None:
    assert run.code == 2, (run.code, run.out, run.err)
    assert "Traceback" not in run.out and "Traceback" not in run.err
    assert run.out == ""
    assert 1 <= len(run.err_lines) <= max_lines, run.err


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", CASES)
def test_a_user_error_exits_2_with_a_short_translated_reason(
    cli: Cli, dossier: str, src: Path, case: str, language: str
) -> None:
    options, env = LANGUAGES[language]
    spec = CASES[case]
    run = cli(*options, *spec.args(dossier, src), env=env)
    _user_error(run)
    if language == "default-dutch":
        assert spec.dutch in run.err, run.err
        assert spec.english not in run.err, run.err
    else:
        assert spec.english in run.err, run.err
        assert spec.dutch not in run.err, run.err


def test_an_explicit_dutch_option_beats_an_english_locale(cli: Cli) -> None:
    run = cli("--lang", "nl", "dossier", "show", "D-ABC-12", env={"LANG": "en_US.UTF-8"})
    _user_error(run)
    assert "dit is geen geldig kenmerk" in run.err


def test_a_batch_with_several_bad_paths_lists_each_on_its_own_line(
    cli: Cli, dossier: str, src: Path
) -> None:
    missing, empty = src / "weg.pdf", write(src / "leeg.txt", b"")
    good = write(src / "goed.txt", b"goed\n")
    run = cli("file", str(good), str(missing), str(empty), str(src), "--dossier", dossier)
    _user_error(run, max_lines=4)
    assert "Er is niets gearchiveerd: 3 van de bestanden kan niet worden gebruikt." in run.err
    assert f"Bestand niet gevonden: {missing}" in run.err
    assert f"Het bestand is leeg: {empty}" in run.err
    assert f"Geen bestand maar een map: {src}" in run.err
    shown = cli("dossier", "show", dossier)
    assert "goed.txt" not in shown.out, "nothing may be filed when one path is bad"


def test_the_same_file_twice_names_the_record_that_holds_it(
    cli: Cli, dossier: str, src: Path
) -> None:
    path = write(src / "besluit.txt", b"Besluit\n")
    first = cli("file", str(path), "--dossier", dossier)
    assert first.code == 0, first.err
    record = first.out.split("\t")[0]
    again = cli("file", str(path), "--dossier", dossier)
    _user_error(again)
    assert "dezelfde inhoud zou twee keer in dossier" in again.err
    assert record in again.err


def test_an_unreadable_file_is_a_user_error(cli: Cli, dossier: str, src: Path) -> None:
    secret = write(src / "geheim.txt", b"geheim\n")
    secret.chmod(0)
    run = cli("file", str(secret), "--dossier", dossier, prefix=without_read_override())
    _user_error(run)
    assert f"Geen leesrechten: {secret}" in run.err


def test_a_database_from_a_newer_version_is_a_user_error(cli: Cli, home: Path) -> None:
    assert cli("dossier", "create", "--title", "x").code == 0
    connection = sqlite3.connect(home / "local.sqlite")
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    run = cli("dossier", "list")
    _user_error(run)
    assert "nieuwere versie van RecordsDesk" in run.err and "9999" in run.err


def test_a_file_that_is_not_a_database_is_a_user_error(cli: Cli, home: Path) -> None:
    (home / "local.sqlite").write_bytes(b"geen database\n" * 100)
    run = cli("dossier", "list")
    _user_error(run)
    assert "geen RecordsDesk-database" in run.err
    assert (home / "local.sqlite").read_bytes() == b"geen database\n" * 100


def test_a_home_that_cannot_be_created_is_a_user_error(tmp_path: Path) -> None:
    blocker = write(tmp_path / "een-bestand", b"x")
    run = run_cli(["--home", str(blocker / "home"), "dossier", "list"])
    _user_error(run)
    assert str(blocker / "home") in run.err


def test_names_that_are_not_utf8_work_on_the_command_line(
    cli: Cli, dossier: str, src: Path
) -> None:
    good = os.fsencode(src) + b"/verslag M\xfcller.txt"
    empty = os.fsencode(src) + b"/leeg M\xfcller.txt"
    with open(good, "wb") as handle:
        handle.write(b"inhoud\n")
    with open(empty, "wb"):
        pass
    filed = cli("file", good, "--dossier", dossier)
    assert filed.code == 0, filed.err
    assert "verslag M\ufffdller.txt" in filed.out
    refused = cli("file", empty, "--dossier", dossier)
    _user_error(refused)
    assert "Het bestand is leeg" in refused.err


def test_verify_speaks_dutch_by_default_and_english_on_request(
    cli: Cli, home: Path, dossier: str, src: Path
) -> None:
    path = write(src / "a.txt", b"inhoud\n")
    assert cli("file", str(path), "--dossier", dossier).code == 0
    assert "1 opgeslagen bestanden gecontroleerd; alle intact." in cli("verify").out
    assert "1 stored files checked; all intact." in cli("--lang", "en", "verify").out

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = home / "objects" / sha[:2] / sha[2:4] / sha
    stored.chmod(0o644)
    stored.write_bytes(b"INHOUD\n")
    dutch, english = cli("verify"), cli("verify", env={"LANG": "en_US.UTF-8"})
    assert dutch.code == english.code == 1
    assert f"BESCHADIGD {sha} (controlegetal klopt niet)" in dutch.out
    assert f"DAMAGED {sha} (checksum mismatch)" in english.out
