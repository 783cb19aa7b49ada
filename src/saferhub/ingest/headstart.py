"""A head start for the checksums of ``saferhub import policeuk``: hashed in a child process
from the moment the command starts, while Django starts up, and at the lowest priority.

The import's one DuckDB scan keeps both cores busy; BLAKE3 of two national years is about a
sixth more CPU, which, hashed beside the scan, lengthened it. Around the scan the import is
single-threaded for about a second (Python and Django start-up, the header checks, the sorted
Parquet write, the bookkeeping), and a core sits idle. The child hashes in those gaps: it starts
before Django is imported and runs at nice 19, so while the scan runs it yields the cores to
it. A separate process, not a thread: a hashing thread and Django's start-up (pure Python)
slowed each other through the GIL.

Stdlib, blake3 and the path listing of saferhub.ingest.sources only (no Django): ``saferhub.cli`` calls :func:`start` before setting
Django up. :func:`checksum` gives the child's digest of a file when the child hashed that very
file (same size, modification time and inode as the file has now); otherwise None, and the
caller hashes it itself. Nothing here decides what is imported: the import still expands its
paths, reads and validates every file, and a file the child did not hash (a zip archive's
member, a file changed since) is hashed by the import as before.
"""

from __future__ import annotations

import argparse
import atexit
import os
import subprocess
import sys
import threading
from pathlib import Path

from .sources import street_files_in

__all__ = ["start", "checksum", "finish", "stop", "street_files"]

# The child: reads NUL-separated paths on stdin, writes one line per path, in order:
# "<hex> <size> <mtime_ns> <inode> <device>" or "-" if it could not read the file.
_CHILD = r"""
import os, sys
try:
    os.nice(19)
except (AttributeError, OSError):  # no os.nice on Windows: the child hashes at normal priority
    pass
from blake3 import blake3
paths = sys.stdin.buffer.read().split(b"\0")
buf = bytearray(1 << 16)
view = memoryview(buf)
out = sys.stdout
for p in paths:
    if not p:
        continue
    try:
        with open(p, "rb", buffering=0) as f:
            st = os.fstat(f.fileno())
            h = blake3(max_threads=1)
            while n := f.readinto(buf):
                h.update(view[:n])
            st2 = os.fstat(f.fileno())
        if (st.st_size, st.st_mtime_ns) != (st2.st_size, st2.st_mtime_ns):
            out.write("-\n")  # changed while read: the import hashes it itself
        else:
            out.write(f"{h.hexdigest()} {st.st_size} {st.st_mtime_ns} {st.st_ino} {st.st_dev}\n")
    except OSError:
        out.write("-\n")
    out.flush()
"""


class _HeadStart:
    def __init__(self, paths: list[str]):
        self.paths = paths
        self.index = {p: i for i, p in enumerate(paths)}
        self.local: dict[str, str] = {}  # hashed by the import itself (finish)
        self.results: list[str | None] = []
        self.done = False
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(
            # -I (isolated): the child imports blake3 from the installation only, never a
            # blake3.py in the folder the command runs in ("python -c" puts that first).
            [sys.executable, "-I", "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.reader = threading.Thread(target=self._read, args=(paths,), daemon=True)
        self.reader.start()

    def _read(self, paths: list[str]) -> None:
        try:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            try:
                self.proc.stdin.write(b"\0".join(os.fsencode(p) for p in paths))
                self.proc.stdin.close()
            except OSError:
                pass
            for line in self.proc.stdout:
                with self.cond:
                    self.results.append(line.decode("ascii", "replace").strip())
                    self.cond.notify_all()
        finally:
            with self.cond:
                self.done = True
                self.cond.notify_all()

    def checksum(self, path: str) -> str | None:
        i = self.index.get(path)
        if i is None:
            return None
        with self.cond:
            self.cond.wait_for(lambda: len(self.results) > i or self.done or path in self.local)
            if path in self.local:
                return self.local[path]
            line = self.results[i] if len(self.results) > i else "-"
        parts = line.split()
        if len(parts) != 5:
            return None
        digest, size, mtime_ns, ino, dev = parts
        try:
            st = os.stat(path)
        except OSError:
            return None
        if (str(st.st_size), str(st.st_mtime_ns), str(st.st_ino), str(st.st_dev)) != (size, mtime_ns, ino, dev):
            return None  # changed since the child read it: the import hashes what it reads
        return digest

    def finish(self, hash_file) -> None:
        """Hash, with ``hash_file`` and at the caller's priority, the files the child has not
        reached yet, from the last one backwards, until the two meet; then end the child. (On a
        busy machine the niced child may be far behind when the scan ends.)"""
        for i in range(len(self.paths) - 1, -1, -1):
            with self.cond:
                if len(self.results) > i or self.done:
                    break
            digest = hash_file(Path(self.paths[i]))
            with self.cond:
                self.local[self.paths[i]] = digest
                self.cond.notify_all()
        else:
            i = -1
        if i < len(self.paths) - 1 and self.proc.poll() is None:
            self.proc.kill()  # what it has left, the import has hashed

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=5)


_current: _HeadStart | None = None


def street_files(paths: list[str]) -> list[str]:
    """The files ``expand_policeuk_paths`` takes from these paths without unzipping anything:
    a folder's ``*-street.csv`` files, and a file named directly that is not a zip archive."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                out.extend(str(p) for p in street_files_in(path))  # as the import lists them
            elif path.is_file() and path.suffix.lower() != ".zip":
                out.append(str(path))
        except OSError:
            continue
    return out


def start(args: list[str]) -> None:
    """Start hashing the files that ``saferhub import policeuk ARGS`` names (the arguments after
    ``policeuk``). Any problem (no such path, no blake3, no child process) only means no head
    start: the import then hashes every file itself."""
    global _current
    if _current is not None:
        return
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--partnership")
    try:
        known, _rest = parser.parse_known_args(args)
    except SystemExit:
        return
    files = street_files(known.paths)
    if not files:
        return
    try:
        _current = _HeadStart(files)
    except OSError:
        return
    atexit.register(stop)


def checksum(path: Path | str) -> str | None:
    """The head start's BLAKE3 of ``path`` (waiting for it if the child has not reached it
    yet), or None if there is none for this file as it is now."""
    hs = _current
    return hs.checksum(str(path)) if hs is not None else None


def finish(hash_file) -> None:
    """Once the import's scan is done: hash what the child has not reached yet (see
    ``_HeadStart.finish``). Nothing without a head start."""
    hs = _current
    if hs is not None:
        hs.finish(hash_file)


def stop() -> None:
    """End the child (if still hashing) and forget the head start."""
    global _current
    hs, _current = _current, None
    if hs is not None:
        hs.stop()
