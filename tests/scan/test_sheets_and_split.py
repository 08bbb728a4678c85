"""Separator sheets and splitting scanned batches, on real synthetic scans.

The batches are image PDFs made by ``tests/scan/synth.py``: rendered Dutch text
pages with noise and blur, and the app's own separator sheets printed (pdfium)
and "scanned" at 150 to 300 dpi, skewed or upside down.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
import pytest

from recordsdesk.errors import UserError
from recordsdesk.scan.detect import find_sheets
from recordsdesk.scan.sheet import PREFIX, Sheet, SheetFields, parse, payload
from recordsdesk.scan.split import Part, plan_parts, write_parts
from tests.scan.synth import Page, make_batch

ONE = SheetFields(dossier="ZK-2026-0001", documenttype="Brief", titel="Besluit op aanvraag")
TWO = SheetFields(dossier="ZK-2026-0002", titel="Bezwaar tegen het besluit", pages=2)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the QR code's text ----------------------------------------------------------
def test_payload_round_trips_with_awkward_values() -> None:
    fields = SheetFields(
        dossier="ZK-2026-0001", documenttype="Brief & bijlage", titel="Café = 50% ?#&", pages=12
    )
    text = payload(fields)
    assert text.startswith(PREFIX + "1?")
    assert parse(text) == Sheet(fields)


def test_a_foreign_qr_code_is_not_a_sheet() -> None:
    assert parse("https://www.rotterdam.nl/parkeren") is None
    assert parse("RECORDSDESK-SOMETHING-ELSE/1?dossier=X") is None


def test_a_later_version_or_a_damaged_text_is_a_sheet_with_a_problem() -> None:
    later = parse(PREFIX + "2?dossier=ZK-2026-0001")
    assert later is not None and later.problem is not None and later.fields == SheetFields()
    damaged = parse(PREFIX + "1?paginas=twee")
    assert damaged is not None and damaged.problem is not None


@pytest.mark.parametrize(
    "fields",
    [
        SheetFields(titel="x" * 201),
        SheetFields(pages=0),
        SheetFields(pages=10_001),
        # each field allowed, together too dense a code for a 150-dpi scan
        SheetFields(dossier="ZK-2026-0001", documenttype="d" * 60, titel="é" * 40),
    ],
)
def test_unusable_fields_are_refused_clearly(fields: SheetFields) -> None:
    with pytest.raises(UserError):
        payload(fields)


# -- plan ------------------------------------------------------------------------
S = Sheet(ONE)
T = Sheet(TWO)


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ([None, None, None], [Part((0, 1, 2))]),  # no sheets: one record
        ([S, None, None, T, None], [Part((1, 2), S, 0), Part((4,), T, 3)]),
        ([None, S, None], [Part((0,)), Part((2,), S, 1)]),  # pages before the first sheet
        ([S, T, None], [Part((2,), T, 1)]),  # two sheets in a row: no empty record
        ([S, None, T], [Part((1,), S, 0)]),  # a sheet as the last page
        ([S, T], []),  # only sheets
        ([], []),
    ],
)
def test_plan_parts(pages: list[Sheet | None], expected: list[Part]) -> None:
    assert plan_parts(pages) == expected


# -- real scans ------------------------------------------------------------------
def test_a_batch_splits_at_its_sheets_whatever_their_scan(tmp_path: Path) -> None:
    """Sheets at 150 dpi upside down, skewed, two in a row, one as the last page."""
    batch = make_batch(
        [
            Page(sheet=ONE, dpi=150, angle=180),  # upside down at 150 dpi
            Page(),
            Page(angle=1.2),
            Page(sheet=ONE, dpi=200, angle=3),  # followed at once by another sheet
            Page(sheet=TWO, dpi=300, angle=-2),
            Page(dpi=300),
            Page(sheet=ONE),  # the last page
        ],
        tmp_path / "batch.pdf",
    )
    before = _sha(batch)
    seen: list[tuple[int, int]] = []
    found = find_sheets(batch, progress=lambda done, total: seen.append((done, total)))
    assert [page.fields if page else None for page in found] == [
        ONE, None, None, ONE, TWO, None, ONE
    ]  # fmt: skip
    assert seen[-1] == (7, 7)
    parts = plan_parts(found)
    assert [(p.pages, p.sheet_page) for p in parts] == [((1, 2), 0), ((5,), 4)]

    out = tmp_path / "parts"
    out.mkdir()
    written = write_parts(batch, parts, out)
    assert [p.name for p in written] == ["part-001.pdf", "part-002.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["part-001.pdf", "part-002.pdf"]  # no temps
    with pikepdf.open(batch) as source, pikepdf.open(written[0]) as first:
        assert len(first.pages) == 2
        # the scanner's image streams copied byte for byte: lossless
        for index, page in zip((1, 2), first.pages, strict=True):
            original = next(iter(source.pages[index].get_images().values()))
            copied = next(iter(page.get_images().values()))
            assert copied.read_raw_bytes() == original.read_raw_bytes()
    assert _sha(batch) == before  # the original is never changed


def test_a_qr_code_on_a_letter_does_not_split(tmp_path: Path) -> None:
    """A page with someone else's QR code is an ordinary page."""
    import segno
    from PIL import Image

    from tests.scan.synth import scanned, text_page

    page = text_page("Parkeervergunning, scan de code", 200)
    code = segno.make_qr("https://www.rotterdam.nl/parkeren")
    code.save(tmp_path / "code.png", scale=8)
    page.paste(Image.open(tmp_path / "code.png").convert("L"), (300, 900))
    image = scanned(page, Page(), 3)
    image.save(tmp_path / "page.png", dpi=(200, 200))
    import img2pdf

    batch = tmp_path / "batch.pdf"
    batch.write_bytes(img2pdf.convert([(tmp_path / "page.png").read_bytes()]))
    assert find_sheets(batch) == [None]


def test_a_damaged_batch_is_reported_not_half_written(tmp_path: Path) -> None:
    batch = tmp_path / "broken.pdf"
    batch.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    out = tmp_path / "parts"
    out.mkdir()
    with pytest.raises(pikepdf.PdfError):
        write_parts(batch, [Part((0,))], out)
    assert list(out.iterdir()) == []
