"""A content-addressed disk cache for pure, expensive steps (black today), safe to lose at any time.

Each entry is one file named by its key (a sha256 the caller derives from everything the value
depends on) and starts with the sha256 of its own body, so a truncated or edited entry reads as a
miss. Writes are atomic (temp file + rename), so concurrent generators share a folder safely. The
folder is bounded: past ``max_bytes`` the least recently used entries go. Any I/O error is a miss or a
skipped write, never a failed generation; the cache can only save time, not change output.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..settings import cache_root

_MAGIC = b"norce-codegen-cache-1 "
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # ~2,000 Norce builds' worth of formatted chunks
_PRUNE_TO = 0.75  # prune down to this share of the cap, so pruning is rare


def digest(*parts: str | bytes) -> str:
    """sha256 over ``parts``, each length-prefixed so that no two part lists collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()


class Cache:
    """``get``/``put`` of bytes by key under one folder (created on first write)."""

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.hits = 0
        self.writes = 0

    @classmethod
    def named(cls, name: str) -> Cache:
        """The cache folder ``name`` under the project's cache root (``NORCE_CODEGEN_CACHE``)."""
        return cls(cache_root() / name)

    def get(self, key: str) -> bytes | None:
        path = os.path.join(self.folder, key)  # not pathlib: hundreds of lookups per generation
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        head, sep, body = data.partition(b"\n")
        if not sep or head != _MAGIC + hashlib.sha256(body).hexdigest().encode():
            return None  # truncated, edited or foreign: a miss, overwritten by the next put
        try:
            os.utime(path)  # recency for pruning
        except OSError:
            pass
        self.hits += 1
        return body

    def put(self, key: str, value: bytes) -> None:
        data = _MAGIC + hashlib.sha256(value).hexdigest().encode() + b"\n" + value
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, self.folder / key)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            return  # a read-only checkout or a full disk: generate without caching
        self.writes += 1

    def prune(self) -> None:
        """Drop least recently used entries while the folder holds more than ``max_bytes``."""
        try:
            stats = [(entry.path, entry.stat()) for entry in os.scandir(self.folder)]
            entries = [(st.st_mtime, st.st_size, path) for path, st in stats]
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * _PRUNE_TO:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
