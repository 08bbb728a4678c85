"""Identification of files above the sampling threshold stays right and bounded."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from recordsdesk import identify

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)


def _scratch(folder: Path) -> Callable[[str], Path]:
    counter = iter(range(1_000_000))
    return lambda suffix: folder / f"scratch-{next(counter)}{suffix}"


def test_a_docx_larger_than_the_sample_threshold_is_still_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "rapport.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", "<w:document/>")
        # stored, not deflated: the file really is bigger than the threshold
        archive.writestr("word/media/scan.bin", os.urandom(identify.SAMPLE_THRESHOLD + 1))
    assert path.stat().st_size > identify.SAMPLE_THRESHOLD

    info = identify.identify(path, path.name, _scratch(tmp_path))

    assert info.puid == "fmt/412", info
    assert info.mime.endswith("wordprocessingml.document"), info
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.docx"], "scratch left behind"


def test_a_large_pdf_is_identified_from_its_sample(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        handle.write(os.urandom(identify.SAMPLE_THRESHOLD + 1))
        handle.write(b"\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n")

    info = identify.identify(path, path.name, _scratch(tmp_path))

    assert info.mime == "application/pdf"
    assert info.puid is not None and info.puid.startswith("fmt/"), info
