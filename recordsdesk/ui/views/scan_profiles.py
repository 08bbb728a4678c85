"""The scan profile dialog: make or change a named scan profile (issue 8).

Opened from the scanned batches window. The name field lists the existing
profiles (and takes a new name); choosing one reads its settings on the database
worker. Saving validates in the service (``services.scan_profiles``): a value out
of range is refused there with its message and the dialog stays open.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from recordsdesk.i18n import N_, _
from recordsdesk.scan.states import DEFAULT_PROFILE
from recordsdesk.services import Workspace
from recordsdesk.ui.form_dialog import FormDialog
from recordsdesk.ui.ops import Ops

COLOUR_MODES = (("bw", N_("black and white")), ("grey", N_("greyscale")),
                ("colour", N_("colour")))  # fmt: skip
SWITCHES = (
    ("rotate", N_("&Turn pages scanned sideways or upside down")),
    ("deskew", N_("Straighten s&kewed pages (slow)")),
    ("remove_blank", N_("Leave &blank pages out of the records")),
    ("duplex_collation", N_("Simplex feeder, two &passes (odd pages, then even reversed)")),
    ("split_on_sheets", N_("Start a new record at each separator s&heet")),
)


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    return box


def _double(low: float, high: float, decimals: int, step: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    return box


class ScanProfileDialog(FormDialog):
    """See the module docstring. ``saved(name)`` is called after a successful save."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent, "scanProfileDialog", _("Scan profiles"), _("&Save"))
        self.ops = ops
        self.loaded = False
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.languages = QLineEdit()
        self.languages.setPlaceholderText("nld,eng")
        self.dpi = _spin(50, 1200, " dpi")
        self.colour_mode = QComboBox()
        for code, text in COLOUR_MODES:
            self.colour_mode.addItem(_(text), code)
        self.min_confidence = _spin(0, 100, " %")
        self.max_skew = _double(0, 45, 1, 0.5)
        self.blank_share = _double(0, 0.49, 4, 0.0005)
        self.sample_size = _spin(0, 10000)
        self.sample_size.setSpecialValueText(_("no sampling: every flagged page"))
        self.switches = {key: QCheckBox(_(text)) for key, text in SWITCHES}
        for text, widget, name, tip in (
            (_("&Name:"), self.name, "scanProfileName",
             _("The profile to change; type a new name to make a new profile")),
            (_("OCR &languages:"), self.languages, "scanProfileLanguages",
             _("Tesseract's language codes, separated by commas (nld,eng)")),
            (_("&Resolution:"), self.dpi, "scanProfileDpi",
             _("The resolution the scanner is set to; a page scanned coarser is flagged")),
            (_("&Colour mode:"), self.colour_mode, "scanProfileColourMode",
             _("The colour mode the scanner is set to; a page in another mode is flagged")),
            (_("Minimum OCR con&fidence:"), self.min_confidence, "scanProfileConfidence",
             _("A page whose recognised words average a lower confidence is flagged")),
            (_("Maximum ske&w (degrees):"), self.max_skew, "scanProfileSkew",
             _("A page turned further than this is flagged as skewed")),
            (_("Blank page: &marks under this share:"), self.blank_share, "scanProfileBlank",
             _("A page with a smaller share of dark pixels than this is taken for blank")),
            (_("Approve by a sample of pa&ges:"), self.sample_size, "scanProfileSample",
             _("How many pages a reviewer looks at before approving a batch; 0: every "
               "flagged page")),
        ):  # fmt: skip
            self.add_field(text, widget, name, tip=tip)
        for key, box in self.switches.items():
            box.setObjectName(f"scanProfile_{key}")
            box.setAccessibleName(box.text().replace("&", ""))
            box.setToolTip(_("On or off for every batch from a scanner folder with this profile"))
            self.form.addRow("", box)
        self.name.currentTextChanged.connect(lambda _text: self.update_ok())
        self.name.activated.connect(lambda _index: self._load(self.name.currentText()))
        self.finish_layout(_("A scanner folder's profile says how its batches are read, "
                             "checked and split. Choose a profile to change it, or type a "
                             "new name."))  # fmt: skip
        self.ops.db(_names, self._named, owner=self)

    def complete(self) -> bool:
        # not before the chosen profile's settings are shown: Save would store the
        # fields' empty defaults
        return self.loaded and bool(self.name.currentText().strip())

    def _named(self, names: list[str]) -> None:
        self.name.clear()
        self.name.addItems(names)
        self.name.setCurrentText(DEFAULT_PROFILE)
        self._load(DEFAULT_PROFILE)

    def _load(self, name: str) -> None:
        from recordsdesk.services.scan_profiles import profile

        self.loaded = False
        self.update_ok()

        def read(ws: Workspace) -> dict[str, Any]:
            return _as_dict(profile(ws, name))

        self.ops.db(read, self._show, owner=self)

    def _show(self, values: dict[str, Any]) -> None:
        self.languages.setText(",".join(values["languages"]))
        self.dpi.setValue(values["dpi"])
        self.colour_mode.setCurrentIndex(max(0, self.colour_mode.findData(values["colour_mode"])))
        self.min_confidence.setValue(values["min_confidence"])
        self.max_skew.setValue(values["max_skew"])
        self.blank_share.setValue(values["blank_share"])
        self.sample_size.setValue(values["sample_size"])
        for key, box in self.switches.items():
            box.setChecked(bool(values[key]))
        self.loaded = True
        self.update_ok()

    def values(self) -> dict[str, Any]:
        """The settings as the dialog shows them (field name to value)."""
        return {
            "languages": tuple(p.strip() for p in self.languages.text().split(",") if p.strip()),
            "dpi": self.dpi.value(), "colour_mode": self.colour_mode.currentData(),
            "min_confidence": self.min_confidence.value(), "max_skew": self.max_skew.value(),
            "blank_share": self.blank_share.value(), "sample_size": self.sample_size.value(),
        } | {key: box.isChecked() for key, box in self.switches.items()}  # fmt: skip

    def accept(self) -> None:
        from recordsdesk.services.scan_profiles import changed_profile, save_profile

        name, values = self.name.currentText().strip(), self.values()

        def save(ws: Workspace) -> None:
            save_profile(ws, name, changed_profile(ws, name, values))

        self.ok_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            from recordsdesk.ui.errors import show_error

            self.update_ok()
            show_error(self, exc)

        self.ops.db(save, lambda _none: super(ScanProfileDialog, self).accept(), failed,
                    owner=self)  # fmt: skip


def _names(ws: Workspace) -> list[str]:
    from recordsdesk.services.scan_profiles import profile_names

    return profile_names(ws)


def _as_dict(profile: object) -> dict[str, Any]:
    import dataclasses

    assert dataclasses.is_dataclass(profile) and not isinstance(profile, type)
    return dataclasses.asdict(profile)
