"""Shared types: the NOT_GIVEN sentinel, open enums, per-call options, and
what request and response validation share (cached validators, field names).

Importing this module must stay cheap: pydantic's validation machinery is
only loaded when the first validator is built (`type_adapter`).
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypedDict, final

import httpx

from ._lazy import LazyModule

if TYPE_CHECKING:
    import pydantic
else:
    pydantic = LazyModule("pydantic")

__all__ = [
    "NOT_GIVEN",
    "NotGiven",
    "OpenStrEnum",
    "RequestOptions",
    "contains_model",
    "field_spellings",
    "fields_of",
    "is_model",
    "reject_unknown_enum_values",
    "strip_optional",
    "type_adapter",
]


@final
class NotGiven:
    """The type of `NOT_GIVEN`: "the caller passed nothing", as opposed to `None`.

    `None` is a value a caller can mean (send null, drop a default header), so
    it cannot also stand for "use the default".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # A singleton, so `x is NOT_GIVEN` works even after copy or pickle.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

# Set while a request body is validated: unknown enum values are then errors.
_REJECT_UNKNOWN: ContextVar[bool] = ContextVar("norce_reject_unknown_enum", default=False)


@contextmanager
def reject_unknown_enum_values() -> Iterator[None]:
    """Make `OpenStrEnum` lookups of unknown values fail inside the block.

    A ContextVar (not a global flag) keeps concurrent threads and tasks apart.
    """
    token = _REJECT_UNKNOWN.set(True)
    try:
        yield
    finally:
        _REJECT_UNKNOWN.reset(token)


class OpenStrEnum(StrEnum):
    """Base of every generated enum: tolerant of case and of new values.

    Lookup first matches member values case-insensitively (Norce's own
    examples send "Person" for "person"). Any other string becomes a
    pseudo-member: an instance of the enum that holds the string and has
    `is_known` False, so a value added in a newer Norce build does not break
    parsing in an older client. Non-strings still fail.

    Example:
        ```python
        class CustomerType(OpenStrEnum):
            PERSON = "person"

        CustomerType("Person") is CustomerType.PERSON  # True
        CustomerType("retailer").is_known  # False
        ```

    Pseudo-members are rejected in request bodies (see
    `reject_unknown_enum_values`), so they can be read but not sent.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        folded = value.casefold()
        for member in cls:
            if member.value.casefold() == folded:
                return member
        if _REJECT_UNKNOWN.get():
            return None
        # Not cached in _value2member_map_: that would make the value a real
        # member for later lookups and defeat request-side rejection.
        pseudo = str.__new__(cls, value)
        pseudo._name_ = value
        pseudo._value_ = value
        return pseudo

    @property
    def is_known(self) -> bool:
        """Whether this is a member declared in the spec (not a pseudo-member)."""
        return type(self)._member_map_.get(self._name_) is self


class RequestOptions(TypedDict, total=False):
    """Per-call overrides, passed as `options=` to every operation.

    Attributes:
        timeout: Seconds, an `httpx.Timeout`, or None for no timeout.
        max_retries: Retries for this call (overrides the client's).
        extra_headers: Headers added last; they win over every other source.
        retry_non_idempotent: Retry this POST/PATCH too. Only safe when the
            operation is known not to apply twice.
        deadline: Seconds this whole call may take (tries, waits, body), or
            None for no limit (overrides the client's).
        max_response_size: Most decoded bytes the 2xx body may have
            (overrides the client's).
    """

    timeout: float | httpx.Timeout | None
    max_retries: int
    extra_headers: Mapping[str, str]
    retry_non_idempotent: bool
    deadline: float | None
    max_response_size: int


@functools.lru_cache(maxsize=512)
def type_adapter(annotation: Any) -> pydantic.TypeAdapter[Any]:
    """The validator for a body or response type, built once per type.

    Building one compiles a validator (hundreds of microseconds); cached, a
    call only pays for validation. Types and generic aliases such as
    `list[Order]` are hashable, so they are the cache keys.
    """
    return pydantic.TypeAdapter(annotation)


def fields_of(model: type[pydantic.BaseModel]) -> dict[str, pydantic.fields.FieldInfo]:
    """`model.model_fields` with every annotation resolved.

    Models build on first use (`defer_build`), and a nested model that was
    only ever validated as part of its parent still holds forward references
    (`"Annotated[CustomerType, ...]"`) until it is built itself.
    """
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return model.model_fields


@functools.lru_cache(maxsize=256)
def field_spellings(model: type[pydantic.BaseModel]) -> dict[str, tuple[str, str]]:
    """Wire name and Python name -> (Python name, wire name), for every field of `model`."""
    spellings: dict[str, tuple[str, str]] = {}
    for name, field in fields_of(model).items():
        pair = (name, field.alias or name)
        spellings[name] = spellings[pair[1]] = pair
    return spellings


def strip_optional(annotation: Any) -> tuple[Any, bool]:
    """`X | None` -> (X, True); anything else -> (itself, False)."""
    if is_union(annotation):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def is_union(annotation: Any) -> bool:
    """Whether `annotation` is `A | B` (either spelling)."""
    return isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union


def is_model(annotation: Any) -> bool:
    """Whether `annotation` is a pydantic model class."""
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def contains_model(annotation: Any) -> bool:
    """Whether a model appears anywhere in `annotation` (`list[Item] | None`, ...)."""
    return is_model(annotation) or any(contains_model(a) for a in typing.get_args(annotation))
