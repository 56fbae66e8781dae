"""What the contract tests read from the spec: operations, realistic arguments, a request validator.

Everything here is derived from ``spec/norce-checkout-order.yaml`` itself, never from the generator's
IR, so a generator bug cannot hide behind a matching bug in the test. The only shared rule is the
documented naming contract: method and argument names are ``snake_case`` of the wire names.
"""

from __future__ import annotations

import copy
import json
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from openapi_schema_validator import OAS30Validator, OAS30WriteValidator
from support import load_yaml

from generator.build.naming import snake_case

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = PROJECT_ROOT / "spec" / "norce-checkout-order.yaml"
GENERATED = PROJECT_ROOT / "generated"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Client-level settings (pyproject [tool.norce-codegen] header-names); per call they are overrides.
CLIENT_HEADERS = {"x-merchant": "merchant", "x-channel": "channel", "x-adapterid": "adapter_id"}
_MAX_DEPTH = 8


@dataclass(frozen=True)
class SpecOperation:
    """One operation as the spec declares it."""

    operation_id: str
    method: str  # upper case
    path: str
    parameters: tuple[dict[str, Any], ...]  # dereferenced, path-level ones merged in
    body: dict[str, Any] | None  # the requestBody object, dereferenced
    success: tuple[int, ...]  # documented 2xx statuses

    @property
    def python_name(self) -> str:
        return snake_case(self.operation_id)


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(path.read_text("utf-8"))
    return data


