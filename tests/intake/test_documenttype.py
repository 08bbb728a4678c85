"""The document type: a drop folder's becomes the filed record's, it is an MDTO
classificatie in its own list (kept apart from the ordering scheme's), editing it in
the metadata moves the column, and search counts and filters on it. Real intake, real
workspaces on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from recordsdesk.intake import inbox
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.mdto import mapping
from recordsdesk.mdto.model import Begrip, Verwijzing
from recordsdesk.search import service
from recordsdesk.search.facets import FacetFilters, facet_counts
from recordsdesk.services import Workspace, create_dossier, file_paths
from recordsdesk.services.metadata import load_metadata, save_metadata
from tests.woo.conftest import row


def take_in(ws: Workspace, intake: Callable[[], list[str]]) -> list[str]:
    intake()
    ready = [i.id for i in inbox.list_inbox(ws) if i.state == "ready"]
    return [r.kenmerk for r in inbox.file_items(ws, ready).records]


def test_a_drop_folders_document_type_becomes_the_records(
    ws: Workspace, drop: Path, tmp_path: Path, intake: Callable[[], list[str]]
) -> None:
    dossier = create_dossier(ws, "Inkoop kantoorartikelen").kenmerk
    add_drop_folder(ws, drop, dossier_kenmerk=dossier, document_type="  Factuur ")
    (drop / "factuur-0042.txt").write_text("Factuur 42 voor pennen", encoding="utf-8")
    [from_folder] = take_in(ws, intake)
    assert row(ws, from_folder).documenttype == "Factuur"

    (tmp_path / "memo.txt").write_text("Een memo", encoding="utf-8")
    [by_hand] = file_paths(ws, dossier, [tmp_path / "memo.txt"]).records
    assert row(ws, by_hand.kenmerk).documenttype is None, "never taken from elsewhere"
    assert row(ws, dossier).documenttype is None

    meta = load_metadata(ws, row(ws, from_folder).id).effective
    assert meta.classificatie == (
        Begrip("Factuur", None, Verwijzing(mapping.DOCUMENTTYPE_LIST)),
    ), "in MDTO: a classificatie in the document types' list"


def test_editing_the_classificaties_moves_the_columns_apart(ws: Workspace, tmp_path: Path) -> None:
    dossier = create_dossier(ws, "Bezwaren parkeren").kenmerk
    (tmp_path / "bezwaar.txt").write_text("Bezwaar tegen de boete", encoding="utf-8")
    [made] = file_paths(ws, dossier, [tmp_path / "bezwaar.txt"]).records
    view = load_metadata(ws, made.id)
    own = dataclasses.replace(
        view.own,
        classificatie=(
            Begrip("Bezwaarschrift", None, Verwijzing(mapping.DOCUMENTTYPE_LIST)),
            Begrip("1.2.3", None, Verwijzing(mapping.CLASSIFICATIE_LIST)),
        ),
    )
    saved, _changes = save_metadata(ws, made.id, own, view.inherits, expected_version=view.version)
    stored = row(ws, made.kenmerk)
    assert (stored.documenttype, stored.classificatie) == ("Bezwaarschrift", "1.2.3")
    assert len(saved.effective.classificatie) == 2

    cleared = dataclasses.replace(saved.own, classificatie=saved.own.classificatie[1:])
    save_metadata(ws, made.id, cleared, saved.inherits, expected_version=saved.version)
    stored = row(ws, made.kenmerk)
    assert (stored.documenttype, stored.classificatie) == (None, "1.2.3")


def test_search_counts_and_filters_on_the_document_type(
    ws: Workspace, drop: Path, tmp_path: Path, intake: Callable[[], list[str]]
) -> None:
    dossier = create_dossier(ws, "Onderhoud gemaal").kenmerk
    add_drop_folder(ws, drop, dossier_kenmerk=dossier, document_type="Factuur")
    for n in (1, 2):
        (drop / f"factuur-{n}.txt").write_text(f"Factuur {n} onderhoud gemaal", encoding="utf-8")
    invoices = take_in(ws, intake)
    letter = tmp_path / "brief onderhoud.txt"  # filed by hand: found by its title
    letter.write_text("Brief", encoding="utf-8")
    file_paths(ws, dossier, [letter])

    with ws.sessions() as session, session.begin():
        service.search(session, "onderhoud")  # brings the index up to date
    with ws.readers() as session:
        found = facet_counts(session, "onderhoud", only=("documenttype",))
        only_invoices = FacetFilters().choose("documenttype", "Factuur")
        hits = service.search(session, "onderhoud", filters=only_invoices)
    facet = found["documenttype"]
    assert facet.name == "Documenttype"
    assert {v.value: v.count for v in facet.values} == {"Factuur": 2, None: 2}  # brief, dossier
    assert hits.total == 2
    assert sorted(h.kenmerk for g in hits.groups for h in g.hits) == sorted(invoices)
