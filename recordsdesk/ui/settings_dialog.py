"""Bestand › Instellingen… (Ctrl+,): every setting, in one dialog.

* **Organisatie**: the store's settings as :data:`recordsdesk.services.organisation.
  SETTINGS` declares them (name, help text, default); the form is made from that
  list, so a setting declared there is here too. Saved together: every value is
  checked first, all problems are shown at once, and the changes are stored in one
  transaction (``organisation.set_settings``).
* **Werkplek**: the language and whether the window watches the drop folders (this
  user's QSettings), and the drop folders of this data folder (added and removed at
  once, each one user action).

The archiefvormer is chosen from the TOOI register's current municipalities (read on
the database worker with the settings: the register is large).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recordsdesk import i18n
from recordsdesk.i18n import _
from recordsdesk.intake import folders
from recordsdesk.mdto import tooi
from recordsdesk.services import organisation
from recordsdesk.services.organisation import SettingValue
from recordsdesk.ui import settings as ui_settings
from recordsdesk.ui.actions import LANGUAGE_NAMES
from recordsdesk.ui.errors import show_error

if TYPE_CHECKING:
    from recordsdesk.services import Workspace
    from recordsdesk.ui.mainwindow import MainWindow

ARCHIEFVORMER = "mdto.archiefvormer"


class SettingsDialog(QDialog):
    """The settings of the store and of this workstation (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("settingsDialog")
        self.window_ = window
        self.ops = window.ops
        self.values: dict[str, SettingValue] = {}
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(self._organisation_page(), "")
        self.tabs.addTab(self._workstation_page(), "")
        self.status = QLabel()
        self.status.setObjectName("settingsStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        # nothing is saved before the stored values are shown (else the empty form would
        # overwrite them with defaults)
        self.save_button.setEnabled(False)
        self.retranslate()
        self.reload()

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    # -- pages ------------------------------------------------------------------
    def _organisation_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        for item in organisation.SETTINGS:
            editor: QLineEdit | QComboBox
            if item.key == ARCHIEFVORMER:
                editor = QComboBox()  # filled in the background (fill_municipalities)
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(item.default)
            editor.setObjectName(f"setting_{item.key}")
            label = QLabel()
            label.setBuddy(editor)
            self.editors[item.key] = editor
            self.labels[item.key] = label
            form.addRow(label, editor)
        return page

    def _workstation_page(self) -> QWidget:
        page = QWidget()
        self.language = QComboBox()
        self.language.setObjectName("settingsLanguage")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.watch = QCheckBox()
        self.watch.setObjectName("settingsWatch")
        self.folders = QListWidget()
        self.folders.setObjectName("settingsDropFolders")
        self.folders_label = QLabel()
        self.folders_label.setBuddy(self.folders)
        self.add_folder = QPushButton()
        self.add_folder.setObjectName("settingsAddFolder")
        self.add_folder.clicked.connect(self.choose_folder)
        self.remove_folder = QPushButton()
        self.remove_folder.setObjectName("settingsRemoveFolder")
        self.remove_folder.clicked.connect(self.remove_selected_folder)
        self.folders.currentRowChanged.connect(lambda row: self.remove_folder.setEnabled(row >= 0))
        self.remove_folder.setEnabled(False)
        form = QFormLayout()
        form.addRow(self.language_label, self.language)
        form.addRow("", self.watch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_folder)
        buttons.addWidget(self.remove_folder)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.folders_label)
        layout.addWidget(self.folders, 1)
        layout.addLayout(buttons)
        return page

    # -- reading and saving -------------------------------------------------------
    def reload(self) -> None:
        """Read the settings and the drop folders (in the background)."""
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.watch.setChecked(ui_settings.watch_folders(self.window_.settings))

        def read(ws: Workspace) -> tuple[list[SettingValue], list[str], list[tuple[str, str]]]:
            found = organisation.settings(ws)
            drop_folders = [str(info.path) for info in folders.list_drop_folders(ws)]
            return found, drop_folders, municipality_items()

        self.ops.db(read, self._fill, self._failed, owner=self)

    def _fill(self, found: tuple[list[SettingValue], list[str], list[tuple[str, str]]]) -> None:
        values, drop_folders, municipalities = found
        self.values = {value.spec.key: value for value in values}
        for key, value in self.values.items():
            editor = self.editors[key]
            if isinstance(editor, QComboBox):
                if editor.count() == 0:
                    for text, code in municipalities:
                        editor.addItem(text, code)
                if editor.findData(value.value) < 0:  # e.g. merged away since it was set
                    editor.addItem(value.value, value.value)
                editor.setCurrentIndex(editor.findData(value.value))
            else:
                editor.setText("" if value.is_default else value.value)
        self.folders.clear()
        self.folders.addItems(drop_folders)
        self.save_button.setEnabled(True)

    def entered(self) -> dict[str, str]:
        """What the organisation form holds (an empty field: the default)."""
        found: dict[str, str] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                found[key] = str(editor.currentData())
            else:
                found[key] = editor.text().strip() or organisation.spec(key).default
        return found

    def save(self) -> None:
        """Store the organisation settings (one transaction), apply the workstation's."""
        values = self.entered()
        self.buttons.setEnabled(False)
        language = str(self.language.currentData())
        watch = self.watch.isChecked()

        def saved(_values: list[SettingValue]) -> None:
            self.buttons.setEnabled(True)  # (Save stays enabled: the values were shown)
            if watch != ui_settings.watch_folders(self.window_.settings):
                self.window_.watch.action.trigger()
            if language != i18n.current_language():
                self.window_.set_language(language)
            self.accept()

        self.ops.db(lambda ws: organisation.set_settings(ws, values), saved, self._failed,
                    owner=self)  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_error(self, exc)

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose a drop folder"))
        if chosen:
            self._change_folders(lambda ws: folders.add_drop_folder(ws, Path(chosen)))

    def remove_selected_folder(self) -> None:
        item = self.folders.currentItem()
        if item is not None:
            path = Path(item.text())
            self._change_folders(lambda ws: folders.remove_drop_folder(ws, path))

    def _change_folders(self, change: Callable[[Workspace], object]) -> None:
        def done(_result: object) -> None:
            self.reload()
            self.status.setText(_("Drop folders changed."))

        self.ops.db(change, done, self._failed, owner=self)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        self.setAccessibleName(_("Settings"))
        self.setAccessibleDescription(_("The settings of this data folder and of this workstation"))
        self.tabs.setTabText(0, _("&Organisation"))
        self.tabs.setTabText(1, _("&Workstation"))
        self.tabs.setTabToolTip(0, _("The MDTO defaults of everything filed in this data folder"))
        self.tabs.setTabToolTip(1, _("Language, watching and drop folders of this workstation"))
        self.tabs.setAccessibleName(_("Groups of settings"))
        self.tabs.setAccessibleDescription(_("Ctrl+Tab moves to the next group"))
        for item in organisation.SETTINGS:
            label, editor = self.labels[item.key], self.editors[item.key]
            label.setText(_(item.label or item.key) + ":")
            editor.setAccessibleName(_(item.label or item.key))
            described = _(item.help) + " " + _("Default: {value}").format(value=item.default)
            editor.setAccessibleDescription(described)
            editor.setToolTip(described)
        self.language_label.setText(_("&Language:"))
        self.language.setAccessibleName(_("Language"))
        self.language.setAccessibleDescription(_("The language of the window and its messages"))
        self.watch.setText(_("&Watch the drop folders while the window is open"))
        self.watch.setAccessibleDescription(
            _("New files in the drop folders come into the inbox by themselves")
        )
        self.folders_label.setText(_("&Drop folders of this data folder:"))
        self.folders.setAccessibleName(_("Drop folders"))
        self.folders.setAccessibleDescription(_("The folders whose new files come into the inbox"))
        self.add_folder.setText(_("&Add…"))
        self.add_folder.setAccessibleDescription(_("Choose a folder to watch"))
        self.remove_folder.setText(_("&Remove"))
        self.remove_folder.setAccessibleDescription(
            _("Stop watching the selected folder (its files stay where they are)")
        )
        self.status.setAccessibleName(_("Result"))
        for button, tip in (
            (QDialogButtonBox.StandardButton.Save, _("Check and save the settings")),
            (QDialogButtonBox.StandardButton.Cancel, _("Close without saving (Esc)")),
        ):
            found = self.buttons.button(button)
            found.setAccessibleDescription(tip)


def municipality_items(on: dt.date | None = None) -> list[tuple[str, str]]:
    """(text, TOOI code) of every municipality that exists on ``on`` (default today),
    for a combo box. Reading the register takes a while the first time: call it on a
    worker (``ops.db``/``ops.io``), never on the GUI thread."""
    day = on or dt.date.today()
    return [(f"{g.label} ({g.code})", g.code) for g in tooi.municipalities(day)]


def show_settings(window: MainWindow) -> SettingsDialog:
    """Open the settings (raised if open)."""
    for found in window.findChildren(SettingsDialog):
        if found.isVisible():
            found.raise_()
            found.activateWindow()
            return found
    dialog = SettingsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
