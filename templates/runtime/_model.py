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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

import pydantic

from ._request import describe_errors
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

    def __init__(self, /, **data: Any) -> None:
        try:
            self.__pydantic_validator__.validate_python(data, self_instance=self, extra="forbid")
        except pydantic.ValidationError as exc:
            raise _invalid(type(self), exc) from None

    # Marks this __init__ as pydantic's own, as pydantic's RootModel does: validating a
    # parent model or a response then builds nested models without calling it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

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
        """Validate `obj` into this model; unknown fields are refused unless `extra="allow"`.

        Raises:
            RequestValidationError: `obj` does not match the model.
        """
        try:
            return super().model_validate(
                obj,
                strict=strict,
                extra=extra or "forbid",
                from_attributes=from_attributes,
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except pydantic.ValidationError as exc:
            raise _invalid(cls, exc) from None

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
        try:
            return super().model_validate_json(
                json_data,
                strict=strict,
                extra=extra or "forbid",
                context=context,
                by_alias=by_alias,
                by_name=by_name,
            )
        except pydantic.ValidationError as exc:
            raise _invalid(cls, exc) from None


def _invalid(model: type[Model], exc: pydantic.ValidationError) -> RequestValidationError:
    return RequestValidationError(f"models.{model.__name__}", describe_errors(exc, model))
