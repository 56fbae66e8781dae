"""Validation verdicts kept on disk: a spec openapi-spec-validator passed once is not validated again.

The key covers everything the verdict depends on: the admitted document's JSON text, the versions
of the validator libraries, and the source of our own validation code (``validate.py`` and the
pattern engine in ``admit/policy.py``). Only "valid" is kept; a refusal is recomputed so its
messages name the file at hand. An entry holds its own key, so a truncated, edited or foreign file
is a miss; writes are atomic; any I/O error is a miss or a skipped write. The folder is the
git-ignored ``.cache/validation`` (``$NORCE_CODEGEN_CACHE/validation`` when set).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import metadata
from pathlib import Path

import openapi_schema_validator
import openapi_spec_validator

from ..settings import PROJECT_ROOT

CACHE_ENV = "NORCE_CODEGEN_CACHE"
_HERE = Path(__file__).resolve().parent
_SHAPING = (_HERE / "validate.py", _HERE / "admit" / "policy.py")


def _folder() -> Path:
    return Path(os.environ.get(CACHE_ENV) or PROJECT_ROOT / ".cache") / "validation"


def verdict_key(json_text: str) -> str:
    """The key of a validation of ``json_text`` by this code and these library versions."""
    versions = (
        str(openapi_spec_validator.__version__),
        str(openapi_schema_validator.__version__),
        metadata.version("jsonschema"),
    )
    parts = (
        [v.encode() for v in versions] + [p.read_bytes() for p in _SHAPING] + [json_text.encode()]
    )
    digest = hashlib.sha256()
    for data in parts:  # length-prefixed, so no two part lists collide
        digest.update(b"%d:" % len(data) + data)
    return digest.hexdigest()


def known_valid(key: str) -> bool:
    try:
        return (_folder() / key).read_text("ascii") == key
    except (OSError, UnicodeDecodeError):
        return False


def remember_valid(key: str) -> None:
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(key)
            os.replace(tmp, folder / key)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only checkout or a full disk: validate again next time
