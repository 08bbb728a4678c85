"""Searching: Dutch words, grouping by dossier, ranking, dates, filters, hostile input."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from recordsdesk.db.models import Informatieobject, table_of
from recordsdesk.errors import UserError
from recordsdesk.search import service
from recordsdesk.search.query import QueryError, parse
from recordsdesk.search.results import SearchFilters
from recordsdesk.search.snippet import END, START
from recordsdesk.services import Workspace, open_workspace
from tests.search.records import day, dossier, file_text, find, kenmerken, set_columns


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    try:
        yield workspace
    finally:
        workspace.close()


def test_dutch_stemming_finds_other_forms_of_a_word(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Vergunningverlening")
    one = file_text(ws, tmp_path, d, "besluit", "De vergunning is verleend.")
    many = file_text(ws, tmp_path, d, "overzicht", "Alle vergunningen van 2024.")
    assert kenmerken(find(ws, "vergunningen")) == {one, many}
    assert kenmerken(find(ws, "vergunning")) == {one, many}


def test_diacritics_are_ignored_both_ways(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Horeca")
    accented = file_text(
        ws, tmp_path, d, "terras", "Het café aan de Coolsingel; een financiële zaak."
    )
    plain = file_text(ws, tmp_path, d, "ontheffing", "Cafe De Unie vraagt ontheffing.")
    assert kenmerken(find(ws, "cafe")) == {accented, plain}
    assert kenmerken(find(ws, "café")) == {accented, plain}
    assert kenmerken(find(ws, "financiele")) == {accented}
    assert kenmerken(find(ws, '"het cafe"')) == {accented}


def test_results_are_grouped_by_dossier_best_first(ws: Workspace, tmp_path: Path) -> None:
    weak = dossier(ws, "Algemene correspondentie")
    strong = dossier(ws, "Snippergroen Kralingen")
    w1 = file_text(ws, tmp_path, weak, "brief", "Een vraag over snippergroen en meer.")
    s1 = file_text(ws, tmp_path, strong, "aanvraag", "Aanvraag snippergroen achter de tuin.")
    s2 = file_text(ws, tmp_path, strong, "besluit", "Besluit op de aanvraag snippergroen.")

    found = find(ws, "snippergroen")

    assert (found.total, found.dossier_count) == (4, 2)  # the strong dossier itself is a hit
    assert [g.kenmerk for g in found.groups] == [strong, weak]
    first = found.groups[0]
    assert first.naam == "Snippergroen Kralingen"
    assert first.hit_count == 3
    assert first.hits[0].kenmerk == strong  # its title holds the word: ranked first
    assert {h.kenmerk for h in first.hits} == {strong, s1, s2}
    assert [h.kenmerk for h in found.groups[1].hits] == [w1]
    scores = [h.score for g in found.groups for h in g.hits]
    assert found.groups[0].hits[0].score == max(scores)

    page_two = find(ws, "snippergroen", page=1, page_size=1)
    assert [g.kenmerk for g in page_two.groups] == [weak]
    assert (page_two.total, page_two.dossier_count) == (4, 2)
    beyond = find(ws, "snippergroen", page=5, page_size=1)
    assert (beyond.groups, beyond.total) == ((), 4)


def test_a_title_match_ranks_above_a_body_match(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Wegwerkzaamheden")
    body = file_text(ws, tmp_path, d, "planning", "Planning: de asfaltering volgt in mei.")
    titled = file_text(ws, tmp_path, d, "asfaltering", "Planning voor mei.")
    found = find(ws, "asfaltering")
    assert [h.kenmerk for h in found.groups[0].hits] == [titled, body]


def test_a_snippet_marks_the_words_found(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Bomenkap")
    file_text(ws, tmp_path, d, "melding", "Wij melden dat de bomen aan de Laan gekapt worden.")
    [group] = find(ws, "bomen").groups
    [hit] = [h for h in group.hits if h.kenmerk != d]
    assert f"{START}bomen{END}" in hit.snippet
    assert "Laan" in hit.snippet


def test_every_construct_of_the_language_reaches_the_index(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Sloop en nieuwbouw")
    sloop = file_text(ws, tmp_path, d, "sloopmelding", "Melding van de sloop van de schuur.")
    bouw = file_text(ws, tmp_path, d, "bouwtekening", "Tekening van de nieuwe schuur.")
    assert kenmerken(find(ws, "schuur -sloop")) == {bouw}
    assert kenmerken(find(ws, "sloopmelding OR bouwtekening")) == {sloop, bouw}
    assert kenmerken(find(ws, "sloopmeld*")) == {sloop}
    assert kenmerken(find(ws, '"nieuwe schuur"')) == {bouw}
    assert kenmerken(find(ws, "titel:bouwtekening")) == {bouw}


def test_dates_cover_the_dekking_and_else_the_filing_day(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Jaarverslagen")
    old = file_text(ws, tmp_path, d, "verslag2019", "Jaarverslag over het boekjaar.")
    spans = file_text(ws, tmp_path, d, "verslag2020", "Jaarverslag over het boekjaar.")
    filed = file_text(ws, tmp_path, d, "verslagnu", "Jaarverslag over het boekjaar.")
    set_columns(ws, old, dekking_begin=day("2019-03-01"), dekking_eind=day("2019-03-31"))
    set_columns(ws, spans, dekking_begin=day("2020-11-01"), dekking_eind=day("2021-02-28"))
    today = ws.clock().date().isoformat()

    assert kenmerken(find(ws, "boekjaar datum:2019")) == {old}
    assert kenmerken(find(ws, "boekjaar datum:2021-01")) == {spans}
    assert kenmerken(find(ws, "boekjaar datum:..2020-12-31")) == {old, spans}
    assert kenmerken(find(ws, f"boekjaar datum:{today}")) == {filed}
    assert kenmerken(find(ws, "datum:2019-03-15")) == {old}  # dates alone: a listing
    window = SearchFilters(date_from=day("2020-12-01"), date_to=day("2020-12-31"))
    assert kenmerken(find(ws, "boekjaar", filters=window)) == {spans}


def test_filters_narrow_on_the_objects_own_columns(ws: Workspace, tmp_path: Path) -> None:
    a = dossier(ws, "Archief A")
    b = dossier(ws, "Archief B")
    in_a = file_text(ws, tmp_path, a, "nota", "Nota over de begroting.")
    in_b = file_text(ws, tmp_path, b, "nota", "Nota over de begroting.")
    set_columns(ws, in_b, waardering="B", beperking_gebruik="Openbaar")

    assert kenmerken(find(ws, "begroting", filters=SearchFilters(dossier=a))) == {in_a}
    assert kenmerken(find(ws, "archief", filters=SearchFilters(aggregatieniveau="Dossier"))) == {
        a,
        b,
    }
    assert kenmerken(find(ws, "begroting", filters=SearchFilters(waardering="B"))) == {in_b}
    openbaar = SearchFilters(beperking_gebruik="Openbaar")
    assert kenmerken(find(ws, "begroting", filters=openbaar)) == {in_b}
    assert find(ws, "begroting", filters=SearchFilters(status="closed")).total == 0
    with pytest.raises(UserError):
        find(ws, "begroting", filters=SearchFilters(waardering="X"))
    with pytest.raises(UserError):
        find(ws, "begroting", filters=SearchFilters(dossier="D-GEEN-1"))


HOSTILE = [
    '"; DROP TABLE informatieobject; --',
    "' OR 1=1 --",
    "NEAR(",
    "NEAR(a b, 2)",
    "titel: OR",
    "body:penningmeester",
    "stems:x",
    "{titel body}: x",
    "a AND b",
    "* ",
    "^begin",
    "x:y:z",
    "'; SELECT pg_sleep(5); --",
    "\\' \\\" \\\\",
    "(((((",
    "a" * 10_000,
    " ".join(["woord"] * 500),
    "de het een",
    "",
    "\x00",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_gives_a_query_error_or_rows_never_a_database_error(
    ws: Workspace, tmp_path: Path, text: str
) -> None:
    d = dossier(ws, "Penningmeester")
    file_text(ws, tmp_path, d, "stuk", "De penningmeester begroot.")
    try:
        found = find(ws, text)
    except QueryError as error:
        assert error.english()  # a message for the searcher
        return
    assert found.total >= 0
    assert kenmerken(find(ws, "penningmeester"))  # the store is intact


def test_matching_selects_the_ids_the_search_finds(ws: Workspace, tmp_path: Path) -> None:
    a = dossier(ws, "Archief A")
    b = dossier(ws, "Archief B")
    in_a = file_text(ws, tmp_path, a, "nota", "Nota over de begroting.")
    in_b = file_text(ws, tmp_path, b, "nota", "Nota over de begroting.")
    file_text(ws, tmp_path, b, "brief", "Een brief over iets anders.")
    set_columns(ws, in_b, waardering="B")
    find(ws, "begroting")  # brings the index up to date

    def ids(text: str, filters: SearchFilters | None = None) -> set[str]:
        with ws.sessions() as session:
            connection = session.connection()
            chosen = service.matching(connection, parse(text), filters).subquery()
            io = table_of(Informatieobject)
            rows = connection.execute(
                select(chosen.c.object_id, io.c.kenmerk).join_from(
                    chosen, io, io.c.id == chosen.c.object_id
                )
            ).all()
            assert all(str(uuid.UUID(r.object_id)) == r.object_id for r in rows)
            return {r.kenmerk for r in rows}

    assert ids("begroting") == {in_a, in_b}
    assert ids("begroting", SearchFilters(waardering="B")) == {in_b}
    assert ids("begroting", SearchFilters(dossier=b)) == {in_b}
    assert ids("archief") == {a, b}
    assert ids("begroting -nota") == set()
    today = ws.clock().date().isoformat()
    assert ids(f"datum:{today}", SearchFilters(dossier=a)) == {a, in_a}
    assert ids("begroting datum:2001") == set()


def _id_of(ws: Workspace, kenmerk: str) -> str:
    with ws.readers() as session:
        io = table_of(Informatieobject)
        return str(session.scalar(select(io.c.id).where(io.c.kenmerk == kenmerk)))


def test_groups_follow_a_record_moved_to_another_dossier(ws: Workspace, tmp_path: Path) -> None:
    a = dossier(ws, "Eerste map")
    b = dossier(ws, "Tweede map")
    moved = file_text(ws, tmp_path, a, "los", "Kadastrale grens verlegd.")
    stays = file_text(ws, tmp_path, a, "vast", "Kadastrale grens bevestigd.")
    found = find(ws, "kadastrale")
    assert [(g.kenmerk, g.hit_count) for g in found.groups] == [(a, 2)]

    set_columns(ws, moved, parent_id=_id_of(ws, b))
    found = find(ws, "kadastrale")
    assert {g.kenmerk: (g.hit_count, {h.kenmerk for h in g.hits}) for g in found.groups} == {
        a: (1, {stays}),
        b: (1, {moved}),
    }
    assert (found.total, found.dossier_count) == (2, 2)


def test_pages_split_the_dossiers_and_a_page_beyond_keeps_the_totals(
    ws: Workspace, tmp_path: Path
) -> None:
    made = set()
    for n in range(5):
        d = dossier(ws, f"Map {n}")
        for m in range(n + 1):  # dossier n has n + 1 hits
            made.add(file_text(ws, tmp_path, d, f"stuk{m}", f"Havenkraan nummer {m}."))
    pages = [find(ws, "havenkraan", page=p, page_size=2, hits_per_group=10) for p in range(4)]
    assert [len(p.groups) for p in pages] == [2, 2, 1, 0]
    assert {(p.total, p.dossier_count) for p in pages} == {(15, 5)}
    assert set().union(*(kenmerken(p) for p in pages)) == made
    assert sorted(g.hit_count for p in pages for g in p.groups) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # slots are the local index's
def test_an_index_of_before_the_dossier_slots_is_rebuilt(ws: Workspace, tmp_path: Path) -> None:
    d = dossier(ws, "Oude index")
    one = file_text(ws, tmp_path, d, "een", "Grondwaterstand gemeten.")
    two = file_text(ws, tmp_path, d, "twee", "Grondwaterstand gedaald.")
    find(ws, "grondwaterstand")
    with ws.sessions() as session, session.begin():  # rowids as numbered before the slots
        session.execute(text("DELETE FROM search_fts"))
        session.execute(text("UPDATE search_row SET rowid = (rowid & 4294967295) + 7"))
    found = find(ws, "grondwaterstand")
    assert (kenmerken(found), found.pending) == ({one, two}, 0)
    assert [(g.kenmerk, g.hit_count) for g in found.groups] == [(d, 2)]
    with ws.readers() as session:
        assert session.scalar(text("SELECT min(rowid) FROM search_row")) >= 1 << 32
