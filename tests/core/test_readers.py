"""Reading never waits for a writer on the SQLite working store (WAL).

The desktop window and the CLI may use one store at the same time: a long
filing transaction must not freeze a list in the other process.
"""

from __future__ import annotations

import threading
from pathlib import Path

from recordsdesk.services import create_dossier, list_dossiers, open_workspace
from recordsdesk.services.dossiers import clean_title


def test_a_reader_is_not_blocked_by_an_open_write_transaction(home: Path) -> None:
    ws = open_workspace(home)
    other = open_workspace(home)  # a second process's view of the same store
    try:
        created = create_dossier(ws, "Eerste dossier")
        writing, reader_done = threading.Event(), threading.Event()
        outcome: list[object] = []

        def writer() -> None:
            # holds SQLite's write lock until the reader has finished (or 20 s passed)
            with ws.sessions() as session, session.begin():
                ws.next_kenmerk(session, "D")
                writing.set()
                outcome.append(reader_done.wait(timeout=20))

        thread = threading.Thread(target=writer)
        thread.start()
        assert writing.wait(timeout=20)
        rows = list_dossiers(other)
        reader_done.set()
        thread.join()

        assert [r.kenmerk for r in rows] == [created.kenmerk]
        assert outcome == [True], "the reader only got through after the writer gave up"
    finally:
        other.close()
        ws.close()


def test_titles_are_cleaned_of_extra_whitespace() -> None:
    assert clean_title("  Bezwaar \n parkeren\tCentrum ") == "Bezwaar parkeren Centrum"
