"""The I/O-free description of one API call, and how it becomes bytes.

Generated operations build a `Request`; the client turns it into an
`httpx.Request` with `build_url`, `build_query` and `encode_body`. Nothing
here touches the network, so all of it can be unit-tested directly.
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

from ._lazy import LazyModule
from ._params import Check
from ._types import (
    NotGiven,
    contains_model,
    field_spellings,
    fields_of,
    is_model,
    is_union,
    reject_unknown_enum_values,
    strip_optional,
    type_adapter,
)
from .errors import RequestValidationError

if TYPE_CHECKING:
    import difflib

    import pydantic
    import pydantic_core
else:
    difflib = LazyModule("difflib")  # only a refused body needs it
    pydantic = LazyModule("pydantic")
    pydantic_core = LazyModule("pydantic_core")

__all__ = [
    "Request",
    "build_query",
    "build_url",
    "describe_errors",
    "encode_body",
    "unknown_fields",
]

T = TypeVar("T")

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Request(Generic[T]):
    """One API call, as built by a generated operation.

    Attributes:
        method: Upper-case HTTP method.
        path: Path template relative to the base URL, e.g.
            "/api/v0/checkout/orders/{order_id}".
        path_params: Values for the template's placeholders (percent-encoded
            when the URL is built).
        query: Query parameters; NOT_GIVEN and None values are left out.
        headers: Wire header names to values: a string sets the header,
            NOT_GIVEN leaves the client default (or no header), None removes
            the header even if the client has a default (a header the
            operation requires refuses None: `_params.check_params`).
        body: NOT_GIVEN for no body, else a model, a list of models, a dict
            (wire or Python names) or a primitive, sent as JSON.
        response_type: What a 2xx JSON body is validated into, or None when
            no body is expected.
        idempotent: Whether the call may be retried without opting in.
        operation_id: The spec's operationId, for messages and logs.
        body_type: What `body` is validated into before it is sent (the
            operation's request model); None validates a model body as its
            own class and sends other bodies as they are.
        checks: What each path, query and header value must be, checked
            before sending (`_params.check_params`).
    """

    method: str
    path: str
    path_params: Mapping[str, object]
    query: Mapping[str, object]
    headers: Mapping[str, str | NotGiven | None]
    body: object
    response_type: Any
    idempotent: bool
    operation_id: str
    body_type: Any = None
    checks: tuple[Check, ...] = ()


@functools.lru_cache(maxsize=256)
def _split_path(path: str) -> tuple[str, ...]:
    # Even indexes are literal text, odd ones placeholder names.
    return tuple(_PLACEHOLDER.split(path))


def build_url(base_url: str, request: Request[Any]) -> str:
    """Join the base URL and the request's path with encoded parameters.

    Args:
        base_url: Base URL without a trailing slash.
        request: The call.

    Returns:
        The absolute URL, without query string.

    Raises:
        RequestValidationError: A placeholder has no value, or a value is
            empty, "." or ".." (which would change the path's meaning).
    """
    parts = _split_path(request.path)
    if len(parts) == 1:
        return base_url + request.path
    out = [base_url]
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(part)
            continue
        value = request.path_params.get(part)
        if value is None:
            raise RequestValidationError(request.operation_id, [f"path.{part}: missing"])
        text = value.value if isinstance(value, enum.Enum) else str(value)
        if text in ("", ".", ".."):
            raise RequestValidationError(
                request.operation_id, [f"path.{part}: {text!r} is not a valid path segment"]
            )
        # safe="" so "/" and "?" inside a value cannot leave the segment.
        out.append(quote(text, safe=""))
    return "".join(out)


def build_query(query: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """Flatten query parameters into (name, value) pairs.

    NOT_GIVEN and None are dropped, bools become "true"/"false", enums their
    value, dates ISO 8601, and a list repeats the name once per item.
    """
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        if isinstance(value, list | tuple):
            pairs.extend((name, _query_value(item)) for item in value if _present(item))
        elif _present(value):
            pairs.append((name, _query_value(value)))
    return tuple(pairs)


def _present(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def encode_body(body: object, operation_id: str, body_type: Any = None) -> bytes:
    """Validate a request body into its type and serialise it to JSON.

    The body is validated here even when it is a model instance, so a value
    that skipped validation (`model_construct`, attribute assignment, an
    unknown enum value) fails here, naming the field, instead of at the
    server. Unknown fields are refused, with their own message for a
    read-only one. Fields the caller never set are left out; a field set to
    None is sent as null.

    Args:
        body: A model, a dict with wire or Python names, a list, or a
            primitive.
        operation_id: For error messages.
        body_type: The operation's body type (e.g. `models.OrderRequest`);
            None validates a model as its own class.

    Returns:
        UTF-8 JSON bytes.

    Raises:
        RequestValidationError: The body does not match its type.
    """
    root = body_type
    if root is None and isinstance(body, pydantic.BaseModel):
        root = type(body)
    unknown: list[str] = []
    try:
        with reject_unknown_enum_values():
            data = _plain(body)
            if root is None:
                return pydantic_core.to_json(data)
            unknown = unknown_fields(data, root)
            adapter = type_adapter(root)
            checked = adapter.validate_python(data)
    except pydantic.ValidationError as exc:
        raise RequestValidationError(operation_id, describe_errors(exc, root) + unknown) from None
    except (pydantic_core.PydanticSerializationError, ValueError) as exc:
        # An unserialisable object, or an unknown bare enum value.
        raise RequestValidationError(operation_id, [f"body: {exc}"]) from None
    if unknown:
        raise RequestValidationError(operation_id, unknown)
    return adapter.dump_json(checked, by_alias=True, exclude_unset=True)


def _plain(value: object) -> object:
    """`value` as JSON-ready data: models dumped by wire name, enum members as their value."""
    if isinstance(value, pydantic.BaseModel):
        # mode="json" turns enum members into plain strings, so the lookup
        # (and its unknown-value check) runs again on validation.
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, enum.Enum):
        return type(value)(value.value).value
    return value


def unknown_fields(value: object, root: Any) -> list[str]:
    """One line per unknown field in `value`, read as `root`; [] when there is none.

    Models keep unknown fields (`extra="allow"`) so that a response from a
    newer Norce build reads whole; what a caller builds or sends must have
    none. `value` is the caller's input (dicts, lists, model instances), so
    this runs beside validation and a mistake is reported with every other
    one; it also works on every pydantic 2 release the client supports (a
    validation-time `extra=` does not). A read-only field gets its own line.
    """
    errors = [
        {"type": "extra_forbidden", "loc": loc, "msg": "not a field"}
        for loc in _unknown_locations(value, root, ())
    ]
    return _describe(errors, root)


def _unknown_locations(
    value: object, annotation: Any, loc: tuple[int | str, ...]
) -> Iterator[tuple[int | str, ...]]:
    annotation, _ = strip_optional(annotation)
    if isinstance(value, pydantic.BaseModel):
        # Already validated as its own class; only a smuggled extra can be wrong.
        if not _open(type(value)):
            for key in value.__pydantic_extra__ or ():
                yield (*loc, key)
        fields = fields_of(type(value))
        for name in _nested_fields(type(value)):
            key = fields[name].alias or name
            yield from _unknown_locations(
                getattr(value, name, None), fields[name].annotation, (*loc, key)
            )
    elif is_model(annotation) and isinstance(value, dict):
        spellings, fields = field_spellings(annotation), fields_of(annotation)
        nested = _nested_fields(annotation)
        for key, item in value.items():
            if key not in spellings:
                if not _open(annotation):
                    yield (*loc, key)
            elif spellings[key][0] in nested:
                yield from _unknown_locations(
                    item, fields[spellings[key][0]].annotation, (*loc, key)
                )
    elif typing.get_origin(annotation) is list and isinstance(value, list | tuple):
        (item_type,) = typing.get_args(annotation)
        for index, item in enumerate(value):
            yield from _unknown_locations(item, item_type, (*loc, index))
    elif typing.get_origin(annotation) is dict and isinstance(value, dict):
        item_type = typing.get_args(annotation)[1]
        for key, item in value.items():
            yield from _unknown_locations(item, item_type, (*loc, key))


def _open(model: type[pydantic.BaseModel]) -> bool:
    """Whether the schema declares additionalProperties (see `_model.Model`)."""
    return bool(getattr(model, "_additional_properties", False))


@functools.lru_cache(maxsize=256)
def _nested_fields(model: type[pydantic.BaseModel]) -> frozenset[str]:
    """The fields of `model` that can hold models, the only ones worth walking into."""
    return frozenset(name for name, f in fields_of(model).items() if contains_model(f.annotation))


def describe_errors(exc: pydantic.ValidationError, root: Any) -> list[str]:
    """One line per validation error, naming the field in Python and wire spelling.

    Args:
        exc: The error pydantic raised while validating into `root`.
        root: The type that was validated: a model class, `list[Model]`, ...

    Returns:
        Lines like "Address.given_name (wire: givenName): Input should be a
        valid string". The input value is left out: it may be personal data.
    """
    return _describe(exc.errors(include_url=False, include_input=False), root)


def _describe(errors: Iterable[Mapping[str, Any]], root: Any) -> list[str]:
    base = root.__name__ if is_model(root) else "body"
    lines = []
    for error in errors:
        python, wire, owner = _spell(root, error["loc"])
        if error["type"] == "extra_forbidden" and owner is not None:
            lines.append(_unknown_field(owner, base, python, wire))
        elif error["type"] == "missing":
            lines.append(f"{_where(base, python, wire)} is required")
        else:
            lines.append(f"{_where(base, python, wire)}: {error['msg']}")
    # A union (an enum field that also takes its literals) reports one error per member.
    return list(dict.fromkeys(lines))


def _where(base: str, python: list[str], wire: list[str]) -> str:
    """`Address.given_name (wire: givenName)`, or just the Python path when both agree."""
    text = base + _path(python)
    return text if python == wire else f"{text} (wire: {_path(wire).lstrip('.')})"


def _path(parts: list[str]) -> str:
    return "".join(part if part.startswith("[") else f".{part}" for part in parts)


def _unknown_field(
    owner: type[pydantic.BaseModel], base: str, python: list[str], wire: list[str]
) -> str:
    key = python[-1]
    read_only: Mapping[str, str] = getattr(owner, "_read_only", {})
    by_python = {name: alias for alias, name in read_only.items()}
    if key in read_only or key in by_python:
        alias = key if key in read_only else by_python[key]
        python, wire = [*python[:-1], read_only[alias]], [*wire[:-1], alias]
        return f"{_where(base, python, wire)} is read-only: it is set by the server; remove it"
    text = f"{_where(base, python, wire)} is not a field of {owner.__name__}"
    spellings = field_spellings(owner)
    match = difflib.get_close_matches(key, list(spellings), n=1)
    if match:
        name, alias = spellings[match[0]]
        text += f"; did you mean {name}" + (f" (wire: {alias})?" if alias != name else "?")
    return text


def _spell(root: Any, loc: tuple[int | str, ...]) -> tuple[list[str], list[str], Any]:
    """An error location in Python and in wire spelling, and the model holding its last part."""
    python: list[str] = []
    wire: list[str] = []
    current, owner = root, None
    for part in loc:
        current, _ = strip_optional(current)
        if isinstance(part, int):
            python.append(f"[{part}]")
            wire.append(f"[{part}]")
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        owner = current if is_model(current) else None
        if owner is not None and part in field_spellings(owner):
            name, alias = field_spellings(owner)[part]
            python.append(name)
            wire.append(alias)
            current = fields_of(owner)[name].annotation
        elif is_union(current):
            # A union member's tag (e.g. "literal['a']"), not a field: leave it out.
            current = None
        else:
            python.append(part)
            wire.append(part)
            args = typing.get_args(current)
            current = args[-1] if args else None
    return python, wire, owner
