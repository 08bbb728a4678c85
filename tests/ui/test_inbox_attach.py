"""A duplicate joins the record that holds its content; what intake found, in the tooltip.

Real intake, a real window and real workers: the filed record is made by the
filing service, its duplicate comes in through a drop folder.
"""

from __future__ import annotations

import email.message
import email.utils
import shutil
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from recordsdesk import services
from recordsdesk.intake import runner
from recordsdesk.intake.folders import add_drop_folder
from recordsdesk.intake.inbox import InboxItemInfo, list_inbox
from recordsdesk.services.dto import Created
from recordsdesk.ui.mainwindow import MainWindow
from recordsdesk.ui.models.inbox import NAME, InboxModel
from recordsdesk.ui.models.inbox_facts import describe_facts
from recordsdesk.ui.ops import Ops
from tests.ui import samples
from tests.ui.conftest import WAIT_MS, open_window, settle


def settle_inbox(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.ops.pending == 0 and not window.inbox.loading, timeout=WAIT_MS)
    settle(qtbot, window)


def bring_in(home: Path, drop: Path, add: bool = True) -> list[InboxItemInfo]:
    ws = services.open_workspace(home)
    try:
        if add:
            add_drop_folder(ws, drop)
        runner.process_once(ws, quiet_period=0)
        return list_inbox(ws)
    finally:
        ws.close()


@pytest.fixture
def filed_record(home: Path, dossier: Created, tmp_path: Path) -> str:
    """The kenmerk of a record filed from ``besluit.pdf`` (through the filing service)."""
    (tmp_path / "origineel").mkdir()
    source = samples.make_pdf(tmp_path / "origineel" / "besluit.pdf")
    ws = services.open_workspace(home)
    try:
        result = services.file_paths(ws, dossier.kenmerk, [source])
        return result.records[0].kenmerk
    finally:
        ws.close()


@pytest.fixture
def twins(home: Path, filed_record: str, tmp_path: Path) -> dict[str, str]:
    """Inbox items by name: a duplicate of the filed record, and a twin pair only in the inbox."""
    drop = tmp_path / "scanner"
    drop.mkdir()
    # the filed record's content, byte for byte
    shutil.copyfile(tmp_path / "origineel" / "besluit.pdf", drop / "besluit opnieuw.pdf")
    samples.make_text(drop / "notitie.txt")
    first = {i.name: i.id for i in bring_in(home, drop)}
    samples.make_text(drop / "notitie kopie.txt")  # waits only in the inbox
    items = bring_in(home, drop, add=False)
    assert {i.name: i.state for i in items} == {
        "besluit opnieuw.pdf": "duplicate",
        "notitie.txt": "ready",
        "notitie kopie.txt": "duplicate",
    }
    return {**first, **{i.name: i.id for i in items}}


@pytest.fixture
def win(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, twins: dict[str, str]
) -> Iterator[MainWindow]:
    window = open_window(qtbot, ops, ui_settings_file, home)
    settle_inbox(qtbot, window)
    yield window
    window.close()


def select(window: MainWindow, *names: str) -> None:
    ids = {i.id for i in window.inbox.model.items() if i.name in names}
    window.inbox.select_ids(ids)
    assert {i.name for i in window.inbox.selected_items()} == set(names)


