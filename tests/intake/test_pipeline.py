"""The intake pipeline on real files and a real database (SQLite and PostgreSQL).

Only the tracker's clock is faked (see ``conftest.FakeClock``): process_once
runs with the real 2 s quiet period and never sleeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import AuditEvent, Bestand, InboxItem
from recordsdesk.errors import UserError
from recordsdesk.i18n import set_language
from recordsdesk.intake import inbox
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.services import (
    Workspace,
    create_dossier,
    file_paths,
    open_workspace,
    show_dossier,
    verify,
)
from tests.core.samples import pdf_bytes, png_bytes, write

REPO = Path(__file__).resolve().parents[2]
Intake = Callable[[], list[str]]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def items(ws: Workspace) -> list[inbox.InboxItemInfo]:
    return inbox.list_inbox(ws, include_done=True)


def rows(ws: Workspace) -> list[InboxItem]:
    with ws.readers() as session:
        found = list(session.scalars(select(InboxItem).order_by(InboxItem.source_name)))
        session.expunge_all()
        return found


def only(ws: Workspace) -> inbox.InboxItemInfo:
    [item] = items(ws)
    return item


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(autouse=True)
def dutch() -> None:
    set_language("nl")


# --- the ordinary path: stable file → ready, original released as the folder says ---


def test_a_stable_pdf_becomes_ready_and_its_original_moves_to_verwerkt(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    data = pdf_bytes("scan")
    write(drop / "scan.pdf", data)
    add_drop_folder(ws, drop)  # default: move

    touched = intake()

    item = only(ws)
    assert touched == [item.id]
    assert item.state == "ready"
    assert item.sha256 == sha(data)
    assert item.mime == "application/pdf"
    assert item.puid == "fmt/18"
    assert item.name == "scan.pdf" and item.source == str(drop / "scan.pdf")
    assert item.reason is None
    assert ws.objects.path_for(sha(data)).read_bytes() == data
    assert files_in(drop) == ["verwerkt"]
    assert (drop / "verwerkt" / "scan.pdf").read_bytes() == data


@pytest.mark.parametrize("after", ["delete", "keep"])
def test_after_delete_removes_and_after_keep_keeps_the_original(
    ws: Workspace, drop: Path, intake: Intake, after: str
) -> None:
    data = png_bytes(7)
    write(drop / "foto.png", data)
    add_drop_folder(ws, drop, after_intake=after)

    intake()

    item = only(ws)
    assert (item.state, item.sha256, item.mime) == ("ready", sha(data), "image/png")
    assert item.puid in {"fmt/11", "fmt/12", "fmt/13"}
    assert ws.objects.path_for(sha(data)).read_bytes() == data
    if after == "delete":
        assert files_in(drop) == []
    else:
        assert files_in(drop) == ["foto.png"]
        assert (drop / "foto.png").read_bytes() == data


@pytest.mark.parametrize("after", ["move", "delete", "keep"])
def test_running_intake_again_takes_nothing_twice(
    ws: Workspace, drop: Path, intake: Intake, after: str
) -> None:
    for n in range(3):
        write(drop / f"brief-{n}.txt", f"Brief nummer {n}\n".encode())
    add_drop_folder(ws, drop, after_intake=after)
    intake()
    first = {(i.id, i.state, i.sha256) for i in items(ws)}
    assert len(first) == 3 and {s for _, s, _ in first} == {"ready"}

    intake()
    intake()

    assert {(i.id, i.state, i.sha256) for i in items(ws)} == first


def test_a_file_replaced_by_another_of_the_same_name_is_a_new_item(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    path = write(drop / "scan.txt", b"eerste versie\n")
    add_drop_folder(ws, drop, after_intake="keep")
    intake()
    first = only(ws)

    replacement = drop / "nieuw.tmp"
    replacement.write_bytes(b"tweede, andere versie\n")
    replacement.replace(path)  # new inode, new size: a different file under the same name
    intake()

    by_sha = {i.sha256: i for i in items(ws)}
    assert len(by_sha) == 2
    assert by_sha[sha(b"eerste versie\n")].id == first.id
    second = by_sha[sha(b"tweede, andere versie\n")]
    assert second.id != first.id and second.state == "ready"


def test_a_new_file_with_the_name_of_a_moved_one_is_taken_and_kept_apart(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    add_drop_folder(ws, drop)
    write(drop / "scan.txt", b"maandag\n")
    intake()
    write(drop / "scan.txt", b"dinsdag\n")
    intake()

    assert sorted(i.state for i in items(ws)) == ["ready", "ready"]
    moved = {p.read_bytes() for p in (drop / "verwerkt").iterdir()}
    assert moved == {b"maandag\n", b"dinsdag\n"}
    assert files_in(drop) == ["verwerkt"]


# --- bad input ---


def test_a_zero_byte_file_is_quarantined_with_a_dutch_reason_and_kept(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    (drop / "leeg.pdf").write_bytes(b"")
    add_drop_folder(ws, drop)

    intake()
    intake()  # and a second run does not take it again

    item = only(ws)
    assert item.state == "quarantined"
    assert item.reason is not None and "leeg" in item.reason, item.reason
    assert "leeg.pdf" in item.reason
    assert files_in(drop) == ["leeg.pdf"], "a quarantined original stays in the drop folder"


def test_content_already_filed_is_a_duplicate_linked_to_its_bestand(
    ws: Workspace, drop: Path, intake: Intake, tmp_path: Path
) -> None:
    data = pdf_bytes("besluit")
    kenmerk = create_dossier(ws, "Bezwaar Jansen").kenmerk
    file_paths(ws, kenmerk, [write(tmp_path / "elders" / "besluit.pdf", data)])
    write(drop / "kopie van besluit.pdf", data)
    add_drop_folder(ws, drop)

    intake()

    [row] = rows(ws)
    assert row.state == "duplicate"
    with ws.readers() as session:
        bestand = session.scalar(select(Bestand).where(Bestand.sha256 == sha(data)))
        assert bestand is not None
        assert row.duplicate_of_bestand_id == bestand.id


def test_two_identical_files_become_one_ready_and_one_duplicate(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    data = b"dezelfde inhoud\n"
    write(drop / "a.txt", data)
    write(drop / "b.txt", data)
    add_drop_folder(ws, drop)

    intake()

    assert sorted(i.state for i in items(ws)) == ["duplicate", "ready"]
    assert {i.sha256 for i in items(ws)} == {sha(data)}


def test_litter_never_becomes_an_item(ws: Workspace, drop: Path, intake: Intake) -> None:
    litter = ["~$x.docx", "a.part", ".hidden", "b.crdownload", "Thumbs.db", "c.tmp"]
    for name in litter:
        write(drop / name, b"rommel " + name.encode())
    write(drop / "echt.txt", b"echt\n")
    add_drop_folder(ws, drop)

    intake()

    assert [i.name for i in items(ws)] == ["echt.txt"]
    assert files_in(drop) == sorted([*litter, "verwerkt"])


ODD_NAMES = [
    unicodedata.normalize("NFD", "café-überzicht.txt"),
    "verslag 🎉.txt",
    "spaties aan het eind.txt  ",
    "CON.txt",
]


def test_odd_names_are_taken_and_moved_under_their_own_name(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    for n, name in enumerate(ODD_NAMES):
        write(drop / name, f"inhoud {n}\n".encode())
    add_drop_folder(ws, drop)

    intake()

    found = {i.source: i for i in items(ws)}
    assert set(found) == {str(drop / name) for name in ODD_NAMES}
    assert {i.state for i in found.values()} == {"ready"}
    assert found[str(drop / ODD_NAMES[0])].name == "café-überzicht.txt"  # shown as NFC
    assert files_in(drop / "verwerkt") == sorted(ODD_NAMES)
    for n, name in enumerate(ODD_NAMES):
        assert (drop / "verwerkt" / name).read_bytes() == f"inhoud {n}\n".encode()


READ_ONLY_CHILD = """
import json, sys
from pathlib import Path
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.inbox import list_inbox
from recordsdesk.services import open_workspace

