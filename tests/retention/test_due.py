"""The due list: V to destroy, B to transfer, held ones and open dates apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk.services import Workspace, create_dossier, open_workspace
from recordsdesk.services.closing import classify, close
from recordsdesk.services.due import due
from recordsdesk.services.holds import place_hold

OPENED = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


def closed(ws: Workspace, title: str, nummer: str, on: dt.date, **options: str) -> str:
    ws.clock = lambda: OPENED
    kenmerk = create_dossier(ws, title).kenmerk
    ws.clock = lambda: NOW
    classify(ws, kenmerk, nummer)
    close(ws, kenmerk, on=on, **options)  # type: ignore[arg-type]
    return kenmerk


def test_the_due_list_splits_and_sets_apart(ws: Workspace) -> None:
    # 1.5: V, P1Y after closing; 1.1.1: B, transfer 20 years after closing
    gone = closed(ws, "Afgebroken project", "1.5", dt.date(2024, 2, 29))
    later = closed(ws, "Recent afgebroken", "1.5", dt.date(2026, 6, 1))
    held = closed(ws, "Afgebroken, maar Woo-verzoek", "1.5", dt.date(2024, 3, 1))
    place_hold(ws, held, "Woo-verzoek 2026-041")
    keep = closed(ws, "Ingericht orgaan", "1.1.1", dt.date(2024, 5, 1))
    open_date = closed(
        ws, "Vastgesteld plan", "2.1", dt.date(2024, 6, 1), afleidingswijze="ander_datumkenmerk"
    )

    today = due(ws, dt.date(2026, 11, 28))
    assert [i.kenmerk for i in today.destroy] == [gone]
    assert today.destroy[0].archiefactiedatum == dt.date(2025, 2, 28)
    assert today.transfer == []
    assert [(i.kenmerk, i.note) for i in today.held] == [(held, "Woo-verzoek 2026-041")]
    assert [i.kenmerk for i in today.undetermined] == [open_date]
    assert later not in {i.kenmerk for i in today.destroy}, "not due before its date"

    in_2045 = due(ws, dt.date(2045, 1, 1))
    assert {i.kenmerk for i in in_2045.destroy} == {gone, later}
    assert [i.kenmerk for i in due(ws, dt.date(2044, 5, 1)).transfer] == [keep]
    assert due(ws, dt.date(2044, 4, 30)).transfer == [], "the transfer date itself counts"
    assert in_2045.to_json()["held"][0]["kenmerk"] == held
