"""Quality control on a real synthetic batch with planted bad pages, and scan profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from recordsdesk.errors import UserError
from recordsdesk.scan.profile import ScanProfile, collate_duplex
from recordsdesk.scan.quality import Flag, Limits, check_pdf, with_confidence
from tests.scan.synth import Page, make_batch

FADED = "Dit is een verbleekte kopie van een oude brief over de erfpacht."


def test_planted_pages_raise_their_flags_and_good_pages_none(tmp_path: Path) -> None:
    pages = [
        Page(),  # 0 good
        Page(text=""),  # 1 blank (speckle only)
        Page(shade=110),  # 2 too dark
        Page(angle=2.5),  # 3 skewed
        Page(angle=-0.4),  # 4 slightly skewed: within the limit
        Page(angle=180),  # 5 upside down: OCR turns it, not a skew
        Page(text="Akkoord.\nJ. Jansen"),  # 6 two short lines: not blank
        Page(text=FADED),  # 7 faded (made lighter below)
        Page(dpi=150),  # 8 scanned at 150 dpi where 200 is expected
    ]
    batch = make_batch(pages, tmp_path / "batch.pdf", fade={7})
    seen: list[tuple[int, int]] = []
    checks = check_pdf(batch, Limits(dpi=200), progress=lambda d, t: seen.append((d, t)))
    flags = [set(check.flags) for check in checks]
    assert flags == [
        set(),
        {Flag.BLANK},
        {Flag.DARK},
        {Flag.SKEWED},
        set(),
        set(),
        set(),
        {Flag.LIGHT},
        {Flag.LOW_RESOLUTION},
    ]
    assert checks[3].flags[Flag.SKEWED] == {"angle": "2.5"}
    assert checks[8].flags[Flag.LOW_RESOLUTION] == {"dpi": 150, "expected": 200}
    assert checks[0].facts.dpi == 200 and checks[0].facts.colour_mode == "grey"
    assert seen[-1] == (9, 9)


def test_the_ocr_confidence_joins_a_pages_checks(tmp_path: Path) -> None:
    good, blank = check_pdf(
        make_batch([Page(), Page(text="")], tmp_path / "b.pdf"), Limits(dpi=200)
    )
    limits = Limits(dpi=200, min_confidence=60)
    sure = with_confidence(good, 88.4, limits)
    assert sure.read_by_ocr and sure.confidence == 88.4 and sure.flags == {}
    unsure = with_confidence(good, 41.6, limits)
    assert unsure.flags == {Flag.LOW_CONFIDENCE: {"confidence": 42, "expected": 60}}
    assert with_confidence(good, None, limits).flags == {Flag.NO_TEXT: {}}
    # a blank page has no text by nature: flagged as blank only
    assert set(with_confidence(blank, None, limits).flags) == {Flag.BLANK}
    assert not good.read_by_ocr and good.flags == {}  # the check itself is not changed


def test_colour_mode_against_the_profile(tmp_path: Path) -> None:
    batch = make_batch([Page()], tmp_path / "batch.pdf")
    assert set(check_pdf(batch, Limits(dpi=200, colour_mode="bw"))[0].flags) == {Flag.COLOUR_MODE}
    bw = tmp_path / "bw.png"
    Image.new("1", (1654, 2339), 1).save(bw, dpi=(200, 200))
    import img2pdf

    (tmp_path / "bw.pdf").write_bytes(img2pdf.convert([bw.read_bytes()]))
    check = check_pdf(tmp_path / "bw.pdf", Limits(dpi=200))[0]
    assert check.facts.colour_mode == "bw" and Flag.COLOUR_MODE in check.flags


def test_duplex_collation() -> None:
    assert collate_duplex([1, 3, 5, 6, 4, 2]) == [1, 2, 3, 4, 5, 6]
    assert collate_duplex([]) == []
    with pytest.raises(UserError, match="even number"):
        collate_duplex([1, 2, 3])


def test_profiles_round_trip_and_refuse_nonsense() -> None:
    profile = ScanProfile(languages=("nld", "eng"), dpi=200, colour_mode="colour", sample_size=5)
    assert ScanProfile.from_json(profile.to_json()) == profile
    # a later version's keys are ignored, not fatal
    later = profile.to_json()[:-1] + ', "stapler_detection": true}'
    assert ScanProfile.from_json(later) == profile
    assert profile.ocr.languages == ("nld", "eng") and profile.limits.dpi == 200
    for bad in ('{"dpi": 20}', '{"colour_mode": "sepia"}', '{"languages": []}', "{nonsense",
                '{"dpi": "hoog"}', '{"sample_size": -1}', '{"min_confidence": 101}'):  # fmt: skip
        with pytest.raises(UserError):
            ScanProfile.from_json(bad)


def test_image_facts_of_an_icc_grey_image_and_a_page_without_size(tmp_path: Path) -> None:
    """A grey scan tagged with an ICC profile is grey; a page box of no size gives no
    resolution instead of an internal error."""
    import pikepdf

    from recordsdesk.scan.quality import image_facts

    batch = make_batch([Page()], tmp_path / "batch.pdf")
    with pikepdf.open(batch) as pdf:
        page = pdf.pages[0]
        image = next(iter(page.get_images().values()))
        profile = pikepdf.Stream(pdf, b"\\x00" * 128)  # the stream's content is not read here
        profile.N = 1
        image.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)])
        assert image_facts(page).colour_mode == "grey"
        page.obj.MediaBox = pikepdf.Array([0, 0, 0, 0])
        assert image_facts(page).dpi is None


def test_the_device_a_scan_names(tmp_path: Path) -> None:
    from recordsdesk.scan.device import device_of

    tiff = tmp_path / "scan.tif"
    Image.new("L", (100, 100), 255).save(tiff, tiffinfo={271: "Canon", 272: "Canon iR-ADV C5840"})
    assert device_of(tiff, "image/tiff") == "Canon iR-ADV C5840"
    plain = tmp_path / "plain.png"
    Image.new("L", (10, 10), 255).save(plain)
    assert device_of(plain, "image/png") is None
    import pikepdf

    batch = make_batch([Page()], tmp_path / "b.pdf")
    assert device_of(batch, "application/pdf") is None  # img2pdf names nothing
    with pikepdf.open(batch, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/Producer"] = "  Canon\x00 iR-ADV  C5840 "
        pdf.save(batch)
    assert device_of(batch, "application/pdf") == "Canon iR-ADV C5840"
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4 kapot")
    assert device_of(tmp_path / "kapot.pdf", "application/pdf") is None
