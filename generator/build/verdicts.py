"""Validation verdicts kept on disk: a spec found valid once is not validated again.

The key covers everything the verdict depends on: the admitted document's JSON text, the versions
of the validator libraries (the fast engine's too), and the source of our own validation code (the
``validate`` package and the pattern engine in ``admit/policy.py``). Only "valid" is kept; a refusal is recomputed so its
messages name the file at hand. Entries live in the build cache (``cache.py``: git-ignored
``.cache/validation``, or ``$NORCE_CODEGEN_CACHE/validation``), where a truncated, edited or foreign
entry is a miss and any I/O error is a miss or a skipped write.
"""

from __future__ import annotations

from pathlib import Path

from ..settings import CACHE_ENV
from .cache import Cache, digest
from .versions import installed_version

__all__ = ["CACHE_ENV", "known_valid", "remember_valid", "verdict_key"]

CACHE_NAME = "validation"
_HERE = Path(__file__).resolve().parent
_SHAPING = (*sorted((_HERE / "validate").glob("*.py")), _HERE / "admit" / "policy.py")
_VALIDATORS = (
    "openapi-spec-validator",
    "openapi-schema-validator",
    "jsonschema",
    "jsonschema-specifications",
    "jsonschema-rs",
)
_VALID = b"valid"


def verdict_key(json_text: str) -> str:
    """The key of a validation of ``json_text`` by this code and these library versions."""
    return digest(
        *(f"{name} {installed_version(name)}" for name in _VALIDATORS),
        *(path.read_bytes() for path in _SHAPING),
        json_text,
    )


def known_valid(key: str) -> bool:
    return Cache.named(CACHE_NAME).get(key) == _VALID


def remember_valid(key: str) -> None:
    Cache.named(CACHE_NAME).put(key, _VALID)
