"""Hidden-result counts: a searcher learns how many matches it may not see, never what.

On an enforced central archive (tests/central/enforcement_support.py) wim is a Woo
searcher without the restricted role: "Klacht over medewerker" is restricted, so wim's
search must list nothing of it while the hidden count says it exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from recordsdesk.db.engine import make_engine
from recordsdesk.search import index
from recordsdesk.search.facets import facet_counts
from recordsdesk.search.hidden import hidden_count
from recordsdesk.search.service import search
from recordsdesk.services import Workspace, open_workspace
from tests.central.enforcement_support import Central, enforced_central, object_naam
from tests.search.records import dossier, find


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    try:
        yield workspace
    finally:
        workspace.close()


def test_without_enforcement_nothing_is_hidden(ws: Workspace) -> None:
    dossier(ws, "Klacht over de buren")
    assert find(ws, "klacht").total == 1
    with ws.readers() as session:
        assert hidden_count(session, "klacht") == 0
        assert hidden_count(session, "onvindbaar") == 0


@pytest.fixture
def central(pg_url: str, tmp_path: Path) -> Iterator[Central]:
    with enforced_central("superuser", pg_url, tmp_path) as made:
        with made.engine.begin() as connection:  # the owner brings the index up to date
            index.refresh(connection)
        yield made


def login_engine(central: Central, person: str) -> Engine:
    url = make_url(central.url).set(username=central.logins[person])
    return make_engine(url.render_as_string(hide_password=False))


def everything_shown(connection: Connection, text: str) -> str:
    """All a search and its facets show, as one text (titles, snippets, labels)."""
    found = search(connection, text, refresh_limit=0)
    facets = facet_counts(connection, text)
    shown = {k: [(v.value, v.label, v.count) for v in f.values] for k, f in facets.items()}
    return json.dumps([found.to_json(), shown], ensure_ascii=False)


@pytest.mark.postgres
def test_a_searcher_learns_the_number_of_hidden_results_never_their_titles(
    central: Central,
) -> None:
    restricted = object_naam(central, central.ids["restricted"])
    with central.engine.connect() as owner:
        every = search(owner, "klacht", refresh_limit=0).total
        assert every >= 2  # the dossier and its record
        assert hidden_count(owner, "klacht") == 0  # the owner sees everything
    wim = login_engine(central, "wim")
    rob = login_engine(central, "rob")
    try:
        with wim.connect() as connection:
            assert hidden_count(connection, "klacht") == every
            assert search(connection, "klacht", refresh_limit=0).total == 0
            shown = everything_shown(connection, "klacht")
            assert restricted not in shown and "Klacht" not in shown
            assert all(not f.values for f in facet_counts(connection, "klacht").values())
            # what wim may see is not counted as hidden
            assert search(connection, "paspoort", refresh_limit=0).total >= 1
            assert hidden_count(connection, "paspoort") == 0
            assert hidden_count(connection, "klacht OR paspoort") == every
            assert hidden_count(connection, "klacht*") == every  # a prefix too
            assert hidden_count(connection, "onvindbaar") == 0
            # words only count on the index's tsv_all: a field term is unknown
            assert hidden_count(connection, "titel:klacht") is None
            assert hidden_count(connection, "klacht titel:medewerker") is None
            assert hidden_count(connection, "datum:2024") is None
        with rob.connect() as connection:  # a Woo searcher with the restricted role
            assert hidden_count(connection, "klacht") == 0
            assert search(connection, "klacht", refresh_limit=0).total == every
    finally:
        wim.dispose()
        rob.dispose()


@pytest.mark.postgres
def test_another_department_is_hidden_from_a_filer(central: Central) -> None:
    bob = login_engine(central, "bob")
    try:
        with bob.connect() as connection:
            assert search(connection, "paspoort", refresh_limit=0).total == 0
            hidden = hidden_count(connection, "paspoort")
            assert hidden is not None and hidden >= 2
            assert "Paspoort" not in everything_shown(connection, "paspoort")
    finally:
        bob.dispose()
