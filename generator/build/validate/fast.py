"""The fast check: openapi-spec-validator's rules for OpenAPI 3.0, in a few milliseconds.

openapi-spec-validator (``precise.py``) costs ~0.15 s to import and ~0.13 s to run on the Norce
spec; this module gives its verdict on a valid spec in ~15 ms without importing it: the document
schema and each schema's meta-schema in Rust (jsonschema-rs, the same JSON Schema files the
validator reads), and the validator's own rules (duplicate tags, parameters and operationIds, path
parameters, ``required`` under ``allOf``, defaults) as a plain walk in the validator's order.

It answers only "certainly valid" (True) or "not sure" (False), and "not sure" sends the spec to
the precise validator, which then finds and places every problem. So it may be stricter than the
validator, never laxer: wherever it does not mirror a rule exactly (OpenAPI 3.1, a default under
``oneOf``, a ``date-time`` format) it says "not sure". Mirrors openapi-spec-validator 0.9.0 and
openapi-schema-validator 0.9.0 (``OpenAPIV30SpecValidator``); ``tests/build/test_validate.py`` holds
both to the same verdict on the hostile corpus, the peer specs and broken variants of them.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..admit import resolve_pointer
from ..admit.policy import pattern_matches, pattern_problem

__all__ = ["HTTP_METHODS", "MIRRORED_FORMATS", "certainly_valid", "format_ok"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_HOPS = 64  # $ref chains (admission refused loops) and nesting of defaults' schemas
# Formats whose check by openapi-schema-validator's OAS 3.0 format checker is mirrored here. That
# checker also runs every format jsonschema knows (date-time, email, uuid, ..., some only when a
# library is installed): a default with any other format is left to the precise run.
MIRRORED_FORMATS = frozenset({"int32", "int64", "float", "double", "binary", "password"})
# Keywords OAS30Validator acts on when it checks a default; every other key is ignored by it.
_DEFAULT_KEYWORDS = frozenset(
    {
        "multipleOf", "maximum", "minimum", "maxLength", "minLength", "pattern", "maxItems",
        "minItems", "uniqueItems", "maxProperties", "minProperties", "enum", "type", "allOf",
        "oneOf", "anyOf", "not", "items", "properties", "required", "additionalProperties",
        "format", "$ref", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs",
        "example", "deprecated", "patternProperties",
    }
)  # fmt: skip
_NO_EFFECT = frozenset(
    {"discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "deprecated"}
)
_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


class _Unsure(Exception):
    """Raised where this module does not mirror the validator: the precise run decides."""


def certainly_valid(data: dict[str, Any]) -> bool:
    """True when openapi-spec-validator finds no problem in ``data``; False when it may."""
    if not str(data.get("openapi", "")).startswith("3.0"):
        return False  # 3.1 and others: the precise validator's dialects
    if importlib.util.find_spec("regress") is not None:
        return False  # the validator would take ECMA regex rules from it; we mirror Python's
    try:
        if not _document_validator().is_valid(data):
            return False
        _Walk(data, _schema_validator()).root()
    except (_Unsure, ImportError, RecursionError, ValueError, TypeError, KeyError, OverflowError):
        return False  # ValueError also covers what jsonschema-rs cannot convert (surrogates)
    return True


def _resources() -> Path:
    """openapi-spec-validator's folder, found without importing it (its import is the cost)."""
    found = importlib.util.find_spec("openapi_spec_validator")
    if found is None or not found.submodule_search_locations:
        raise ImportError("openapi-spec-validator is not installed")
    return Path(next(iter(found.submodule_search_locations)))


@functools.cache
def _document_validator() -> Any:
    """The OpenAPI 3.0 document schema the validator checks a spec against (draft 4, no formats)."""
    import jsonschema_rs

    path = _resources() / "resources" / "schemas" / "v3.0" / "schema.json"
    schema = json.loads(path.read_text("utf-8"))
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False)


@functools.cache
def _schema_validator() -> Any:
    """The meta-schema OAS30Validator.check_schema holds each schema to: draft 4, with the OAS 3.0
    format checker, of which only ``regex`` occurs in that meta-schema."""
    import jsonschema_rs

    found = importlib.util.find_spec("jsonschema_specifications")
    if found is None or not found.submodule_search_locations:
        raise ImportError("jsonschema-specifications is not installed")
    folder = Path(next(iter(found.submodule_search_locations)))
    schema = json.loads((folder / "schemas" / "draft4" / "metaschema.json").read_text("utf-8"))
    return jsonschema_rs.Draft4Validator(
        schema, validate_formats=True, formats={"regex": _is_python_regex}
    )


