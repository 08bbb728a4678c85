"""The intake verbs of the real command line, in subprocesses, on the home's SQLite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from recordsdesk.intake import inbox
from recordsdesk.services import create_dossier, open_workspace, show_dossier
from tests.cli.conftest import LANGUAGE_VARIABLES, Run, run_cli
from tests.core.samples import pdf_bytes, write

REPO = Path(__file__).resolve().parents[2]
Cli = Callable[..., Run]


@pytest.fixture
def cli(home: Path) -> Cli:
    def run(*args: str | Path) -> Run:
        return run_cli(args, env={"RECORDSDESK_HOME": str(home)})

    return run


@pytest.fixture
def dossier(home: Path) -> str:
    ws = open_workspace(home)
    try:
        return create_dossier(ws, "Inkomende post").kenmerk
    finally:
        ws.close()


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "scanner"
    folder.mkdir()
    return folder


def ok(run: Run) -> Run:
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run


def inbox_json(cli: Cli, *extra: str) -> list[dict[str, object]]:
    listed = json.loads(ok(cli("inbox", "list", "--json", *extra)).out)
    assert isinstance(listed, list)
    return listed


def test_dropfolder_add_list_remove(cli: Cli, drop: Path, dossier: str) -> None:
    added = json.loads(
        ok(
            cli("dropfolder", "add", drop, "--after", "keep", "--dossier", dossier,
                "--document-type", "Brief", "--woo-category", "3.3 lid 2 sub f",
                "--ignore", "*.bak", "--json")
        ).out
    )  # fmt: skip
    assert added == {
        "id": added["id"],
        "path": str(drop.resolve()),
        "dossier": dossier,
        "recursive": False,
        "polling": False,
        "after": "keep",
        "document_type": "Brief",
        "woo_category": "https://identifier.overheid.nl/tooi/def/thes/kern/c_8fc2335c",
        "ignore": ["*.bak"],
        "scan_profile": None,  # not a scanner's folder
    }
    assert json.loads(ok(cli("dropfolder", "list", "--json")).out) == [added]

    again = cli("dropfolder", "add", drop)
    assert again.code == 2 and again.out == ""
    assert str(drop.resolve()) in again.err and "Traceback" not in again.err
    assert len(json.loads(ok(cli("dropfolder", "list", "--json")).out)) == 1

    unknown = cli("dropfolder", "add", drop.parent, "--woo-category", "recepten")
    assert unknown.code == 2 and "recepten" in unknown.err and "Traceback" not in unknown.err

    not_a_folder = write(drop.parent / "los.txt", b"x")
    for bad in (not_a_folder, drop.parent / "bestaat-niet"):
        refused = cli("dropfolder", "add", bad)
        assert refused.code == 2, refused
        assert bad.name in refused.err and "Traceback" not in refused.err

    ok(cli("dropfolder", "remove", drop))
    assert json.loads(ok(cli("dropfolder", "list", "--json")).out) == []
    gone = cli("dropfolder", "remove", drop)
    assert gone.code != 0 and "Traceback" not in gone.err
    # and it can be added again after removal
    assert json.loads(ok(cli("dropfolder", "add", drop, "--json")).out)["after"] == "move"


def test_watch_once_then_inbox_list_file_and_discard(cli: Cli, drop: Path, dossier: str) -> None:
    write(drop / "besluit.pdf", pdf_bytes("besluit"))
    write(drop / "brief.txt", b"Geachte mevrouw,\n")
    write(drop / "reclame.txt", b"Aanbieding!\n")
    (drop / "leeg.txt").write_bytes(b"")
    ok(cli("dropfolder", "add", drop))

    ok(cli("watch", "--once", "--quiet-period", "0"))

    listed = inbox_json(cli)
    for item in listed:
        assert {"id", "state", "name", "source", "sha256", "reason"} <= set(item)
    by_name = {item["name"]: item for item in listed}
    assert set(by_name) == {"besluit.pdf", "brief.txt", "reclame.txt", "leeg.txt"}
    assert by_name["besluit.pdf"]["state"] == "ready"
    assert by_name["besluit.pdf"]["source"] == str(drop.resolve() / "besluit.pdf")
    assert len(str(by_name["brief.txt"]["sha256"])) == 64
    assert by_name["leeg.txt"]["state"] == "quarantined"
    assert by_name["leeg.txt"]["sha256"] is None
    assert "leeg" in str(by_name["leeg.txt"]["reason"])  # Dutch by default

    filed = ok(cli("inbox", "file", by_name["besluit.pdf"]["id"], by_name["brief.txt"]["id"],
                   "--dossier", dossier))  # fmt: skip
    assert len(filed.out.split()) == 2
    ok(cli("inbox", "discard", by_name["reclame.txt"]["id"]))

    assert {item["name"] for item in inbox_json(cli)} == {"leeg.txt"}
    everything = {item["name"]: item["state"] for item in inbox_json(cli, "--all")}
    assert everything == {
        "besluit.pdf": "filed",
        "brief.txt": "filed",
        "reclame.txt": "discarded",
        "leeg.txt": "quarantined",
    }
    refused = cli("inbox", "file", by_name["leeg.txt"]["id"], "--dossier", dossier)
    assert refused.code == 2 and "Traceback" not in refused.err


def test_retry_of_an_empty_file_that_got_content_makes_it_ready(cli: Cli, drop: Path) -> None:
    empty = drop / "scan.pdf"
    empty.write_bytes(b"")
    ok(cli("dropfolder", "add", drop))
    ok(cli("watch", "--once", "--quiet-period", "0"))
    [item] = inbox_json(cli)
    assert item["state"] == "quarantined"

    data = pdf_bytes("nu met inhoud")
    empty.write_bytes(data)
    retried = cli("inbox", "retry", str(item["id"]))

    assert retried.code == 0, retried.err
    assert "Traceback" not in retried.err
    assert retried.out.strip() == "ready"
    [after] = inbox_json(cli)
    assert (after["id"], after["state"]) == (item["id"], "ready")
    assert after["reason"] is None


def test_continuous_watch_takes_a_dropped_file_and_stops_cleanly_on_sigterm(
    home: Path, cli: Cli, drop: Path, tmp_path: Path
) -> None:
    ok(cli("dropfolder", "add", drop))
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    env.update(RECORDSDESK_HOME=str(home), LANG="C.UTF-8")
    err_path = tmp_path / "watch.err"
    with err_path.open("wb") as err:
        watcher = subprocess.Popen(
            [sys.executable, "-m", "recordsdesk.cli", "watch", "--quiet-period", "0.2"],
            stdout=subprocess.PIPE, stderr=err, env=env, cwd=REPO, text=True,
        )  # fmt: skip
    try:
        assert watcher.stdout is not None
        watcher.stdout.readline()  # "watching…": the watcher is up
        write(drop / "binnengekomen.txt", b"Net gescand\n")

        ws = open_workspace(home)
        try:
            deadline = time.monotonic() + 120  # a bound against hanging, not a timing claim
            states: list[str] = []
            while time.monotonic() < deadline and watcher.poll() is None:
                states = [i.state for i in inbox.list_inbox(ws)]
                if states == ["ready"]:
                    break
                time.sleep(0.1)
            assert states == ["ready"], (states, err_path.read_text())
        finally:
            ws.close()

        watcher.send_signal(signal.SIGTERM)
        out, _ = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    errors = err_path.read_text()
    assert watcher.returncode == 0, errors
    assert "Traceback" not in errors and "Traceback" not in out
    assert (drop / "verwerkt" / "binnengekomen.txt").read_bytes() == b"Net gescand\n"


def test_inbox_file_into_an_unknown_dossier_files_nothing(
    home: Path, cli: Cli, drop: Path, dossier: str
) -> None:
    write(drop / "a.txt", b"een\n")
    ok(cli("dropfolder", "add", drop))
    ok(cli("watch", "--once", "--quiet-period", "0"))
    [item] = inbox_json(cli)

    refused = cli("inbox", "file", item["id"], "--dossier", "D-ONBEKEND-1")

    assert refused.code == 2 and "Traceback" not in refused.err, refused
    assert [i["state"] for i in inbox_json(cli)] == ["ready"]
    ws = open_workspace(home)
    try:
        assert show_dossier(ws, dossier).records == ()
    finally:
        ws.close()


def test_retry_of_an_item_whose_original_is_gone_is_a_clear_refusal(tmp_path: Path) -> None:
    home, drop = tmp_path / "home", tmp_path / "scanner"
    drop.mkdir()
    (drop / "leeg.pdf").write_bytes(b"")
    base = [sys.executable, "-m", "recordsdesk.cli", "--home", str(home)]
    run = lambda *a: subprocess.run([*base, *a], capture_output=True, text=True)  # noqa: E731
    assert run("dropfolder", "add", str(drop)).returncode == 0
    assert run("watch", "--once", "--quiet-period", "0").returncode == 0
    [item] = json.loads(run("inbox", "list", "--json").stdout)
    assert item["state"] == "quarantined"
    (drop / "leeg.pdf").unlink()

    retried = run("inbox", "retry", item["id"])

    assert retried.returncode == 2, retried.stderr
    assert "Traceback" not in retried.stderr + retried.stdout
    assert "niet opnieuw" in retried.stderr
    [still] = json.loads(run("inbox", "list", "--json").stdout)
    assert still["state"] == "quarantined"


def test_inbox_attach_adds_a_duplicate_to_its_record_and_refuses_clearly_otherwise(
    cli: Cli, drop: Path, dossier: str, tmp_path: Path
) -> None:
    data = pdf_bytes("aanvraag")
    filed = ok(cli("file", write(tmp_path / "aanvraag.pdf", data), "--dossier", dossier))
    record = filed.out.split()[0]
    write(drop / "aanvraag (2).pdf", data)
    write(drop / "nieuw.txt", b"iets anders\n")
    ok(cli("dropfolder", "add", drop))
    ok(cli("watch", "--once", "--quiet-period", "0"))
    by_name = {item["name"]: item for item in inbox_json(cli)}
    assert by_name["aanvraag (2).pdf"]["state"] == "duplicate"

    joined = json.loads(ok(cli("inbox", "attach", by_name["aanvraag (2).pdf"]["id"], "--json")).out)

    assert joined["record"]["kenmerk"] == record
    refused = cli("inbox", "attach", by_name["nieuw.txt"]["id"])
    assert refused.code == 2 and "Traceback" not in refused.err
    assert "al gearchiveerd" in refused.err  # Dutch by default
    assert {item["name"]: item["state"] for item in inbox_json(cli, "--all")} == {
        "aanvraag (2).pdf": "filed",
        "nieuw.txt": "ready",
    }
