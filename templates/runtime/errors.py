"""Exceptions raised by the client.

```
NorceError
├── APIError
│   ├── APIStatusError
│   │   ├── BadRequestError            400
│   │   ├── AuthenticationError        401
│   │   ├── PermissionDeniedError      403
│   │   ├── NotFoundError              404
│   │   ├── ConflictError              409
│   │   ├── UnprocessableEntityError   422
│   │   ├── RateLimitError             429
│   │   ├── ClientError                any other 4xx
│   │   └── InternalServerError        5xx
│   ├── APIConnectionError
│   │   └── APITimeoutError            also when the call's deadline passes
│   ├── APIResponseValidationError
│   └── ResponseTooLargeError          body over max_response_size
├── RequestValidationError (also a ValueError)
├── ConfigurationError (also a ValueError)
└── ClientClosedError (also a RuntimeError)
```

Nothing else escapes a call: whatever a server sends (any body, encoding,
pace or size) ends as one of these.

No message built here contains a credential: request headers are never
formatted, and a credential a server echoes back (in a header, message or
reason phrase) is cut out of every text taken from the response (see
`_logs.scrub`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from ._constants import (
    MAX_ERROR_MESSAGE_CHARS,
    REQUEST_ID_HEADERS,
    RETRY_AFTER_CAP,
    SECRETS_EXTENSION,
)
from ._logs import scrub, secret_values
from ._retry import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ClientError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NorceError",
    "NotFoundError",
    "PermissionDeniedError",
    "Problem",
    "RateLimitError",
    "RequestValidationError",
    "ResponseTooLargeError",
    "UnprocessableEntityError",
    "make_status_error",
]


class NorceError(Exception):
    """Base of every exception this package raises."""


class RequestValidationError(NorceError, ValueError):
    """Raised before any network call when the arguments cannot be sent.

    Causes: a body that fails its model (wrong type, missing required field,
    an unknown enum value); a path, query or header value of the wrong type
    or not among its enum's values; an empty value for a required header; a
    path parameter that is empty, "." or ".."; an unknown key or a bad value
    in `options`.

    Attributes:
        operation_id: The operation being built.
        errors: One "location: problem" line per failure.
    """

    def __init__(self, operation_id: str, errors: list[str]) -> None:
        self.operation_id = operation_id
        self.errors = tuple(errors)
        super().__init__(f"Invalid request for {operation_id}: " + "; ".join(errors))


class ConfigurationError(NorceError, ValueError):
    """Raised when a client is created with settings it cannot use: a bad
    `base_url`, environment or slug, an empty API key or required header, a
    negative retry count, a timeout, deadline or size limit that is not a
    positive number, a header value that cannot be sent, an `http_client` or
    `event_hooks` of the wrong kind. Also a `ValueError`, so `except
    ValueError` keeps working.
    """


class ClientClosedError(NorceError, RuntimeError):
    """Raised by a call on a client that was closed (`close()`, `aclose()` or the end of its
    `with` block), or whose own `http_client` was closed. Create a new client instead. Also a
    `RuntimeError`, which httpx raises in the same case.
    """


class APIError(NorceError):
    """Base of errors that happen while talking to the API.

    Attributes:
        message: Human-readable text, also `str(error)`.
        request: The request that was sent (None if it could not be built).
    """

    def __init__(self, message: str, *, request: httpx.Request | None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """Raised when no complete response arrived: refused or reset connection,
    DNS failure, a socket closed mid-body, or a protocol error."""

    def __init__(self, request: httpx.Request, *, message: str | None = None) -> None:
        # httpx's text may quote what the server sent.
        text = _scrub(message, request) if message else "Connection error"
        super().__init__(f"{text}: {request.method} {request.url}", request=request)


class APITimeoutError(APIConnectionError):
    """Raised when connecting, sending, reading or waiting for a pooled
    connection took longer than the configured timeout, or when the call as
    a whole (tries, waits and reading the body) passed its deadline.

    Attributes:
        deadline: The call's deadline in seconds when that is what passed,
            else None (a single read or connect timed out).
    """

    def __init__(self, request: httpx.Request, *, deadline: float | None = None) -> None:
        self.deadline = deadline
        text = "Request timed out" if deadline is None else f"Deadline of {deadline:g} s exceeded"
        super().__init__(request, message=text)


class APIResponseValidationError(APIError):
    """Raised when a 2xx response body is not valid JSON or does not match
    the documented model.

    Attributes:
        response: The response.
        status_code: Its status.
        body: The raw body text, for diagnosis.
        operation_id: The operation that was called.
    """

    def __init__(self, response: httpx.Response, *, operation_id: str, detail: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = response.text
        self.operation_id = operation_id
        super().__init__(
            f"Unexpected response body for {operation_id} "
            f"({response.status_code} {response.request.method} {response.request.url}): "
            + _scrub(detail, response.request),
            request=response.request,
        )


class ResponseTooLargeError(APIError):
    """Raised when a 2xx body is larger than the client's `max_response_size`
    (counted after decompression), or declares so in Content-Length. Reading
    stops at the limit; the body is not kept.

    Attributes:
        response: The response (status and headers; no body).
        status_code: Its status.
        limit: The limit in bytes.
    """

    def __init__(self, response: httpx.Response, *, limit: int) -> None:
        self.response = response
        self.status_code = response.status_code
        self.limit = limit
        request = response.request
        super().__init__(
            f"Response body over the {limit} byte limit (max_response_size): "
            f"{response.status_code} {request.method} {request.url}",
            request=request,
        )


@dataclass(frozen=True, slots=True)
class Problem:
    """RFC 9457 problem details, from an `application/problem+json` body."""

    type: str | None
    title: str | None
    status: int | None
    detail: str | None
    instance: str | None


class APIStatusError(APIError):
    """Raised for a response with a non-2xx status (a more specific subclass
    when there is one).

    Attributes:
        response: The response.
        status_code: Its status.
        method: The request method.
        url: The request URL.
        body: The body parsed as JSON, or None if it was empty or not JSON.
        code: Norce's error code (BaseError.code), e.g. "order-not-found".
        message: Norce's message, else the problem detail or title, else the
            reason phrase.
        problem: The problem details when the body is `application/problem+json`.
        request_id: The server's request id from the response headers.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.method = response.request.method
        self.url = str(response.request.url)
        self.body = _parse_json(response)
        self.problem = _parse_problem(response, self.body)
        fields = self.body if isinstance(self.body, dict) else {}
        self.code = _str_or_none(fields.get("code"))
        request_id = _request_id(response, fields)
        self.request_id = request_id and _scrub(request_id, response.request)
        message = (
            _str_or_none(fields.get("message"))
            or (self.problem and (self.problem.detail or self.problem.title))
            or response.reason_phrase
            or "HTTP error"
        )
        message = _scrub(message, response.request)[:MAX_ERROR_MESSAGE_CHARS]
        text = f"{self.status_code} {self.method} {self.url}"
        if self.code:
            text += f" [{_scrub(self.code, response.request)[:100]}]"
        text += f": {message}"
        if self.request_id:
            text += f" (request id {self.request_id[:100]})"
        super().__init__(text, request=response.request)
        # Keep the attribute the short server message, not the whole line.
        self.message = message


