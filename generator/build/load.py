"""Read a spec file into a plain dict, safely: size cap, safe YAML, no duplicate keys, bounded nesting."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import fail

MAX_SPEC_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200  # real specs nest < 30 levels; this stops stack exhaustion on hostile input
MAX_EXPANDED_NODES = 2_000_000  # the Norce spec has ~7,000 nodes; a 20 MB spec well under this
MAX_ALIASES = (
    100  # YAML aliases are shared references; many of them is how "billion laughs" expands
)


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
                raise yaml.YAMLError(
                    f"nesting deeper than {MAX_DEPTH} levels (line {mark.line + 1})"
                )
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
        data = yaml.load(
            text, Loader=_BoundedSafeLoader
        )  # noqa: S506 - bounded SafeLoader subclass
    except yaml.YAMLError as exc:
        raise fail(path, [], f"invalid YAML/JSON: {_one_line(exc)}") from None
    except RecursionError:
        raise fail(path, [], "invalid YAML/JSON: nesting too deep") from None
    if not isinstance(data, dict):
        raise fail(path, [], f"expected a mapping at the top level, got {type(data).__name__}")
    if "openapi" not in data:
        raise fail(path, [], "not an OpenAPI 3 description (no 'openapi' field)")
    _refuse_unencodable(data, path)
    _refuse_expansion(data, path)
    return data


def _refuse_expansion(data: Any, path: str) -> None:
    """Aliases share nodes; every later step (validator, DCG, json.dumps) walks them expanded.

    81 aliases nested nine deep are under MAX_ALIASES yet expand to 9**10 nodes, so bound the
    expanded size (memoised per shared node, so this check itself is linear) and refuse cycles.
    """
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, dict | list):
            return 1
        key = id(node)
        if key in sizes:
            if sizes[key] < 0:
                raise fail(path, [], "recursive YAML alias (a node contains itself)")
            return sizes[key]
        sizes[key] = -1
        children = list(node.keys()) + list(node.values()) if isinstance(node, dict) else node
        total = 1 + sum(size(child) for child in children)
        if total > MAX_EXPANDED_NODES:
            raise fail(
                path,
                [],
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes " "(an alias bomb?)",
            )
        sizes[key] = total
        return total

    size(data)


def _refuse_unencodable(data: Any, path: str) -> None:
    """Refuse values JSON (and so OpenAPI) cannot hold, which generated code could not write back
    faithfully: lone surrogates (e.g. "\\ud800", not UTF-8) and YAML's .inf/.nan."""
    seen: set[int] = set()
    stack: list[tuple[tuple[object, ...], Any]] = [((), data)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                raise fail(path, where, "text contains a lone UTF-16 surrogate") from None
        elif isinstance(node, float) and not math.isfinite(node):
            raise fail(path, where, f"{node} is not a JSON number (use a finite number)")
        elif isinstance(node, dict | list) and id(node) not in seen:
            seen.add(id(node))
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in items:
                stack.append((where + (key,), key if isinstance(key, str) else None))
                stack.append((where + (key,), child))


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
