"""`Model`, the base class of every generated model: strict when you build it,
tolerant when the API sends it.

- Built by you (`Model(...)`, `model_validate`, `model_validate_json`):
  unknown fields are refused, so a typo such as `given_nam=` fails at once
  with `RequestValidationError`, naming the field in Python and wire spelling.
  A read-only field on a request model gets its own message.
- Read by the client from a 2xx response: unknown fields are kept
  (`model_extra`; a newer Norce build may add some), and a value that breaks
  a rule of the spec is kept with a warning (see `_response.py`).

One class serves both directions (`Address` is sent and read), so the
direction is chosen by how a model is validated, not by its class.

`help(models.Address)` and `inspect.signature(models.Address)` show the
Python field names (`given_name`), keyword-only, as you pass them; pydantic
alone would show the wire names (`givenName`), which also work.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

import pydantic

from ._request import describe_errors, unknown_fields
from .errors import RequestValidationError

__all__ = ["Model"]


class Model(pydantic.BaseModel):
    """Base of every generated model (see the module docstring)."""

    model_config = pydantic.ConfigDict(
        extra="allow",  # what the API sends is kept; building refuses extras (below)
        populate_by_name=True,  # Python names and wire names both work
        defer_build=True,  # validators are built on first use, not at import
        regex_engine="rust-regex",  # linear time; "python-re" can backtrack without bound
    )

    _read_only: ClassVar[Mapping[str, str]] = {}
    """Wire name -> Python name of the schema's read-only properties, which
    this (request) model does not have: the server sets them."""

    _additional_properties: ClassVar[bool] = False
    """The schema declares additionalProperties: members beyond its fields are
    data, not typos, and are accepted when built too."""

    def __init__(self, /, **data: Any) -> None:
        unknown = unknown_fields(data, type(self))
        try:
            self.__pydantic_validator__.validate_python(data, self_instance=self)
        except pydantic.ValidationError as exc:
            raise _invalid(type(self), exc, unknown) from None
        _refuse(type(self), unknown)

    # Marks this __init__ as pydantic's own, as pydantic's RootModel does: validating a
    # parent model or a response then builds nested models without calling it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__signature__ = _PythonSignature()  # type: ignore[assignment]

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Mapping[str, Any] | None = None,
    ) -> bool | None:
        """pydantic's `model_rebuild`, keeping the signature in Python names.

        Building a model (on first use) makes pydantic set a signature of
        wire names; this puts the Python one back.
        """
        rebuilt = super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            # One frame deeper than pydantic expects: this method's own.
            _parent_namespace_depth=_parent_namespace_depth + (_parent_namespace_depth > 0),
            _types_namespace=_types_namespace,
        )
        cls.__signature__ = _PythonSignature()  # type: ignore[assignment]
        return rebuilt

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate `obj` into this model; unknown fields are refused.

        `extra="allow"` (or "ignore") skips that check: unknown fields are then
        kept, as they are on a response.

        Raises:
            RequestValidationError: `obj` does not match the model.
        """
        unknown = unknown_fields(obj, cls) if extra in (None, "forbid") else []
        options = _given(
            strict=strict,
            from_attributes=from_attributes,
            context=context,
            by_alias=by_alias,
            by_name=by_name,
        )
        try:
            model = super().model_validate(obj, **options)
        except pydantic.ValidationError as exc:
            raise _invalid(cls, exc, unknown) from None
        _refuse(cls, unknown)
        return model

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Literal["allow", "ignore", "forbid"] | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Self:
        """Validate a JSON document into this model, as `model_validate` does.

        Raises:
            RequestValidationError: The JSON does not match the model.
        """
        options = _given(strict=strict, context=context, by_alias=by_alias, by_name=by_name)
        try:
            model = super().model_validate_json(json_data, **options)
        except pydantic.ValidationError as exc:
            raise _invalid(cls, exc, []) from None
        if extra in (None, "forbid"):
            _refuse(cls, unknown_fields(model, cls))  # parsed now: checked as built
        return model


class _PythonSignature:
    """A model class's `__signature__`: its fields by Python name, keyword-only.

    Worked out on first use from the class itself (no validator is built),
    with each annotation as the source spells it, `Annotated[...]` unwrapped.
    """

    __slots__ = ("_signature",)

    def __init__(self) -> None:
        self._signature: inspect.Signature | None = None

    def __get__(self, instance: object, owner: type[Model]) -> inspect.Signature:
        if instance is not None:
            # As pydantic's: an instance's signature is that of its __call__, if any.
            raise AttributeError("__signature__")
        if self._signature is None:
            self._signature = _python_signature(owner)
        return self._signature


class _Source(str):
    """An annotation as the source spells it, shown without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _python_signature(model: type[Model]) -> inspect.Signature:
    parameters = []
    for name, field in model.model_fields.items():
        default: Any = inspect.Parameter.empty
        if field.default_factory is not None:
            default = _Source("<factory>")
        elif not field.is_required():
            default = field.default
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=_annotation(model, name, field.annotation),
            )
        )
    if model._additional_properties:  # extra members are data here, not typos
        parameters.append(
            inspect.Parameter(
                "additional", inspect.Parameter.VAR_KEYWORD, annotation=_Source("Any")
            )
        )
    return inspect.Signature(parameters)


def _annotation(model: type[Model], name: str, resolved: Any) -> Any:
    for klass in model.__mro__:
        written = klass.__dict__.get("__annotations__", {}).get(name)
        if written is not None:
            break
    if not isinstance(written, str):  # a subclass without `from __future__ import annotations`
        return resolved
    try:
        node = ast.parse(written, mode="eval").body
    except SyntaxError:
        return _Source(written)
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        return _Source(ast.unparse(node.slice.elts[0]))
    return _Source(written)


def _given(**options: Any) -> dict[str, Any]:
    # Only what the caller set: older pydantic releases lack some of these parameters.
    return {name: value for name, value in options.items() if value is not None}


def _invalid(
    model: type[Model], exc: pydantic.ValidationError, unknown: list[str]
) -> RequestValidationError:
    return RequestValidationError(f"models.{model.__name__}", describe_errors(exc, model) + unknown)


def _refuse(model: type[Model], unknown: list[str]) -> None:
    if unknown:
        raise RequestValidationError(f"models.{model.__name__}", unknown)