def deref(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (bounded) and return the target node."""
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    raise ValueError("$ref chain too long")


def operations(spec: Mapping[str, Any]) -> list[SpecOperation]:
    """Every operation of the spec, in spec order."""
    found: list[SpecOperation] = []
    for path, item in spec["paths"].items():
        shared = [deref(spec, p) for p in item.get("parameters", [])]
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            own = [deref(spec, p) for p in op.get("parameters", [])]
            keys = {(p["name"], p["in"]) for p in own}
            params = tuple(own + [p for p in shared if (p["name"], p["in"]) not in keys])
            body = deref(spec, op["requestBody"]) if "requestBody" in op else None
            success = tuple(
                sorted(int(s) for s in op.get("responses", {}) if str(s).startswith("2"))
            )
            found.append(
                SpecOperation(op["operationId"], method.upper(), path, params, body, success)
            )
    return found


# --- realistic arguments -------------------------------------------------------------------------


def schema_validator(spec: Mapping[str, Any], schema: Any, *, write: bool = True) -> Any:
    """An OpenAPI 3.0 schema validator that resolves the spec's ``#/components`` refs."""
    root = {"allOf": [schema], "components": spec.get("components", {})}
    cls = OAS30WriteValidator if write else OAS30Validator
    return cls(root, format_checker=OAS30Validator.FORMAT_CHECKER)


def _is_valid(spec: Mapping[str, Any], schema: Any, value: Any) -> bool:
    return bool(schema_validator(spec, schema).is_valid(value))


_FORMATS = {
    "date-time": "2026-01-12T08:21:29Z",
    "date": "2026-01-12",
    "uuid": "3f6c2a8e-1b7d-4c1e-9a51-6c2b1d9e7f00",
    "email": "rosalinainho.undulatsson@example.com",
    "uri": "https://example.com/callback",
    "int32": "1",
}


def example_value(spec: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """A request value for ``schema``: its own ``example`` when that is valid, else one made up.

    Objects get every writable property (so bodies are as full as the published examples);
    ``readOnly`` properties are left out because a client must not send them.
    """
    node = deref(spec, schema)
    if not isinstance(node, dict):
        return "value"
    for key in ("example", "default"):
        if key in node and _is_valid(spec, schema, node[key]):
            return copy.deepcopy(node[key])
    if node.get("enum"):
        return node["enum"][0]
    for key in ("allOf", "oneOf", "anyOf"):
        if node.get(key):
            if key == "allOf" and len(node[key]) > 1:
                merged: dict[str, Any] = {}
                for part in node[key]:
                    value = example_value(spec, part, depth + 1)
                    if isinstance(value, dict):
                        merged.update(value)
                return merged
            return example_value(spec, node[key][0], depth + 1)
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        required = set(node.get("required", []))
        result: dict[str, Any] = {}
        for name, prop in node.get("properties", {}).items():
            target = deref(spec, prop)
            if target.get("readOnly") is True:
                continue
            if depth < _MAX_DEPTH or name in required:
                result[name] = example_value(spec, prop, depth + 1)
        if not result and node.get("additionalProperties") not in (None, False):
            result["note"] = "contract-test"
        return result
    if kind == "array":
        return [example_value(spec, node.get("items", {}), depth + 1)]
    if kind == "integer":
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return float(node.get("minimum", 12.5))
    if kind == "boolean":
        return True
    if kind == "string":
        return _string_example(node)
    return "value"


def _string_example(node: Mapping[str, Any]) -> str:
    if node.get("format") in _FORMATS:
        return _FORMATS[str(node["format"])]
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        for candidate in ("SE", "SEK", "sv-SE", "abc", "1"):
            if re.search(pattern, candidate):
                return candidate
    length = int(node.get("minLength", 1))
    return "example"[: max(length, 7)] if length <= 7 else "x" * length


def realistic_arguments(
    spec: Mapping[str, Any], op: SpecOperation
) -> tuple[list[Any], dict[str, Any]]:
    """Positional (path) and keyword arguments for the client method, in wire form."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in op.parameters:
        name, where = param["name"], param["in"]
        if where == "header" and name.lower() in CLIENT_HEADERS:
            continue  # set once on the client
        if where == "header" and name.lower() == "authorization":
            continue
        value = param["example"] if "example" in param else example_value(spec, param.get("schema"))
        if where == "path":
            args.append(str(value) if not isinstance(value, str) else value)
        else:
            kwargs[snake_case(name)] = value
    if op.body is not None:
        kwargs["body"] = example_value(spec, json_schema(op.body))
    return args, kwargs


def json_schema(body: Mapping[str, Any]) -> Any:
    content = body.get("content", {})
    media = next((m for m in content if "json" in m), next(iter(content), None))
    return content[media].get("schema", {}) if media else {}


def body_type(method: Callable[..., Any]) -> Any:
    """The annotation of the client method's ``body`` parameter, without ``NotGiven``."""
    hints = typing.get_type_hints(method)
    annotation = hints["body"]
    args = [a for a in typing.get_args(annotation) if getattr(a, "__name__", "") != "NotGiven"]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
    return annotation


def return_type(method: Callable[..., Any]) -> Any:
    return typing.get_type_hints(method)["return"]


# --- request validation (the loopback server of the property tests) ---------------------------


@dataclass(frozen=True)
class _Route:
    op: SpecOperation
    pattern: re.Pattern[str]


class RequestValidator:
    """Check one HTTP request against the spec: route, parameters, security, body."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self.routes: list[_Route] = []
        for op in operations(spec):
            regex = re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(op.path))
            self.routes.append(_Route(op, re.compile(f"^{regex}$")))
        base = urlsplit(spec.get("servers", [{"url": "/"}])[0]["url"].replace("{slug}", "x")).path
        self.base_path = base.rstrip("/")
        self.schemes = spec.get("components", {}).get("securitySchemes", {})

    def violations(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[str | None, list[str]]:
        """(operationId or None, list of violations); an empty list means the request is valid."""
        parts = urlsplit(target)
        path = parts.path  # still percent-encoded: a '/' inside a value must not split it
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :] or "/"
        lowered = {k.lower(): v for k, v in headers.items()}
        for route in self.routes:
            match = route.pattern.match(path)
            if match and route.op.method == method.upper():
                found = self._check(route.op, match.groupdict(), parts.query, lowered, body)
                return route.op.operation_id, found
        return None, [f"no operation for {method} {path}"]

    def _check(
        self,
        op: SpecOperation,
        path_values: dict[str, str],
        query: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> list[str]:
        problems: list[str] = []
        query_values = parse_qs(query, keep_blank_values=True)
        declared_query = {p["name"] for p in op.parameters if p["in"] == "query"}
        problems += [
            f"query {k!r} is not declared" for k in sorted(query_values.keys() - declared_query)
        ]
        for param in op.parameters:
            problems += self._check_param(param, path_values, query_values, headers)
        for scheme in self._required_headers():
            if not headers.get(scheme.lower()):
                problems.append(f"security header {scheme!r} missing")
        problems += self._check_body(op, headers, body)
        return problems

    def _required_headers(self) -> Iterator[str]:
        for requirement in self.spec.get("security", []):
            for name in requirement:
                scheme = self.schemes.get(name, {})
                if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                    yield str(scheme["name"])

    def _check_param(
        self,
        param: Mapping[str, Any],
        path_values: Mapping[str, str],
        query_values: Mapping[str, list[str]],
        headers: Mapping[str, str],
    ) -> list[str]:
        name, where = param["name"], param["in"]
        schema = deref(self.spec, param.get("schema", {}))
        raw: list[str] | None
        if where == "path":
            raw = [unquote(path_values[name])] if name in path_values else None
        elif where == "query":
            raw = query_values.get(name)
        elif where == "header":
            raw = [headers[name.lower()]] if name.lower() in headers else None
        else:
            return [f"{where} parameter {name!r}: location not supported by this validator"]
        label = f"{where} {name!r}"
        if raw is None:
            return [f"{label} is required"] if param.get("required") else []
        is_array = schema.get("type") == "array"
        if not is_array and len(raw) > 1:
            return [f"{label} repeated {len(raw)} times"]
        if is_array and param.get("explode", True) is False:
            raw = [item for value in raw for item in value.split(",")]
        try:
            items_schema = deref(self.spec, schema.get("items", {})) if is_array else schema
            values = [_coerce(v, items_schema) for v in raw]
        except ValueError as exc:
            return [f"{label}: {exc}"]
        value: Any = values if is_array else values[0]
        validator = schema_validator(self.spec, param.get("schema", {}))
        return [f"{label}: {e.message}" for e in validator.iter_errors(value)]

    def _check_body(self, op: SpecOperation, headers: Mapping[str, str], body: bytes) -> list[str]:
        if op.body is None:
            return ["a body was sent to an operation without requestBody"] if body else []
        if not body:
            return ["requestBody is required but none was sent"] if op.body.get("required") else []
        media = headers.get("content-type", "").split(";")[0].strip()
        if media not in op.body.get("content", {}):
            return [f"content-type {media!r} is not one of {sorted(op.body.get('content', {}))}"]
        try:
            document = json.loads(body)
        except ValueError as exc:
            return [f"body is not JSON: {exc}"]
        validator = schema_validator(self.spec, json_schema(op.body), write=True)
        return [
            f"body{_where(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)
        ]


def _where(path: Any) -> str:
    return "".join(f"[{p!r}]" for p in path)


def _coerce(text: str, schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError(f"{text!r} is not a boolean")
        return text == "true"
    return text
