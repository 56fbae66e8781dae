"""Installed versions of the tools that shape the output, read from ``*.dist-info`` folder names.

``importlib.metadata`` gives the same answer but costs more to import and query than the rest of a
no-op ``generate``; it stays the fallback for layouts without a matching dist-info folder.
"""

from __future__ import annotations

import functools
import os
import re
import sys


def installed_version(distribution: str) -> str:
    """Version of ``distribution`` as the first ``sys.path`` entry holding it has it, or "absent"."""
    prefix = re.sub(r"[-_.]+", "_", distribution).lower() + "-"
    for entry in sys.path:
        for name in _listing(entry or "."):
            if name.endswith(".dist-info") and name.lower().startswith(prefix):
                return name[len(prefix) : -len(".dist-info")]
    from importlib import metadata  # egg-info and other layouts

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(folder)))
    except OSError:
        return ()
