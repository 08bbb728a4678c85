"""A whole destruction-list run (issue 5, Done when): exclusions, a rejected round, a hold
placed while the list is being carried out, and real SIGKILLs of the executing process
(between two items, and after an item's commit but before its files were removed).
The resumed run must end with exactly the right objects gone, residual metadata and the
audit trail intact, and the verklaring filed once and readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import func, select

from recordsdesk import audit
from recordsdesk.db.models import Bestand, DisposalItem, Event, Informatieobject
from recordsdesk.services import Workspace, open_workspace
from recordsdesk.services import disposal as lists
from recordsdesk.services.disposal_run import execute
from recordsdesk.services.holds import place_hold
from tests.retention.disposal_support import (
    ARCHIVIST,
    AUTHOR,
    NOW,
    REVIEWER,
    as_user,
    closed_dossier,
    hashes_of,
    people,
)

REPO = Path(__file__).resolve().parents[2]


class Child:
    """``tests.retention.disposal_child`` carrying out the list, killed on cue."""

    def __init__(self, home: Path, url: str | None, list_id: str, pause: str) -> None:
        self.err_path = home.parent / f"disposal-child-{pause.replace(':', '-')}.err"
        self.err = self.err_path.open("w")
        env = {**os.environ, "RECORDSDESK_USER": AUTHOR}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.retention.disposal_child", str(home), url or "-",
             list_id, pause],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True,
            cwd=REPO, env=env,
        )  # fmt: skip

    def until(self, wanted: str) -> str:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(wanted):
                return line
        self.process.wait()
        raise AssertionError(
            f"child ended (exit {self.process.returncode}) before {wanted!r}: "
            + self.err_path.read_text()
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.err.close()
        assert self.process.returncode == -signal.SIGKILL, self.err_path.read_text()


@pytest.fixture
def url(db_url: str) -> str | None:
    """None for the home's own SQLite file (as the app uses it), else PostgreSQL."""
    return None if db_url.startswith("sqlite") else db_url


@pytest.fixture
def ws(home: Path, url: str | None) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=url)
    workspace.clock = lambda: NOW
    yield workspace
    workspace.close()


def _approved_with_exclusions_and_a_rejection(ws: Workspace, kenmerken: list[str]) -> str:
    """Review with an exclusion the author overrules, an archivist's rejection whose
    exclusion the author accepts, then review and approval: returns the list id."""
    key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL 2026-07").id
    lists.submit(ws, key, reviewer=REVIEWER)
    lists.review(as_user(ws, REVIEWER), key, exclusions={kenmerken[2]: "Bezwaar loopt"})
    lists.decide(as_user(ws, AUTHOR), key, kenmerken[2], keep=True, reason="Bezwaar afgewezen")
    lists.submit(ws, key)
    lists.review(as_user(ws, REVIEWER), key)
    lists.submit(as_user(ws, AUTHOR), key)
    lists.reject(as_user(ws, ARCHIVIST), key, "Nog nodig voor de jaarrekening",
                 exclusions={kenmerken[3]: "Jaarrekening 2026"})  # fmt: skip
    lists.decide(as_user(ws, AUTHOR), key, kenmerken[3], keep=False)
    lists.submit(ws, key)
    lists.review(as_user(ws, REVIEWER), key)
    lists.submit(as_user(ws, AUTHOR), key)
    assert lists.approve(as_user(ws, ARCHIVIST), key).state == "geaccordeerd"
    ws.actor = AUTHOR
    return key


def _waiting(ws: Workspace, key: str) -> list[str]:
    return [i.kenmerk for i in lists.items(ws, key) if i.state in ("listed", "kept")]


def test_a_crashed_execution_with_a_hold_placed_midway_resumes_to_exactly_the_right_end(
    ws: Workspace, home: Path, url: str | None, tmp_path: Path
) -> None:
    people(ws)
    kenmerken = [
        closed_dossier(ws, tmp_path, f"Zaak {n}", contents=(f"brief {n}", f"besluit {n}"))
        for n in range(8)
    ]
    content = {k: hashes_of(ws, k) for k in kenmerken}
    key = _approved_with_exclusions_and_a_rejection(ws, kenmerken)

    first = Child(home, url, key, "item:2")
    first.until("PAUSED")
    held = _waiting(ws, key)[-1]  # not done yet: a Woo request arrives now
    place_hold(as_user(ws, REVIEWER), held, "Woo-verzoek 2026-113")
    first.kill()
    second = Child(home, url, key, "remove:1")  # an item committed, its files not yet gone
    second.until("PAUSED")
    second.kill()
    with ws.readers() as session:
        pending = session.scalar(
            select(func.count()).select_from(DisposalItem).where(
                DisposalItem.list_id == key, DisposalItem.pending_objects.is_not(None))
        )  # fmt: skip
    assert pending == 1, "the second crash left one destroyed item with files to remove"
    assert lists.show(ws, key).state == "geaccordeerd"

    report = execute(as_user(ws, AUTHOR), key)  # resume in this process
    assert report.finished and report.list.state == "vernietigd"

    removed, kept_by_author = kenmerken[3], kenmerken[2]
    destroyed = set(kenmerken) - {removed, held}
    states = {i.kenmerk: (i.state, i.note) for i in lists.items(ws, key)}
    assert states[held] == ("skipped", "under a legal hold")
    assert states[removed][0] == "removed"
    assert states[kept_by_author] == ("destroyed", "Bezwaar afgewezen")
    assert {k for k, (state, _) in states.items() if state == "destroyed"} == destroyed

    # exactly the right objects gone, and the store holds nothing unreferenced
    for kenmerk, hashes in content.items():
        for sha in hashes:
            assert ws.objects.exists(sha) == (kenmerk not in destroyed), kenmerk
    with ws.readers() as session:
        referenced = set(session.scalars(select(Bestand.sha256)))
        assert set(ws.objects.iter_names()) == referenced
        assert audit.verify_chain(session) == []
        assert not session.scalar(
            select(func.count()).select_from(DisposalItem).where(
                DisposalItem.pending_objects.is_not(None))
        )  # fmt: skip
        for kenmerk in destroyed:
            row = session.scalars(
                select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
            ).one()
            assert (row.status, row.resultaat_nummer) == ("destroyed", "1.5")
            assert row.naam.startswith("Zaak") and row.archiefactiedatum is not None
            events = session.scalar(
                select(func.count()).select_from(Event).where(
                    Event.informatieobject_id == row.id, Event.event_type == "Vernietiging")
            )  # fmt: skip
            assert events == 1, f"{kenmerk}: destroyed exactly once"
        for kenmerk in (held, removed):
            row = session.scalars(
                select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
            ).one()
            assert row.status == "closed"
        verklaringen = session.scalars(
            select(Informatieobject).where(
                Informatieobject.naam.like("Verklaring van vernietiging%"),
                Informatieobject.aggregatieniveau == "Dossier",
            )
        ).all()
        assert len(verklaringen) == 1, "filed exactly once"
        pdf_sha = session.scalars(
            select(Bestand.sha256)
            .join(Informatieobject, Bestand.informatieobject_id == Informatieobject.id)
            .where(Informatieobject.parent_id == verklaringen[0].id, Bestand.mime.like("%pdf"))
        ).one()
    with pikepdf.open(ws.objects.verified_path(pdf_sha)) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B"
        assert len(pdf.pages) >= 1
