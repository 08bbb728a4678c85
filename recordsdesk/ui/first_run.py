"""The first-run assistant: the few choices a new workstation needs, in order.

Shown by the application (not by a bare :class:`MainWindow`) once per user, when
its data folder is open: language; the organisation (archiefvormer from the TOOI
register, identificatieBron); the central archive (a URL, optional, with a
connection test that stores nothing); a drop folder (optional), which may be a
scanner's folder with its scan profile, resolution and colour mode. Finishing stores
them, after checking all of them first: the organisation in one transaction
(``organisation.set_settings``), the central archive with ``set_central``, the drop
folder with ``add_drop_folder`` (a changed scan profile with ``save_profile``
first). Cancelling stores nothing. Either way it is not
shown again;
Help › Assistent eerste gebruik… opens it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from recordsdesk import i18n
from recordsdesk.errors import UserError
from recordsdesk.i18n import N_, _
from recordsdesk.services import organisation
from recordsdesk.services.organisation import SettingValue
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.actions import LANGUAGE_NAMES
from recordsdesk.ui.errors import show_error, user_message
from recordsdesk.ui.formatting import Message
from recordsdesk.ui.scan_choice import ScannerChoice
from recordsdesk.ui.settings_dialog import municipality_items

if TYPE_CHECKING:
    from recordsdesk.scan.profile import ScanProfile
    from recordsdesk.services import Workspace
    from recordsdesk.ui.mainwindow import MainWindow


class FirstRunWizard(QWizard):
    """See the module docstring. ``stored`` is emitted after Finish stored everything."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("firstRunWizard")
        self.window_ = window
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        # page 1: language
        self.language = QComboBox()
        self.language.setObjectName("firstRunLanguage")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        self.addPage(self._page("firstRunWelcome", self.welcome,
                                [(self.language_label, self.language)]))  # fmt: skip
        # page 2: organisation
        self.archiefvormer = QComboBox()  # filled with the stored values (_fill)
        self.archiefvormer.setObjectName("firstRunArchiefvormer")
        self.archiefvormer.setEnabled(False)  # until the stored values are shown
        self.loaded = False
        self.archiefvormer_label = QLabel()
        self.archiefvormer_label.setBuddy(self.archiefvormer)
        self.bron = QLineEdit()
        self.bron.setObjectName("firstRunBron")
        self.bron.setPlaceholderText(organisation.spec("mdto.identificatie_bron").default)
        self.bron_label = QLabel()
        self.bron_label.setBuddy(self.bron)
        self.organisation_intro = QLabel()
        self.organisation_intro.setWordWrap(True)
        self.addPage(self._page("firstRunOrganisation", self.organisation_intro,
                                [(self.archiefvormer_label, self.archiefvormer),
                                 (self.bron_label, self.bron)]))  # fmt: skip
        # page 3: central archive
        self.central = QLineEdit()
        self.central.setObjectName("firstRunCentral")
        self.central.setPlaceholderText("postgresql://archief.rotterdam.local/recordsdesk")
        self.central_label = QLabel()
        self.central_label.setBuddy(self.central)
        self.password = QLineEdit()
        self.password.setObjectName("firstRunPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.test_button = QPushButton()
        self.test_button.setObjectName("firstRunTest")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("firstRunTestResult")
        self.test_result.setWordWrap(True)
        self.central_intro = QLabel()
        self.central_intro.setWordWrap(True)
        central_page = self._page("firstRunCentralPage", self.central_intro,
                                  [(self.central_label, self.central),
                                   (self.password_label, self.password)])  # fmt: skip
        layout = central_page.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.test_result)
        self.addPage(central_page)
        # page 4: a drop folder
        self.folder = QLineEdit()
        self.folder.setObjectName("firstRunFolder")
        self.folder_label = QLabel()
        self.folder_label.setBuddy(self.folder)
        self.browse = QPushButton()
        self.browse.setObjectName("firstRunBrowse")
        self.browse.clicked.connect(self.choose_folder)
        self.folder_intro = QLabel()
        self.folder_intro.setWordWrap(True)
        folder_page = self._page("firstRunFolderPage", self.folder_intro, [])
        row = QHBoxLayout()
        row.addWidget(self.folder_label)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        layout = folder_page.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        self.scan = ScannerChoice()  # a scanner's folder: its scan profile
        layout.addWidget(self.scan)
        layout.addStretch(1)
        self.addPage(folder_page)
        self.language.currentIndexChanged.connect(lambda _i: self._language_chosen())
        self.resize(720, 460)
        self.retranslate()

        window.ops.db(_read_stored, self._fill, self._failed, owner=self)

    def _fill(self, found: Stored) -> None:
        """Show what is stored: run again, the assistant starts from the current values."""
        values, municipalities, profiles = found
        self.scan.set_profiles(profiles)
        stored = {value.spec.key: value for value in values}
        for text, code in municipalities:
            self.archiefvormer.addItem(text, code)
        code = stored["mdto.archiefvormer"].value
        if self.archiefvormer.findData(code) < 0:
            self.archiefvormer.addItem(code, code)
        self.archiefvormer.setCurrentIndex(self.archiefvormer.findData(code))
        bron = stored["mdto.identificatie_bron"]
        self.bron.setText("" if bron.is_default else bron.value)
        self.archiefvormer.setEnabled(True)
        self.loaded = True

    @staticmethod
    def _page(name: str, intro: QLabel, rows: list[tuple[QLabel, QComboBox | QLineEdit]]
              ) -> QWizardPage:  # fmt: skip
        page = QWizardPage()
        page.setObjectName(name)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        form = QFormLayout()
        for label, field in rows:
            form.addRow(label, field)
        layout.addLayout(form)
        return page

    def _language_chosen(self) -> None:
        language = str(self.language.currentData())
        if language != i18n.current_language():
            self.window_.set_language(language)
            self.retranslate()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose a drop folder"))
        if chosen:
            self.folder.setText(chosen)

    def central_url(self) -> str:
        """The address typed; a plain file path means an SQLite file (``sqlite:///``)."""
        text = self.central.text().strip()
        if text and "://" not in text:
            return f"sqlite:///{Path(text).expanduser().absolute()}"
        return text

    def test_connection(self) -> None:
        """Try the URL (nothing is stored); the outcome is shown under the button."""
        url, password = self.central_url(), self.password.text() or None
        if not url:
            self.test_result.setText(_("Fill in the address of the central archive first."))
            return
        self.test_button.setEnabled(False)
        self.test_result.setText(_("Testing the connection…"))

        def tested(revision: str | None) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(
                _("Connected; the central archive is at schema version {revision}.").format(
                    revision=revision or "?"
                )
            )

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(_("No connection: {reason}").format(reason=_reason(exc)))

        from recordsdesk.archive.central.connection import test_central

        # on the IO pool: an unreachable server must not hold up the lists' reads
        self.window_.ops.io(lambda ws: test_central(ws, url, password), tested, failed, owner=self)

    def accept(self) -> None:
        """Store the choices (see the module docstring), then close."""
        values: dict[str, str] = {}
        if self.loaded:  # never the form's placeholders over what is stored
            values["mdto.archiefvormer"] = str(self.archiefvormer.currentData())
            values["mdto.identificatie_bron"] = (
                self.bron.text().strip() or organisation.spec("mdto.identificatie_bron").default
            )
        url, password = self.central_url(), self.password.text() or None
        folder = self.folder.text().strip()
        scanner = self.scan.chosen() if folder else None

        def store(ws: Workspace) -> None:
            from recordsdesk.archive.central.connection import set_central, test_central
            from recordsdesk.intake.folders import add_drop_folder
            from recordsdesk.services import scan_profiles

            # Everything is checked before anything is stored: the values, the folder,
            # the connection. The three stores are then separate transactions (the
            # central archive's address, its password in the keyring, a drop folder); a
            # failure between them is reported and the assistant stays open.
            for key, value in values.items():
                organisation.spec(key).parse(value)
            if folder and not Path(folder).is_dir():
                raise UserError(N_("The drop folder {path} does not exist or is not a folder."),
                                {"path": folder})  # fmt: skip
            if url:
                test_central(ws, url, password)
            organisation.set_settings(ws, values)
            if url:
                set_central(ws, url, password, test=False)  # tested just now
            if scanner is not None and scanner[2]:  # another resolution or colour mode
                scan_profiles.save_profile(ws, scanner[0], scanner[1])
            if folder:
                profile_name = scanner[0] if scanner is not None else None
                add_drop_folder(ws, Path(folder), scan_profile=profile_name)

        def stored(_none: None) -> None:
            ui_settings.set_first_run_done(self.window_.settings)
            self.window_.show_message(Message(N_("RecordsDesk is set up.")))
            super(FirstRunWizard, self).accept()

        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.window_.ops.db(store, stored, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        show_error(self, exc)

    def reject(self) -> None:
        ui_settings.set_first_run_done(self.window_.settings)  # not again at every start
        super().reject()

    def retranslate(self) -> None:
        for which, tip in (
            (QWizard.WizardButton.BackButton, _("The step before")),
            (QWizard.WizardButton.NextButton, _("The next step")),
            (QWizard.WizardButton.FinishButton, _("Store the choices and start")),
            (QWizard.WizardButton.CancelButton, _("Store nothing; start as it is (Esc)")),
        ):
            self.button(which).setAccessibleDescription(tip)
        self.setWindowTitle(_("Setting up RecordsDesk"))
        self.setAccessibleName(_("Setting up RecordsDesk"))
        self.setAccessibleDescription(_("Four steps; everything can be changed later in "
                                        "Bestand › Instellingen"))  # fmt: skip
        titles = (
            _("Welcome"),
            _("Your organisation"),
            _("The central archive"),
            _("A drop folder"),
        )
        for number, title in enumerate(titles):
            page = self.page(number)
            page.setTitle(title)
            page.setAccessibleName(title)
        self.welcome.setText(_("RecordsDesk files digital and scanned records into dossiers, "
                               "with MDTO metadata, and keeps every byte verifiable. A few "
                               "choices first; each can be changed later."))  # fmt: skip
        self.language_label.setText(_("&Language:"))
        self.language.setAccessibleName(_("Language"))
        self.language.setAccessibleDescription(_("The language of the window and its messages"))
        self.organisation_intro.setText(_("New dossiers carry the archiefvormer; the "
                                          "identificatieBron names the system that issues "
                                          "their kenmerken."))  # fmt: skip
        self.archiefvormer_label.setText(_("&Archiefvormer:"))
        self.archiefvormer.setAccessibleName(_("Archiefvormer"))
        self.archiefvormer.setAccessibleDescription(
            _("The municipality that forms the archive, from the TOOI register")
        )
        self.bron_label.setText(_("&IdentificatieBron:"))
        self.bron.setAccessibleName(_("IdentificatieBron"))
        self.bron.setAccessibleDescription(_("Leave empty for the default shown"))
        self.central_intro.setText(_("Records are synchronised to the central archive. Leave "
                                     "the address empty to work on this computer only for "
                                     "now. A password goes to the system's keyring, never "
                                     "into a file."))  # fmt: skip
        self.central_label.setText(_("&Address:"))
        self.central.setAccessibleName(_("Address of the central archive"))
        self.central.setAccessibleDescription(_("A PostgreSQL URL, or the path of an SQLite file"))
        self.password_label.setText(_("&Password:"))
        self.password.setAccessibleName(_("Password"))
        self.password.setAccessibleDescription(_("Only when the database asks for one"))
        self.test_button.setText(_("&Test the connection"))
        self.test_button.setAccessibleDescription(_("Try the address; nothing is stored"))
        self.test_result.setAccessibleName(_("Result of the test"))
        self.folder_intro.setText(_("Files that appear in a drop folder (scanner output, mail "
                                    "exports) come into the inbox by themselves. Optional; "
                                    "more can be added in Bestand › Instellingen."))  # fmt: skip
        self.folder_label.setText(_("&Folder:"))
        self.folder.setAccessibleName(_("Drop folder"))
        self.folder.setAccessibleDescription(_("Leave empty to add none now"))
        self.browse.setText(_("&Browse…"))
        self.browse.setAccessibleDescription(_("Choose the folder"))
        self.scan.retranslate()


Stored = tuple[list[SettingValue], list[tuple[str, str]], dict[str, "ScanProfile"]]


def _read_stored(ws: Workspace) -> Stored:
    """On the database worker: the settings, the municipalities, the scan profiles."""
    from recordsdesk.services import scan_profiles

    profiles: dict[str, ScanProfile] = {}
    for name in scan_profiles.profile_names(ws):
        try:
            profiles[name] = scan_profiles.profile(ws, name)
        except UserError:  # one that cannot be read is not offered; the rest still are
            continue
    return organisation.settings(ws), municipality_items(), profiles


def _reason(exc: BaseException) -> str:
    """A refusal in words (errors.user_message); anything else by its text."""
    known = user_message(exc)
    return known[0] if known is not None else str(exc)


def show_first_run(window: MainWindow) -> FirstRunWizard:
    """Open the assistant (raised if it is open)."""
    for found in window.findChildren(FirstRunWizard):
        if found.isVisible():
            found.raise_()
            return found
    wizard = FirstRunWizard(window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