class BadRequestError(APIStatusError):
    """Raised for 400 Bad Request."""


class AuthenticationError(APIStatusError):
    """Raised for 401 Unauthorized: the API key is missing, wrong, or sent
    without the scheme Norce expects (`Authorization: Bearer <token>`)."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response)
        # Say how the key went out (never the key itself), the usual cause of a 401.
        sent = response.request.headers.get("authorization", "")
        if not sent:
            hint = "no Authorization header was sent"
        elif sent.lower().startswith("bearer "):
            hint = "the key was sent as 'Authorization: Bearer <token>'; check the token"
        else:
            hint = "the key was not sent in the form Norce expects: 'Authorization: Bearer <token>'"
        self.args = (f"{self.args[0]} ({hint})",)


class PermissionDeniedError(APIStatusError):
    """Raised for 403 Forbidden."""


class NotFoundError(APIStatusError):
    """Raised for 404 Not Found (e.g. code "order-not-found")."""


class ConflictError(APIStatusError):
    """Raised for 409 Conflict, e.g. a state transition that is not allowed."""


class UnprocessableEntityError(APIStatusError):
    """Raised for 422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """Raised for 429 Too Many Requests once retries are used up, when the
    call may not be retried, or when the server's Retry-After exceeds the cap
    (`RETRY_AFTER_CAP`), which is not waited for.

    Attributes:
        retry_after: Seconds the server asked to wait (`Retry-After` or
            `retry-after-ms`), or None when it did not say.
    """

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response)
        self.retry_after = parse_retry_after(response.headers)
        if self.retry_after is None:
            return
        hint = f"the server asks to retry after {self.retry_after:g} s"
        if self.retry_after > RETRY_AFTER_CAP:
            hint += f", longer than the client waits ({RETRY_AFTER_CAP:g} s): not retried"
        self.args = (f"{self.args[0]} ({hint})",)


class ClientError(APIStatusError):
    """Raised for a 4xx status without a class of its own."""


class InternalServerError(APIStatusError):
    """Raised for any 5xx status."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def make_status_error(response: httpx.Response) -> APIStatusError:
    """Build the exception for a non-2xx response.

    Never raises itself, whatever the body holds (empty, HTML, truncated).

    Args:
        response: A response whose body has been read.

    Returns:
        An instance of the most specific `APIStatusError` subclass.
    """
    status = response.status_code
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        if status >= 500:
            cls = InternalServerError
        elif status >= 400:
            cls = ClientError
        else:
            cls = APIStatusError
    return cls(response)


def _parse_json(response: httpx.Response) -> Any:
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        # Invalid JSON or UTF-8, an integer of more than 4300 digits, or
        # nesting deeper than the interpreter's stack: no usable body.
        return None


def _parse_problem(response: httpx.Response, body: Any) -> Problem | None:
    content_type = response.headers.get("content-type", "")
    if "problem+json" not in content_type or not isinstance(body, dict):
        return None
    status = body.get("status")
    return Problem(
        type=_str_or_none(body.get("type")),
        title=_str_or_none(body.get("title")),
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        detail=_str_or_none(body.get("detail")),
        instance=_str_or_none(body.get("instance")),
    )


def _request_id(response: httpx.Response, fields: dict[str, Any]) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(name)
        if value:
            return value
    # ASP.NET problem details carry the id in the body instead.
    return _str_or_none(fields.get("traceId"))


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _scrub(text: str, request: httpx.Request) -> str:
    # A server (or proxy) may echo request headers into any text it sends.
    # The client puts the call's secrets (its auth header may have any name)
    # on the request; a request built elsewhere falls back to the usual names.
    secrets = request.extensions.get(SECRETS_EXTENSION)
    if secrets is None:
        secrets = secret_values(request.headers.items())
    return scrub(text, secrets)
