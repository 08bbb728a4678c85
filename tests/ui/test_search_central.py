"""Searching the central archive from the search view: what another workstation filed and
synchronised is found there and not here; completeness as the central archive knows it;
a password the keyring lacks is asked for, said why, and kept nowhere. A real embedded
central archive, a real second workstation, the real window and workers."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from recordsdesk import services
from recordsdesk.archive.central.connection import set_central
from recordsdesk.archive.sync.central import Central
from recordsdesk.db.engine import make_engine
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.views.preview import Kind
from recordsdesk.ui.views.search import SearchView
from tests.search.records import file_text
from tests.ui.conftest import WAIT_MS, other_station, password_dialog, sync_station


def other_station_files(home: Path, tmp_path: Path) -> tuple[str, str]:
    """A second workstation on the window's embedded central archive files a dossier with
    one record and synchronises; returns (dossier, record) kenmerken."""
    with other_station(home, tmp_path) as other:
        dossier = services.create_dossier(other, "Kademuur Maashaven").kenmerk
        record = file_text(other, tmp_path / "in", dossier, "inspectie", "De kademuur verzakt.")
        sync_station(other)
        return dossier, record


def search(qtbot: QtBot, view: SearchView, text: str) -> None:
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        view.search(text)


def test_the_central_archive_finds_what_another_workstation_filed(
    qtbot: QtBot, home: Path, tmp_path: Path, window: MainWindow
) -> None:
    dossier, record = other_station_files(home, tmp_path)
    view = window.show_search()
    assert view.scope.isVisible() and view.scope_label.buddy() is view.scope  # Alt+I
    assert view.scope.accessibleName() == "Zoeken in"
    assert [view.scope.itemText(i) for i in range(2)] == ["Deze werkplek", "Centraal archief"]
    search(qtbot, view, "kademuur")
    assert view.model.group_count == 0 and not view.in_central, "not on this workstation"

    view.activateWindow()
    QTest.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # "Zoeken &in:"
    qtbot.waitUntil(view.scope.hasFocus, timeout=WAIT_MS)
    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        QTest.keyClick(view.scope, Qt.Key.Key_Down)  # searches again, centrally
    assert view.in_central and view.page is not None and view.page.central
    assert view.model.group_count == 1
    group = view.model.group(view.model.index(0, 0))
    assert group is not None and group.kenmerk == dossier
    assert {h.kenmerk for h in group.hits} == {dossier, record}
    assert "in het centrale archief" in view.status_label.text()
    assert view.facets.ops is window.sync.central

    qtbot.waitUntil(lambda: view.model.completeness(dossier) is not None, timeout=WAIT_MS)
    found = view.model.completeness(dossier)
    assert found is not None and [r.code for r in found.reasons] == ["open"]
    assert found.records == 1

    with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
        view.scope.setCurrentIndex(0)  # back: this workstation again
    assert not view.in_central and view.model.group_count == 0


def test_a_password_the_keyring_lacks_is_asked_for_and_kept_nowhere(
    qtbot: QtBot, home: Path, window: MainWindow
) -> None:
    from tests.central.pgwire import PasswordServer

    server = PasswordServer()
    try:
        ws = services.open_workspace(home)
        try:
            set_central(ws, f"postgresql://jansen@127.0.0.1:{server.port}/archief", test=False)
        finally:
            ws.close()
        view = window.show_search()
        view.query.setText("kademuur")
        view.scope.setCurrentIndex(1)
        first = password_dialog(qtbot, window)
        assert "sleutelhanger" in first.labelText().lower()
        first.setTextValue("geheim-Wachtwoord-7")
        first.accept()
        qtbot.waitUntil(lambda: server.received == ["geheim-Wachtwoord-7"], timeout=WAIT_MS)
        second = password_dialog(qtbot, window)  # refused: asks again
        with qtbot.waitSignal(view.searched, timeout=WAIT_MS):
            second.reject()
        assert view.error is not None and view.error_label.isVisible()  # said, not a crash
        assert view.model.group_count == 0
        # the typed password serves this session's sync too, and nothing else
        assert window.sync.runner.remembered == "geheim-Wachtwoord-7"
    finally:
        server.close()
    window.close()
    for path in home.rglob("*"):
        if path.is_file():
            assert b"geheim-Wachtwoord-7" not in path.read_bytes(), path


def test_without_a_window_there_is_no_central_choice(qtbot: QtBot, window: MainWindow) -> None:
    alone = SearchView(window.ops)
    qtbot.addWidget(alone)
    alone.show()
    assert not alone.scope.isVisible() and not alone.in_central
    alone.scope.setCurrentIndex(1)
    assert not alone.in_central and alone.source is window.ops
    alone.close()


def test_a_central_result_opens_as_the_central_archive_holds_it(
    qtbot: QtBot, home: Path, tmp_path: Path, window: MainWindow
) -> None:
    dossier, record = other_station_files(home, tmp_path)
    view = window.show_search()
    view.scope.setCurrentIndex(1)  # the central archive (nothing typed yet: no search)
    search(qtbot, view, "kademuur")
    assert view.in_central and view.model.group_count == 1
    group = view.model.index(0, 0)
    hit_row = next(
        view.model.index(n, 0, group)
        for n in range(view.model.rowCount(group))
        if view.model.hit(view.model.index(n, 0, group)).kenmerk == record  # type: ignore[union-attr]
    )
    local = window.ops.workspace
    filed = next((tmp_path / "in").glob("*-inspectie.txt")).read_bytes()
    sha = hashlib.sha256(filed).hexdigest()
    assert local is not None and not local.objects.exists(sha), "never on this workstation"
    opened: list[object] = []
    view.record_opened.connect(lambda *args: opened.append(args))
    view.tree.setFocus()
    view.tree.setCurrentIndex(hit_row)
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    details = view.central_details
    assert details is not None and details.isVisible() and opened == []
    assert details.windowTitle() == f"In het centrale archief: {record}"
    with qtbot.waitSignal(details.details.preview_shown, timeout=WAIT_MS) as shown:
        pass
    assert details.details.heading.text() == f"Archiefstuk {record}"
    assert shown.args[0].text.encode() == filed  # fetched, checked, shown
    assert local.objects.exists(sha), "the content came from the central archive"

    QTest.keyClick(view.tree, Qt.Key.Key_Home)  # the dossier row
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: details.details.heading.text() == f"Dossier {dossier}", timeout=WAIT_MS)
    assert details.windowTitle() == f"In het centrale archief: {dossier}"
    QTest.keyClick(details, Qt.Key.Key_Escape)
    assert not details.isVisible()


def test_a_central_result_whose_content_the_central_archive_lacks_says_why(
    qtbot: QtBot, home: Path, tmp_path: Path, window: MainWindow
) -> None:
    _dossier, record = other_station_files(home, tmp_path)
    sha = hashlib.sha256(next((tmp_path / "in").glob("*-inspectie.txt")).read_bytes()).hexdigest()
    engine = make_engine(f"sqlite:///{home / 'central.sqlite'}")
    Central.open(engine).blobs.forget(sha)  # as if its workstation never published it
    engine.dispose()
    view = window.show_search()
    view.scope.setCurrentIndex(1)
    search(qtbot, view, "kademuur")
    group = view.model.index(0, 0)
    hit_row = next(
        view.model.index(n, 0, group)
        for n in range(view.model.rowCount(group))
        if view.model.hit(view.model.index(n, 0, group)).kenmerk == record  # type: ignore[union-attr]
    )
    view.tree.setFocus()
    view.tree.setCurrentIndex(hit_row)
    QTest.keyClick(view.tree, Qt.Key.Key_Return)
    details = view.central_details
    assert details is not None
    with qtbot.waitSignal(details.details.preview_shown, timeout=WAIT_MS) as shown:
        pass
    assert shown.args[0].kind is Kind.UNAVAILABLE
    said = details.details.preview.message.text()
    assert said.startswith("⚠ Niet getoond: Het centrale archief kan de inhoud") and sha in said
    assert "(ontbreekt)" in said, "the reason in Dutch too"
    assert details.details.preview.currentWidget() is details.details.preview.message
