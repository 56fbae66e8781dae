"""Per-call state: after each try, return, retry (after how long) or raise.

A `Call` never sends, reads or sleeps; the sync and async clients' loops do
that, so both share every decision made here, including how the call's
deadline and size limit turn into errors.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Generic, TypeVar

import httpx

from ._bounded import BodyTooLarge, ReadLimitError
from ._constants import MAX_ERROR_BODY_SIZE
from ._logs import logger, redact_headers
from ._request import Request
from ._response import RawResponse
from ._retry import RetryPolicy, backoff_delay, parse_retry_after, retry_delay, should_retry_error
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ResponseTooLargeError,
    make_status_error,
)

__all__ = ["Call"]

T = TypeVar("T")


class Call(Generic[T]):
    """State of one call across its tries; decides, never sends or sleeps."""

    __slots__ = (
        "_started",
        "_longest_wait",
        "_timeouts",
        "deadline",
        "deadline_seconds",
        "http_request",
        "max_response_size",
        "max_retries",
        "may_retry",
        "policy",
        "request",
        "retries_taken",
        "secrets",
        "sensitive",
        "strict_responses",
    )

    def __init__(
        self,
        request: Request[T],
        http_request: httpx.Request,
        policy: RetryPolicy,
        *,
        max_retries: int,
        may_retry: bool,
        sensitive: frozenset[str],
        secrets: tuple[str, ...],
        deadline: float | None,
        longest_wait: float,
        max_response_size: int,
        strict_responses: bool = False,
    ) -> None:
        self.request = request
        self.strict_responses = strict_responses
        self.sensitive = sensitive
        self.secrets = secrets
        self.http_request = http_request
        self.policy = policy
        self.max_retries = max_retries
        self.may_retry = may_retry
        self.max_response_size = max_response_size
        self.deadline_seconds = deadline
        # Absolute, on the monotonic clock: the whole call, every try included.
        self.deadline = None if deadline is None else time.monotonic() + deadline
        self._timeouts: dict[str, float | None] = http_request.extensions.get("timeout", {})
        self._longest_wait = longest_wait
        self.retries_taken = 0
        self._started = 0.0

    def begin(self) -> httpx.Request:
        """Note the start of a try and return the request to send.

        Raises:
            APITimeoutError: The deadline has passed.
        """
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0.0:
                raise self._deadline_error()
            if left < self._longest_wait:
                # No single connect, pool wait, read or write may outlast the call.
                self.http_request.extensions["timeout"] = {
                    name: left if value is None or value > left else value
                    for name, value in self._timeouts.items()
                }
        if logger.isEnabledFor(logging.DEBUG):
            self._started = time.perf_counter()
            logger.debug(
                "request %s %s %s headers=%s",
                self.request.operation_id,
                self.http_request.method,
                self.http_request.url,
                redact_headers(self.http_request.headers.items(), self.sensitive),
            )
        return self.http_request

    def body_limit(self, status: int) -> tuple[int, bool]:
        """Most body bytes to read for a response with `status`, and whether to
        truncate there (an error body, read for its message) instead of raising."""
        if 200 <= status < 300:
            return self.max_response_size, False
        return min(self.max_response_size, MAX_ERROR_BODY_SIZE), True

    def after_error(self, error: httpx.RequestError) -> float:
        """Return the delay before retrying after `error`.

        Raises:
            APITimeoutError: A timeout that will not be retried, or the
                deadline has passed.
            APIConnectionError: Any other transport failure that will not be.
        """
        if self._deadline_passed():
            raise self._deadline_error() from error
        if self.retries_taken < self.max_retries and should_retry_error(
            error, may_retry=self.may_retry
        ):
            delay = backoff_delay(self.retries_taken, self.policy, random.random())
            if self._fits(delay):
                return self._retry(delay, type(error).__name__)
        if isinstance(error, httpx.TimeoutException):
            raise APITimeoutError(self.http_request) from error
        raise APIConnectionError(
            self.http_request, message=f"{type(error).__name__}: {error}"
        ) from error

    def after_limit(self, error: ReadLimitError) -> APIError:
        """The exception for a broken read limit (never retried: it would break again)."""
        if isinstance(error, BodyTooLarge):
            return ResponseTooLargeError(error.response, limit=error.limit)
        return self._deadline_error()

    def after_response(self, response: httpx.Response) -> RawResponse[T] | float:
        """Return the result for a 2xx, or the delay before retrying.

        Raises:
            APIStatusError: A non-2xx status that will not be retried.
        """
        status = response.status_code
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "response %s %s %s -> %d in %.1f ms (retries %d) headers=%s",
                self.request.operation_id,
                self.http_request.method,
                self.http_request.url,
                status,
                (time.perf_counter() - self._started) * 1000.0,
                self.retries_taken,
                redact_headers(response.headers.items(), self.sensitive, self.secrets),
            )
        if 200 <= status < 300:
            return RawResponse(
                response,
                response_type=self.request.response_type,
                operation_id=self.request.operation_id,
                retries_taken=self.retries_taken,
                strict=self.strict_responses,
            )
        if (
            self.may_retry
            and status in self.policy.retry_statuses
            and self.retries_taken < self.max_retries
        ):
            delay = retry_delay(
                self.retries_taken,
                parse_retry_after(response.headers),
                self.policy,
                random.random(),
            )
            if delay is not None and self._fits(delay):
                return self._retry(delay, str(status))
        raise make_status_error(response)

    def _deadline_passed(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _fits(self, delay: float) -> bool:
        # A retry that could not even start before the deadline is not
        # waited for: the caller gets the error in hand now.
        return self.deadline is None or time.monotonic() + delay < self.deadline

    def _deadline_error(self) -> APITimeoutError:
        return APITimeoutError(self.http_request, deadline=self.deadline_seconds)

    def _retry(self, delay: float, reason: str) -> float:
        self.retries_taken += 1
        logger.info(
            "retrying %s %s after %s in %.2f s (retry %d of %d)",
            self.http_request.method,
            self.http_request.url,
            reason,
            delay,
            self.retries_taken,
            self.max_retries,
        )
        return delay
