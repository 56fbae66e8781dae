"""Read a spec file into a plain dict, safely: size cap, safe YAML, no duplicate keys, bounded nesting."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import fail

MAX_SPEC_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200  # real specs nest < 30 levels; this stops stack exhaustion on hostile input
MAX_ALIASES = 100  # YAML aliases are shared references; many of them is how "billion laughs" expands


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """A parsed spec and the bytes it came from."""

    path: str
    raw: bytes
    sha256: str
    data: dict[str, Any]


class _BoundedSafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, deep nesting and alias floods."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"more than {MAX_ALIASES} YAML aliases (line {mark.line + 1})")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.YAMLError(f"nesting deeper than {MAX_DEPTH} levels (line {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise yaml.YAMLError(f"duplicate key {key!r} (line {line})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_spec_bytes(raw: bytes, path: str) -> dict[str, Any]:
    """Parse YAML or JSON bytes into a dict, or raise SpecError naming ``path``."""
    if len(raw) > MAX_SPEC_BYTES:
        raise fail(path, [], f"spec is {len(raw)} bytes, over the {MAX_SPEC_BYTES} byte limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(path, [], f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = yaml.load(text, Loader=_BoundedSafeLoader)  # noqa: S506 - bounded SafeLoader subclass
    except yaml.YAMLError as exc:
        raise fail(path, [], f"invalid YAML/JSON: {_one_line(exc)}") from None
    except RecursionError:
        raise fail(path, [], "invalid YAML/JSON: nesting too deep") from None
    if not isinstance(data, dict):
        raise fail(path, [], f"expected a mapping at the top level, got {type(data).__name__}")
    if "openapi" not in data:
        raise fail(path, [], "not an OpenAPI 3 description (no 'openapi' field)")
    return data


def load_spec(path: Path) -> SpecDocument:
    """Read and parse the spec at ``path``."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise fail(str(path), [], f"cannot read spec: {exc.strerror}") from None
    data = parse_spec_bytes(raw, str(path))
    return SpecDocument(str(path), raw, hashlib.sha256(raw).hexdigest(), data)


def _one_line(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())
