"""A minimal writer of OLE compound files (CFB, [MS-CFB] version 3), for tests that need an HWP 5 file.

Written here because no maintained PyPI package writes compound files (olefile only reads, and edits streams
in place without changing their size). It is deliberately small: 512-byte sectors, one FAT sector (files up to
~60 KiB), no mini stream — every stream is padded with NUL bytes to the 4096-byte mini-stream cutoff so that it
lives in regular sectors, which readers accept (the padding is after the data each HWP stream declares).
Storages are the path parts before the last "/"; each storage's children are chained as right siblings in
[MS-CFB] name order (a valid, if unbalanced, directory tree).
"""

from __future__ import annotations

import struct

SECTOR = 512
MINI_CUTOFF = 4096
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def _order(name: str) -> tuple[int, str]:
    return len(name), name.upper()


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ({"BodyText/Section0": data, …})."""
    # Directory entries: 0 = root; storages and streams after it.
    entries: list[dict[str, object]] = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index: dict[str, int] = {"": 0}
    for path, data in streams.items():
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in index:
                continue
            is_stream = depth == len(parts)
            index[key] = len(entries)
            entries.append({"name": parts[depth - 1], "type": 2 if is_stream else 1, "children": [],
                            "data": data.ljust(MINI_CUTOFF, b"\x00") if is_stream else b""})
            parent = entries[index["/".join(parts[:depth - 1])]]
            parent["children"].append(index[key])  # type: ignore[attr-defined]
    dir_sectors = -(-len(entries) * 128 // SECTOR)
    fat: list[int] = [FATSECT]
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [ENDOFCHAIN]
    starts: dict[int, int] = {}
    body = b""
    for i, entry in enumerate(entries):
        data = entry["data"]
        assert isinstance(data, bytes)
        if not data:
            continue
        count = -(-len(data) // SECTOR)
        starts[i] = len(fat)
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [ENDOFCHAIN]
        body += data.ljust(count * SECTOR, b"\x00")
    assert len(fat) <= SECTOR // 4, "test compound file too large for one FAT sector"
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREESECT] * (SECTOR // 4 - len(fat))))
    directory = b"".join(_entry(i, e, entries, starts) for i, e in enumerate(entries))
    directory = directory.ljust(dir_sectors * SECTOR, b"\x00")
    header = (MAGIC + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, first_dir, 0, MINI_CUTOFF, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
              + struct.pack("<109I", 0, *([FREESECT] * 108)))
    assert len(header) == SECTOR
    return header + fat_sector + directory + body


def _entry(i: int, entry: dict[str, object], entries: list[dict[str, object]], starts: dict[int, int]) -> bytes:
    name = str(entry["name"])
    encoded = (name + "\x00").encode("utf-16-le")
    children = sorted(entry["children"], key=lambda c: _order(str(entries[c]["name"])))  # type: ignore[attr-defined]
    child = children[0] if children else NOSTREAM
    right = NOSTREAM
    for parent in entries:
        kids = sorted(parent["children"], key=lambda c: _order(str(entries[c]["name"])))  # type: ignore[attr-defined]
        if i in kids and kids.index(i) + 1 < len(kids):
            right = kids[kids.index(i) + 1]
    data = entry["data"]
    assert isinstance(data, bytes)
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), int(entry["type"]), 1)  # type: ignore[call-overload]
            + struct.pack("<III", NOSTREAM, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<IQ", starts.get(i, ENDOFCHAIN if not data else 0), len(data)))
