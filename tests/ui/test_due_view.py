"""The due list view: real dossiers classified, closed and held through the services,
read by the real workers; rows, counts and filters per section."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from recordsdesk import services
from recordsdesk.db.models import Informatieobject
from recordsdesk.i18n import _
from recordsdesk.services import Workspace
from recordsdesk.services.closing import classify, close
from recordsdesk.services.due import DueItem, due
from recordsdesk.services.holds import place_hold
from recordsdesk.tasks import Cancelled, CancelToken
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.ops import Ops
from recordsdesk.ui.views.retention import DueListView
from recordsdesk.ui.views.retention.due import NO_SERIE, PAGE, DueFilters, DueTableModel
from tests.ui.conftest import WAIT_MS

OPENED = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC)
LONG_AGO = dt.datetime(2004, 1, 2, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
ON = dt.date(2026, 11, 28)


def _in_serie(ws: Workspace, kenmerk: str, naam: str) -> None:
    """Put the dossier in the Serie ``naam`` (made directly, as an import makes them)."""
    with ws.sessions() as session, session.begin():
        dossier = session.query(Informatieobject).filter_by(kenmerk=kenmerk).one()
        serie = session.query(Informatieobject).filter_by(aggregatieniveau="Serie", naam=naam)
        found = serie.one_or_none()
        if found is None:
            found = Informatieobject(
                id=str(uuid.uuid4()),
                kenmerk=ws.next_kenmerk(session, "D"),
                aggregatieniveau="Serie",
                naam=naam,
                archiefvormer=dossier.archiefvormer,
                created_at=dossier.created_at,
                created_by=dossier.created_by,
                updated_at=dossier.updated_at,
            )
            session.add(found)
            session.flush()
        dossier.parent_id = found.id


def _closed(
    ws: Workspace,
    title: str,
    nummer: str,
    on: dt.date,
    *,
    serie: str | None = None,
    opened: dt.datetime = OPENED,
    **options: str,
) -> str:
    ws.clock = lambda: opened
    kenmerk = services.create_dossier(ws, title).kenmerk
    ws.clock = lambda: NOW
    if serie is not None:
        _in_serie(ws, kenmerk, serie)
    classify(ws, kenmerk, nummer)
    close(ws, kenmerk, on=on, **options)  # type: ignore[arg-type]
    return kenmerk


@pytest.fixture
def sample(home: Path) -> dict[str, str]:
    """Seven closed dossiers; on 2026-11-28: A, B, G to destroy, D to transfer,
    C (own hold) and F (hold on its Serie) held, E with its date still open."""
    ws = services.open_workspace(home)
    try:
        names = {
            "A": _closed(
                ws, "Bezwaar parkeervergunning", "1.5", dt.date(2024, 2, 29), serie="Bezwaren"
            ),
            "B": _closed(
                ws, "Bezwaar kapvergunning", "11.4", dt.date(2024, 6, 3), serie="Bezwaren"
            ),
            "C": _closed(ws, "Afgebroken project", "1.5", dt.date(2024, 3, 1)),
            "D": _closed(ws, "Ingericht orgaan", "1.1.1", dt.date(2004, 5, 1), opened=LONG_AGO),
            "E": _closed(
                ws,
                "Vastgesteld plan",
                "2.1",
                dt.date(2024, 6, 1),
                afleidingswijze="ander_datumkenmerk",
            ),
            "F": _closed(
                ws, "Personeelsdossier Jansen", "1.5", dt.date(2024, 4, 1), serie="Personeel"
            ),
            "G": _closed(ws, "Subsidie buurthuis", "20.2", dt.date(2025, 1, 10)),
        }
        place_hold(ws, names["C"], "Woo-verzoek 2026-041")
        with ws.readers() as session:
            personeel = session.query(Informatieobject).filter_by(naam="Personeel").one()
            serie_kenmerk = personeel.kenmerk
        place_hold(ws, serie_kenmerk, "Arbeidsgeschil")
    finally:
        ws.close()
    return names


@pytest.fixture
def open_ops(qtbot: QtBot, ops: Ops, home: Path) -> Ops:
    with qtbot.waitSignal(ops.workspace_ready, timeout=WAIT_MS):
        ops.open_workspace(home)
    return ops


@pytest.fixture
def view(qtbot: QtBot, sample: dict[str, str], open_ops: Ops) -> Iterator[DueListView]:
    widget = DueListView(open_ops)
    qtbot.addWidget(widget)
    widget.show()
    read(qtbot, widget, ON)
    yield widget
    widget.close()


def read(qtbot: QtBot, view: DueListView, day: dt.date) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.set_on(day)
    assert not view.loading


def apply(qtbot: QtBot, view: DueListView, filters: DueFilters) -> None:
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        assert view.set_filters(filters)


def rows(view: DueListView) -> dict[str, list[str]]:
    return {name: model.kenmerken() for name, model in view.models.items()}


def shown(view: DueListView, section: str, column: int) -> list[str]:
    model = view.models[section]
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_service_tells_procestype_and_serie(sample: dict[str, str], home: Path) -> None:
    ws = services.open_workspace(home)
    try:
        listed = due(ws, ON)
    finally:
        ws.close()
    by_kenmerk = {i.kenmerk: i for i in listed.destroy + listed.held}
    assert (by_kenmerk[sample["A"]].procestype, by_kenmerk[sample["A"]].serie) == (1, "Bezwaren")
    assert (by_kenmerk[sample["B"]].procestype, by_kenmerk[sample["B"]].serie) == (11, "Bezwaren")
    assert (by_kenmerk[sample["G"]].procestype, by_kenmerk[sample["G"]].serie) == (20, None)
    assert by_kenmerk[sample["F"]].serie == "Personeel"
    assert listed.to_json()["destroy"][0]["serie"] == "Bezwaren"


def test_the_service_reports_progress_and_can_be_cancelled(
    sample: dict[str, str], home: Path
) -> None:
    seen: list[int] = []
    token = CancelToken()
    ws = services.open_workspace(home)
    try:
        listed = due(ws, ON, progress=seen.append, cancel=token)
        assert seen == [7] and len(listed.destroy) == 3, "one chunk of the 7 closed dossiers"
        token.cancel()
        with pytest.raises(Cancelled):
            due(ws, ON, progress=seen.append, cancel=token)
    finally:
        ws.close()
    assert seen == [7], "cancelled before the first chunk was counted"


def test_each_section_shows_its_dossiers(view: DueListView, sample: dict[str, str]) -> None:
    s = sample
    assert rows(view) == {
        "destroy": sorted([s["A"], s["B"], s["G"]]),
        "transfer": [s["D"]],
        "held": sorted([s["C"], s["F"]]),
        "undetermined": [s["E"]],
    }
    assert view.counts() == {"destroy": 3, "transfer": 1, "held": 2, "undetermined": 1}
    assert view.tabs.tabText(0) == "Te vernietigen (V) (3)"
    assert view.tabs.tabText(2) == "Onder bewaarplicht (2)"
    assert view.summary.text() == "7 dossiers op de lijst op 28-11-2026."
    destroy = dict(zip(shown(view, "destroy", 0), shown(view, "destroy", 5), strict=True))
    assert destroy[s["A"]] == "28-02-2025", "archiefactiedatum, day first in Dutch"
    assert dict(zip(shown(view, "destroy", 0), shown(view, "destroy", 2), strict=True)) == {
        s["A"]: "Bezwaren",
        s["B"]: "Bezwaren",
        s["G"]: "",
    }
    assert "1.5 Afgebroken (2020)" in shown(view, "destroy", 3)
    holds = dict(zip(shown(view, "held", 0), shown(view, "held", 6), strict=True))
    assert holds[s["C"]] == "Woo-verzoek 2026-041"
    assert holds[s["F"]] == "Op de serie erboven"
    assert shown(view, "undetermined", 6) == [
        _("The brondatum is a date the records manager enters; none entered yet.")
    ]
    assert shown(view, "undetermined", 6)[0].startswith("De brondatum")


def test_the_day_chooses_what_is_due(
    qtbot: QtBot, view: DueListView, sample: dict[str, str]
) -> None:
    read(qtbot, view, dt.date(2025, 3, 1))
    assert rows(view) == {
        "destroy": [sample["A"]],
        "transfer": [sample["D"]],
        "held": [sample["C"]],
        "undetermined": [sample["E"]],
    }
    read(qtbot, view, dt.date(2024, 4, 30))
    assert view.counts() == {"destroy": 0, "transfer": 0, "held": 0, "undetermined": 1}
    assert view.summary.text() == "1 dossiers op de lijst op 30-04-2024."


def test_filters_change_rows_and_counts(
    qtbot: QtBot, view: DueListView, sample: dict[str, str]
) -> None:
    s = sample
    apply(qtbot, view, DueFilters(procestype=1))
    assert rows(view) == {
        "destroy": [s["A"]],
        "transfer": [s["D"]],
        "held": sorted([s["C"], s["F"]]),
        "undetermined": [],
    }
    assert view.tabs.tabText(0) == "Te vernietigen (V) (1)"
    assert view.tabs.tabText(3) == "Nog te bepalen (0)"
    assert view.summary.text() == (
        "4 van de 7 dossiers op de lijst op 28-11-2026 voldoen aan de filters."
    )
    apply(qtbot, view, DueFilters(serie="Bezwaren"))
    assert view.counts() == {"destroy": 2, "transfer": 0, "held": 0, "undetermined": 0}
    apply(qtbot, view, DueFilters(serie=NO_SERIE))
    assert rows(view) == {
        "destroy": [s["G"]],
        "transfer": [s["D"]],
        "held": [s["C"]],
        "undetermined": [s["E"]],
    }
    apply(qtbot, view, DueFilters(year=2025))
    assert rows(view) == {
        "destroy": sorted([s["A"], s["B"]]),
        "transfer": [],
        "held": sorted([s["C"], s["F"]]),
        "undetermined": [],
    }
    apply(qtbot, view, DueFilters(resultaat="2020 1.5"))
    assert view.counts() == {"destroy": 1, "transfer": 0, "held": 2, "undetermined": 0}
    apply(qtbot, view, DueFilters(procestype=1, serie="Bezwaren"))
    assert rows(view)["destroy"] == [s["A"]] and sum(view.counts().values()) == 1
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        view.clear_button.click()
    assert view.counts() == {"destroy": 3, "transfer": 1, "held": 2, "undetermined": 1}


def test_the_filters_offer_what_occurs_and_follow_the_combo_boxes(
    qtbot: QtBot, view: DueListView
) -> None:
    def texts(combo_name: str) -> list[str]:
        combo = getattr(view, combo_name)
        return [combo.itemText(i) for i in range(combo.count())]

    assert texts("procestype_filter") == [
        "Alle",
        "1. Instellen en inrichten organisatie",
        "2. Beleid en regelgeving opstellen",
        "11. Toestemming verlenen",
        "20. Informeren",
    ]
    assert texts("serie_filter") == ["Alle", "Bezwaren", "Personeel", "(in geen serie)"]
    assert texts("year_filter") == ["Alle", "2024", "2025", "2026"]
    assert "1.1.1 Ingericht (2020)" in texts("result_filter")
    combo = view.year_filter
    with qtbot.waitSignal(view.updated, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData(2026))
    assert view.counts() == {"destroy": 1, "transfer": 0, "held": 0, "undetermined": 0}
    assert not view.set_filters(DueFilters(year=1999)), "a value not offered is refused"


def test_a_filter_stays_chosen_when_the_day_changes(
    qtbot: QtBot, view: DueListView, sample: dict[str, str]
) -> None:
    apply(qtbot, view, DueFilters(serie="Bezwaren"))
    read(qtbot, view, dt.date(2025, 3, 1))
    assert view.filters().serie == "Bezwaren"
    assert rows(view)["destroy"] == [sample["A"]]
    assert view.counts()["transfer"] == 0


def test_large_sections_are_shown_a_page_at_a_time() -> None:
    items = [
        DueItem(f"D-{n:06d}", f"Dossier {n}", "V", "2020 1.5", ON, ON, procestype=1)
        for n in range(PAGE * 2 + 7)
    ]
    model = DueTableModel("destroy")
    model.set_items(items)
    assert model.rowCount() == PAGE and model.total == len(items)
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == len(items) and not model.canFetchMore()
    assert model.index(PAGE * 2 + 6, 0).data() == f"D-{PAGE * 2 + 6:06d}"


def test_every_control_has_an_accessible_name(view: DueListView) -> None:
    named = [
        w
        for w in view.findChildren(QWidget)
        if w.objectName() and not w.objectName().startswith("qt_")
    ]
    assert len(named) >= 18
    for widget in [view, *named]:
        assert widget.accessibleName(), widget.objectName()


def test_the_english_texts(view: DueListView) -> None:
    from recordsdesk.ui import settings as ui_settings

    ui_settings.apply_language("en")
    view.retranslate()
    assert view.tabs.tabText(1) == "To transfer (B) (1)"
    assert view.summary.text() == "7 dossiers on the due list on 2026-11-28."
    assert view.models["destroy"].headerData(5, Qt.Orientation.Horizontal) == "Archiefactiedatum"


def test_menu_and_shortcut_open_the_due_list(
    qtbot: QtBot, sample: dict[str, str], window: MainWindow
) -> None:
    action = window.commands.due_list
    assert action.shortcut().toString() == "Ctrl+Shift+D"
    assert action in window.commands.retention_menu.actions()
    assert window.commands.retention_menu.title() == "&Archiefbeheer"
    window.activateWindow()
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window, Qt.Key.Key_D, both)
    qtbot.waitUntil(lambda: bool(window.findChildren(DueListView)), timeout=WAIT_MS)
    view = window.findChildren(DueListView)[0]
    qtbot.waitUntil(lambda: view.data is not None and not view.loading, timeout=WAIT_MS)
    assert view.on() == dt.date.today(), "the list is for today unless another day is chosen"
    assert view.isVisible() and not view.isModal()
    assert window.show_due_list() is view, "a second call raises the open one"
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT_MS)
    assert window.current_dossier_kenmerk() != sample["C"]
    row = view.models["held"].kenmerken().index(sample["C"])
    view.views["held"].activated.emit(view.models["held"].index(row, 1))  # Enter on the row
    qtbot.waitUntil(lambda: window.current_dossier_kenmerk() == sample["C"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT_MS)
    view.close()
    QApplication.processEvents()
