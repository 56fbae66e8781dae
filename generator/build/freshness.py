"""Skip a no-op ``generate``: one key over every input, kept in the output with the files' hashes.

The key covers the spec bytes, the generator version, the generator's own source, the templates
folder, the settings and the versions of the pinned tools that shape the output (DCG, black, Jinja).
``generate`` skips the build when the output's key file carries the same key and every file it
lists is present, unchanged, and alone (no extra files). ``check`` ignores the key file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..settings import TEMPLATES
from .manifest import CACHE_PARTS
from .versions import installed_version
from .write import PRIVATE_PREFIX

KEY_FILE = PRIVATE_PREFIX + "-key.json"
GENERATOR_DIR = Path(__file__).resolve().parent.parent  # the whole generator package
_TOOLS = ("datamodel-code-generator", "black", "jinja2", "pydantic")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not CACHE_PARTS.intersection(path.parts) and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(_digest(path.read_bytes()).encode() + b"\n")
    return digest.hexdigest()


def input_key(spec_path: Path, settings: Mapping[str, Any], templates: Path = TEMPLATES) -> str:
    """sha256 over everything the generated tree is a function of."""
    parts = {
        "spec": _digest(spec_path.read_bytes()),
        "generator": __version__,
        "generator_source": _tree_digest(GENERATOR_DIR),
        "templates": _tree_digest(templates),
        "settings": json.dumps(settings, sort_keys=True, default=str),
        "tools": {name: installed_version(name) for name in _TOOLS},
    }
    return _digest(json.dumps(parts, sort_keys=True).encode())


def key_record(key: str, files: Mapping[str, bytes]) -> bytes:
    """The key file's content: the key and the sha256 of every generated file."""
    record = {"key": key, "files": {path: _digest(data) for path, data in sorted(files.items())}}
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()


def is_up_to_date(out: Path, key: str) -> bool:
    """True when ``out`` was generated from inputs with this key and nobody touched it since."""
    try:
        record = json.loads((out / KEY_FILE).read_bytes())
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    files = record.get("files")
    if not isinstance(files, dict):
        return False
    present = {
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and not CACHE_PARTS.intersection(path.parts)
    } - {KEY_FILE}
    if present != set(files):
        return False
    try:
        return all(
            _digest((out / relpath).read_bytes()) == digest for relpath, digest in files.items()
        )
    except OSError:
        return False
