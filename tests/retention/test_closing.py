"""Classify, close and reopen a dossier: the dates derived, the freeze, the refusals.

Real workspaces on SQLite and PostgreSQL; the clock is fixed (what the world provides).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from recordsdesk.db.models import AuditEvent, Event, Informatieobject
from recordsdesk.errors import UserError
from recordsdesk.mdto import model, xmlio
from recordsdesk.services import Workspace, create_dossier, file_paths, open_workspace
from recordsdesk.services.closing import classify, close, reopen, undetermined
from recordsdesk.services.export import export_mdto
from recordsdesk.services.organisation import set_setting
from tests.core.samples import pdf_bytes, write

OPENED = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ws(home: Path, db_url: str) -> Iterator[Workspace]:
    workspace = open_workspace(home, db_url=db_url)
    workspace.clock = lambda: OPENED  # dossiers are opened in 2024, closed "now"
    yield workspace
    workspace.close()


@pytest.fixture
def dossier(ws: Workspace, tmp_path: Path) -> str:
    kenmerk = create_dossier(ws, "Subsidie buurtfeest Feijenoord").kenmerk
    file_paths(ws, kenmerk, [write(tmp_path / "aanvraag.pdf", pdf_bytes("aanvraag"))])
    ws.clock = lambda: NOW
    return kenmerk


def row(ws: Workspace, kenmerk: str) -> Informatieobject:
    with ws.readers() as session:
        found = session.scalar(select(Informatieobject).where(Informatieobject.kenmerk == kenmerk))
    assert found is not None
    return found


def test_a_v_dossier_closes_with_its_destruction_date(ws: Workspace, dossier: str) -> None:
    # 1.5: "Afgebroken", procestermijn nihil (so afgehandeld), vernietigen after 1 year
    classify(ws, dossier, "1.5")
    classified = row(ws, dossier)
    assert (classified.selectielijst_jaar, classified.resultaat_nummer) == (2020, "1.5")
    assert classified.waardering == "V" and classified.afleidingswijze == "afgehandeld"
    done = close(ws, dossier, on=dt.date(2024, 2, 29))
    assert done.brondatum == dt.date(2024, 2, 29)
    assert done.archiefactiedatum == dt.date(2025, 2, 28), "a leap day plus P1Y clamps"
    closed = row(ws, dossier)
    assert closed.status == "closed" and closed.archiefactiedatum == dt.date(2025, 2, 28)
    with ws.readers() as session:
        statuses = session.scalars(
            select(Informatieobject.status).where(Informatieobject.parent_id == closed.id)
        ).all()
        bevriezing = session.scalars(
            select(Event).where(
                Event.event_type == "Bevriezing", Event.informatieobject_id == closed.id
            )
        ).all()
    assert statuses == ["closed"], "its records are frozen too"
    assert len(bevriezing) == 1


def test_a_b_dossier_gets_its_transfer_date(ws: Workspace, dossier: str) -> None:
    classify(ws, dossier, "1.1.1")  # blijvend bewaren
    done = close(ws, dossier, on=dt.date(2026, 1, 31))
    assert done.waardering == "B"
    assert done.archiefactiedatum == done.overbrengingsdatum == dt.date(2046, 1, 31)


def test_a_date_that_cannot_be_derived_yet_goes_on_the_undetermined_list(
    ws: Workspace, dossier: str
) -> None:
    classify(ws, dossier, "1.5")
    done = close(ws, dossier, on=dt.date(2026, 3, 1), afleidingswijze="afgehandeld")
    assert done.archiefactiedatum == dt.date(2027, 3, 1)
    ws.clock = lambda: OPENED
    other = create_dossier(ws, "Bezwaar").kenmerk
    ws.clock = lambda: NOW
    classify(ws, other, "2.1")  # procestermijn: bestaansduur procesobject
    waiting = close(ws, other, on=dt.date(2026, 11, 27), afleidingswijze="ander_datumkenmerk")
    assert waiting.archiefactiedatum is None and waiting.open_reason
    assert [u.kenmerk for u in undetermined(ws)] == [other]


def test_closing_freezes_and_reopen_needs_a_reason(
    ws: Workspace, dossier: str, tmp_path: Path
) -> None:
    classify(ws, dossier, "1.5")
    close(ws, dossier, on=dt.date(2026, 11, 1))
    with pytest.raises(UserError, match=r"not open|closed"):
        file_paths(ws, dossier, [write(tmp_path / "laat.pdf", pdf_bytes("laat"))])
    with pytest.raises(UserError, match="closed; reopen it first"):
        close(ws, dossier)
    with pytest.raises(UserError, match="closed; reopen it first"):
        classify(ws, dossier, "1.1.2")
    with pytest.raises(UserError, match="needs a reason"):
        reopen(ws, dossier, "  ")
    reopen(ws, dossier, "Bezwaar ontvangen na afsluiten")
    opened = row(ws, dossier)
    assert opened.status == "open" and opened.archiefactiedatum is None
    with ws.readers() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert last is not None and last.action == "dossier.reopened"
    assert json.loads(last.details)["reason"] == "Bezwaar ontvangen na afsluiten"


@pytest.mark.parametrize(
    ("nummer", "message"),
    [("99.9.9", "99.9.9"), ("7.1.20", "withdrawn"), ("19.1.13", "withdrawn")],
)
def test_an_unknown_or_withdrawn_result_is_refused(
    ws: Workspace, dossier: str, nummer: str, message: str
) -> None:
    with pytest.raises(UserError) as refused:
        classify(ws, dossier, nummer)
    assert message in refused.value.english()
    assert row(ws, dossier).resultaat_nummer is None


def test_close_dates_in_the_future_or_before_opening_are_refused(
    ws: Workspace, dossier: str
) -> None:
    classify(ws, dossier, "1.5")
    with pytest.raises(UserError, match="future"):
        close(ws, dossier, on=dt.date(2026, 12, 1))
    with pytest.raises(UserError, match="before the opening date"):
        close(ws, dossier, on=dt.date(2023, 12, 31))
    with pytest.raises(UserError, match="not classified"):
        close(ws, create_dossier(ws, "Ongeclassificeerd").kenmerk, on=dt.date(2026, 11, 1))
    assert row(ws, dossier).status == "open"


def test_the_export_carries_the_classification_on_every_level(
    ws: Workspace, dossier: str, tmp_path: Path
) -> None:
    classify(ws, dossier, "1.5")
    close(ws, dossier, on=dt.date(2026, 11, 1))
    report = export_mdto(ws, dossier, tmp_path / "uit")
    assert report.problems == [] and report.folder is not None
    objects = [xmlio.read(p) for p in report.folder.glob("*.mdto.xml")]
    infos = [o for o in objects if isinstance(o, model.Informatieobject)]
    assert len(infos) == 2
    for obj in infos:
        assert obj.waardering.code == "V"
        assert obj.bewaartermijn is not None and obj.bewaartermijn.looptijd == "P1Y"
        assert obj.informatiecategorie is not None and obj.informatiecategorie.label == "1.5"
    dossier_doc = next(o for o in infos if o.identificatie[0].kenmerk == dossier)
    assert "Bevriezing" in [e.type.label for e in dossier_doc.event]


def test_the_transfer_term_is_a_setting(ws: Workspace, dossier: str) -> None:
    set_setting(ws, "retention.overbrengingstermijn", " P10Y ")
    with pytest.raises(UserError):
        set_setting(ws, "retention.overbrengingstermijn", "tien jaar")
    classify(ws, dossier, "1.1.1")
    done = close(ws, dossier, on=dt.date(2026, 1, 31))
    assert done.overbrengingsdatum == dt.date(2036, 1, 31)
