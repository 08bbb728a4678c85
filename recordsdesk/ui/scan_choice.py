"""A drop folder as a scanner's folder: which scan profile, at what resolution and colour.

Used by the first-run assistant's drop-folder step. Unchecked, the folder is an
ordinary drop folder. Checked, its files are scanned batches read with the chosen
profile (``standaard`` always exists; the list is read on the database worker). A
resolution or colour mode other than the profile's is stored in that profile when
the assistant finishes (:meth:`ScannerChoice.chosen` says what to store).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QSpinBox, QWidget

from recordsdesk.i18n import _
from recordsdesk.ui.views.scan_profiles import COLOUR_MODES

if TYPE_CHECKING:  # the scan machinery (0.2 s of imports) is loaded on the worker
    from recordsdesk.scan.profile import ScanProfile

COLOUR_NAMES = dict(COLOUR_MODES)  # as the scan profiles window names them


class ScannerChoice(QWidget):
    """The checkbox, then the profile, its resolution and colour mode (enabled when
    checked). The checkbox waits for :meth:`set_profiles` (the stored profiles)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profiles: dict[str, ScanProfile] = {}
        self.scanner = QCheckBox()
        self.scanner.setObjectName("firstRunScanner")
        self.profile = QComboBox()
        self.profile.setObjectName("firstRunScanProfile")
        self.profile_label = QLabel()
        self.profile_label.setBuddy(self.profile)
        self.dpi = QSpinBox()
        self.dpi.setObjectName("firstRunScanDpi")
        self.dpi.setRange(50, 1200)
        self.dpi.setSingleStep(50)
        self.dpi_label = QLabel()
        self.dpi_label.setBuddy(self.dpi)
        self.colour = QComboBox()
        self.colour.setObjectName("firstRunScanColour")
        for mode in COLOUR_NAMES:
            self.colour.addItem(mode, mode)
        self.colour_label = QLabel()
        self.colour_label.setBuddy(self.colour)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.scanner)
        form.addRow(self.profile_label, self.profile)
        form.addRow(self.dpi_label, self.dpi)
        form.addRow(self.colour_label, self.colour)
        self.scanner.toggled.connect(self._enable)
        self.profile.currentIndexChanged.connect(lambda _i: self._show_profile())
        self.scanner.setEnabled(False)  # until the stored profiles are shown
        self._enable(False)
        self.retranslate()

    def set_profiles(self, profiles: dict[str, ScanProfile]) -> None:
        """The stored profiles (read on a worker), the default first."""
        self.profiles = dict(profiles)
        self.scanner.setEnabled(bool(self.profiles))
        self.profile.blockSignals(True)
        self.profile.clear()
        for name in self.profiles:
            self.profile.addItem(name, name)
        self.profile.blockSignals(False)
        self.profile.setCurrentIndex(0)
        self._show_profile()

    def chosen(self) -> tuple[str, ScanProfile, bool] | None:
        """``None`` for an ordinary drop folder; else (profile name, the profile with the
        chosen resolution and colour mode, whether that differs from what is stored)."""
        if not self.scanner.isChecked() or not self.profiles:
            return None
        name = str(self.profile.currentData())
        stored = self.profiles[name]
        wanted = dataclasses.replace(
            stored, dpi=self.dpi.value(), colour_mode=str(self.colour.currentData())
        )
        return name, wanted, wanted != stored

    def _show_profile(self) -> None:
        profile = self.profiles.get(str(self.profile.currentData()))
        if profile is None:
            return
        self.dpi.setValue(profile.dpi)
        self.colour.setCurrentIndex(max(0, self.colour.findData(profile.colour_mode)))

    def _enable(self, on: bool) -> None:
        for widget in (self.profile, self.dpi, self.colour):
            widget.setEnabled(on)

    def retranslate(self) -> None:
        self.scanner.setText(_("This folder receives a &scanner's output (scanned batches)"))
        self.scanner.setAccessibleName(_("Scanner's folder"))
        self.scanner.setAccessibleDescription(
            _("Its files are split into records, checked and OCR'd with the scan profile")
        )
        self.profile_label.setText(_("Scan &profile:"))
        self.profile.setAccessibleName(_("Scan profile"))
        self.profile.setAccessibleDescription(_("How the scanner's batches are read"))
        self.dpi_label.setText(_("&Resolution (dpi):"))
        self.dpi.setAccessibleName(_("Resolution in dpi"))
        self.dpi.setAccessibleDescription(_("The resolution the scanner is set to"))
        self.colour_label.setText(_("&Colour mode:"))
        self.colour.setAccessibleName(_("Colour mode"))
        self.colour.setAccessibleDescription(_("The colour mode the scanner is set to"))
        for index in range(self.colour.count()):
            self.colour.setItemText(index, _(COLOUR_NAMES[str(self.colour.itemData(index))]))
