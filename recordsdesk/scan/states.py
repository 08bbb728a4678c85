"""Names of the scan workflow without the scan machinery's imports (Pillow, pdfium,
zxing, ocrmypdf), so the command line and the window can name them cheaply at start:
a batch's states in words (msgids) and the default scan profile's name."""

from __future__ import annotations

from recordsdesk.i18n import N_

STATE_TEXT = {"processing": N_("being taken apart"), "needs_review": N_("needs review"),
              "rescan": N_("waiting for a re-scan"), "approved": N_("approved"),
              "rejected": N_("rejected")}  # fmt: skip

DEFAULT_PROFILE = "standaard"  # the scan profile that always exists
