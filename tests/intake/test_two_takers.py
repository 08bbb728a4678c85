"""Two takers (the window's watcher and Process drop folders now) claim the same file."""

from __future__ import annotations

from pathlib import Path

from recordsdesk.intake import pipeline
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.states import InboxState
from recordsdesk.services import Workspace
from tests.core.samples import write


def test_a_claim_the_other_taker_stored_meanwhile_leaves_this_round(
    ws: Workspace, drop: Path
) -> None:
    path = drop / "brief.txt"
    write(path, b"Brief over de kapvergunning\n")
    folder = add_drop_folder(ws, drop)
    taken = pipeline.fingerprint(path)
    assert taken is not None
    first = pipeline._claim_many(ws, [(folder, path, taken)])
    second = pipeline._claim_many(ws, [(folder, path, taken)])  # sees the first one's claim
    assert first[0].item_id == second[0].item_id
    pipeline._store_many(ws, first)
    assert first[0].state is InboxState.STORED and first[0].sha256 is not None
    pipeline._store_many(ws, second)
    # not this taker's any more: the first one examines and records it
    assert second[0].state is None
    assert [c for c in second if c.state is InboxState.STORED and c.sha256 is None] == []
