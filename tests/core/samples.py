"""Sample files and small inspection helpers shared by the core and CLI tests.

Only real bytes and real files: the sample formats are built here from their
specifications (PNG chunks, a PDF with a cross-reference table, an OOXML zip),
so libmagic and siegfried see the genuine article.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

MiB = 1024 * 1024


def png_bytes(seed: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes([(x * 7 + seed) % 256, seed % 256, 0]) * 4 for x in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(note: str = "") -> bytes:
    """A minimal, well-formed PDF 1.4 (one empty page, correct xref offsets)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if note:
        out.write(b"% " + note.encode() + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def docx_bytes(body: str = "Hallo") -> bytes:
    """A minimal WordprocessingML package (what Word writes, reduced to the required parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        package.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def random_file(path: Path, size: int) -> Path:
    return write(path, os.urandom(size))


def sparse_file(path: Path, size: int, every: int = 16 * MiB) -> Path:
    """A ``size``-byte file, mostly holes, with 64 KiB of random data every ``every`` bytes.

    Random blocks make the content (and so the hash) unique to this call.
    """
    with path.open("wb") as handle:
        handle.truncate(size)
        for offset in range(0, size - 65536, every):
            handle.seek(offset)
            handle.write(os.urandom(65536))
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


def stored_objects(objects_root: Path) -> list[Path]:
    """Every file in the object store outside ``tmp`` (found by walking, not by the store)."""
    return sorted(
        p
        for p in objects_root.rglob("*")
        if p.is_file() and p.relative_to(objects_root).parts[0] != "tmp"
    )


def temp_files(objects_root: Path) -> list[Path]:
    tmp = objects_root / "tmp"
    return sorted(tmp.iterdir()) if tmp.is_dir() else []


def flip_byte(path: Path, offset: int | None = None) -> None:
    """Damage a stored (read-only) object in place: invert one byte."""
    size = path.stat().st_size
    where = size // 2 if offset is None else offset
    os.chmod(path, 0o644)
    with path.open("r+b") as handle:
        handle.seek(where)
        byte = handle.read(1)
        handle.seek(where)
        handle.write(bytes([byte[0] ^ 0xFF]))
    os.chmod(path, 0o444)


def truncate_object(path: Path, keep: int) -> None:
    os.chmod(path, 0o644)
    with path.open("r+b") as handle:
        handle.truncate(keep)
    os.chmod(path, 0o444)


TABLES = ("informatieobject", "bestand", "event", "audit_event")


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in TABLES
        }
