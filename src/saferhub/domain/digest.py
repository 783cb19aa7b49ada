"""BLAKE3, the one hash for stored files and national data files: cryptographic like SHA-256 and
several times faster. Written once so the appendix store and the police.uk ingest agree."""

from __future__ import annotations

from pathlib import Path

from blake3 import blake3


def blake3_hex(content: bytes) -> str:
    """The BLAKE3 of ``content`` in hex, as ``b3sum`` prints it."""
    return str(blake3(content).hexdigest())


def blake3_of_file(path: Path) -> str:
    """The BLAKE3 of a file in hex, as ``b3sum`` prints it."""
    h = blake3(max_threads=1)
    # Read into one buffer, kept in the CPU's cache: a new 4 MB bytes object per read cost as
    # much system time as the hashing (fresh pages for every read), and a memory map's page
    # faults about half of it. One thread: the files are a few MB, and DuckDB has the cores.
    buf = bytearray(1 << 16)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(view[:n])
    return str(h.hexdigest())
