"""Where generated code came from: spec strings and names mapped to JSON pointers, built once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...diagnostics import json_pointer
from .walk import Path

SCHEMA_PREFIX = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class PointerIndex:
    """Answers "which spec text became this code?" without walking the document again."""

    strings: tuple[tuple[str, Path], ...]  # longest first; earlier in the document first on ties
    properties: Mapping[str, Path]  # lower-cased property name -> where it is declared
    schemas: frozenset[str]  # names under components/schemas

    @classmethod
    def build(
        cls, strings: Mapping[str, Path], properties: Mapping[str, Path], schemas: frozenset[str]
    ) -> PointerIndex:
        ordered = sorted(strings.items(), key=lambda item: -len(item[0]))
        return cls(tuple(ordered), dict(properties), schemas)

    def find(self, code: str) -> str:
        """The pointer of the longest spec string in ``code`` (as written or as ``repr`` escapes
        it), or "#" when none is (the fault is in a template, not in the spec)."""
        for text, where in self.strings:
            if text in code or repr(text)[1:-1] in code:
                return json_pointer(where)
        return "#"

    def of_name(self, name: str) -> str:
        """Where a class or field named ``name`` came from: a schema, a property, else a string."""
        if name in self.schemas:
            return SCHEMA_PREFIX + name
        where = self.properties.get(name.lower())  # inline enums are named after their property
        return json_pointer(where) if where is not None else self.find(name)
