"""The central search index under enforcement: its owner builds it; each login reads
only the entries of objects it may see (titles and text of others stay hidden); the
number of all matches, hidden ones included, is available through rd_search_count.
PostgreSQL only (see test_enforcement_pg.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recordsdesk.search import index
from tests.central.enforcement_support import Central, enforced_central, refused

pytestmark = pytest.mark.postgres

_MATCH = "SELECT count(*) FROM search_document WHERE tsv_all @@ to_tsquery('rd_dutch', %s)"


@pytest.fixture
def central(pg_url: str, tmp_path: Path) -> Iterator[Central]:
    with enforced_central("superuser", pg_url, tmp_path) as made:
        with made.engine.begin() as connection:  # the owner brings the index up to date
            index.refresh(connection)
        yield made


def _count(conn: object, word: str) -> int:
    row = conn.execute(_MATCH, (word,)).fetchone()  # type: ignore[attr-defined]
    return int(row[0])


def test_each_login_finds_only_what_it_may_see(central: Central) -> None:
    with central.connect("bob") as bob, central.connect("wim") as wim:
        # "Paspoort Jansen" belongs to alice's department; "Klacht over medewerker" is
        # restricted: bob (another department) and wim (no restricted role) miss them
        assert _count(bob, "paspoort") == 0 and _count(bob, "bouwvergunning") >= 1
        assert _count(wim, "paspoort") >= 1 and _count(wim, "klacht") == 0
        titles = bob.execute("SELECT titel FROM search_document").fetchall()
        assert all("Paspoort" not in (t or "") for (t,) in titles)
        # the count of every match, hidden ones included, is a number only
        total = wim.execute("SELECT rd_search_count(to_tsquery('rd_dutch', 'klacht'))").fetchone()
        assert total is not None and total[0] >= 1


def test_nobody_but_the_owner_writes_the_index(central: Central) -> None:
    with central.connect("rita") as rita:  # a records manager, like every role but admin
        refused(rita, "DELETE FROM search_document")
        refused(rita, "DELETE FROM search_pending")
    with central.connect("bob") as bob:
        refused(bob, "UPDATE search_document SET titel = 'x'")
