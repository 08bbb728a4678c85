"""Screenshots of the main window for the README: docs/screenshots/main-window*.png,
and of the inbox with a few files brought in from a drop folder: inbox.png; the
inbox empty, with one item and with 5,000: inbox-empty.png, inbox-one.png,
inbox-5000.png (the 5,000 are rows written straight into the throwaway store,
see tests/ui/inbox_rows.py: real intake would take minutes). With one item
selected, the details pane shows that item and its PDF. The metadata editor of
the PDF record: metadata-editor.png (appraisal overridden, the rest inherited
from the dossier) and metadata-editor-problems.png (two problems shown at once).
The due list (Archiefbeheer › Toe aan archiefactie…) over six dossiers closed in
the past, added last so the other shots do not change: due-list.png. Then a
destruction list under review (Archiefbeheer › Lijsten…), in its second round:
one dossier kept with the author's reason, one taken off after the reviewer
excluded it: destruction-list.png. A Woo request (Archiefbeheer › Woo-verzoeken…) with
the redaction editor beside it: woo-request.png. Last, the search view (Beeld › Zoeken…) with
"vergunningen" found in three dossiers, one closed and synchronised (complete), two
open with their reason: search.png. Then the scanned batches window (Inbox › Gescande
stapels…) over a batch from a scanner folder with a separator sheet and a skewed, a
blank and a dark page, the skewed page shown: scan-batches.png.

Makes a throwaway home with sample dossiers (a real multi-page PDF written with
QPdfWriter, a PNG drawn with QPainter, a text note), opens the window at
1280x800 with the PDF record selected and previewed, and saves
``window.grab()`` in Dutch and in English. Works offscreen and under Xvfb::

    make screenshots                                   # xvfb-run, real X window
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from PySide6.QtCore import QEventLoop, QMarginsF, QPointF, QRectF, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication  # noqa: E402

from recordsdesk import services  # noqa: E402
from recordsdesk.archive.central.connection import central_engine, set_central  # noqa: E402
from recordsdesk.archive.sync.central import Central  # noqa: E402
from recordsdesk.archive.sync.engine import sync_once  # noqa: E402
from recordsdesk.archive.woo import assessments as woo_assessments  # noqa: E402
from recordsdesk.archive.woo import requests as woo_requests  # noqa: E402
from recordsdesk.archive.woo.redactions import add_redaction  # noqa: E402
from recordsdesk.db.models import Informatieobject  # noqa: E402
from recordsdesk.intake.folders import add_drop_folder  # noqa: E402
from recordsdesk.mdto import begrippen, model  # noqa: E402
from recordsdesk.services import closing, disposal, holds  # noqa: E402
from recordsdesk.ui import settings as ui_settings  # noqa: E402
from recordsdesk.ui.mainwindow import MainWindow  # noqa: E402
from recordsdesk.ui.ops import Ops  # noqa: E402
from recordsdesk.ui.views.metadata.begrip import ClosedBegripPicker  # noqa: E402
from recordsdesk.ui.views.metadata.build import InheritedField  # noqa: E402
from recordsdesk.ui.views.metadata.fields import CompoundEditor, TextEditor  # noqa: E402
from recordsdesk.ui.views.metadata.repeat import RepeatableEditor  # noqa: E402
from recordsdesk.ui.views.preview import Kind, PreviewData  # noqa: E402
from recordsdesk.ui.views.retention import DueListView  # noqa: E402
from recordsdesk.ui.views.woo import WooRequestView  # noqa: E402
from recordsdesk.ui.workspaces import FILING, RECORDS_MANAGEMENT, WOO  # noqa: E402
from tests.redact.conftest import word_box  # noqa: E402
from tests.search.records import put_text  # noqa: E402
from tests.ui.inbox_rows import add_items  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)

LETTER = [
    "Gemeente Rotterdam",
    "Stadsontwikkeling, team Vergunningen",
    "",
    "Besluit op de aanvraag omgevingsvergunning",
    "Zaaknummer OV-2026-04417",
    "",
    "Geachte heer De Vries,",
    "",
    "Op 3 oktober 2026 hebben wij uw aanvraag ontvangen voor het",
    "verbouwen van het pand Coolsingel 40. Wij hebben uw aanvraag",
    "getoetst aan het omgevingsplan en de bouwregels.",
    "",
    "Besluit: wij verlenen de omgevingsvergunning, onder de",
    "voorwaarden die in de bijlage staan.",
]


def pump(until: Callable[[], bool], timeout: float = 20.0) -> None:
    """Run the event loop until ``until()`` holds (or fail after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the window")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def settle(ms: int = 800) -> None:
    """Let asynchronous painting (PDF page rendering) finish."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def make_pdf(path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    writer.setTitle("Besluit omgevingsvergunning Coolsingel 40")
    painter = QPainter(writer)
    width = writer.width()
    painter.setPen(QPen(QColor("#006b3f"), 6))
    painter.drawLine(0, 10, width, 10)
    painter.setPen(Qt.GlobalColor.black)
    for page in range(3):
        if page:
            writer.newPage()
        y = 60.0
        heading = QFont("DejaVu Sans", 16, QFont.Weight.Bold)
        body = QFont("DejaVu Serif", 11)
        for n, line in enumerate(LETTER if page == 0 else LETTER[3:]):
            painter.setFont(heading if n in (0, 3) else body)
            painter.drawText(QPointF(0, y), line)
            y += 44
        painter.setFont(body)
        painter.drawText(QPointF(0, writer.height() - 20), f"Pagina {page + 1} van 3")
    painter.end()


def make_png(path: Path) -> None:
    image = QImage(900, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("#f4f1e8"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#333333"), 4))
    painter.setBrush(QColor("#c9d6e3"))
    painter.drawRect(QRectF(120, 140, 420, 300))
    painter.setBrush(QColor("#e3c9a8"))
    painter.drawRect(QRectF(540, 220, 220, 220))
    painter.setFont(QFont("DejaVu Sans", 22))
    painter.drawText(QPointF(130, 110), "Situatietekening Coolsingel 40")
    painter.setFont(QFont("DejaVu Sans", 16))
    painter.drawText(QPointF(250, 300), "bestaand")
    painter.drawText(QPointF(590, 340), "uitbreiding")
    painter.end()
    image.save(str(path))


def make_samples(home: Path, files: Path) -> None:
    files.mkdir()
    make_pdf(files / "Besluit omgevingsvergunning.pdf")
    make_png(files / "Situatietekening.png")
    (files / "Telefoonnotitie aanvrager.txt").write_text(
        "Telefoonnotitie 14-10-2026\n\nAanvrager belt over de bouwtekeningen: de "
        "gewijzigde gevel volgt deze week per post.\n",
        encoding="utf-8",
    )
    (files / "Bezwaarschrift.txt").write_text(
        "Bezwaar tegen het besluit van 1 september 2026.\n", encoding="utf-8"
    )
    ws = services.open_workspace(home)
    try:
        other = services.create_dossier(ws, "Subsidieaanvraag buurthuis De Esch")
        bezwaar = services.create_dossier(ws, "Bezwaarschrift parkeervergunning Blijdorp")
        services.file_paths(ws, bezwaar.kenmerk, [files / "Bezwaarschrift.txt"])
        main = services.create_dossier(
            ws, "Omgevingsvergunning Coolsingel 40", "Verbouwing pand, aanvraag oktober 2026"
        )
        services.file_paths(
            ws,
            main.kenmerk,
            [
                files / "Besluit omgevingsvergunning.pdf",
                files / "Situatietekening.png",
                files / "Telefoonnotitie aanvrager.txt",
            ],
        )
        del other
        # a legal hold shows with the dossier and its records (details pane: Bewaarplicht)
        holds.place_hold(ws, main.kenmerk, "Woo-verzoek 2026-041")
        drop = files.parent / "Scanner gemeentehuis"
        drop.mkdir()
        add_drop_folder(ws, drop)
    finally:
        ws.close()


def add_due_dossiers(home: Path) -> None:
    """Dossiers opened and closed in the past: V and B due, one held, one date open."""
    ws = services.open_workspace(home)
    now = ws.clock
    try:
        for title, nummer, opened, closed, rule in (
            ("Bezwaar parkeervergunning Kralingen", "1.5", 2024, dt.date(2024, 2, 29), None),
            ("Evenementenvergunning Koningsdag 2023", "11.4", 2023, dt.date(2023, 6, 1), None),
            ("Subsidie sportvereniging De Zwaluwen", "20.2", 2024, dt.date(2025, 1, 10), None),
            ("Instelling adviesraad sociaal domein", "1.1.1", 2005, dt.date(2005, 5, 5), None),
            ("Aanbesteding wagenpark", "1.5", 2024, dt.date(2024, 3, 1), None),
            ("Omgevingsplan Hoek van Holland", "2.1", 2024, dt.date(2024, 6, 3),
             "ander_datumkenmerk"),
        ):  # fmt: skip
            ws.clock = functools.partial(dt.datetime, opened, 1, 2, 9, tzinfo=dt.UTC)
            kenmerk = services.create_dossier(ws, title).kenmerk
            ws.clock = now
            closing.classify(ws, kenmerk, nummer)
            closing.close(ws, kenmerk, on=closed, afleidingswijze=rule)
            if title.startswith("Aanbesteding"):
                holds.place_hold(ws, kenmerk, "Woo-verzoek 2026-041")
    finally:
        ws.close()


def due_shot(window: MainWindow) -> None:
    view = window.show_due_list()
    view.resize(1180, 520)
    pump(lambda: view.data is not None and not view.loading and window.ops.pending == 0)
    view.views["destroy"].setFocus()
    settle(300)
    save(view.grab(), "due-list.png")
    view.close()
    settle(200)  # let the deferred delete run while the application is still there


def lists_shot(window: MainWindow, home: Path) -> None:
    """A destruction list back under review after a first round with exclusions."""
    author, reviewer = "a.jansen", "p.de.vries"
    ws = services.open_workspace(home)
    now = ws.clock
    try:
        for title, closed in (
            ("Klacht afvalinzameling Overschie", dt.date(2023, 9, 12)),
            ("Bezwaar WOZ-beschikking Hillegersberg", dt.date(2024, 1, 15)),
            ("Melding openbare ruimte Delfshaven", dt.date(2023, 11, 3)),
            ("Aanvraag standplaats markt Afrikaanderplein", dt.date(2024, 2, 1)),
            ("Subsidie buurtfeest Charlois", dt.date(2023, 12, 20)),
        ):
            ws.clock = functools.partial(dt.datetime, closed.year, 1, 2, 9, tzinfo=dt.UTC)
            kenmerk = services.create_dossier(ws, title).kenmerk
            ws.clock = now
            closing.classify(ws, kenmerk, "1.5")
            closing.close(ws, kenmerk, on=closed)
        ws.actor = author
        made = disposal.create_list(ws, kind=disposal.DESTRUCTION, name="Vernietigingslijst 2026-1")
        rows = {i.naam: i.kenmerk for i in disposal.items(ws, made.id)}
        disposal.submit(ws, made.id, reviewer=reviewer)
        ws.actor = reviewer
        disposal.review(ws, made.id, exclusions={
            rows["Bezwaar parkeervergunning Kralingen"]: "Beroep bij de rechtbank loopt nog",
            rows["Subsidie buurtfeest Charlois"]: "Verantwoording nog niet vastgesteld",
        })  # fmt: skip
        ws.actor = author
        disposal.decide(ws, made.id, rows["Bezwaar parkeervergunning Kralingen"], keep=False)
        disposal.decide(ws, made.id, rows["Subsidie buurtfeest Charlois"], keep=True,
                        reason="Verantwoording vastgesteld op 12-11-2026")  # fmt: skip
        disposal.submit(ws, made.id)
    finally:
        ws.close()
    assert window.ops.workspace is not None
    window.ops.workspace.actor = reviewer  # the window as the reviewer sees it
    view = window.show_disposal_lists()
    view.resize(1440, 560)
    pump(lambda: view.current is not None and not view.loading and window.ops.pending == 0)
    view.select_items({rows["Melding openbare ruimte Delfshaven"]})
    view.items_view.setFocus()
    settle(300)
    save(view.grab(), "destruction-list.png")
    view.close()
    settle(200)  # let the deferred delete run while the application is still there


def woo_shot(window: MainWindow, home: Path, tmp: Path) -> None:
    """The Woo request window (Archiefbeheer › Woo-verzoeken…, Ctrl+Shift+V): a request
    over two dossiers, most documents assessed, and beside it the redaction editor of
    the document judged deels openbaar, a name blacked out with its ground:
    woo-request.png (both windows side by side on one picture)."""
    folder = tmp / "woo-files"
    folder.mkdir()
    besluit = folder / "Besluit omgevingsvergunning.pdf"
    make_pdf(besluit)
    make_png(folder / "Situatietekening.png")
    (folder / "Advies welstandscommissie.txt").write_text(
        "De commissie adviseert positief over de gewijzigde gevel.\n", encoding="utf-8"
    )
    (folder / "Telefoonnotitie aanvrager.txt").write_text(
        "Aanvrager belt over de bouwtekeningen; privénummer genoteerd.\n", encoding="utf-8"
    )
    (folder / "Bezwaarschrift omwonenden.txt").write_text(
        "Bezwaar tegen de verbouwing van Coolsingel 40.\n", encoding="utf-8"
    )
    nummer = "WOO-2026-041"
    names = ("Besluit omgevingsvergunning.pdf", "Situatietekening.png",
             "Advies welstandscommissie.txt", "Telefoonnotitie aanvrager.txt")  # fmt: skip
    ws = services.open_workspace(home)
    try:
        main_kenmerk = services.create_dossier(
            ws, "Verbouwing pand Coolsingel 40", "Aanvraag, adviezen en besluit"
        ).kenmerk
        made = services.file_paths(ws, main_kenmerk, [folder / n for n in names]).records
        kenmerk = dict(zip(names, (r.kenmerk for r in made), strict=True))
        bezwaar = services.create_dossier(ws, "Bezwaar omwonenden Coolsingel 40").kenmerk
        services.file_paths(ws, bezwaar, [folder / "Bezwaarschrift omwonenden.txt"])
        woo_requests.create_request(
            ws, "WOO-2026-033", "Subsidies buurthuizen Delfshaven 2025", dt.date(2026, 10, 20)
        )
        woo_requests.create_request(
            ws, nummer, "Alle documenten over de verbouwing van het pand Coolsingel 40",
            dt.date(2026, 11, 9),
        )  # fmt: skip
        woo_requests.add_to_scope(ws, nummer, [main_kenmerk, bezwaar])
        pdf = kenmerk[names[0]]
        woo_assessments.assess(ws, nummer, pdf, "deels_openbaar", "5.1.2e",
                               "Naam van de aanvrager: persoonlijke levenssfeer.")  # fmt: skip
        woo_assessments.assess(ws, nummer, kenmerk[names[1]], "openbaar")
        link = "https://www.rotterdam.nl/welstand/2026-417"
        woo_assessments.assess(ws, nummer, kenmerk[names[2]], "reeds_openbaar",
                               publieke_link=link)  # fmt: skip
        woo_assessments.assess(ws, nummer, kenmerk[names[3]], "niet_openbaar", "5.1.2e; 5.1.2i",
                               "Interne notitie met een privételefoonnummer.")  # fmt: skip
        left, right = word_box(besluit, 1, "heer"), word_box(besluit, 1, "Vries")
        add_redaction(ws, nummer, pdf, 1, left[0] - 1, min(left[1], right[1]) - 1,
                      right[2] + 1, max(left[3], right[3]) + 1, "5.1.2e")  # fmt: skip
    finally:
        ws.close()
    view = window.show_woo_requests()
    view.resize(1180, 820)
    pump(lambda: view.current is not None and not view.loading and window.ops.pending == 0)
    view.requests_view.setCurrentIndex(
        view.requests_model.index(view.requests_model.row_of(nummer) or 0, 0)
    )
    pump(lambda: view.current is not None and view.current.nummer == nummer
         and not view.loading and window.ops.pending == 0)  # fmt: skip
    view.select_document(pdf)
    view.documents_view.setFocus()
    editor = view.redact()
    if editor is None:
        raise SystemExit("screenshots: the redaction editor did not open")
    editor.canvas.zoom = 0.86
    editor.resize(820, 820)
    pump(lambda: not editor.busy and editor.list.count() == 1 and window.ops.pending == 0
         and not editor.canvas.rendering)  # fmt: skip
    editor.list.setCurrentRow(0)
    editor.canvas.setFocus()
    settle(600)
    shots = [view.grab(), editor.grab()]
    margin = 16
    picture = QPixmap(sum(s.width() for s in shots) + 3 * margin,
                      max(s.height() for s in shots) + 2 * margin)  # fmt: skip
    picture.fill(QColor("#5b6770"))  # a plain desktop behind the two windows
    painter = QPainter(picture)
    x = margin
    for shot in shots:
        painter.drawPixmap(x, margin, shot)
        x += shot.width() + margin
    painter.end()
    save(picture, "woo-request.png")
    editor.close()
    view.close()
    settle(200)


def _rename(home: Path, kenmerk: str, naam: str, omschrijving: str) -> None:
    ws = services.open_workspace(home)
    try:
        with ws.sessions() as session, session.begin():
            row = session.scalars(
                select(Informatieobject).where(Informatieobject.kenmerk == kenmerk)
            ).one()
            row.naam, row.omschrijving = naam, omschrijving
    finally:
        ws.close()


def sync_shot(window: MainWindow, home: Path, tmp: Path) -> None:
    """The sync panel with a real conflict: a second workstation on the same (embedded)
    central archive changed the dossier that this one changed too."""

    def run() -> None:
        done: list[object] = []
        window.sync.synced.connect(lambda: done.append(1))
        window.sync.scheduler.sync_now()
        pump(lambda: bool(done) and not window.sync.runner.busy and window.ops.pending == 0)

    def other_sync(other: services.Workspace) -> None:
        central = Central.open(central_engine(other))
        try:
            sync_once(other, central)
        finally:
            central.engine.dispose()

    run()
    kenmerk = window.current_dossier_kenmerk() or ""
    other = services.open_workspace(tmp / "werkplek-2")
    try:
        set_central(other, f"sqlite:///{home / 'central.sqlite'}")
        other_sync(other)
    finally:
        other.close()
    _rename(tmp / "werkplek-2", kenmerk, "Evenementenvergunning Wereldhavendagen 2026",
            "Aanvraag, advies brandweer, besluit; met de verkeersmaatregelen.")  # fmt: skip
    other = services.open_workspace(tmp / "werkplek-2")
    try:
        other_sync(other)
    finally:
        other.close()
    _rename(home, kenmerk, "Evenementenvergunning Wereldhavendagen",
            "Aanvraag en besluit; zienswijze van de havenmeester toegevoegd.")  # fmt: skip
    run()
    panel = window.sync.show_panel()
    panel.resize(1100, 620)
    pump(lambda: panel.conflict_model.rowCount() == 1 and window.ops.pending == 0)
    panel.conflict_table.setFocus()
    settle(300)
    save(panel.grab(), "sync-conflict.png")
    panel.close()
    settle(200)


def _file_text(ws: services.Workspace, folder: Path, dossier: str, name: str, text: str) -> None:
    """File ``name``.txt into ``dossier`` with ``text`` as its extracted text (as intake would)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    services.file_paths(ws, dossier, [path])
    put_text(ws, hashlib.sha256(path.read_bytes()).hexdigest(), text)


def search_shot(window: MainWindow, home: Path, tmp: Path) -> None:
    """The search view (Beeld › Zoeken…, Ctrl+F): "vergunningen" found in three dossiers,
    one closed and synchronised (complete), two open (incomplete, the reasons shown)."""
    folder = tmp / "search-texts"
    ws = services.open_workspace(home)
    try:
        kermis = services.create_dossier(
            ws, "Evenementenvergunning kermis Afrikaanderplein", "Aanvraag en adviezen, 2027"
        ).kenmerk
        for name, text in (
            ("Aanvraag evenementenvergunning", "Aanvraag om een vergunning voor de najaarskermis "
             "op het Afrikaanderplein, met plattegrond en veiligheidsplan."),
            ("Advies brandweer", "De brandweer adviseert de vergunning te verlenen onder "
             "voorwaarden voor de vluchtwegen."),
            ("Zienswijze bewoners", "Bewoners vragen om beperking van de geluidsoverlast; "
             "zij steunen de vergunningen voor de kermis niet."),
        ):  # fmt: skip
            _file_text(ws, folder, kermis, name, text)
        now = ws.clock
        ws.clock = functools.partial(dt.datetime, 2026, 3, 2, 9, tzinfo=dt.UTC)
        terras = services.create_dossier(ws, "Terrasvergunningen Witte de Withstraat").kenmerk
        for name, text in (
            ("Besluit terrasvergunning nr. 12", "Wij verlenen de vergunning voor een terras "
             "van 24 m2 voor het pand Witte de Withstraat 12."),
            ("Besluit terrasvergunning nr. 31", "Wij verlenen de vergunning voor een terras "
             "van 18 m2; de vergunningen van de buren blijven ongewijzigd."),
        ):  # fmt: skip
            _file_text(ws, folder, terras, name, text)
        closing.classify(ws, terras, "1.5")
        ws.clock = now
        closing.close(ws, terras, on=dt.date(2026, 6, 30))
        bezwaar = services.create_dossier(ws, "Bezwaar weigering kapvergunning Vroesenpark").kenmerk
        _file_text(ws, folder, bezwaar, "Bezwaarschrift", "Ik maak bezwaar tegen de weigering "
                  "van de vergunning om de kastanje te kappen.")  # fmt: skip
    finally:
        ws.close()
    done: list[object] = []
    window.sync.synced.connect(lambda: done.append(1))
    window.sync.scheduler.sync_now()  # the closed dossier goes to the central archive
    pump(lambda: bool(done) and not window.sync.runner.busy and window.ops.pending == 0)
    view = window.show_search()
    view.resize(1240, 680)
    view.help_button.setChecked(True)  # the syntax help (F1) under the query box
    view.search("vergunningen")
    pump(lambda: view.page is not None and window.ops.pending == 0)
    model = view.model
    pump(lambda: all(not model.needs_completeness(str(model.index(r, 0).data()))
                     or model.completeness(str(model.index(r, 0).data())) is not None
                     for r in range(model.rowCount())) and window.ops.pending == 0)  # fmt: skip
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == kermis)
    view.tree.setCurrentIndex(model.index(row, 0))
    view.tree.setFocus()
    pump(lambda: window.ops.pending == 0)
    settle(300)
    save(view.grab(), "search.png")
    view.close()
    settle(200)


