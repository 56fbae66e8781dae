"""Black with a pinned mode, in process."""

from __future__ import annotations

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=100)


def format_python(source: str, name: str) -> str:
    """Format generated Python; a failure here means a template bug, so name the file."""
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as exc:
        raise RuntimeError(f"generated {name} is not valid Python: {exc}") from exc
