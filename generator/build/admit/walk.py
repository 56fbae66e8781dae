"""The one pass over the loaded document: a JSON copy for every later stage, and what it saw.

The pass knows where it is: OpenAPI objects, schema objects, or data (examples, defaults, enums,
extension values), so a property called ``pattern`` or ``customTypePath`` is a name, not a keyword,
and an example is never mistaken for a schema. The copy has string keys only (YAML's ``200:`` becomes
``"200"``), dates as text (``str``, as ``json.dumps(default=str)`` wrote them before), prose cleaned
of invisible characters, and no constraint the policy dropped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ...diagnostics import Diagnostic, json_pointer
from ..naming import clean_text, snake_case
from .policy import foreign_letter, pattern_problem, refused_key

Path = tuple[object, ...]

_PROSE_KEYS = frozenset({"description", "title", "summary"})
_DOC_DATA = frozenset({"example", "value", "default", "enum", "const"})
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SUBSCHEMAS = frozenset(
    {
        "items",
        "not",
        "if",
        "then",
        "else",
        "additionalProperties",
        "additionalItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "propertyNames",
        "x-propertyNames",  # DCG reads it as propertyNames
        "contentSchema",
    }
)
# Field names pydantic reserves for its own methods; a field starting so only warns, then misbehaves.
_PROTECTED_PREFIXES = ("model_dump", "model_validate", "model_config", "model_fields")
_INDEXED_MIN = 3  # shorter strings say nothing about where generated code came from


@dataclass
class Findings:
    """What the pass collected; ``problems`` refuse the spec, ``notes`` only warn."""

    problems: list[Diagnostic] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    strings: dict[str, Path] = field(default_factory=dict)  # text -> first place it occurs
    properties: dict[str, Path] = field(default_factory=dict)  # lower-cased name -> first place
    refs: list[tuple[Path, Any]] = field(default_factory=list)  # where "$ref" sits, its value
    compositions: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)  # allOf schemas
    aliases: dict[str, str] = field(default_factory=dict)  # property name -> safe field name


def admit_pass(data: dict[str, Any], file: str) -> tuple[dict[str, Any], Findings]:
    """The JSON copy of ``data`` and the findings of one walk over it."""
    walker = _Walker(file)
    copy = walker.doc(data, ())
    return copy, walker.found


class _Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.found = Findings()

    def problem(self, where: Path, message: str) -> None:
        self.found.problems.append(Diagnostic(self.file, json_pointer(where), message))

    # --- OpenAPI objects -------------------------------------------------------------------

    def doc(self, node: Any, where: Path) -> Any:
        if isinstance(node, list):
            return [self.doc(item, where + (i,)) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return self.scalar(node, where)
        if isinstance(node.get("in"), str) and isinstance(node.get("name"), str):
            self.name("parameter name", node["name"], where + ("name",))
        out: dict[str, Any] = {}
        for key, value, here in self.entries(node, where):
            if not self.allowed(key, here):
                continue
            if key == "$ref":
                self.found.refs.append((here, value))
            if key.startswith("x-") or key in _DOC_DATA:
                out[key] = self.data(value, here)
            elif key == "schema":
                out[key] = self.schema(value, here)
            elif key == "schemas" and where == ("components",) and isinstance(value, dict):
                out[key] = {
                    name: self.schema(sub, at) for name, sub, at in self.entries(value, here)
                }
            else:
                if key == "operationId" and isinstance(value, str):
                    self.name("operationId", value, here)
                out[key] = self.doc(value, here)
        return out

    # --- schema objects --------------------------------------------------------------------

    def schema(self, node: Any, where: Path) -> Any:
        if not isinstance(node, dict):
            return self.data(node, where)  # true/false (3.1), or nonsense the validator names
        out: dict[str, Any] = {}
        for key, value, here in self.entries(node, where):
            if not self.allowed(key, here):
                continue
            if key == "$ref":
                self.found.refs.append((here, value))
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = self.schema_map(key, value, here)
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.schema(item, here + (i,)) for i, item in enumerate(value)]
            elif key == "items" and isinstance(value, list):  # draft 4 tuples
                out[key] = [self.schema(item, here + (i,)) for i, item in enumerate(value)]
            elif key in _SUBSCHEMAS:
                out[key] = self.schema(value, here)
            elif key == "pattern" and isinstance(value, str) and self.dropped_pattern(value, here):
                continue
            else:
                out[key] = self.data(value, here)
        if isinstance(out.get("allOf"), list):
            self.found.compositions.append((where, out))
        return out

    def schema_map(self, kind: str, node: dict[Any, Any], where: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, sub, here in self.entries(node, where):
            if kind == "properties":
                self.name("property name", name, here)
                self.found.properties.setdefault(name.lower(), here)
                if snake_case(name).startswith(_PROTECTED_PREFIXES):
                    self.found.aliases[name] = "field_" + snake_case(name).rstrip("_")
            elif kind == "patternProperties" and self.dropped_pattern(name, here):
                continue
            out[name] = self.schema(sub, here)
        return out

    def dropped_pattern(self, pattern: str, where: Path) -> bool:
        why = pattern_problem(pattern)
        if why is not None:
            self.found.notes.append(
                Diagnostic(
                    self.file,
                    json_pointer(where),
                    f"pattern {pattern!r} dropped: the linear-time regex engine the client "
                    f"validates with refuses it ({why})",
                )
            )
        return why is not None

    # --- data: examples, defaults, enums, extension values ---------------------------------

    def data(self, node: Any, where: Path) -> Any:
        if isinstance(node, list):
            return [self.data(item, where + (i,)) for i, item in enumerate(node)]
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value, here in self.entries(node, where):
                out[key] = self.data(value, here)
            return out
        return self.scalar(node, where)

    # --- shared ------------------------------------------------------------------------------

    def entries(self, node: dict[Any, Any], where: Path) -> list[tuple[str, Any, Path]]:
        """(string key, value, path) of a mapping; other keys are converted or refused."""
        result: list[tuple[str, Any, Path]] = []
        seen: set[str] = set()
        for raw, value in node.items():
            key = self.key(raw, where)
            if key is None:
                continue
            here = where + (key,)
            if key in seen:  # the loader refuses repeats; this is `200:` next to `'200':`
                self.problem(here, f"duplicate key {key!r} (once quoted, once not)")
                continue
            seen.add(key)
            self.index(key, here)
            result.append((key, value, here))
        return result

    def key(self, raw: object, where: Path) -> str | None:
        if isinstance(raw, str):
            return raw
        if isinstance(raw, int) and not isinstance(raw, bool):  # YAML reads `200:` as a number
            return str(raw)
        hint = " (YAML reads unquoted yes/no/on/off/true/false as booleans)"
        self.problem(
            where,
            f"key {raw!r} is a {type(raw).__name__}, not a string"
            + (hint if isinstance(raw, bool) else "")
            + "; quote it",
        )
        return None

    def allowed(self, key: str, where: Path) -> bool:
        why = refused_key(key)
        if why is not None:
            self.problem(where, why)
        return why is None

    def scalar(self, value: Any, where: Path) -> Any:
        if isinstance(value, str):
            if where and where[-1] in _PROSE_KEYS:
                value = clean_text(value)
            self.index(value, where)
            return value
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, datetime.date):  # YAML reads unquoted 2024-01-01 as a date
            return str(value)
        self.problem(where, f"a {type(value).__name__} is not a JSON value (a YAML tag?)")
        return None

    def index(self, text: str, where: Path) -> None:
        if len(text) >= _INDEXED_MIN:
            self.found.strings.setdefault(text, where)

    def name(self, what: str, name: str, where: Path) -> None:
        letter = foreign_letter(name)
        if letter is not None:
            self.problem(
                where,
                f"{what} {name!r} uses {letter}; names that become Python identifiers must use "
                "Latin letters (a look-alike gives two names that read the same): rename it",
            )
