"""What a spec may ask of us: the rules the admission pass applies, each a small pure function.

- **Extensions that choose code.** datamodel-code-generator (DCG) 0.89.0 lets a schema pick a Python
  type (``x-python-type``), an import (``x-python-import``), a base class (``customBasePath``,
  ``x-is-base-class``), a type path (``customTypePath``) or a class variable (``x-is-classvar``).
  A spec from a server must never choose what the client imports: these are refused. Extensions
  that only name or describe (``x-enum-varnames``, ``x-enumNames``, ``x-enum-descriptions``,
  ``x-propertyNames``) are left to DCG; its output still passes the AST allow-list.
- **Patterns.** The client validates with pydantic's Rust ``regex`` engine, which runs in linear
  time and refuses look-around and back-references. A pattern it cannot compile would make DCG
  switch a whole model to Python's backtracking ``re``: such a constraint is dropped with a warning
  (responses are read tolerantly anyway). The validator checks defaults with the same engine.
- **Names.** A property, parameter or operation name becomes a Python identifier; a letter from
  another script that looks Latin (Cyrillic ``а``) would give two names that read the same, so names
  may use Latin letters only (accents are fine).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pydantic_core import SchemaError, SchemaValidator, ValidationError, core_schema

# Keys DCG reads to choose types, imports or bases (grep of DCG 0.89.0: parser/jsonschema.py,
# parser/base.py, parser/_schema_object.py, parser/_type_overrides.py).
REFUSED_KEYS = frozenset(
    {"customTypePath", "customBasePath", "x-is-base-class", "x-is-classvar"}
)
REFUSED_PREFIXES = ("x-python-", "x-datamodel-code-generator")
# allOf chains through $ref cost DCG cubic time (100 levels: 12 s, 200: 100 s); real specs use < 10.
MAX_ALLOF_DEPTH = 32
# Latin letters with no ASCII base under NFKD, used in European words.
_LATIN_EXTRA = frozenset("ßæÆøØœŒðÐþÞłŁđĐħĦŋŊ")


def refused_key(key: str) -> str | None:
    """Why an object key is refused, or None."""
    if key in REFUSED_KEYS or key.startswith(REFUSED_PREFIXES):
        return (
            f"{key!r} would let the spec choose Python types, imports or base classes of the "
            "generated models; remove it"
        )
    return None


@lru_cache(maxsize=4096)
def pattern_problem(pattern: str) -> str | None:
    """Why the linear-time engine refuses ``pattern``, or None."""
    try:
        _compiled(pattern)
    except SchemaError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return lines[-1].removeprefix("error: ") if lines else "not a regular expression"
    return None


def pattern_matches(pattern: str, text: str) -> bool:
    """``re.search`` semantics in linear time (the pattern must pass ``pattern_problem``)."""
    try:
        _compiled(pattern).validate_python(text)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> SchemaValidator:
    return SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))


def foreign_letter(name: str) -> str | None:
    """The first letter or digit of ``name`` that is not Latin (after NFKC), described; or None."""
    for char in unicodedata.normalize("NFKC", name):
        if char.isascii() or not unicodedata.category(char).startswith(("L", "N")):
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if (base.isascii() and base.isalpha()) or char in _LATIN_EXTRA:
            continue
        return f"U+{ord(char):04X} {unicodedata.name(char, 'an unnamed character')}"
    return None
