"""Scan profiles: how a scanner folder's batches are read, checked and split.

A profile is a named set of settings (stored as JSON in the store's settings,
see ``services.scanning``); the default one suits an office multifunction
printer scanning letters at 300 dpi in grey. ``collate_duplex`` puts the pages
of a simplex feeder's two passes back in order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from recordsdesk.errors import UserError
from recordsdesk.i18n import N_
from recordsdesk.scan.ocr import OcrSettings
from recordsdesk.scan.quality import Limits
from recordsdesk.scan.states import DEFAULT_PROFILE

COLOUR_MODES = ("bw", "grey", "colour")
DEFAULT_NAME = DEFAULT_PROFILE


@dataclass(frozen=True)
class ScanProfile:
    """The settings of one scan profile (all have defaults)."""

    languages: tuple[str, ...] = ("nld",)  # Tesseract codes, e.g. ("nld", "eng")
    rotate: bool = True  # turn pages scanned sideways or upside down
    deskew: bool = False  # straighten skewed pages (several seconds a page)
    dpi: int = 300  # the resolution the scanner is set to
    colour_mode: str = "grey"  # "bw", "grey" or "colour"
    remove_blank: bool = False  # leave blank pages out of the records (still flagged)
    blank_share: float = 0.0005  # marks on less of a page than this: blank
    max_skew: float = 1.0  # degrees; a page skewed more is flagged
    duplex_collation: bool = False  # a simplex feeder's odd pages, then its even reversed
    split_on_sheets: bool = True  # each separator sheet starts a new record
    sample_size: int = 0  # pages a reviewer checks to approve by sampling (0: every flag)
    min_confidence: int = 60  # OCR's mean word confidence (0-100) under which a page is flagged

    def __post_init__(self) -> None:
        if not self.languages or any(not lang.isalpha() for lang in self.languages):
            raise UserError(N_("A scan profile needs one or more OCR languages, such as nld."))
        if not 50 <= self.dpi <= 1200:
            raise UserError(N_("The scan resolution must be between 50 and 1200 dpi."))
        if self.colour_mode not in COLOUR_MODES:
            raise UserError(
                N_("The colour mode must be one of: {choices}."),
                {"choices": ", ".join(COLOUR_MODES)},
            )
        if not 0 <= self.blank_share < 0.5 or not 0 <= self.max_skew <= 45:
            raise UserError(N_("The blank-page and skew thresholds are out of range."))
        if self.sample_size < 0:
            raise UserError(N_("The sample size cannot be negative."))
        if not 0 <= self.min_confidence <= 100:
            raise UserError(N_("The minimum OCR confidence must be between 0 and 100."))

    @property
    def ocr(self) -> OcrSettings:
        return OcrSettings(languages=self.languages, rotate=self.rotate, deskew=self.deskew)

    @property
    def limits(self) -> Limits:
        return Limits(
            blank_share=self.blank_share,
            max_skew=self.max_skew,
            dpi=self.dpi,
            colour_mode=self.colour_mode,
            min_confidence=self.min_confidence,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ScanProfile:
        """The profile ``text`` describes; unknown keys (a later version's) are ignored.

        Raises ``UserError`` for a value out of range or of the wrong kind.
        """
        try:
            raw: dict[str, Any] = json.loads(text)
        except ValueError as error:
            raise UserError(N_("This scan profile cannot be read.")) from error
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        if "languages" in values:
            values["languages"] = tuple(values["languages"])
        try:
            return cls(**values)
        except TypeError as error:
            raise UserError(N_("This scan profile cannot be read.")) from error


def collate_duplex(pages: Sequence[int]) -> list[int]:
    """The reading order of a batch scanned in two passes through a simplex feeder.

    The first half of ``pages`` are the fronts in order, the second half the
    backs in reverse (the stack turned over). ``[1, 3, 5, 6, 4, 2]`` gives
    ``[1, 2, 3, 4, 5, 6]``. An odd count cannot be two passes of one stack:
    ``UserError``.
    """
    if len(pages) % 2:
        raise UserError(
            N_("A duplex batch scanned in two passes has an even number of pages, not {count}."),
            {"count": len(pages)},
        )
    half = len(pages) // 2
    fronts, backs = pages[:half], list(reversed(pages[half:]))
    return [page for pair in zip(fronts, backs, strict=True) for page in pair]