def scan_shot(window: MainWindow, home: Path, tmp: Path) -> None:
    """A batch from a scanner folder taken apart, under review: scan-batches.png."""
    from recordsdesk.intake import folders, runner
    from recordsdesk.scan.profile import ScanProfile
    from recordsdesk.scan.sheet import SheetFields
    from recordsdesk.services import scan_batches, scan_profiles
    from tests.scan.synth import Page, make_batch

    scanner = tmp / "Scanner balie"
    scanner.mkdir()
    ws = services.open_workspace(home)
    try:
        dossier = services.create_dossier(ws, "Aanvraag kapvergunning Vondelweg 3").kenmerk
        scan_profiles.save_profile(ws, "balie", ScanProfile(dpi=200))
        folders.add_drop_folder(ws, scanner, scan_profile="balie", after_intake="keep")
        pages = [Page(sheet=SheetFields(dossier=dossier, titel="Aanvraag kapvergunning")),
                 Page(), Page(angle=2.5), Page(text=""), Page(shade=110)]  # fmt: skip
        make_batch(pages, tmp / "batch.pdf").rename(scanner / "balie-2026-11-30.pdf")
        runner.process_once(ws, quiet_period=0)
        scan_batches.process_pending(ws)
    finally:
        ws.close()
    view = window.tools.show_scan_batches()
    view.resize(1180, 760)
    pump(lambda: view.detail is not None and window.ops.pending == 0)
    view.strip.setCurrentIndex(view.pages_model.index(2, 0))
    pump(lambda: window.ops.pending == 0 and view.page.pixmap() is not None)
    view.strip.setFocus()
    settle(400)
    save(view.grab(), "scan-batches.png")
    view.close()
    settle(200)


