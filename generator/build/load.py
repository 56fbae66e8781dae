"""Read a spec file into a plain dict, safely: size cap, safe YAML, no duplicate keys, bounded nesting.

libyaml (PyYAML's ``CSafeLoader``) parses when PyYAML was built with it, the pure-Python loader
otherwise; both enforce the same bounds with the same messages and give the same dict
(``tests/build/test_load.py`` holds them to it). libyaml composes nodes recursively in C, where deep
nesting crashes the process instead of raising, so its bounds are checked first on the event stream,
which is not recursive and costs a tenth of the load.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from ..diagnostics import fail

MAX_SPEC_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 200  # real specs nest < 30 levels; this stops stack exhaustion on hostile input
MAX_EXPANDED_NODES = 2_000_000  # the Norce spec has ~7,000 nodes; a 20 MB spec well under this
MAX_ALIASES = (
    100  # YAML aliases are shared references; many of them is how "billion laughs" expands
)
_KINDS = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}
Loader = Literal["c", "python"]
DEFAULT_LOADER: Loader = "c" if yaml.__with_libyaml__ else "python"


@dataclass(frozen=True, slots=True)
class SpecDocument:
    """A parsed spec and the bytes it came from."""

    path: str
    raw: bytes
    sha256: str
    data: dict[str, Any]


class _NodeProblem(Exception):
    """A node that cannot become JSON data; reported with the JSON pointer of where it sits."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


class _Constructing(yaml.constructor.SafeConstructor):
    """What both loaders construct: no duplicate, merge or unhashable keys; values Python can hold."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                line = key_node.start_mark.line + 1
                raise yaml.YAMLError(f"merge keys (<<) are not supported (line {line})")
        try:
            mapping = super().construct_mapping(node, deep=deep)
        except yaml.constructor.ConstructorError as exc:
            if exc.problem != "found unhashable key":
                raise
            key_node = next(k for k, _ in node.value if k.start_mark is exc.problem_mark)
            kind = "a mapping" if isinstance(key_node, yaml.MappingNode) else "a list"
            raise _NodeProblem(key_node, f"a key is {kind}; keys must be strings") from None
        if len(mapping) < len(node.value):  # a key repeats: name the first repeat, as written
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    line = key_node.start_mark.line + 1
                    raise yaml.YAMLError(f"duplicate key {key!r} (line {line})")
                seen.add(key)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than int() converts
            digits = len(str(node.value))
            message = f"an integer of {digits} digits is longer than Python reads (4,300); quote it"
            raise _NodeProblem(node, message) from None

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # 2024-13-45 matches the timestamp pattern
            message = f"{node.value!r} is not a date ({exc}); quote it if it is text"
            raise _NodeProblem(node, message) from None


_MERGE = "tag:yaml.org,2002:merge"
_Constructing.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", _Constructing.construct_yaml_int
)
_Constructing.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:timestamp", _Constructing.construct_yaml_timestamp
)


class _PythonLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Constructing,
    yaml.resolver.Resolver,
):
    """The pure-Python SafeLoader, refusing deep nesting and alias floods while it composes."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructing.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _too_many_aliases(self.peek_event())  # type: ignore[no-untyped-call]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _too_deep(self.peek_event())  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _CLoader(CParser, _Constructing, yaml.resolver.Resolver):
        """libyaml's parser and composer with our constructor; bounds come from ``_c_bounds``."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructing.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _c_bounds(text: str) -> int:
    """Refuse what the C composer must never see (deep nesting, alias floods); return the alias count.

    Checked like ``_PythonLoader.compose_node``: a node's depth is the collections open around it
    plus one, and an alias counts before its depth is checked. Only the first document matters: the
    composer refuses a second one before composing it.
    """
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _too_many_aliases(event)
            if depth + 1 > MAX_DEPTH:
                raise _too_deep(event)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.DocumentEndEvent):
            break
    return aliases


def _too_many_aliases(event: yaml.Event) -> yaml.YAMLError:
    return yaml.YAMLError(f"more than {MAX_ALIASES} YAML aliases (line {_line(event)})")


def _too_deep(event: yaml.Event) -> yaml.YAMLError:
    return yaml.YAMLError(f"nesting deeper than {MAX_DEPTH} levels (line {_line(event)})")


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 0


def parse_spec_bytes(raw: bytes, path: str, loader: Loader = DEFAULT_LOADER) -> dict[str, Any]:
    """Parse YAML or JSON bytes into a dict, or raise SpecError naming ``path``."""
    if len(raw) > MAX_SPEC_BYTES:
        raise fail(path, [], f"spec is {len(raw)} bytes, over the {MAX_SPEC_BYTES} byte limit")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(path, [], f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    data, aliases = _load(text, path, loader)
    if data is None:
        raise fail(path, [], "the file is empty (no YAML or JSON document in it)")
    if not isinstance(data, dict):
        found = _KINDS.get(type(data), type(data).__name__)
        raise fail(
            path, [], f"expected a mapping (an OpenAPI document) at the top level, got {found}"
        )
    if "openapi" not in data:
        raise fail(path, [], "not an OpenAPI 3 description (no 'openapi' field)")
    _refuse_unencodable(data, path)
    if aliases:  # without aliases nothing is shared: the size is bounded by the input's
        _refuse_expansion(data, path)
    return data


def _load(text: str, path: str, loader: Loader) -> tuple[Any, int]:
    """The document and how many aliases it used."""
    parser: _Constructing | None = None
    root: yaml.Node | None = None
    try:
        if loader == "c":
            if not yaml.__with_libyaml__:
                raise RuntimeError("this PyYAML was built without libyaml")
            aliases = _c_bounds(text)
            parser = _CLoader(text)
        else:
            parser = _PythonLoader(text)
        try:
            root = parser.get_single_node()
            if isinstance(parser, _PythonLoader):
                aliases = parser._aliases
            data = parser.construct_document(root) if root is not None else None
        finally:
            parser.dispose()
    except yaml.YAMLError as exc:
        raise fail(path, [], f"invalid YAML/JSON: {_one_line(exc, path)}") from None
    except RecursionError:
        raise fail(path, [], "invalid YAML/JSON: nesting too deep") from None
    except _NodeProblem as problem:
        assert root is not None  # construction only starts once there is a root
        where = _path_to(root, problem.node)
        line = problem.node.start_mark.line + 1
        raise fail(path, where, f"{problem.message} (line {line})") from None
    return data, aliases


def _path_to(root: yaml.Node, target: yaml.Node) -> list[object]:
    """JSON pointer parts of ``target`` below ``root`` (its mapping's, for a key); [] if not found."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, list[object]]] = [(root, [])]
    while stack:
        node, where = stack.pop()
        if node is target:
            return where
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node is target:
                    return where
                label = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                stack.append((value_node, where + [label]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, where + [index]) for index, child in enumerate(node.value))
    return []


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


def load_spec(path: Path, loader: Loader = DEFAULT_LOADER) -> SpecDocument:
    """Read and parse the spec at ``path``."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise fail(str(path), [], f"cannot read spec: {exc.strerror}") from None
    data = parse_spec_bytes(raw, str(path), loader)
    return SpecDocument(str(path), raw, hashlib.sha256(raw).hexdigest(), data)


def _one_line(exc: yaml.YAMLError, path: str) -> str:
    """The parser's message on one line, naming the file (we parse text, which YAML calls
    ``"<unicode string>"``)."""
    return " ".join(str(exc).replace('"<unicode string>"', f'"{path}"').split())
