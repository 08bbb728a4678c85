"""Bad input when filing gets a clear error and loses nothing (SQLite and PostgreSQL).

"Nothing written" is checked by counting rows in every table the filing
touches and by walking the object store on disk.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from recordsdesk import kenmerk
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.services import Workspace, file_paths, show_dossier, verify
from recordsdesk.tasks import Cancelled, CancelToken
from tests.core.fakes import full_disk_after, patch_store_os
from tests.core.samples import (
    MiB,
    random_file,
    row_counts,
    sha256_of,
    stored_objects,
    temp_files,
    write,
)


def _nothing_filed(ws: Workspace, dossier: str, before: dict[str, int]) -> None:
    assert row_counts(ws.engine) == before
    assert show_dossier(ws, dossier).records == ()
    assert temp_files(ws.objects.root) == [], "a temp file was left behind"
    assert verify(ws).intact


def test_one_bad_path_among_good_ones_files_nothing_and_lists_every_problem(
    ws: Workspace, dossier: str, src: Path
) -> None:
    good = [write(src / "a.txt", b"a\n"), write(src / "b.pdf", b"%PDF-1.4\nb\n")]
    missing = src / "bestaat niet.pdf"
    folder = src / "map"
    folder.mkdir()
    empty = write(src / "leeg.txt", b"")
    before = row_counts(ws.engine)

    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [good[0], missing, folder, empty, good[1]])

    error = caught.value
    assert error.msgid == "Nothing was filed: {count} of the files cannot be used."
    assert error.params == {"count": 3}
    details = [d.english() for d in error.details]
    assert len(details) == 3, details
    assert details[0] == f"File not found: {missing}"
    assert details[1] == f"Not a file but a folder: {folder}"
    assert details[2] == f"The file is empty: {empty}"
    _nothing_filed(ws, dossier, before)
    assert stored_objects(ws.objects.root) == [], "preflight failed, yet content was stored"


def test_no_paths_is_refused(ws: Workspace, dossier: str) -> None:
    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [])
    assert caught.value.msgid == "No files given."


def test_a_file_vanishing_mid_batch_files_nothing(ws: Workspace, dossier: str, src: Path) -> None:
    first = random_file(src / "een.pdf", 3 * MiB)
    second = random_file(src / "twee.pdf", MiB)
    third = random_file(src / "drie.pdf", MiB)
    before = row_counts(ws.engine)

    def progress(_done: int, _total: int, label: str) -> None:
        if label == "een.pdf" and second.exists():
            second.unlink()  # deleted by someone else while file 1 is being copied

    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [first, second, third], progress)

    assert caught.value.english() == f"File not found: {second}"
    _nothing_filed(ws, dossier, before)
    names = {p.name for p in stored_objects(ws.objects.root)}
    assert sha256_of(third) not in names, "work went on after the batch had failed"


@pytest.mark.parametrize("how", ["appended", "rewritten"])
def test_a_file_changing_while_it_is_read_files_nothing(
    ws: Workspace, dossier: str, src: Path, how: str
) -> None:
    other = random_file(src / "ander.pdf", MiB)
    source = random_file(src / "notulen.txt", 3 * MiB)
    os.utime(source, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = row_counts(ws.engine)
    changed = False

    def progress(_done: int, _total: int, label: str) -> None:
        nonlocal changed
        if label == "notulen.txt" and not changed:
            changed = True
            with source.open("ab" if how == "appended" else "r+b") as handle:
                handle.write(b"een extra regel\n")

    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [other, source], progress)

    assert changed
    assert caught.value.english() == f"The file changed while it was being filed: {source}"
    _nothing_filed(ws, dossier, before)


def _close(url: str, dossier_kenmerk: str) -> None:
    """Close a dossier through a separate connection (as another client would)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE informatieobject SET status = 'closed' WHERE kenmerk = :k"),
                {"k": dossier_kenmerk},
            )
    finally:
        engine.dispose()


def test_filing_into_a_closed_dossier_is_refused(ws: Workspace, dossier: str, src: Path) -> None:
    _close(ws.engine.url.render_as_string(hide_password=False), dossier)
    before = row_counts(ws.engine)
    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [write(src / "a.txt", b"a\n")])
    assert caught.value.msgid == "Dossier {kenmerk} is not open; no records can be added."
    assert dossier in caught.value.english()
    assert row_counts(ws.engine) == before
    assert stored_objects(ws.objects.root) == []


