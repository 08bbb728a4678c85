"""A minimal Compound File Binary (OLE2, [MS-CFB] version 3) writer, for test fixtures.

olefile reads compound files but cannot write them, and real Outlook ``.msg``
samples are not ours to commit; this writes small ones from a tree of dicts
(storages) and bytes (streams). Streams under 4096 bytes go to the mini
stream (64-byte sectors, chained in the MiniFAT) as the format requires;
larger ones get 512-byte sectors chained in the FAT. Siblings form a balanced
binary tree in CFB name order, all nodes black (readers do not check colours).
Limits: at most 109 FAT sectors (no DIFAT sectors), so files up to ~6.8 MB.

:func:`build_msg` lays out MAPI properties the way Outlook does ([MS-OXMSG]).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Union

Tree = Mapping[str, Union[bytes, "Tree"]]

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())  # CFB order: shorter first, then case-insensitive


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def write_cfb(tree: Tree) -> bytes:
    # Directory entries: [name, type, left, right, child, start, size, data]
    entries: list[list[object]] = [["Root Entry", 5, NOSTREAM, NOSTREAM, NOSTREAM, END, 0, b""]]

    def add(children: Tree) -> int:
        ids = []
        for name in sorted(children, key=_key):
            value = children[name]
            index = len(entries)
            entries.append([name, 2 if isinstance(value, bytes) else 1, NOSTREAM, NOSTREAM])
            entries[index].extend([NOSTREAM, END, 0, value if isinstance(value, bytes) else b""])
            if not isinstance(value, bytes):
                entries[index][4] = add(value)
            ids.append(index)
        return balance(ids)

    def balance(ids: list[int]) -> int:
        if not ids:
            return NOSTREAM
        middle = len(ids) // 2
        entries[ids[middle]][2] = balance(ids[:middle])
        entries[ids[middle]][3] = balance(ids[middle + 1 :])
        return ids[middle]

    entries[0][4] = add(tree)

    big = bytearray()  # regular sectors, before the FAT and directory are known
    fat: list[int] = []
    mini = bytearray()
    minifat: list[int] = []

    def chain(table: list[int], first: int, count: int) -> None:
        table.extend(range(first + 1, first + count))
        table.append(END)

    for entry in entries[1:]:
        data = entry[7]
        assert isinstance(data, bytes)
        entry[6] = len(data)
        if entry[1] != 2 or not data:
            continue
        if len(data) < CUTOFF:
            entry[5] = len(mini) // MINI
            chain(minifat, len(mini) // MINI, -(-len(data) // MINI))
            mini += _pad(data, MINI)
        else:
            entry[5] = len(big) // SECTOR
            chain(fat, len(big) // SECTOR, -(-len(data) // SECTOR))
            big += _pad(data, SECTOR)

    def place(blob: bytes) -> int:
        """Append ``blob`` as a chain of regular sectors; return its first sector or END."""
        if not blob:
            return END
        first = len(big) // SECTOR
        chain(fat, first, -(-len(blob) // SECTOR))
        big.extend(_pad(blob, SECTOR))
        return first

    entries[0][5] = place(bytes(mini))
    entries[0][6] = len(mini)
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_bytes = _pad(minifat_bytes + b"\xff" * (-len(minifat_bytes) % SECTOR), SECTOR)
    first_minifat = place(minifat_bytes) if minifat else END
    directory = b"".join(_entry(e) for e in entries)
    empty = _entry(["", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0, b""])
    directory += empty * (-len(entries) % (SECTOR // 128))
    first_dir = place(directory)

    # The FAT covers itself: grow it until its own sectors fit.
    fat_sectors = 1
    while len(fat) + fat_sectors > fat_sectors * (SECTOR // 4):
        fat_sectors += 1
    assert fat_sectors <= 109, "fixture too large for a writer without DIFAT sectors"
    fat_start = len(big) // SECTOR
    fat.extend([FATSECT] * fat_sectors)
    fat.extend([FREE] * (fat_sectors * (SECTOR // 4) - len(fat)))
    big += b"".join(struct.pack("<I", v) for v in fat)

    difat = [fat_start + i for i in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (
        MAGIC
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, CUTOFF, first_minifat,
                      len(minifat_bytes) // SECTOR if minifat else 0, END, 0)
        + b"".join(struct.pack("<I", v) for v in difat)
    )  # fmt: skip
    assert len(header) == SECTOR
    return header + bytes(big)


def _entry(e: list[object]) -> bytes:
    name, kind, left, right, child, start, size = e[:7]
    assert isinstance(name, str)
    raw = (name.encode("utf-16-le") + b"\0\0") if name else b""
    return (
        _pad(raw, 64)[:64]
        + struct.pack("<HBB", len(raw), kind, 1)
        + struct.pack("<III", left, right, child)
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification time
        + struct.pack("<IQ", start, size)
    )


# -- Outlook .msg ----------------------------------------------------------------


def substg(prop: int, value: str | bytes, ptype: int | None = None) -> tuple[str, bytes]:
    """A variable-size property stream: strings as PT_UNICODE, bytes as PT_BINARY."""
    if isinstance(value, str):
        return f"__substg1.0_{prop:04X}{ptype or 0x001F:04X}", value.encode(
            "cp1252" if ptype == 0x001E else "utf-16-le"
        )
    return f"__substg1.0_{prop:04X}{ptype or 0x0102:04X}", value


def properties(header: int, fixed: Mapping[int, tuple[int, bytes]]) -> bytes:
    """``__properties_version1.0``: header, then tag/flags/8-byte value per fixed property."""
    out = b"\0" * header
    for prop, (ptype, value) in fixed.items():
        out += struct.pack("<II", (prop << 16) | ptype, 6) + value.ljust(8, b"\0")
    return out


def filetime(seconds_since_1970: int) -> bytes:
    return struct.pack("<Q", (seconds_since_1970 + 11644473600) * 10_000_000)


def build_msg_tree(
    strings: Mapping[int, str | bytes],
    *,
    fixed: Mapping[int, tuple[int, bytes]] | None = None,
    recipients: list[tuple[str, str, int]] = (),  # type: ignore[assignment]
    attachments: list[dict[str, object]] = (),  # type: ignore[assignment]
    header: int = 32,
) -> dict[str, object]:
    """The storage tree of a message; ``attachments`` items: name, data, mime, or msg (a tree)."""
    tree: dict[str, object] = dict(substg(p, v) for p, v in strings.items())
    tree["__properties_version1.0"] = properties(header, fixed or {})
    for i, (name, address, kind) in enumerate(recipients):
        tree[f"__recip_version1.0_#{i:08X}"] = {
            **dict([substg(0x3001, name), substg(0x39FE, address)]),
            "__properties_version1.0": properties(8, {0x0C15: (0x0003, struct.pack("<I", kind))}),
        }
    for i, spec in enumerate(attachments):
        storage: dict[str, object] = {}
        if "name" in spec:
            storage.update([substg(0x3707, str(spec["name"]))])
        if "mime" in spec:
            storage.update([substg(0x370E, str(spec["mime"]))])
        method = 1
        if "msg" in spec:
            method = 5
            storage["__substg1.0_3701000D"] = spec["msg"]
        elif "data" in spec:
            data = spec["data"]
            assert isinstance(data, bytes)
            storage.update([substg(0x3701, data)])
        else:
            method = int(spec.get("method", 6))  # type: ignore[call-overload]
        storage["__properties_version1.0"] = properties(
            8, {0x3705: (0x0003, struct.pack("<I", method))}
        )
        tree[f"__attach_version1.0_#{i:08X}"] = storage
    return tree


def build_msg(strings: Mapping[int, str | bytes], **kwargs: object) -> bytes:
    return write_cfb(build_msg_tree(strings, **kwargs))  # type: ignore[arg-type]
