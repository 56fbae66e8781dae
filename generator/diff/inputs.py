"""OLD and NEW as given on the command line: a file, ``REV:path``, or a bare git ``REV``.

Arguments are only ever paths or revisions, never options: a revision is resolved to a commit id
with ``git rev-parse --verify --end-of-options`` first, and the blob is then read with
``git cat-file blob <commit>:<path>``, whose object argument starts with hex digits. So
``diff -- "--output=FILE:" NEW`` is an unknown revision, not a request to write FILE.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, SpecError
from ..settings import PROJECT_ROOT

GIT_TIMEOUT = 30  # seconds; reading one blob is instant unless something is badly wrong
_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # sha1 or sha256 object names


@dataclass(frozen=True, slots=True)
class Input:
    """One side's spec: where to read it, and how to name it in reports."""

    label: str  # as the user wrote it; never a temp path, so reports are byte-stable
    path: Path | None  # a file to read as is
    blob: bytes | None  # or the bytes read from git
    name: str  # file name for messages and for the YAML/JSON guess ("norce-checkout-order.yaml")
    repo_path: str  # where the spec lives in the repository, for CI annotations

    def read(self) -> bytes:
        if self.blob is not None:
            return self.blob
        assert self.path is not None
        return self.path.read_bytes()


def resolve(arg: str, side: str, settings: Mapping[str, Any]) -> Input:
    """A file as is, or ``REV:path`` / ``REV`` read from the project's git history."""
    path = Path(arg)
    if path.is_file():
        return Input(arg, path, None, path.name, arg)
    rev, colon, relpath = arg.partition(":")
    if not colon:
        relpath = str(settings["spec"])
    if not rev or rev.startswith("-") or not relpath or relpath.startswith("-"):
        raise _error(side, arg, "not a file, and not a git revision (REV, REV:path)")
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"])
    name = commit.decode("ascii", "replace").strip() if commit is not None else ""
    if not _COMMIT.fullmatch(name):
        raise _error(side, arg, f"not a file, and {rev!r} is not a git revision of this project")
    blob = _git(["cat-file", "blob", f"{name}:{relpath}"])
    if blob is None:
        raise _error(side, arg, f"not a file, and git has no {relpath} at {rev}")
    return Input(arg, None, blob, Path(relpath).name, relpath)


def _git(args: list[str]) -> bytes | None:
    """stdout of a read-only git command in the project, or None when it fails."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _error(side: str, arg: str, message: str) -> SpecError:
    return SpecError([Diagnostic(f"[{side}] {arg}", "#", message)])
