"""Full MDTO metadata in the database: stored document, derived columns, inheritance, saving.

Real workspaces on SQLite and PostgreSQL (the ``ws`` fixture), real filed files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from recordsdesk.db.models import AuditEvent, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.mdto import inherit, model, stored, xmlio
from recordsdesk.mdto.model import Begrip, BeperkingGebruik, DekkingInTijd, Termijn, Verwijzing
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace
from recordsdesk.services.export import export_mdto
from recordsdesk.services.metadata import (
    MetadataProblems,
    check_metadata,
    load_metadata,
    save_metadata,
)
from tests.core.samples import pdf_bytes, write
from tests.mdto.samples import full_informatieobject

V = Begrip("Vernietigen", "V", Verwijzing("Begrippenlijst Waarderingen MDTO"))


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    yield workspace
    workspace.close()


@pytest.fixture
def filed(ws: Workspace, tmp_path: Path) -> tuple[str, str]:
    """(dossier id, record id) of a dossier with one filed PDF."""
    created = create_dossier(ws, "Subsidie Wijkfeest Delfshaven")
    file_paths(ws, created.kenmerk, [write(tmp_path / "aanvraag.pdf", pdf_bytes("aanvraag"))])
    with ws.readers() as session:
        record_id = session.scalar(
            select(Informatieobject.id).where(Informatieobject.parent_id == created.id)
        )
    assert record_id is not None
    return created.id, record_id


def test_the_stored_document_round_trips_every_element_except_the_archives_own() -> None:
    full = full_informatieobject()
    back = stored.loads(stored.dumps(full, ["waardering", "activiteit"]))
    assert back.inherits == {"waardering", "activiteit"}
    assert back.meta == stored.without_system_fields(full)
    assert back.meta.event == () and back.meta.heeft_representatie == ()
    assert back.meta.trefwoord == full.trefwoord and back.meta.betrokkene == full.betrokkene


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"v": 1}', '{"v": 2, "tree": {}}', '{"v": 1, "tree": {}, "inherits": 3}'],
)
def test_a_stored_document_this_version_cannot_read_is_an_error(text: str) -> None:
    with pytest.raises(stored.StoredMetadataError):
        stored.loads(text)


def test_columns_are_derived_from_the_first_values_and_full_dates_only() -> None:
    full = full_informatieobject()
    looptijd = Begrip("Looptijd", None, Verwijzing("x"))
    meta = dataclasses.replace(
        full,
        naam="  Bouwvergunning  ",
        waardering=V,
        bewaartermijn=Termijn(looptijd="P10Y"),
        dekking_in_tijd=(DekkingInTijd(looptijd, "2024-02-01", "2024-03-01"),),
    )
    columns = stored.derive_columns(meta)
    assert columns["naam"] == "  Bouwvergunning  ", "kept as written: references repeat it"
    assert columns["waardering"] == "V" and columns["bewaartermijn"] == "P10Y"
    assert str(columns["dekking_begin"]) == "2024-02-01"
    assert columns["beperking_gebruik"] == full.beperking_gebruik[0].type.label
    partial = dataclasses.replace(meta, dekking_in_tijd=(DekkingInTijd(looptijd, "2024"),))
    assert stored.derive_columns(partial)["dekking_begin"] is None


def test_inherited_fields_take_the_parents_values_and_only_inheritable_ones_may() -> None:
    parent = dataclasses.replace(full_informatieobject(), waardering=V)
    own = full_informatieobject()
    result = inherit.effective(own, {"waardering"}, parent)
    assert result.waardering == V and result.naam == own.naam
    assert inherit.effective(own, {"waardering"}, None) == own
    with pytest.raises(ValueError, match="naam"):
        inherit.effective(own, {"naam"}, parent)


def test_a_new_record_inherits_what_filing_copied_from_its_dossier(
    ws: Workspace, filed: tuple[str, str]
) -> None:
    dossier_id, record_id = filed
    view = load_metadata(ws, record_id)
    assert view.inherits == set(inherit.INHERITABLE)
    assert view.parent is not None and view.parent_kenmerk is not None
    assert view.problems == ()
    [bestand] = view.bestanden
    assert bestand.naam == "aanvraag.pdf"
    # PRONOM's format name as the label, the PUID as the code (as the NA's examples do)
    assert bestand.bestandsformaat.code is not None
    assert bestand.bestandsformaat.code.startswith("fmt/")
    assert bestand.bestandsformaat.label.startswith("Acrobat PDF")
    assert load_metadata(ws, dossier_id).inherits == frozenset()


def test_saving_a_record_stores_the_tree_derives_columns_and_records_a_wijziging(
    ws: Workspace, filed: tuple[str, str]
) -> None:
    _, record_id = filed
    view = load_metadata(ws, record_id)
    own = dataclasses.replace(
        view.own, naam="Aanvraag subsidie", trefwoord=("wijkfeest", "subsidie"), waardering=V
    )
    inherits = view.inherits - {"waardering"}
    saved, changes = save_metadata(ws, record_id, own, inherits, expected_version=view.version)

    assert changes.records == {record_id} and changes.audit
    assert saved.own.trefwoord == ("wijkfeest", "subsidie")
    assert saved.effective.waardering == V and "waardering" not in saved.inherits
    with ws.readers() as session:
        row = session.get(Informatieobject, record_id)
        assert row is not None and row.naam == "Aanvraag subsidie" and row.waardering == "V"
        assert row.mdto is not None
        event = session.scalars(
            select(Event).where(
                Event.event_type == "Wijziging", Event.informatieobject_id == record_id
            )
        ).one()
        assert event.resultaat == "naam, trefwoord, waardering"
        assert event.verantwoordelijke_actor == ws.actor
    wijziging = [e for e in saved.effective.event if e.type.label == "Wijziging"]
    assert len(wijziging) == 1 and wijziging[0].resultaat == "naam, trefwoord, waardering"


def test_an_export_writes_the_saved_metadata(
    ws: Workspace, filed: tuple[str, str], tmp_path: Path
) -> None:
    dossier_id, record_id = filed
    view = load_metadata(ws, record_id)
    own = dataclasses.replace(view.own, trefwoord=("wijkfeest",), taal=("nl",))
    save_metadata(ws, record_id, own, view.inherits, expected_version=view.version)
    kenmerk = load_metadata(ws, dossier_id).kenmerk
    report = export_mdto(ws, kenmerk, tmp_path / "uit")
    assert report.problems == [] and report.folder is not None
    written = xmlio.read(report.folder / f"{view.kenmerk}.mdto.xml")
    assert isinstance(written, model.Informatieobject)
    assert written.trefwoord == ("wijkfeest",) and written.taal == ("nl",)


def test_a_dossier_change_reaches_records_that_inherit_and_not_those_that_override(
    ws: Workspace, filed: tuple[str, str], tmp_path: Path
) -> None:
    dossier_id, record_id = filed
    kenmerk = load_metadata(ws, dossier_id).kenmerk
    file_paths(ws, kenmerk, [write(tmp_path / "besluit.pdf", pdf_bytes("besluit"))])
    record = load_metadata(ws, record_id)
    overriding = dataclasses.replace(
        record.own, waardering=V, bewaartermijn=Termijn(looptijd="P7Y")
    )
    save_metadata(
        ws,
        record_id,
        overriding,
        record.inherits - {"waardering", "bewaartermijn"},
        expected_version=record.version,
    )
    dossier = load_metadata(ws, dossier_id)
    bewaren = Begrip("Blijvend te bewaren", "B", Verwijzing("Begrippenlijst Waarderingen MDTO"))
    restricted = BeperkingGebruik(Begrip("Openbaar", None, Verwijzing("x")))
    changed = dataclasses.replace(dossier.own, waardering=bewaren, beperking_gebruik=(restricted,))
    _, changes = save_metadata(ws, dossier_id, changed, (), expected_version=dossier.version)

    with ws.readers() as session:
        rows = {
            r.id: r
            for r in session.scalars(
                select(Informatieobject).where(Informatieobject.parent_id == dossier_id)
            )
        }
    [other_id] = set(rows) - {record_id}
    assert rows[other_id].waardering == "B" and rows[other_id].beperking_gebruik == "Openbaar"
    assert rows[record_id].waardering == "V", "an overridden value stays the record's own"
    assert rows[record_id].beperking_gebruik == "Openbaar", "an inherited one follows"
    assert changes.dossiers == {dossier_id} and changes.records == {other_id, record_id}
    assert load_metadata(ws, other_id).effective.waardering.code == "B"


def test_problems_are_reported_all_at_once_and_nothing_is_saved(
    ws: Workspace, filed: tuple[str, str]
) -> None:
    _, record_id = filed
    view = load_metadata(ws, record_id)
    looptijd = Begrip("Looptijd", None, Verwijzing("x"))
    bad = dataclasses.replace(
        view.own,
        naam="   ",
        dekking_in_tijd=(DekkingInTijd(looptijd, "2024-05-01", "2023-01-01"),),
    )
    found = check_metadata(bad, view.inherits, view.parent, view.effective)
    paths = {p.path for p in found}
    assert "/MDTO/informatieobject/naam" in paths
    assert any(p.endswith("dekkingInTijdEinddatum") for p in paths)
    with ws.readers() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(MetadataProblems) as refused:
        save_metadata(ws, record_id, bad, view.inherits, expected_version=view.version)
    assert {p.path for p in refused.value.problems} == paths
    assert load_metadata(ws, record_id).own == view.own
    with ws.readers() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_a_stale_version_is_refused(ws: Workspace, filed: tuple[str, str]) -> None:
    _, record_id = filed
    view = load_metadata(ws, record_id)
    first = dataclasses.replace(view.own, trefwoord=("een",))
    save_metadata(ws, record_id, first, view.inherits, expected_version=view.version)
    second = dataclasses.replace(view.own, trefwoord=("twee",))
    with pytest.raises(UserError, match="changed by someone else"):
        save_metadata(ws, record_id, second, view.inherits, expected_version=view.version)
    assert load_metadata(ws, record_id).own.trefwoord == ("een",)


def test_the_archives_own_identificatie_and_level_cannot_be_edited_away(
    ws: Workspace, filed: tuple[str, str]
) -> None:
    _, record_id = filed
    view = load_metadata(ws, record_id)
    other = model.Identificatie("Z-2024-17", "Zaaksysteem")
    own = dataclasses.replace(
        view.own,
        identificatie=(other,),
        aggregatieniveau=Begrip("Dossier", None, Verwijzing("x")),
    )
    saved, _ = save_metadata(ws, record_id, own, view.inherits, expected_version=view.version)
    assert saved.own.identificatie == (view.own.identificatie[0], other)
    assert saved.own.aggregatieniveau == view.own.aggregatieniveau


def test_saving_without_a_change_records_nothing(ws: Workspace, filed: tuple[str, str]) -> None:
    _, record_id = filed
    view = load_metadata(ws, record_id)
    saved, changes = save_metadata(
        ws, record_id, view.own, view.inherits, expected_version=view.version
    )
    assert changes.empty and saved.version == view.version