def _is_python_regex(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


class _Walk:
    """openapi-spec-validator's keyword walk (``RootValidator`` and what it calls), in its order;
    a problem raises ``_Unsure``."""

    def __init__(self, data: dict[str, Any], meta: Any) -> None:
        self.data = data
        self.meta = meta
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: list[Any] = []

    def resolve(self, node: Any) -> Any:
        """The node a ``$ref`` chain ends at (siblings of ``$ref`` are ignored, as jsonschema-path
        ignores them)."""
        for _ in range(_MAX_HOPS):
            if not (isinstance(node, dict) and "$ref" in node):
                return node
            ref = node["$ref"]
            if not (isinstance(ref, str) and ref.startswith("#")):
                raise _Unsure
            try:
                node = resolve_pointer(self.data, ref)
            except KeyError:
                raise _Unsure from None
        raise _Unsure

    def mapping(self, node: Any) -> dict[str, Any]:
        found = self.resolve(node)
        if not isinstance(found, dict):
            raise _Unsure
        return found

    def items(self, node: Any) -> list[Any]:
        found = self.resolve(node)
        if not isinstance(found, list):
            raise _Unsure
        return found

    def root(self) -> None:
        if "tags" in self.data:
            names = [self.mapping(tag).get("name") for tag in self.items(self.data["tags"])]
            if len(set(names)) != len(names):
                raise _Unsure  # duplicate tag name
        if "paths" in self.data:
            for url, item in self.mapping(self.data["paths"]).items():
                self.path(url, item)
        if "components" in self.data:
            components = self.mapping(self.data["components"])
            if "schemas" in components:
                for schema in self.mapping(components["schemas"]).values():
                    self.schema(schema)

    def path(self, url: str, node: Any) -> None:
        if isinstance(node, dict) and "$ref" in node:
            raise _Unsure  # a path item by reference: not mirrored
        item = self.mapping(node)
        shared = None
        if "parameters" in item:
            shared = self.items(item["parameters"])
            self.parameters(shared)
        for method, operation in item.items():
            if method in HTTP_METHODS:
                self.operation(url, self.mapping(operation), shared)

    def operation(self, url: str, operation: dict[str, Any], shared: list[Any] | None) -> None:
        if "operationId" in operation:
            operation_id = operation["operationId"]
            if operation_id is not None and operation_id in self.operation_ids:
                raise _Unsure  # duplicate operationId
            self.operation_ids.append(operation_id)
        if "responses" in operation:
            for response in self.mapping(operation["responses"]).values():
                found = self.resolve(response)
                if isinstance(found, dict) and "content" in found:
                    for media in self.mapping(found["content"]).values():
                        media_type = self.mapping(media)
                        if "schema" in media_type:
                            self.schema(media_type["schema"])
        names: list[str] = []
        if "parameters" in operation:
            own = self.items(operation["parameters"])
            self.parameters(own)
            names += self.path_names(own)
        if shared is not None:
            names += self.path_names(shared)
        in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        if set(names) != in_url:
            raise _Unsure  # a path parameter without its template, or the other way round

    def path_names(self, parameters: list[Any]) -> Iterator[str]:
        for parameter in map(self.mapping, parameters):
            if parameter["in"] == "path":
                yield parameter["name"]

    def parameters(self, parameters: list[Any]) -> None:
        seen = set()
        for node in parameters:
            parameter = self.mapping(node)
            if "schema" in parameter:
                self.schema(parameter["schema"])
            key = (parameter["name"], parameter["in"])
            if key in seen:
                raise _Unsure  # duplicate parameter
            seen.add(key)

    def schema(self, node: Any, require_properties: bool = True, meta_checked: bool = False) -> None:
        """``SchemaValidator.__call__``: meta-schema once per schema, then nested schemas,
        ``required`` names under ``allOf``, and the default."""
        schema = self.resolve(node)
        if not isinstance(schema, dict):
            raise _Unsure  # booleans and the rest: not a schema in OpenAPI 3.0
        if not meta_checked and id(schema) not in self.meta_checked:
            self.meta_checked.add(id(schema))
            if not self.meta.is_valid(schema):
                raise _Unsure
        if id(schema) in self.visited:
            return
        self.visited.add(id(schema))
        nested: set[str] = set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            for inner in self.items(schema[keyword]) if keyword in schema else []:
                self.schema(inner, require_properties=False, meta_checked=True)
                if keyword == "allOf":
                    nested |= self.property_names(inner, 0)
        for keyword in ("not", "items"):
            if keyword in schema:
                self.schema(schema[keyword], require_properties=False, meta_checked=True)
        for inner in self.mapping(schema["properties"]).values() if "properties" in schema else []:
            self.schema(inner, require_properties=False, meta_checked=True)
        if "allOf" in schema and require_properties:
            required = schema.get("required") or []
            defined = set(self.mapping(schema["properties"])) if "properties" in schema else set()
            if set(required) - defined - nested:
                raise _Unsure  # "Required list has not defined properties"
        if "default" in schema:
            value = schema["default"]
            if value is not None or schema.get("nullable", False) is not True:
                self.default(schema, value, 0)

    def property_names(self, node: Any, depth: int) -> set[str]:
        """``SchemaValidator._collect_properties``: every property name reachable from a schema."""
        if depth > _MAX_HOPS:
            raise _Unsure  # the validator recurses without a guard here
        schema = self.mapping(node)
        names = set(self.mapping(schema["properties"])) if "properties" in schema else set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            for inner in self.items(schema[keyword]) if keyword in schema else []:
                names |= self.property_names(inner, depth + 1)
        for keyword in ("items", "not"):
            if keyword in schema:
                names |= self.property_names(schema[keyword], depth + 1)
        return names

    def default(self, node: Any, value: Any, depth: int) -> None:
        """OAS30Validator with the linear-time pattern keywords (``precise.py``), for the cases it
        is sure about: ``value`` is valid under ``node`` or this raises ``_Unsure``. ``node`` is
        taken as jsonschema takes it: ``$ref`` is one keyword among its siblings."""
        if depth > _MAX_HOPS or not isinstance(node, dict):
            raise _Unsure
        for keyword in node.keys() & _DEFAULT_KEYWORDS - _NO_EFFECT:
            _keyword_check(self, keyword, node[keyword], node, value, depth)


def _keyword_check(
    walk: _Walk, keyword: str, rule: Any, schema: dict[str, Any], value: Any, depth: int
) -> None:
    """One keyword of OAS30Validator on a default; anything not mirrored exactly is ``_Unsure``."""
    ok = True
    if keyword == "$ref":
        walk.default(walk.resolve(schema), value, depth + 1)  # siblings apply too (no legacy ref)
    elif keyword == "type":
        if value is None:
            ok = schema.get("nullable") is True
        else:
            ok = isinstance(rule, str) and rule in _TYPES and _TYPES[rule](value)
    elif keyword == "enum":
        ok = isinstance(rule, list) and any(_same(option, value) for option in rule)
    elif keyword == "format":
        ok = value is None or format_ok(rule, value)
    elif keyword == "pattern":
        if isinstance(value, str):
            ok = isinstance(rule, str) and pattern_problem(rule) is None
            ok = ok and pattern_matches(rule, value)
    elif keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        kind = str if keyword.endswith("Length") else list
        if isinstance(value, kind):
            ok = _bound(rule, len(value), keyword.startswith("min"), False)
    elif keyword in ("minProperties", "maxProperties"):
        if isinstance(value, dict):
            ok = _bound(rule, len(value), keyword.startswith("min"), False)
    elif keyword in ("minimum", "maximum"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            exclusive = schema.get("exclusiveMinimum" if keyword == "minimum" else "exclusiveMaximum")
            ok = _bound(rule, value, keyword == "minimum", bool(exclusive))
    elif keyword == "items":
        if isinstance(value, list):
            for item in value:
                walk.default(rule, item, depth + 1)
    elif keyword == "properties":
        if isinstance(value, dict):
            for name, inner in _plain(rule).items():
                if name in value:
                    walk.default(inner, value[name], depth + 1)
    elif keyword == "required":
        ok = not isinstance(value, dict) or all(name in value for name in _plain_list(rule))
    elif keyword == "additionalProperties":
        if isinstance(value, dict):
            extra = set(value) - set(_plain(schema.get("properties", {})))
            if schema.get("patternProperties") or rule is False and extra:
                ok = False
            elif isinstance(rule, dict):
                for name in extra:
                    walk.default(rule, value[name], depth + 1)
    elif keyword == "patternProperties":
        ok = not (isinstance(value, dict) and value)
    elif keyword == "allOf" and "discriminator" not in schema:
        for inner in _plain_list(rule):
            walk.default(inner, value, depth + 1)
    elif keyword == "uniqueItems":
        ok = not (rule and isinstance(value, list) and len(value) > 1)
    else:  # multipleOf, anyOf, oneOf, not, a discriminator: left to the precise run
        ok = False
    if not ok:
        raise _Unsure


def _plain(node: Any) -> dict[str, Any]:
    """A keyword's map as jsonschema reads it (a key "$ref" there is a property name)."""
    if not isinstance(node, dict):
        raise _Unsure
    return node


def _plain_list(node: Any) -> list[Any]:
    if not isinstance(node, list):
        raise _Unsure
    return node


def _same(option: Any, value: Any) -> bool:
    """Equal and of one type: then jsonschema's ``equal`` holds too."""
    return type(option) is type(value) and option == value and not isinstance(value, list | dict)


def _bound(rule: Any, measured: float, lower: bool, exclusive: bool) -> bool:
    if not isinstance(rule, int | float) or isinstance(rule, bool):
        return False
    if exclusive:
        return measured > rule if lower else measured < rule
    return measured >= rule if lower else measured <= rule


def format_ok(name: Any, value: Any) -> bool:
    """The OAS 3.0 format checker's verdict on a non-null JSON value, for ``MIRRORED_FORMATS``;
    False (not sure) for every other format."""
    if name in ("int32", "int64"):
        bits = 31 if name == "int32" else 63
        return not isinstance(value, int) or isinstance(value, bool) or -(1 << bits) <= value < 1 << bits
    return name in MIRRORED_FORMATS  # float, double, binary, password pass every JSON value
