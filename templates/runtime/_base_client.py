"""The sync and async HTTP clients that generated operations call.

`_BaseClient` holds everything that does no I/O: configuration and turning
a `Request` into an `httpx.Request` plus a `Call` (`_call.py`), which
decides after each try whether to return, retry (and after how long) or
raise. `SyncAPIClient` and `AsyncAPIClient` add only the loop that sends,
reads the body within its limits (`_bounded.py`) and sleeps, so the twins
cannot drift apart. They enforce the call's deadline each with what its
world offers: the sync client clamps every socket operation to it, the
async one cancels the try (`asyncio.timeout`).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Collection, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

import httpx

from ._bounded import (
    ACCEPT_ENCODING,
    DEADLINE,
    DeadlineExceeded,
    ReadLimitError,
    aread_body,
    read_body,
    trace,
)
from ._call import Call
from ._config import check_options, limit_problem, timeout_problem
from ._constants import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    SECRETS_EXTENSION,
    SENSITIVE_HEADERS,
)
from ._lazy import LazyModule
from ._logs import CALL_SECRETS, install_secret_filter, secret_values
from ._params import check_params
from ._request import Request, build_query, build_url, encode_body
from ._response import RawResponse, raw_response_requested
from ._retry import RetryPolicy
from ._types import NOT_GIVEN, NotGiven, RequestOptions
from .errors import ClientClosedError, ConfigurationError, RequestValidationError

if TYPE_CHECKING:
    import asyncio
else:
    asyncio = LazyModule("asyncio")  # a sync-only program never pays for importing asyncio

__all__ = ["AsyncAPIClient", "SyncAPIClient"]

T = TypeVar("T")
HttpxClientT = TypeVar("HttpxClientT", httpx.Client, httpx.AsyncClient)

EventHooks = Mapping[str, list[Callable[..., Any]]]

_NO_OPTIONS: RequestOptions = {}


class _BaseClient(Generic[HttpxClientT]):
    """Configuration and request building shared by both clients."""

    retry_policy: ClassVar[RetryPolicy] = RetryPolicy()
    """Backoff timing; override on a subclass to change it."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        auth_header: str,
        default_headers: Mapping[str, str | None],
        timeout: float | httpx.Timeout | None | NotGiven,
        max_retries: int,
        strict_responses: bool,
        deadline: float | None,
        max_response_size: int,
        http_client: HttpxClientT,
        owns_http_client: bool,
    ) -> None:
        try:
            url = httpx.URL(base_url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise ConfigurationError(f"base_url is not a URL: {exc}") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        if url.userinfo:
            # httpx would turn it into Basic auth, replacing the API key.
            raise ConfigurationError("base_url must not contain a user name or password")
        if not api_key or not isinstance(api_key, str):
            raise ConfigurationError("api_key must be a non-empty string")
        problem = limit_problem(max_retries, deadline, max_response_size)
        if problem:
            raise ConfigurationError(problem)
        if not isinstance(strict_responses, bool):
            raise ConfigurationError(
                f"strict_responses must be True or False, got {strict_responses!r}"
            )
        self._base_url = str(url).rstrip("/")
        self.max_retries = max_retries
        self._strict_responses = strict_responses
        self.deadline = deadline
        self.max_response_size = max_response_size
        # `api_key` is the whole header value (the generated client adds the
        # scheme). Names are lower-case so a call's "X-Merchant" replaces a
        # default "x-merchant".
        headers: dict[str, str | None] = {
            "accept": "application/json",
            # Only what `_bounded` decodes (httpx may offer br/zstd too).
            "accept-encoding": ACCEPT_ENCODING,
        }
        headers.update((name.lower(), value) for name, value in default_headers.items())
        headers[auth_header.lower()] = api_key
        # The key's header is hidden in logs even when the spec names it something unusual.
        self._sensitive = SENSITIVE_HEADERS | {auth_header.lower()}
        for name, value in headers.items():
            if value is not None and _bad_header(value):
                # The value is left out of the message: it may be the key.
                raise ConfigurationError(f"header {name!r} must be printable ASCII text")
        static = {name: value for name, value in headers.items() if value is not None}
        # Cut out of error text and logs wherever a server echoes them.
        self._secrets = secret_values(static.items(), self._sensitive)
        install_secret_filter()
        dropped = frozenset(name for name, value in headers.items() if value is None)
        if owns_http_client:
            # Set once on our own client, the defaults cost nothing per call
            # (httpx merges its client headers into every request anyway).
            http_client.headers.update(static)
            for name in dropped:
                http_client.headers.pop(name, None)
            static, dropped = {}, frozenset()
        # What each call still merges itself: everything, for a caller's
        # client, whose headers are not ours to change.
        self._headers: dict[str, str] = static
        self._dropped: frozenset[str] = dropped
        # Only a caller's own client gets a per-request timeout by default;
        # the client we build already has the configured one.
        self._timeout = timeout if not owns_http_client else NOT_GIVEN
        # Longest single wait the timeouts allow: a call whose deadline is
        # further away needs none of them shortened (the common case).
        self._longest_wait = _longest_wait(
            http_client.timeout if isinstance(self._timeout, NotGiven) else self._timeout
        )
        self._client: HttpxClientT = http_client
        self._owns_http_client = owns_http_client
        self._closed = False

    @property
    def base_url(self) -> str:
        """The API base URL, without a trailing slash."""
        return self._base_url

    def __repr__(self) -> str:
        # Shows no header: the API key lives there.
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    def _start(self, request: Request[T], options: RequestOptions | None) -> Call[T]:
        """Build the httpx request and the retry state for one call.

        Raises:
            RequestValidationError: The arguments or options cannot be sent.
            ClientClosedError: The client (or its `http_client`) was closed.
        """
        if self._closed or self._client.is_closed:
            raise ClientClosedError(
                f"{type(self).__name__} is closed; create a new one (a `with` block closes it "
                "when it ends)"
            )
        if options is None:
            options = _NO_OPTIONS
        else:
            check_options(options, request.operation_id)
        if request.checks:
            check_params(request)
        changes = [
            (name.lower(), value)
            for name, value in request.headers.items()
            if not isinstance(value, NotGiven)
        ]
        extra = options.get("extra_headers")
        if extra:
            changes.extend((name.lower(), value) for name, value in extra.items())
        content = None
        if not isinstance(request.body, NotGiven):
            content = encode_body(request.body, request.operation_id, request.body_type)
            changes.append(("content-type", "application/json"))
        headers, dropped = self._merge_headers(changes, request.operation_id)
        timeout = options.get("timeout", self._timeout)
        longest_wait = self._longest_wait if "timeout" not in options else _longest_wait(timeout)
        max_retries = options.get("max_retries", self.max_retries)
        deadline = options.get("deadline", self.deadline)
        max_response_size = options.get("max_response_size", self.max_response_size)
        http_request = self._client.build_request(
            request.method,
            build_url(self._base_url, request),
            params=(build_query(request.query) or None) if request.query else None,
            headers=headers,
            content=content,
            timeout=httpx.USE_CLIENT_DEFAULT if isinstance(timeout, NotGiven) else timeout,
        )
        # None means "not even the httpx client's own default".
        for name in dropped:
            if name in http_request.headers:
                del http_request.headers[name]
        secrets = self._secrets
        if changes and not self._sensitive.isdisjoint(name for name, _ in changes):
            # This call sends its own credentials: those are the ones to hide.
            secrets = secret_values(http_request.headers.items(), self._sensitive)
        # Set here, not via build_request(extensions=): httpx < 0.23 lacks that argument.
        http_request.extensions[SECRETS_EXTENSION] = secrets
        return Call(
            request,
            http_request,
            self.retry_policy,
            max_retries=max_retries,
            may_retry=request.idempotent or options.get("retry_non_idempotent", False),
            sensitive=self._sensitive,
            strict_responses=self._strict_responses,
            secrets=secrets,
            deadline=deadline,
            longest_wait=longest_wait,
            max_response_size=max_response_size,
        )

    def _merge_headers(
        self, changes: list[tuple[str, str | None]], operation_id: str
    ) -> tuple[dict[str, str], Collection[str]]:
        """Apply a call's header changes to the defaults.

        Returns:
            The headers to send, and the names to strip from whatever the
            httpx client adds itself.

        Raises:
            RequestValidationError: A value that cannot go into a header.
        """
        if not changes:
            # Shared, not copied: httpx copies them into its own Headers.
            return self._headers, self._dropped
        headers = dict(self._headers)
        dropped = set(self._dropped)
        for name, value in changes:
            if value is None:
                headers.pop(name, None)
                dropped.add(name)
            elif _bad_header(value):
                # Caught here, a CR/LF or non-ASCII value is a clear error
                # instead of a UnicodeEncodeError or a pointless retry.
                raise RequestValidationError(
                    operation_id, [f"header {name}: must be printable ASCII text"]
                )
            else:
                headers[name] = value
                dropped.discard(name)
        return headers, dropped


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Blocking client; generated `OrderClient` subclasses it.

    Args:
        base_url: API root, e.g. "https://slug.api-se.norce.tech/checkout/order".
        api_key: The whole value of `auth_header` (e.g. "Bearer <token>").
        auth_header: The header the spec's apiKey scheme names.
        default_headers: Sent with every call; a None value drops the header.
        timeout: Seconds or `httpx.Timeout` for each connect, read, write
            and pool wait; None disables them. If not given:
            `DEFAULT_TIMEOUT`, or the timeout of `http_client`.
        max_retries: Retries per call for retryable failures.
        strict_responses: Raise on a 2xx body that breaks any rule of the
            spec instead of keeping the value with a warning.
        deadline: Seconds a whole call may take, tries, waits between them
            and reading the body included (`DEFAULT_DEADLINE`); past it the
            call raises `APITimeoutError`. None: no limit beyond `timeout`.
        max_response_size: Most bytes a 2xx body may have, counted after
            decompression (`DEFAULT_MAX_RESPONSE_SIZE`); a larger one raises
            `ResponseTooLargeError` without being read further.
        http_client: Your own `httpx.Client` (proxies, TLS, transports). It
            is NOT closed by `close()`: whoever created it closes it. The
            deadline bounds a server that sends slowly only on connections
            our calls opened (the body is checked between chunks always).
        event_hooks: httpx event hooks, e.g. `{"request": [fn]}`, added to
            the client (appended to `http_client`'s own hooks if given).

    Raises:
        ConfigurationError: A setting the client cannot use.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        default_headers: Mapping[str, str | None],
        auth_header: str = "Authorization",
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict_responses: bool = False,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        http_client: httpx.Client | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        _check_settings(timeout, http_client, httpx.Client)
        hooks = _check_hooks(event_hooks)
        owns = http_client is None
        if http_client is None:
            http_client = httpx.Client(timeout=_client_timeout(timeout), event_hooks=hooks)
        elif hooks:
            http_client.event_hooks = _merge_hooks(http_client.event_hooks, hooks)
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            auth_header=auth_header,
            default_headers=default_headers,
            timeout=timeout,
            max_retries=max_retries,
            strict_responses=strict_responses,
            deadline=deadline,
            max_response_size=max_response_size,
            http_client=http_client,
            owns_http_client=owns,
        )

    def _send(self, request: Request[T], options: RequestOptions | None = None) -> T:
        """Send a call and return its parsed 2xx body (see `_send_raw`).

        Inside a `with_raw_response` call it returns the `RawResponse` itself.
        """
        if raw_response_requested():
            return cast(T, self._send_raw(request, options))
        return self._send_raw(request, options).parse()

    def _send_raw(
        self, request: Request[T], options: RequestOptions | None = None
    ) -> RawResponse[T]:
        """Send a call, retrying as configured, and return the raw 2xx response.

        Raises:
            RequestValidationError: Before sending, for invalid arguments.
            APIStatusError: For a non-2xx status (after any retries).
            APIConnectionError: For transport failures (after any retries).
            APITimeoutError: A timeout, or the call's deadline passed.
            ResponseTooLargeError: The body is over `max_response_size`.
        """
        call = self._start(request, options)
        # Read by the sockets `_bounded.trace` guards, and by the log filter.
        deadline_token = DEADLINE.set(call.deadline)
        secrets_token = CALL_SECRETS.set(call.secrets)
        try:
            while True:  # Bounded: each pass either returns, raises or uses a retry.
                try:
                    http_request = call.begin()
                    # Guards a connection this try opens: its deadline then clamps every read.
                    http_request.extensions["trace"] = trace
                    response = self._client.send(http_request, stream=True)
                    limit, truncate = call.body_limit(response.status_code)
                    read_body(response, limit, call.deadline, truncate=truncate)
                except httpx.RequestError as error:
                    time.sleep(call.after_error(error))
                    continue
                except ReadLimitError as error:
                    raise call.after_limit(error) from None
                outcome = call.after_response(response)
                if isinstance(outcome, RawResponse):
                    return outcome
                time.sleep(outcome)
        finally:
            DEADLINE.reset(deadline_token)
            CALL_SECRETS.reset(secrets_token)

    def close(self) -> None:
        """Close the connection pool, unless it belongs to a caller's `http_client`.

        Calls made after it raise `ClientClosedError`.
        """
        self._closed = True
        if self._owns_http_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """Async twin of `SyncAPIClient` (same arguments, `httpx.AsyncClient`).

    Event hooks must be async functions. A caller's `http_client` is NOT
    closed by `aclose()`.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        default_headers: Mapping[str, str | None],
        auth_header: str = "Authorization",
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict_responses: bool = False,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        http_client: httpx.AsyncClient | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        _check_settings(timeout, http_client, httpx.AsyncClient)
        hooks = _check_hooks(event_hooks)
        owns = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(timeout=_client_timeout(timeout), event_hooks=hooks)
        elif hooks:
            http_client.event_hooks = _merge_hooks(http_client.event_hooks, hooks)
        super().__init__(
            base_url=base_url,
            api_key=api_key,
            auth_header=auth_header,
            default_headers=default_headers,
            timeout=timeout,
            max_retries=max_retries,
            strict_responses=strict_responses,
            deadline=deadline,
            max_response_size=max_response_size,
            http_client=http_client,
            owns_http_client=owns,
        )

    async def _send(self, request: Request[T], options: RequestOptions | None = None) -> T:
        """Send a call and return its parsed 2xx body (see `_send_raw`).

        Inside a `with_raw_response` call it returns the `RawResponse` itself.
        """
        if raw_response_requested():
            return cast(T, await self._send_raw(request, options))
        return (await self._send_raw(request, options)).parse()

    async def _send_raw(
        self, request: Request[T], options: RequestOptions | None = None
    ) -> RawResponse[T]:
        """Async twin of `SyncAPIClient._send_raw`."""
        call = self._start(request, options)
        secrets_token = CALL_SECRETS.set(call.secrets)
        try:
            while True:  # Bounded: each pass either returns, raises or uses a retry.
                # Cancels the try wherever it waits: connect, headers or body.
                scope = asyncio.timeout(
                    None if call.deadline is None else call.deadline - time.monotonic()
                )
                try:
                    async with scope:
                        response = await self._client.send(call.begin(), stream=True)
                        limit, truncate = call.body_limit(response.status_code)
                        await aread_body(response, limit, call.deadline, truncate=truncate)
                except httpx.RequestError as error:
                    await asyncio.sleep(call.after_error(error))
                    continue
                except ReadLimitError as error:
                    raise call.after_limit(error) from None
                except TimeoutError:
                    if not scope.expired():
                        raise
                    raise call.after_limit(DeadlineExceeded()) from None
                outcome = call.after_response(response)
                if isinstance(outcome, RawResponse):
                    return outcome
                await asyncio.sleep(outcome)
        finally:
            CALL_SECRETS.reset(secrets_token)

    async def aclose(self) -> None:
        """Close the connection pool, unless it belongs to a caller's `http_client`.

        Calls made after it raise `ClientClosedError`.
        """
        self._closed = True
        if self._owns_http_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def _bad_header(value: object) -> bool:
    return not isinstance(value, str) or _HEADER_VALUE.fullmatch(value) is None


def _longest_wait(timeout: float | httpx.Timeout | None | NotGiven) -> float:
    """The longest connect, read, write or pool wait `timeout` allows (inf: unbounded)."""
    if isinstance(timeout, NotGiven):
        timeout = DEFAULT_TIMEOUT
    waits = httpx.Timeout(timeout).as_dict().values()
    return max(math.inf if wait is None else wait for wait in waits)


def _client_timeout(
    timeout: float | httpx.Timeout | None | NotGiven,
) -> float | httpx.Timeout | None:
    return DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout


def _check_settings(
    timeout: object, http_client: object, kind: type[httpx.Client] | type[httpx.AsyncClient]
) -> None:
    """Refuse, when the client is made, a timeout or http_client every call would fail with."""
    problem = timeout_problem(timeout)
    if problem:
        raise ConfigurationError(problem)
    if http_client is not None and not isinstance(http_client, kind):
        raise ConfigurationError(
            f"http_client must be an {kind.__module__}.{kind.__name__}, "
            f"got {type(http_client).__name__}"
        )


def _check_hooks(event_hooks: object) -> dict[str, list[Callable[..., Any]]]:
    shape = "event_hooks must be a dict like {'request': [fn], 'response': [fn]}"
    if event_hooks is None:
        return {}
    if not isinstance(event_hooks, Mapping):
        raise ConfigurationError(f"{shape}, got {type(event_hooks).__name__}")
    unknown = set(event_hooks) - {"request", "response"}
    if unknown:
        raise ConfigurationError(
            f"event_hooks keys must be 'request' or 'response', got {sorted(map(str, unknown))}"
        )
    hooks: dict[str, list[Callable[..., Any]]] = {}
    for name, fns in event_hooks.items():
        if not isinstance(fns, list | tuple) or not all(callable(fn) for fn in fns):
            raise ConfigurationError(f"{shape}: event_hooks[{name!r}] is not a list of functions")
        hooks[name] = list(fns)
    return hooks


def _merge_hooks(
    existing: Mapping[str, list[Callable[..., Any]]], added: Mapping[str, list[Callable[..., Any]]]
) -> dict[str, list[Callable[..., Any]]]:
    return {
        name: [*existing.get(name, []), *added.get(name, [])] for name in ("request", "response")
    }
