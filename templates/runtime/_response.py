"""Turn a 2xx `httpx.Response` into the documented Python type."""

from __future__ import annotations

import functools
from typing import Any, Generic, TypeVar, cast

import httpx
import pydantic

from .errors import APIResponseValidationError

__all__ = ["RawResponse", "parse_response"]

T = TypeVar("T")

_NOT_PARSED: Any = object()


@functools.lru_cache(maxsize=512)
def _adapter(response_type: Any) -> pydantic.TypeAdapter[Any]:
    # Building a TypeAdapter compiles a validator (hundreds of microseconds);
    # cached, a call only pays for validation. Response types are types or
    # hashable generic aliases such as list[Order], so they are cache keys.
    return pydantic.TypeAdapter(response_type)


def parse_response(response: httpx.Response, response_type: Any, operation_id: str) -> Any:
    """Validate a successful response body into `response_type`.

    Args:
        response: A 2xx response whose body has been read.
        response_type: A model class, a generic alias like `list[Order]`,
            `str`, `dict[str, Any]`, or None when no body is expected.
        operation_id: For error messages.

    Returns:
        The parsed value; None when `response_type` is None. For `str`, a
        body that is not a JSON string is returned as its text.

    Raises:
        APIResponseValidationError: The body is not JSON or does not match.
    """
    if response_type is None:
        return None
    adapter = _adapter(response_type)
    try:
        return adapter.validate_json(response.content)
    except pydantic.ValidationError as exc:
        if response_type is str:
            # Some endpoints document a JSON string but send the bare id.
            return response.text
        detail = f"{exc.error_count()} error(s): " + "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
            for err in exc.errors(include_url=False, include_input=False)[:5]
        )
        raise APIResponseValidationError(
            response, operation_id=operation_id, detail=detail
        ) from exc


class RawResponse(Generic[T]):
    """A successful response together with its lazily parsed body.

    Returned by the `_send_raw` path: read headers or the status, then call
    `parse()` for the same value the plain call returns.

    Attributes:
        http_response: The underlying `httpx.Response`.
        retries_taken: How many retries happened before this response.
    """

    __slots__ = ("_operation_id", "_parsed", "_response_type", "http_response", "retries_taken")

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        response_type: Any,
        operation_id: str,
        retries_taken: int = 0,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._response_type = response_type
        self._operation_id = operation_id
        self._parsed: Any = _NOT_PARSED

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.http_response.headers

    def parse(self) -> T:
        """Validate the body into the documented type; cached after the first call.

        Raises:
            APIResponseValidationError: The body does not match.
        """
        if self._parsed is _NOT_PARSED:
            self._parsed = parse_response(
                self.http_response, self._response_type, self._operation_id
            )
        return cast(T, self._parsed)

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] {self._operation_id}>"
