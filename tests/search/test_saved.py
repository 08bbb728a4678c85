"""Saved searches: per user, unique names, refused when they could not run, run afresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recordsdesk.archive import saved_searches as saved
from recordsdesk.db.models import SavedSearch
from recordsdesk.errors import NotFoundError, UserError
from recordsdesk.search.facets import FacetFilters
from recordsdesk.search.query import QueryError
from recordsdesk.services import Workspace, open_workspace
from tests.search.records import day, dossier, file_text, kenmerken, set_columns


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    workspace.actor = "wendy"
    try:
        yield workspace
    finally:
        workspace.close()


def stored(ws: Workspace) -> int:
    with ws.readers() as session:
        return int(session.scalar(select(func.count()).select_from(SavedSearch)) or 0)


def test_a_saved_search_runs_again_with_its_filters(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Kapvergunningen")
    kept = file_text(ws, tmp_path, d, "besluit", "Besluit over de kapvergunning.")
    other = file_text(ws, tmp_path, d, "aanvraag", "Aanvraag kapvergunning.")
    set_columns(ws, kept, waardering="B", dekking_begin=day("2023-04-01"))
    filters = FacetFilters(waardering="B", date_from=day("2023-01-01"), date_to=day("2023-12-31"))

    info = saved.save_search(ws, "  Kap   2023 ", "kapvergunning", filters)

    assert (info.name, info.query, info.filters) == ("Kap 2023", "kapvergunning", filters)
    [listed] = saved.list_searches(ws)
    assert listed.filters == filters and listed.to_json()["filters"]["date_to"] == "2023-12-31"
    again, found = saved.run_search(ws, "kap 2023")  # any case
    assert again.name == "Kap 2023"
    assert kenmerken(found) == {kept}
    set_columns(ws, other, waardering="B", dekking_begin=day("2023-06-01"))
    assert kenmerken(saved.run_search(ws, "Kap 2023")[1]) == {kept, other}  # today's index


def test_names_are_unique_per_user_and_refusals_store_nothing(ws: Workspace) -> None:
    saved.save_search(ws, "Bouw", "bouw")
    with pytest.raises(UserError, match="Bouw") as caught:
        saved.save_search(ws, "bouw", "sloop")
    assert "forget" in caught.value.msgid
    with pytest.raises(UserError):
        saved.save_search(ws, "   ", "bouw")
    with pytest.raises(UserError):
        saved.save_search(ws, "x" * (saved.NAME_MAX + 1), "bouw")
    with pytest.raises(QueryError):
        saved.save_search(ws, "Kapot", '"niet gesloten')
    with pytest.raises(NotFoundError):
        saved.save_search(ws, "Geen dossier", "bouw", FacetFilters(dossier="D-1999-999"))
    with pytest.raises(UserError):
        saved.save_search(ws, "Raar", "bouw", FacetFilters(waardering="X"))
    assert stored(ws) == 1
    assert [s.name for s in saved.list_searches(ws)] == ["Bouw"]


def test_each_user_sees_only_their_own(ws: Workspace) -> None:
    saved.save_search(ws, "Bouw", "bouw")
    ws.actor = "piet"  # the same store, another person
    assert saved.list_searches(ws) == []
    with pytest.raises(NotFoundError):
        saved.run_search(ws, "Bouw")
    with pytest.raises(NotFoundError):
        saved.forget_search(ws, "Bouw")
    saved.save_search(ws, "Bouw", "sloop")  # the same name is piet's own
    assert [s.query for s in saved.list_searches(ws)] == ["sloop"]
    ws.actor = "wendy"
    assert [s.query for s in saved.list_searches(ws)] == ["bouw"]
    assert stored(ws) == 2


def test_forgetting_removes_only_that_search(ws: Workspace) -> None:
    saved.save_search(ws, "Bouw", "bouw")
    saved.save_search(ws, "Sloop", "sloop")
    assert saved.forget_search(ws, "BOUW").name == "Bouw"
    assert [s.name for s in saved.list_searches(ws)] == ["Sloop"]
    with pytest.raises(NotFoundError, match="Bouw"):
        saved.forget_search(ws, "Bouw")
    with pytest.raises(NotFoundError):
        saved.get_search(ws, "Bouw")