def workspace_shots(window: MainWindow) -> None:
    """Each role's main view (Beeld › Werkruimte) over the samples of the shots before:
    records management (the due list docked, the destruction and transfer lists in the
    tab beside it): workspace-records-management.png; Woo (the request of woo_shot
    selected, search in the tab beside it): workspace-woo.png. Then filing again, at
    twice the font size (as with 200 % font scaling in the system): main-window-200.png."""
    ops = window.ops
    window.workspaces.switch(RECORDS_MANAGEMENT)
    pump(lambda: ops.pending == 0)
    due = window.findChild(DueListView)
    assert due is not None
    pump(lambda: not due.loading and ops.pending == 0)
    due.tabs.setCurrentIndex(0)
    shoot(window, "workspace-records-management.png")
    window.workspaces.switch(WOO)
    pump(lambda: ops.pending == 0)
    requests = window.findChild(WooRequestView)
    assert requests is not None
    pump(lambda: requests.requests_model.rowCount() > 0 and ops.pending == 0)
    requests.requests_view.setCurrentIndex(requests.requests_model.index(0, 0))
    pump(lambda: requests.current is not None and not requests.loading and ops.pending == 0)
    requests.documents_view.setFocus()
    shoot(window, "workspace-woo.png")
    window.workspaces.switch(FILING)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = app.font()
    large = QFont(normal)
    large.setPointSizeF(normal.pointSizeF() * 2)
    app.setFont(large)
    pump(lambda: ops.pending == 0)
    window.record_panel.view.setFocus()
    shoot(window, "main-window-200.png")
    app.setFont(normal)


