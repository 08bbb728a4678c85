"""Writing replaces the target whole or not at all, and leaves no temp file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from recordsdesk.pdfa import Paragraph, Table, write_pdfa
from tests.pdfa.helpers import COLUMNS, document, page_texts, rows, sample_document


class RowsBroke(Exception):
    pass


def breaking_rows(after: int) -> Iterator[tuple[str, str, str, str]]:
    yield from rows(after)
    raise RowsBroke("the database went away")


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "verklaring.pdf"
    write_pdfa(document([Paragraph("Oude versie")]), out)
    write_pdfa(document([Paragraph("Nieuwe versie")]), out)
    assert "Nieuwe versie" in page_texts(out)[0]
    assert list(tmp_path.iterdir()) == [out]


def test_a_failing_row_generator_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "verklaring.pdf"
    write_pdfa(sample_document(), out)
    before = out.read_bytes()
    with pytest.raises(RowsBroke):
        write_pdfa(document([Table(COLUMNS, breaking_rows(500))]), out)
    assert out.read_bytes() == before
    assert list(tmp_path.iterdir()) == [out]


def test_a_failing_rename_leaves_no_temp_file(tmp_path: Path) -> None:
    """The target is a folder with a file in it: the final rename fails."""
    out = tmp_path / "verklaring.pdf"
    out.mkdir()
    (out / "inside.txt").write_text("blijft")
    with pytest.raises(OSError):
        write_pdfa(sample_document(), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verklaring.pdf"]
    assert (out / "inside.txt").read_text() == "blijft"


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_pdfa(sample_document(), tmp_path / "nergens" / "verklaring.pdf")
    assert list(tmp_path.iterdir()) == []


def test_written_file_is_complete(tmp_path: Path) -> None:
    out = tmp_path / "verklaring.pdf"
    write_pdfa(sample_document(), out)
    data = out.read_bytes()
    assert data.rstrip().endswith(b"%%EOF")
    with pikepdf.open(out) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf reads every object and stream
    assert out.stat().st_mode & 0o644 == 0o644  # the umask's mode, not mkstemp's 0600
