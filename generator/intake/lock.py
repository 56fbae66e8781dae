"""spec/spec.lock: where the committed spec came from and the sha256 it must still have."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from ..build.write import file_mode

LOCK_NAME = "spec.lock"
MAX_LOCK_BYTES = 64 * 1024  # a lock is ~300 bytes


class LockError(ValueError):
    """spec.lock exists but cannot be read as a lock (truncated, edited, not JSON)."""


@dataclass(frozen=True, slots=True)
class SpecLock:
    """One retrieval of the spec; written as JSON with sorted keys so diffs stay small."""

    source: str  # URL, or a file path (relative to the project when it is inside it)
    retrieved_at: str  # UTC, ISO 8601, seconds
    info_version: str  # info.version
    build: str  # "Build 2026-01-12 08:21:29" from info.description, "" if absent
    sha256: str
    bytes: int


def lock_path(spec_path: Path) -> Path:
    """The lock sits next to the spec it describes."""
    return spec_path.parent / LOCK_NAME


def read_lock(spec_path: Path) -> SpecLock | None:
    """The lock for ``spec_path``, or None when there is none (a project may not use one).

    Raises LockError when the file is there but is not a lock we wrote, OSError when it cannot
    be read at all.
    """
    path = lock_path(spec_path)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        raw = handle.read(MAX_LOCK_BYTES + 1)
    if len(raw) > MAX_LOCK_BYTES:
        raise LockError(f"{path} is over {MAX_LOCK_BYTES} bytes; a lock is a few hundred")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise LockError(f"{path} is not JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise LockError(f"{path} holds a JSON {type(data).__name__}, not an object")
    values: dict[str, Any] = {}
    for spec in fields(SpecLock):
        value = data.get(spec.name)
        expected = int if spec.name == "bytes" else str
        if type(value) is not expected:
            raise LockError(f"{path}: {spec.name!r} is missing or not a {expected.__name__}")
        values[spec.name] = value
    return SpecLock(**values)


def lock_text(lock: SpecLock) -> str:
    return json.dumps(asdict(lock), indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def verify(spec_path: Path) -> str | None:
    """A message if the spec file no longer matches its lock; None if it does or there is no lock."""
    try:
        lock = read_lock(spec_path)
    except LockError as exc:
        return f"{exc}; rewrite it from the spec as it is: {_relock(spec_path)}"
    except OSError as exc:
        return f"cannot read {lock_path(spec_path)}: {exc.strerror}"
    if lock is None:
        return None
    try:
        actual = hashlib.sha256(spec_path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"cannot read {spec_path}: {exc.strerror}"
    if actual != lock.sha256:
        return (
            f"{spec_path} (sha256 {actual[:12]}) does not match {lock_path(spec_path)} "
            f"(sha256 {lock.sha256[:12]}, from {lock.source}); update the spec only through "
            f"`make update-spec URL=...`, restore it, or lock a deliberate edit: {_relock(spec_path)}"
        )
    return None


def _relock(spec_path: Path) -> str:
    """The command that locks the spec file as it is now (update-spec reading it in place)."""
    quoted = shlex.quote(str(spec_path))
    return f"`norce-codegen update-spec {quoted} --spec {quoted}`"


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, flush it to disk, then rename over ``path``."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, file_mode())  # mkstemp's 0600 would hide the spec from other users
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