def shoot(window: MainWindow, name: str) -> Path:
    settle()
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / name
    if not window.grab().save(str(target)):
        raise SystemExit(f"screenshots: could not write {target}")
    print(f"wrote {target.relative_to(ROOT)}")
    return target


def inbox_shot(window: MainWindow, name: str, dock_height: int = 330) -> Path:
    """The whole window with a taller inbox dock, the focus in the inbox list."""
    window.resizeDocks([window.inbox_dock], [dock_height], Qt.Orientation.Vertical)
    window.inbox.view.setFocus()
    return shoot(window, name)


def metadata_shots(window: MainWindow) -> None:
    """The metadata editor of the selected record: an override of the dossier's
    appraisal and retention, then every problem of a bad edit shown at once."""
    dialog = window.edit_metadata()
    if dialog is None:
        raise SystemExit("screenshots: no record selected for the metadata editor")
    dialog.resize(980, 700)
    pump(lambda: dialog.form is not None and window.ops.pending == 0)
    form = dialog.form
    assert form is not None
    form.tabs.setCurrentIndex(3)
    waardering = form.fields["waardering"]
    bewaartermijn = form.fields["bewaartermijn"]
    assert isinstance(waardering, InheritedField) and isinstance(bewaartermijn, InheritedField)
    waardering.toggle.setChecked(False)
    picker = waardering.editor
    assert isinstance(picker, ClosedBegripPicker)
    picker.combo.setCurrentIndex(picker.combo.findText("Tijdelijk te bewaren (V)"))
    bewaartermijn.toggle.setChecked(False)
    termijn = bewaartermijn.editor
    assert isinstance(termijn, CompoundEditor)
    trigger = begrippen.get("triggers").by_label("Afsluiting")
    assert trigger is not None
    termijn.set_value(model.Termijn(trigger.to_begrip(), None, "P10Y"))
    dialog.check()
    pump(lambda: not dialog.checking)
    picker.combo.setFocus()
    settle(300)
    save(dialog.grab(), "metadata-editor.png")
    dialog.revert()
    form = dialog.form
    assert form is not None
    form.tabs.setCurrentIndex(1)
    naam = form.fields["naam"]
    periods = form.fields["dekking_in_tijd"]
    assert isinstance(naam, TextEditor) and isinstance(periods, RepeatableEditor)
    naam.set_value("")
    periods.add_row(
        model.DekkingInTijd(
            model.Begrip("Looptijd zaak", None, model.Verwijzing("Periodetypen gemeente")),
            "2026-10-03",
            "2026-09-01",
        )
    )
    trefwoorden = form.fields["trefwoord"]
    assert isinstance(trefwoorden, RepeatableEditor)
    for word in ("omgevingsvergunning", "Coolsingel"):
        trefwoorden.add_row(word)
    form.changed.emit()  # as after typing: the status line clears
    dialog.check()
    pump(lambda: not dialog.checking)
    dialog.problem_list.setFocus()
    dialog.problem_list.setCurrentRow(0)
    settle(300)
    save(dialog.grab(), "metadata-editor-problems.png")
    dialog.revert()
    dialog.close()


