"""A table of 100,000 rows read from a generator: every row once, in order, and
the header and a right footer on every page. The time is printed (run with
``-s`` to see it), not asserted."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from recordsdesk.pdfa import Table, write_pdfa
from tests.pdfa.helpers import COLUMNS, document, page_texts, rows
from tests.pdfa.test_layout import kenmerken

ROWS = 100_000


def test_hundred_thousand_rows_from_a_generator(tmp_path: Path) -> None:
    out = tmp_path / "groot.pdf"
    consumed = 0

    def counted() -> Iterator[tuple[str, str, str, str]]:
        nonlocal consumed
        for row in rows(ROWS):
            consumed += 1
            yield row

    started = time.perf_counter()
    write_pdfa(document([Table(COLUMNS, counted())]), out)
    elapsed = time.perf_counter() - started
    print(f"\n{ROWS} rows: {elapsed:.1f} s, {out.stat().st_size / 1e6:.1f} MB")
    assert consumed == ROWS

    texts = page_texts(out)
    pages = len(texts)
    assert pages > ROWS // 60
    found: list[int] = []
    for number, text in enumerate(texts, start=1):
        assert text.startswith("Kenmerk Naam van het dossier Waardering Datum"), number
        assert text.rstrip().endswith(f"Pagina {number} van {pages}"), number
        found.extend(kenmerken(text))
    assert found == list(range(1, ROWS + 1))
