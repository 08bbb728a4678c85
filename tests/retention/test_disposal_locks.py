"""A hold placed on a Serie at the very moment a list is carried out (PostgreSQL, where
transactions really run side by side): the execution waits for the hold's transaction
and then sees it, so the held dossier survives."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text

from recordsdesk.db.models import Hold, Informatieobject
from recordsdesk.services import disposal as lists
from recordsdesk.services import open_workspace
from recordsdesk.services.disposal_run import RunReport, execute
from tests.retention.disposal_support import (
    AUTHOR,
    NOW,
    approve_whole,
    as_user,
    closed_dossier,
    hashes_of,
    people,
)


@pytest.mark.postgres
def test_a_serie_hold_committed_while_an_item_is_checked_is_seen(
    home: Path, pg_url: str, tmp_path: Path
) -> None:
    ws = open_workspace(home, db_url=pg_url)
    ws.clock = lambda: NOW
    try:
        people(ws)
        kenmerk = closed_dossier(ws, tmp_path, "Onder een serie")
        content = hashes_of(ws, kenmerk)
        with ws.sessions() as session, session.begin():  # put the dossier in a Serie
            dossier = session.scalars(
                select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
            ).one()
            serie = Informatieobject(
                id=str(uuid.uuid4()), kenmerk=ws.next_kenmerk(session, "D"),
                aggregatieniveau="Serie", naam="Subsidies", archiefvormer="gm0599",
                created_at=NOW, created_by=AUTHOR, updated_at=NOW,
            )  # fmt: skip
            session.add(serie)
            session.flush()
            dossier.parent_id = serie.id
        key = lists.create_list(as_user(ws, AUTHOR), kind="destruction", name="VL").id
        approve_whole(ws, key)

        # another user's transaction has inserted a hold on the Serie, not yet committed
        holder = ws.sessions()
        holder.begin()
        hold = Hold(id=str(uuid.uuid4()), informatieobject_id=serie.id,
                    reason="Rechtszaak 2026/31", placed_by="jurist", placed_at=NOW)  # fmt: skip
        holder.add(hold)
        holder.flush()

        outcome: list[RunReport | BaseException] = []
        runner_ws = open_workspace(home, db_url=pg_url)
        runner_ws.clock, runner_ws.actor = ws.clock, AUTHOR

        def run() -> None:
            try:
                outcome.append(execute(runner_ws, key))
            except BaseException as exc:  # handed to the test thread
                outcome.append(exc)

        runner = threading.Thread(target=run)
        runner.start()
        _wait_until_a_backend_waits_for_a_lock(ws.engine, runner)
        holder.commit()
        holder.close()
        runner.join(timeout=120)
        runner_ws.close()
        assert outcome and isinstance(outcome[0], RunReport), outcome
        states = {i.kenmerk: (i.state, i.note) for i in lists.items(ws, key)}
        assert states[kenmerk] == ("skipped", "under a legal hold")
        assert all(ws.objects.exists(sha) for sha in content)
    finally:
        ws.close()


def _wait_until_a_backend_waits_for_a_lock(engine: object, runner: threading.Thread) -> None:
    """Block until the execution is waiting on a row lock (what the test is about); a
    bound on the wait keeps a broken build from hanging, it is not a timing assertion."""
    deadline = time.monotonic() + 60
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as conn:  # type: ignore[attr-defined]
            if conn.execute(query).scalar():
                return
        if not runner.is_alive():
            raise AssertionError("the execution finished without waiting for the hold")
        time.sleep(0.01)
    raise AssertionError("the execution never waited for the hold's transaction")