def save(image: QPixmap, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / name
    if not image.save(str(target)):
        raise SystemExit(f"screenshots: could not write {target}")
    print(f"wrote {target.relative_to(ROOT)}")
    return target


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="rd-shots-") as tmp:
        home = Path(tmp) / "home"
        make_samples(home, Path(tmp) / "files")
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        ui_settings.apply_language("nl")
        ops = Ops()
        window = MainWindow(ops, settings, home)
        window.resize(*SIZE)
        window.show()
        window.start()
        pump(lambda: window.is_ready and not window.dossiers.loading)
        window.select_dossier(window.dossiers.row_id(0) or "")
        pump(lambda: window.records.rowCount() == 3 and not window.records.loading)
        shown: list[PreviewData] = []
        window.details.preview_shown.connect(shown.append)
        window.record_panel.select_rows([0])
        pump(lambda: bool(shown) and ops.pending == 0)
        if shown[-1].kind is not Kind.PDF:
            raise SystemExit(f"screenshots: expected a PDF preview, got {shown[-1]}")
        window.record_panel.view.setFocus()
        shoot(window, "main-window.png")
        window.set_language("en")
        pump(lambda: ops.pending == 0)
        shoot(window, "main-window-en.png")
        window.set_language("nl")
        pump(lambda: ops.pending == 0)
        metadata_shots(window)
        pump(lambda: ops.pending == 0)
        drop = Path(tmp) / "Scanner gemeentehuis"
        window.inbox.timer.setInterval(200)
        pump(lambda: window.inbox.model.loaded and bool(window.inbox.view.placeholder))
        inbox_shot(window, "inbox-empty.png")
        window.inbox.quiet_period = 0
        make_pdf(drop / "Besluit bezwaar parkeervergunning Blijdorp.pdf")
        window.inbox.process_now()
        pump(lambda: window.inbox.model.rowCount() == 1 and ops.pending == 0)
        before = len(shown)
        window.inbox.select_ids({i.id for i in window.inbox.model.items()})
        pump(lambda: len(shown) > before and ops.pending == 0)  # the item in the preview
        if shown[-1].kind is not Kind.PDF:
            raise SystemExit(f"screenshots: expected the inbox PDF previewed, got {shown[-1]}")
        inbox_shot(window, "inbox-one.png")
        window.resizeDocks([window.inbox_dock], [210], Qt.Orientation.Vertical)
        make_pdf(drop / "Aanvraag evenementenvergunning Koningsdag.pdf")
        make_png(drop / "Plattegrond standplaatsen.png")
        (drop / "Zienswijze buurtbewoners.txt").write_text(
            "Zienswijze op het ontwerpbesluit, ingediend door de bewonersvereniging.\n",
            encoding="utf-8",
        )
        (drop / "Zienswijze buurtbewoners (kopie).txt").write_text(
            "Zienswijze op het ontwerpbesluit, ingediend door de bewonersvereniging.\n",
            encoding="utf-8",
        )
        window.inbox.process_now()
        pump(lambda: window.inbox.model.rowCount() == 5 and ops.pending == 0)
        window.inbox.select_ids({i.id for i in window.inbox.model.items()[1:3]})
        window.inbox.view.setFocus()
        shoot(window, "inbox.png")
        ws = services.open_workspace(home)
        try:
            add_items(ws, drop, 4995)
        finally:
            ws.close()
        pump(lambda: window.inbox.model.rowCount() == 5000 and ops.pending == 0)
        pump(lambda: not window.inbox.arrivals.isVisible())  # the burst has ended
        model = window.inbox.model
        # two: the 4,995 written rows have no content in the store to preview
        chosen = [i.id for i in model.items() if i.state == "quarantined"][40:42]
        window.inbox.select_ids(set(chosen))
        window.inbox.view.scrollTo(model.index(model.row_of(chosen[0]) or 0, 0))
        inbox_shot(window, "inbox-5000.png")
        add_due_dossiers(home)
        due_shot(window)
        lists_shot(window, home)
        sync_shot(window, home, Path(tmp))
        woo_shot(window, home, Path(tmp))
        search_shot(window, home, Path(tmp))
        scan_shot(window, home, Path(tmp))
        workspace_shots(window)
        window.close()
        ops.shutdown()
    del app
    return 0


if __name__ == "__main__":
    os.environ.setdefault("RECORDSDESK_LANG", "nl")
    raise SystemExit(main())
