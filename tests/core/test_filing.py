"""Filing files into a dossier, on SQLite and PostgreSQL: what gets written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import select, text

from recordsdesk import kenmerk
from recordsdesk.db.models import AuditEvent, Bestand, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.services import (
    Workspace,
    create_dossier,
    file_paths,
    show_dossier,
    verify,
)
from tests.core.samples import (
    MiB,
    docx_bytes,
    flip_byte,
    pdf_bytes,
    png_bytes,
    random_file,
    row_counts,
    stored_objects,
    temp_files,
    truncate_object,
    write,
)

MOMENT = dt.datetime(2026, 11, 28, 9, 15, 0, 654321, tzinfo=dt.UTC)

FORMATS = {
    "brief.txt": (b"Geachte heer Jansen,\n\nHierbij ontvangt u de vergunning.\n", "text/plain",
                  {"x-fmt/111"}),
    "besluit.pdf": (pdf_bytes("besluit"), "application/pdf", {"fmt/18"}),
    "situatie.png": (png_bytes(3), "image/png", {"fmt/11", "fmt/12", "fmt/13"}),
    "advies.docx": (
        docx_bytes("Advies"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"fmt/412"},
    ),
}  # fmt: skip


def test_each_file_becomes_one_record_with_one_bestand(
    ws: Workspace, dossier: str, src: Path
) -> None:
    ws.clock = lambda: MOMENT
    paths = [write(src / name, data) for name, (data, _, _) in FORMATS.items()]
    before = row_counts(ws.engine)

    result = file_paths(ws, dossier, paths)

    assert len(result.records) == len(paths)
    assert row_counts(ws.engine) == {
        "informatieobject": before["informatieobject"] + 4,
        "bestand": before["bestand"] + 4,
        "event": before["event"] + 4,
        "audit_event": before["audit_event"] + 4,
    }
    assert result.changes.records == frozenset(r.id for r in result.records)
    dossier_id = show_dossier(ws, dossier).id
    assert dossier_id in result.changes.dossiers
    with ws.sessions() as session:
        for created, path in zip(result.records, paths, strict=True):
            data, mime, puids = FORMATS[path.name]
            record = session.get(Informatieobject, created.id)
            assert record is not None
            assert record.kenmerk == created.kenmerk
            assert kenmerk.is_valid(record.kenmerk) and record.kenmerk.startswith("S-")
            assert record.aggregatieniveau == "Archiefstuk"
            assert record.parent_id == dossier_id
            assert record.naam == path.stem
            assert record.created_at == MOMENT
            [bestand] = record.bestanden
            assert bestand.sha256 == hashlib.sha256(data).hexdigest()
            assert bestand.size == os.stat(path).st_size == len(data)
            assert bestand.mime == mime, path.name
            assert bestand.puid in puids, (path.name, bestand.puid)
            assert bestand.original_name == path.name
            assert bestand.safe_name == path.name
            assert bestand.role == "original"
            assert ws.objects.check(bestand.sha256, bestand.size) is None
            [event] = session.scalars(select(Event).where(Event.informatieobject_id == record.id))
            assert event.event_type == "Opname"
            assert event.resultaat == f"sha256:{bestand.sha256}"
            [audit] = session.scalars(
                select(AuditEvent).where(AuditEvent.object_id == record.id)
            ).all()
            assert audit.action == "record.file"
            details = json.loads(audit.details)
            assert details["sha256"] == bestand.sha256
            assert details["size"] == bestand.size
            assert details["dossier"] == dossier
            assert details["kenmerk"] == record.kenmerk
    detail = show_dossier(ws, dossier)
    assert [r.kenmerk for r in detail.records] == [r.kenmerk for r in result.records]
    assert [r.files[0].name for r in detail.records] == [p.name for p in paths]


def test_the_originals_are_left_as_they_were(ws: Workspace, dossier: str, src: Path) -> None:
    source = random_file(src / "scan.pdf", 2 * MiB)
    os.utime(source, ns=(1_500_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = (source.read_bytes(), os.stat(source).st_mtime_ns, os.stat(source).st_mode)
    file_paths(ws, dossier, [source])
    assert (source.read_bytes(), os.stat(source).st_mtime_ns, os.stat(source).st_mode) == before


def test_progress_counts_bytes_up_to_the_total(ws: Workspace, dossier: str, src: Path) -> None:
    paths = [random_file(src / "a.bin", 2 * MiB + 1), random_file(src / "b.bin", 10)]
    reports: list[tuple[int, int, str]] = []
    file_paths(ws, dossier, paths, lambda d, t, label: reports.append((d, t, label)))
    total = 2 * MiB + 11
    assert all(t == total for _, t, _ in reports)
    done = [d for d, _, _ in reports]
    assert done == sorted(done) and done[-1] == total
    assert {label for _, _, label in reports} >= {"a.bin", "b.bin"}


def test_the_same_content_twice_in_one_dossier_is_refused_naming_the_record(
    ws: Workspace, dossier: str, src: Path
) -> None:
    data = pdf_bytes("vergunning")
    first = file_paths(ws, dossier, [write(src / "vergunning.pdf", data)]).records[0]
    before = row_counts(ws.engine)
    objects_before = stored_objects(ws.objects.root)

    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, [write(src / "kopie van vergunning.pdf", data)])

    assert dossier in caught.value.english()
    assert len(caught.value.details) == 1
    assert first.kenmerk in caught.value.details[0].english()
    assert "kopie van vergunning.pdf" in caught.value.details[0].english()
    assert row_counts(ws.engine) == before
    assert stored_objects(ws.objects.root) == objects_before
    assert temp_files(ws.objects.root) == []


def test_the_same_content_twice_in_one_batch_is_refused(
    ws: Workspace, dossier: str, src: Path
) -> None:
    data = b"identical\n"
    paths = [write(src / "a.txt", data), write(src / "b.txt", data), write(src / "c.txt", b"c\n")]
    before = row_counts(ws.engine)
    with pytest.raises(UserError) as caught:
        file_paths(ws, dossier, paths)
    assert len(caught.value.details) == 1
    assert "b.txt" in caught.value.details[0].english()
    assert "a.txt" in caught.value.details[0].english()
    assert row_counts(ws.engine) == before


def test_the_same_content_in_another_dossier_is_a_new_record_over_one_object(
    ws: Workspace, dossier: str, src: Path
) -> None:
    other = create_dossier(ws, "Bezwaarschrift").kenmerk
    data = pdf_bytes("gedeeld")
    one = file_paths(ws, dossier, [write(src / "besluit.pdf", data)]).records[0]
    two = file_paths(ws, other, [write(src / "besluit (kopie).pdf", data)]).records[0]

    assert one.id != two.id and one.kenmerk != two.kenmerk
    sha = hashlib.sha256(data).hexdigest()
    assert stored_objects(ws.objects.root) == [ws.objects.path_for(sha)]
    with ws.sessions() as session:
        shas = session.scalars(select(Bestand.sha256)).all()
    assert sorted(shas) == [sha, sha]
    assert [r.kenmerk for r in show_dossier(ws, other).records] == [two.kenmerk]


def test_filing_content_whose_stored_object_is_damaged_never_leaves_a_damaged_record(
    ws: Workspace, dossier: str, src: Path
) -> None:
    """The stored copy was damaged (same size); the user files an intact copy again.

    Either the filing is refused, or the intact bytes now in hand repair the
    object. What must not happen: success, with the new record pointing at
    damaged content (the user may then delete the only good copy).
    """
    other = create_dossier(ws, "Tweede dossier").kenmerk
    data = os.urandom(MiB)
    first = file_paths(ws, dossier, [write(src / "origineel.bin", data)]).records[0]
    sha = hashlib.sha256(data).hexdigest()
    flip_byte(ws.objects.path_for(sha))

    try:
        file_paths(ws, other, [write(src / "nogmaals.bin", data)])
    except UserError:
        assert [r.kenmerk for r in show_dossier(ws, other).records] == []
    else:
        assert ws.objects.check(sha, len(data)) is None, (
            "filing reported success, but the record's object is damaged "
            f"(and so is {first.kenmerk}'s)"
        )


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_filing_the_content_again_repairs_a_missing_or_truncated_object(
    ws: Workspace, dossier: str, src: Path, damage: str
) -> None:
    other = create_dossier(ws, "Tweede dossier").kenmerk
    data = os.urandom(MiB + 3)
    file_paths(ws, dossier, [write(src / "origineel.bin", data)])
    sha = hashlib.sha256(data).hexdigest()
    path = ws.objects.path_for(sha)
    if damage == "missing":
        path.unlink()
    else:
        truncate_object(path, 1000)
    assert not verify(ws).intact

    file_paths(ws, other, [write(src / "nogmaals.bin", data)])

    assert ws.objects.check(sha, len(data)) is None
    assert verify(ws).intact


def test_a_database_failure_mid_batch_rolls_back_every_record(
    ws: Workspace, dossier: str, src: Path
) -> None:
    """One transaction per action: if the second record cannot be written, neither is.

    The failure is real: the kenmerk counter is wound back so the second new
    record collides with an existing record's kenmerk (the unique constraint).
    """
    file_paths(ws, dossier, [write(src / "eerste.txt", b"1\n")])  # takes sequence 2
    with ws.engine.begin() as connection:
        connection.execute(text("UPDATE store_setting SET value = '1' WHERE key = 'next_sequence'"))
    before = row_counts(ws.engine)

    with pytest.raises(sqlalchemy.exc.IntegrityError):
        file_paths(ws, dossier, [write(src / "a.txt", b"a\n"), write(src / "b.txt", b"b\n")])

    assert row_counts(ws.engine) == before
    with ws.engine.connect() as connection:
        counter = connection.execute(
            text("SELECT value FROM store_setting WHERE key = 'next_sequence'")
        ).scalar_one()
    assert counter == "1", "the kenmerk counter must roll back with the records"
    assert verify(ws).intact


@pytest.mark.slow
def test_a_large_file_is_identified_as_well_as_a_small_one(home: Path, src: Path) -> None:
    """Big files may be identified from a sample; the answer must stay the same."""
    from recordsdesk.services import open_workspace

    big = src / "bouwtekening.pdf"
    with big.open("wb") as handle:  # a PDF with a large blank (sparse) middle
        head = pdf_bytes("groot")
        handle.write(head[: head.index(b"xref")])
        handle.truncate(96 * MiB)
        handle.seek(96 * MiB)
        handle.write(b"\n" + head[head.index(b"xref") :])
    ws = open_workspace(home)
    try:
        kenmerk_ = create_dossier(ws, "Groot").kenmerk
        file_paths(ws, kenmerk_, [big])
        [record] = show_dossier(ws, kenmerk_).records
    finally:
        ws.close()
    [info] = record.files
    assert info.size == big.stat().st_size
    assert (info.mime, info.puid) == ("application/pdf", "fmt/18")
