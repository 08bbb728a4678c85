"""Batches identified through the ``file`` program give libmagic's answers here.

The ``file`` program runs libmagic in a process of its own, beside siegfried
(see ``identify.file_command``). It is only used when it is the same libmagic
as this process's, so every answer must be the same as in-process libmagic,
also for content whose type is found by text heuristics, for an empty file and
for a file that cannot be read.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from recordsdesk import identify
from tests.core.samples import docx_bytes, pdf_bytes, png_bytes

SAMPLES: dict[str, bytes] = {
    "brief.pdf": pdf_bytes("brief"),
    "nota.docx": docx_bytes("nota"),
    "kaart.png": png_bytes(3),
    "notitie.txt": "Geachte heer,\nHierbij verzoekt Zoë.\n".encode(),
    "bericht.eml": b"From: a@b.nl\nTo: c@d.nl\nSubject: x\n\nHallo\n",
    "pagina.html": b"<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>\n",
    "gegevens.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<a><b>1</b></a>\n',
    "lijst.csv": b"naam;datum;bedrag\nJansen;2024-01-02;12,50\nPietersen;2024-02-03;7,00\n",
    "data.json": json.dumps({"kenmerk": "ZK-1", "stukken": [1, 2, 3]}).encode(),
    "script.sh": b"#!/bin/sh\necho hallo\n",
    "plaatje.gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04"
    b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "archief.gz": gzip.compress(b"x" * 1000),
    "willekeurig.bin": bytes(range(256)) * 4,
    "latin1.txt": "café crème\n".encode("latin-1"),
    "leeg.txt": b"",
    "utf16.txt": "Zoë\n".encode("utf-16"),
}


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "a")
    return buffer.getvalue()


SAMPLES["bundel.zip"] = _zip()


def _items(folder: Path) -> list[tuple[Path, str, Callable[[str], Path]]]:
    scratch = folder / "scratch"
    scratch.mkdir()
    counter = iter(range(1_000_000))

    def name(suffix: str) -> Path:
        return scratch / f"s{next(counter)}{suffix}"

    items = []
    for copy in range(3):  # enough files for a batch that goes through ``file``
        for original, data in SAMPLES.items():
            path = folder / f"{copy}-{original}"
            path.write_bytes(data)
            items.append((path, original, name))
    items.append((folder / "verdwenen.pdf", "verdwenen.pdf", name))  # cannot be read
    return items


def test_the_file_program_is_used_here_and_gives_libmagics_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert identify.file_command() is not None, "Debian's file 5.44 matches libmagic 5.44"
    items = _items(tmp_path)
    assert len(items) >= identify.FILE_COMMAND_FROM

    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args: list[str], **kwargs: Any) -> Any:
        started.append(list(args))
        return real_popen(args, **kwargs)

    monkeypatch.setattr(identify.subprocess, "Popen", popen)
    through_file = identify.identify_many(items)
    assert len(started) == 1 and "--mime-type" in started[0]

    monkeypatch.setenv("RECORDSDESK_MIME_IN_PROCESS", "1")
    in_process = identify.identify_many(items)
    assert len(started) == 1, "the in-process path must not start the program"

    assert [f.mime for f in through_file] == [f.mime for f in in_process]
    by_name = {name: found.mime for (_, name, _), found in zip(items, through_file, strict=True)}
    assert by_name["brief.pdf"] == "application/pdf"
    assert by_name["pagina.html"] == "text/html"
    assert by_name["bericht.eml"] == "message/rfc822"
    assert by_name["leeg.txt"] == "inode/x-empty"
    assert by_name["verdwenen.pdf"] == "application/octet-stream"


def test_a_small_batch_or_a_failing_program_falls_back_to_libmagic_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _items(tmp_path)
    expected = [f.mime for f in identify.identify_many(items)]
    real_popen = subprocess.Popen

    def popen(args: list[str], **kwargs: Any) -> Any:
        # a program that prints nothing useful (a crash, another tool named "file")
        return real_popen(["sh", "-c", "echo oops; exit 3"], **kwargs)

    monkeypatch.setattr(identify.subprocess, "Popen", popen)
    assert [f.mime for f in identify.identify_many(items)] == expected
    few = items[: identify.FILE_COMMAND_FROM - 1]
    assert [f.mime for f in identify.identify_many(few)] == expected[: len(few)]


def test_another_version_of_the_file_program_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "file"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho file-4.26\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    identify._checked_file_command.cache_clear()
    try:
        assert identify.file_command() is None
    finally:
        identify._checked_file_command.cache_clear()