home, drop = Path(sys.argv[1]), Path(sys.argv[2])
ws = open_workspace(home)
add_drop_folder(ws, drop)
runner.process_once(ws, quiet_period=0)
print(json.dumps([[i.state, i.sha256] for i in list_inbox(ws, include_done=True)]))
"""


def test_a_read_only_drop_folder_keeps_its_original_and_still_gives_a_ready_item() -> None:
    """Root ignores permissions, so the intake runs without the override capabilities.

    (Not as another user: that user may not be able to read the checkout at all.)
    """
    setpriv = shutil.which("setpriv")
    if os.geteuid() == 0 and setpriv is None:
        pytest.skip("running as root without setpriv: a chmod 555 folder would not be read-only")
    base = Path(tempfile.mkdtemp(prefix="rd-ro-"))
    try:
        base.chmod(0o755)
        home, drop = base / "home", base / "scanner"
        home.mkdir()
        drop.mkdir()
        data = pdf_bytes("alleen lezen")
        write(drop / "scan.pdf", data).chmod(0o644)
        drop.chmod(0o555)
        prefix: list[str] = []
        if os.geteuid() == 0:
            assert setpriv is not None
            prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
        env = {**os.environ, "RECORDSDESK_HOME": str(home), "HOME": str(home)}
        done = subprocess.run(
            [*prefix, sys.executable, "-c", READ_ONLY_CHILD, str(home), str(drop)],
            capture_output=True, text=True, env=env, cwd=REPO, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == [["ready", sha(data)]]
        assert files_in(drop) == ["scan.pdf"], "the original stays where it could not be moved"
        assert (drop / "scan.pdf").read_bytes() == data
        ws = open_workspace(home)
        try:  # and the audit trail says why the original is still there
            with ws.readers() as session:
                kept = session.scalars(
                    select(AuditEvent.details).where(AuditEvent.action == "inbox.original_kept")
                ).all()
            assert [json.loads(d)["path"] for d in kept] == [str(drop / "scan.pdf")]
        finally:
            ws.close()
    finally:
        drop.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_a_vanished_drop_folder_does_not_crash_intake_and_works_again_when_back(
    ws: Workspace, drop: Path, intake: Intake, tmp_path: Path
) -> None:
    add_drop_folder(ws, drop)
    write(drop / "een.txt", b"een\n")
    away = tmp_path / "unmounted"
    drop.rename(away)

    assert intake() == []
    assert items(ws) == []

    away.rename(drop)
    write(drop / "twee.txt", b"twee\n")
    intake()
    assert sorted((i.name, i.state) for i in items(ws)) == [
        ("een.txt", "ready"),
        ("twee.txt", "ready"),
    ]


# --- the inbox: file, discard, retry ---


def test_filing_ready_items_makes_records_in_the_dossier_in_one_go(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    kenmerk = create_dossier(ws, "Omgevingsvergunning").kenmerk
    write(drop / "a.txt", b"aanvraag\n")
    write(drop / "b.pdf", pdf_bytes("tekening"))
    add_drop_folder(ws, drop)
    intake()
    ids = [i.id for i in items(ws)]

    result = inbox.file_items(ws, ids, kenmerk)

    assert len(result.records) == 2
    after = {i.id: i for i in items(ws)}
    assert {after[i].state for i in ids} == {"filed"}
    detail = show_dossier(ws, kenmerk)
    assert sorted(r.kenmerk for r in detail.records) == sorted(r.kenmerk for r in result.records)
    with ws.readers() as session:
        for item_id in ids:
            row = session.get(InboxItem, item_id)
            assert row is not None and row.record_id is not None
            bestand = session.scalar(
                select(Bestand).where(Bestand.informatieobject_id == row.record_id)
            )
            assert bestand is not None and bestand.sha256 == row.sha256
    assert inbox.list_inbox(ws) == [], "filed items leave the default inbox list"
    assert verify(ws).intact


def test_a_refused_filing_leaves_every_item_ready_and_creates_nothing(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    kenmerk = create_dossier(ws, "Bestaand dossier").kenmerk
    write(drop / "a.txt", b"een\n")
    write(drop / "b.txt", b"twee\n")
    (drop / "leeg.txt").write_bytes(b"")
    add_drop_folder(ws, drop)
    intake()
    by_name = {i.name: i for i in items(ws)}
    ready = [by_name["a.txt"].id, by_name["b.txt"].id]
    records_before = len(show_dossier(ws, kenmerk).records)

    with pytest.raises(UserError):
        inbox.file_items(ws, ready, "D-GEENDOSSIER-999")
    with pytest.raises(UserError):  # one unfileable item refuses the whole batch
        inbox.file_items(ws, [*ready, by_name["leeg.txt"].id], kenmerk)

    assert {i.name: i.state for i in items(ws)} == {
        "a.txt": "ready",
        "b.txt": "ready",
        "leeg.txt": "quarantined",
    }
    assert len(show_dossier(ws, kenmerk).records) == records_before
    with ws.readers() as session:
        assert session.scalar(select(Bestand).limit(1)) is None


def test_discard_makes_an_item_discarded_with_an_audit_row(
    ws: Workspace, drop: Path, intake: Intake
) -> None:
    write(drop / "reclame.txt", b"koop nu\n")
    add_drop_folder(ws, drop)
    intake()
    item = only(ws)

    inbox.discard_item(ws, item.id)

    assert only(ws).state == "discarded"
    assert inbox.list_inbox(ws) == []
    with ws.readers() as session:
        [event] = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "inbox.discard", AuditEvent.object_id == item.id
            )
        ).all()
        assert json.loads(event.details)["sha256"] == item.sha256
    with pytest.raises(UserError):  # discarded is final
        inbox.discard_item(ws, item.id)
    assert verify(ws).intact


@pytest.mark.parametrize("count", [0, 1, 2, 249, 250, 251, 299, 300, 301, 777, 5000])
def test_rounds_cover_every_file_once_in_order_with_small_edges(count: int) -> None:
    from recordsdesk.intake.pipeline import EDGE_ROUND, ROUND_SIZE, round_bounds

    bounds = round_bounds(count)
    covered = [i for start, end in bounds for i in range(start, end)]
    assert covered == list(range(count))
    assert all(0 < end - start <= ROUND_SIZE for start, end in bounds)
    if count > ROUND_SIZE:
        assert bounds[0] == (0, EDGE_ROUND) and bounds[-1] == (count - EDGE_ROUND, count)


def test_gc_paused_turns_the_collector_back_on_only_if_it_was_on() -> None:
    import gc

    from recordsdesk.intake.pipeline import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("a failing round")
    assert gc.isenabled()