def test_a_dossier_closed_while_files_are_copied_gets_nothing(
    ws: Workspace, dossier: str, src: Path
) -> None:
    url = ws.engine.url.render_as_string(hide_password=False)
    before = row_counts(ws.engine)
    closed = False

    def progress(_done: int, _total: int, _label: str) -> None:
        nonlocal closed
        if not closed:
            closed = True
            _close(url, dossier)

    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [random_file(src / "a.bin", 2 * MiB)], progress)
    assert caught.value.msgid == "Dossier {kenmerk} is not open; no records can be added."
    counts = row_counts(ws.engine)
    assert counts == before


@pytest.mark.parametrize("valid", [True, False], ids=["unknown", "invalid"])
def test_filing_into_an_unknown_dossier_is_a_clear_not_found(
    ws: Workspace, dossier: str, src: Path, valid: bool
) -> None:
    target = kenmerk.make("D", ws.station, 9999) if valid else "D-NOPE-123"
    before = row_counts(ws.engine)
    with pytest.raises(NotFoundError) as caught:
        file_paths(ws, target, [write(src / "a.txt", b"a\n")])
    assert target in caught.value.english()
    assert ("not a valid kenmerk" in caught.value.english()) is (not valid)
    assert row_counts(ws.engine) == before
    assert stored_objects(ws.objects.root) == []


def test_cancelling_mid_batch_files_nothing(ws: Workspace, dossier: str, src: Path) -> None:
    paths = [random_file(src / "a.bin", 2 * MiB), random_file(src / "b.bin", 2 * MiB)]
    token = CancelToken()
    before = row_counts(ws.engine)

    def progress(_done: int, _total: int, label: str) -> None:
        if label == "b.bin":
            token.cancel()

    with pytest.raises(Cancelled):
        file_paths(ws, dossier, paths, progress, token)
    _nothing_filed(ws, dossier, before)


def test_a_full_disk_mid_batch_files_nothing(
    ws: Workspace, dossier: str, src: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [random_file(src / "a.bin", 2 * MiB), random_file(src / "b.bin", 2 * MiB)]
    before = row_counts(ws.engine)
    patch_store_os(monkeypatch, write=full_disk_after(3 * MiB))

    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, paths)

    monkeypatch.undo()
    assert "disk is full" in caught.value.english()
    _nothing_filed(ws, dossier, before)
    assert file_paths(ws, dossier, paths).records, "with room again, the same files go in"


UNREADABLE_CHILD = r"""
import json, sys
from pathlib import Path
from recordsdesk.errors import UserError
from recordsdesk.services import create_dossier, file_paths, open_workspace, show_dossier
home, good, bad = sys.argv[1:4]
ws = open_workspace(Path(home))
k = create_dossier(ws, "Leesrechten").kenmerk
try:
    file_paths(ws, k, [Path(good), Path(bad)])
    outcome = {"error": None}
except UserError as error:
    outcome = {"error": error.english(), "details": [d.english() for d in error.details]}
outcome["records"] = len(show_dossier(ws, k).records)
print(json.dumps(outcome))
"""


def without_read_override() -> list[str]:
    """Command prefix that makes file permissions apply (root normally bypasses them)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_an_unreadable_file_is_refused_and_nothing_is_filed(tmp_path: Path, src: Path) -> None:
    good = write(src / "leesbaar.txt", b"ok\n")
    bad = write(src / "geheim.txt", b"geheim\n")
    bad.chmod(0)
    done = subprocess.run(
        [*without_read_override(), sys.executable, "-c", UNREADABLE_CHILD,
         str(tmp_path / "home"), str(good), str(bad)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["records"] == 0
    assert outcome["details"] == [f"No permission to read: {bad}"], outcome


def test_a_disk_error_other_than_full_is_not_reported_as_user_error(
    ws: Workspace, dossier: str, src: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = row_counts(ws.engine)
    patch_store_os(monkeypatch, write=full_disk_after(MiB, errno.EIO))
    with pytest.raises(OSError) as caught:
        file_paths(ws, dossier, [random_file(src / "a.bin", 2 * MiB)])
    monkeypatch.undo()
    assert not isinstance(caught.value, UserError)
    _nothing_filed(ws, dossier, before)


def test_refusals_leave_the_dossier_usable(ws: Workspace, dossier: str, src: Path) -> None:
    with pytest.raises(UserError):
        file_paths(ws, dossier, [src / "missing"])
    assert len(file_paths(ws, dossier, [write(src / "a.txt", b"a\n")]).records) == 1