def test_the_action_needs_one_selected_duplicate(win: MainWindow) -> None:
    act = win.inbox.attach_action
    assert act.shortcut().toString() == "Ctrl+Shift+E"
    assert act.text() == "Bij &bestaand stuk voegen"
    assert act in win.inbox.menu.actions() and act in win.inbox.view.actions()
    button = win.inbox.toolbar.widgetForAction(act)
    assert button is not None and button.accessibleName() == "Bij bestaand stuk voegen"
    shortcuts = [a.shortcut() for a in win.findChildren(type(act)) if not a.shortcut().isEmpty()]
    assert shortcuts.count(act.shortcut()) == 1  # no other action of the window has it

    win.inbox.view.clearSelection()
    assert not act.isEnabled()
    assert act.toolTip() == "Kies één inbox-item dat dubbel is."
    select(win, "notitie.txt")  # ready, not a duplicate
    assert not act.isEnabled()
    select(win, "besluit opnieuw.pdf", "notitie kopie.txt")  # two duplicates
    assert not act.isEnabled()
    select(win, "besluit opnieuw.pdf")
    assert act.isEnabled()
    assert "zonder nieuw archiefstuk (Ctrl+Shift+E)" in act.toolTip()
    assert button.accessibleDescription() == act.toolTip()
    select(win, "notitie kopie.txt")  # only the service knows its content is not filed
    assert act.isEnabled()


def test_a_duplicate_joins_the_record_that_holds_its_content(
    qtbot: QtBot, win: MainWindow, home: Path, filed_record: str, twins: dict[str, str]
) -> None:
    select(win, "besluit opnieuw.pdf")
    with qtbot.waitSignal(win.inbox.added, timeout=WAIT_MS) as added:
        win.inbox.attach_action.trigger()
    assert added.args is not None and added.args[0].kenmerk == filed_record
    qtbot.waitUntil(lambda: win.inbox.model.rowCount() == 2, timeout=WAIT_MS)
    settle_inbox(qtbot, win)
    names = {i.name for i in win.inbox.model.items()}
    assert names == {"notitie.txt", "notitie kopie.txt"}
    assert win.status_label.text() == f"Toegevoegd aan {filed_record}: besluit opnieuw.pdf"
    assert win.records.rowCount() == 1  # no new record
    ws = services.open_workspace(home)
    try:
        item = next(i for i in list_inbox(ws, include_done=True) if i.name == "besluit opnieuw.pdf")
    finally:
        ws.close()
    assert item.state == "filed" and item.record_id == added.args[0].id


def test_content_only_waiting_in_the_inbox_is_refused_with_a_reason(
    qtbot: QtBot, win: MainWindow, home: Path
) -> None:
    select(win, "notitie kopie.txt")
    win.inbox.attach_action.trigger()
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in win.findChildren(QMessageBox, "userErrorBox")),
        timeout=WAIT_MS,
    )
    settle_inbox(qtbot, win)
    box = next(b for b in win.findChildren(QMessageBox, "userErrorBox") if b.isVisible())
    assert box.text().startswith("notitie kopie.txt")
    assert win.status_label.text() == "Er is niets aan een bestaand archiefstuk toegevoegd."
    box.close()
    states = {i.name: i.state for i in win.inbox.model.items()}
    assert states["notitie kopie.txt"] == "duplicate"
    ws = services.open_workspace(home)
    try:
        assert {i.name: i.state for i in list_inbox(ws)}["notitie kopie.txt"] == "duplicate"
    finally:
        ws.close()


def test_english_texts_after_switching_language(win: MainWindow) -> None:
    win.set_language("en")
    assert win.inbox.attach_action.text() == "Add to &existing record"
    assert win.inbox.attach_action.iconText() == "Add to record"
    win.set_language("nl")
    assert win.inbox.attach_action.iconText() == "Bij stuk voegen"


# -- what intake found, in the tooltip of the name ---------------------------------


def make_mail(path: Path) -> Path:
    message = email.message.EmailMessage()
    message["Subject"] = "Zienswijze bestemmingsplan Kralingen"
    message["From"] = "J. de Vries <j.devries@example.nl>"
    message["To"] = "Gemeente Rotterdam <info@rotterdam.example>"
    message["Date"] = "Tue, 03 Nov 2026 14:05:00 +0100"
    message.set_content("Geachte heer, mevrouw,\n\nHierbij mijn zienswijze.\n")
    brief = samples.make_pdf(path.parent / "brief.pdf").read_bytes()
    message.add_attachment(brief, maintype="application", subtype="pdf", filename="brief.pdf")
    photo = samples.make_png(path.parent / "foto.png").read_bytes()
    message.add_attachment(photo, maintype="image", subtype="png", filename="foto.png")
    path.write_bytes(message.as_bytes())
    return path


