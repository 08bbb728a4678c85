"""Retention is applied centrally: a closed dossier's dates are computed with the central
settings, and what contradicts its Selectielijst result is refused with the reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update

from recordsdesk.archive.sync.central import Central
from recordsdesk.archive.sync.engine import sync_once
from recordsdesk.db.engine import make_engine
from recordsdesk.db.models import Informatieobject
from recordsdesk.services import Workspace, create_dossier, open_workspace
from recordsdesk.services.closing import classify, close
from recordsdesk.services.organisation import set_setting

Station = Callable[[str], Workspace]
OVERBRENGING = "retention.overbrengingstermijn"


def _dates(engine: object, kenmerk: str) -> tuple[object, object, str]:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        row = connection.execute(
            select(
                Informatieobject.archiefactiedatum,
                Informatieobject.overbrengingsdatum,
                Informatieobject.status,
            ).where(Informatieobject.kenmerk == kenmerk)
        ).one()
    return row.archiefactiedatum, row.overbrengingsdatum, row.status


def _central_setting(central: Central, tmp_path: Path, value: str) -> None:
    engine = make_engine(central.engine.url.render_as_string(hide_password=False))
    ws = open_workspace(tmp_path / "central-admin", engine=engine)
    try:
        set_setting(ws, OVERBRENGING, value)
    finally:
        ws.close()


def test_a_b_dossier_closed_offline_gets_the_central_transfer_date(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a = station("a")
    _central_setting(central, tmp_path, "P10Y")  # the new Archiefwet's shorter term
    opened = a.clock
    a.clock = lambda: dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    kenmerk = create_dossier(a, "Raadsbesluit herindeling Hoek van Holland").kenmerk
    a.clock = opened
    classify(a, kenmerk, "1.1.1")
    close(a, kenmerk, on=dt.date(2026, 11, 27))
    assert _dates(a.engine, kenmerk)[1] == dt.date(2046, 11, 27)  # the workstation's P20Y
    assert sync_once(a, central).ok
    assert _dates(central.engine, kenmerk) == (
        dt.date(2036, 11, 27),
        dt.date(2036, 11, 27),
        "closed",
    )
    assert sync_once(a, central).ok
    assert _dates(a.engine, kenmerk)[:2] == (dt.date(2036, 11, 27), dt.date(2036, 11, 27))


def test_a_closed_dossier_whose_waardering_contradicts_its_result_is_refused(
    central: Central, station: Station, tmp_path: Path
) -> None:
    a = station("a")
    opened = a.clock
    a.clock = lambda: dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    kenmerk = create_dossier(a, "Melding evenement Kralingse Bos").kenmerk
    a.clock = opened
    classify(a, kenmerk, "1.1.1")  # B
    close(a, kenmerk, on=dt.date(2026, 11, 27))
    with a.sessions() as session, session.begin():  # edited past the app's own checks
        session.execute(
            update(Informatieobject)
            .where(Informatieobject.kenmerk == kenmerk)
            .values(waardering="V", bewaartermijn="P1Y")
        )
    report = sync_once(a, central)
    assert not report.ok
    [problem] = [p for p in report.problems if p.entity == "informatieobject"]
    assert kenmerk in problem.message() and "1.1.1" in problem.message()
    with central.reader.connect() as connection:
        there = connection.scalar(
            select(Informatieobject.id).where(Informatieobject.kenmerk == kenmerk)
        )
    assert there is None