def make_risky_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
    pdf.attachments["bijlage.txt"] = pikepdf.AttachedFileSpec(pdf, b"verborgen inhoud")
    pdf.save(path)
    return path


def tooltip(model: InboxModel, name: str) -> str:
    row = next(r for r in range(model.rowCount()) if model.index(r, NAME).data() == name)
    return str(model.index(row, NAME).data(Qt.ItemDataRole.ToolTipRole))


def test_the_name_tooltip_tells_what_intake_found(
    qtbot: QtBot, ops: Ops, ui_settings_file: QSettings, home: Path, tmp_path: Path
) -> None:
    drop = tmp_path / "post"
    drop.mkdir()
    make_mail(tmp_path / "zienswijze.eml").rename(drop / "zienswijze.eml")
    make_risky_pdf(drop / "formulier.pdf")
    samples.make_text(drop / "notitie.txt")
    bring_in(home, drop)
    window = open_window(qtbot, ops, ui_settings_file, home)
    try:
        settle_inbox(qtbot, window)
        model = window.inbox.model
        mail = tooltip(model, "zienswijze.eml").splitlines()
        assert mail[0].endswith("zienswijze.eml")  # where it came from, as before
        assert mail[1].startswith(
            "E-mail van J. de Vries <j.devries@example.nl> "
            "aan Gemeente Rotterdam <info@rotterdam.example>, verzonden "
        )
        assert mail[1].endswith(
            ", onderwerp Zienswijze bestemmingsplan Kralingen, 2 bijlagen: brief.pdf, foto.png"
        )
        pdf = tooltip(model, "formulier.pdf").splitlines()
        assert pdf[1] == (
            "Geen PDF/A-claim; risico's: bevat JavaScript, bevat ingesloten bestanden"
        )
        assert tooltip(model, "notitie.txt").count("\n") == 0  # nothing found, nothing said
        window.set_language("en")
        assert tooltip(model, "formulier.pdf").splitlines()[1] == (
            "No PDF/A claim; risks: contains JavaScript, contains embedded files"
        )
    finally:
        window.set_language("nl")
        window.close()


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (None, ""),
        (
            {"pdf": {"pdfa_claim": "2B", "risks": []}},
            "Zegt PDF/A-2B te zijn (niet gevalideerd); geen risico's gevonden",
        ),
        (
            {
                "pdf": {
                    "risks": ["launch-action", "oversized-content", "damaged-repaired", "new-one"]
                }
            },
            "Geen PDF/A-claim; risico's: kan een programma starten, inhoud te groot om veilig "
            "te lezen, beschadigd, een herstelde kopie wordt bewaard, new-one",
        ),
        (
            {"mail": {"sender": "", "to": [], "subject": ""}},
            "E-mail van onbekende afzender aan onbekende ontvangers, geen onderwerp, geen bijlagen",
        ),
        (
            {
                "mail": {
                    "sender": "a@example.nl",
                    "to": ["b@example.nl", "c@example.nl"],
                    "subject": "Vraag",
                },
                "parts": [{"name": "scan.pdf", "pdf": {"risks": ["javascript"]}}],
            },
            "E-mail van a@example.nl aan b@example.nl, c@example.nl, onderwerp Vraag, "
            "1 bijlage: scan.pdf\nscan.pdf: bevat JavaScript",
        ),
        (
            {
                "mail": {"sender": "a", "to": ["b"], "subject": "s"},
                "parts": [{"name": f"{n}.png"} for n in range(7)],
            },
            "E-mail van a aan b, onderwerp s, "
            "7 bijlagen: 0.png, 1.png, 2.png, 3.png, 4.png, …en nog 2",
        ),
    ],
)
def test_describe_facts(facts: dict[str, object] | None, expected: str) -> None:
    assert describe_facts(facts) == expected
