"""Pure retry decisions, shared by the sync and async clients.

The clients' loops only send and sleep; whether to try again, and how long
to wait, is decided here from plain values so it can be tested without I/O.
"""

from __future__ import annotations

import email.utils
import math
import time
from dataclasses import dataclass, field

import httpx

from ._constants import (
    INITIAL_RETRY_DELAY,
    MAX_RETRY_DELAY,
    RETRY_AFTER_CAP,
    RETRY_JITTER,
    RETRY_STATUSES,
)

__all__ = ["RetryPolicy", "backoff_delay", "parse_retry_after", "retry_delay", "should_retry_error"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Timing of retries; the defaults come from `_constants`.

    A client class can override its `retry_policy` attribute (tests do, to
    keep backoff short).
    """

    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    jitter: float = RETRY_JITTER
    retry_after_cap: float = RETRY_AFTER_CAP
    retry_statuses: frozenset[int] = field(default=RETRY_STATUSES)


def should_retry_error(error: httpx.RequestError, *, may_retry: bool) -> bool:
    """Whether a transport failure may be retried.

    Args:
        error: What httpx raised.
        may_retry: The method is idempotent, or the call opted in.

    Returns:
        True for failures before the request left (connect, pool wait) for
        every method: they cannot have reached the server, so even a POST
        is safe to send again. Otherwise True for transport errors when
        `may_retry`, except for errors in our own request.
    """
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(error, httpx.LocalProtocolError | httpx.UnsupportedProtocol):
        return False  # Our request is malformed: it fails the same way again.
    return may_retry and isinstance(error, httpx.TransportError)


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Read the server's requested wait, in seconds.

    Tries `retry-after-ms`, then `Retry-After` as seconds, then as an
    HTTP-date. Past dates give 0.

    Args:
        headers: Response headers.
        now: Current POSIX time (for tests); defaults to `time.time()`.

    Returns:
        Seconds to wait, or None if there is no usable header.
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        seconds = _finite(millis)
        if seconds is not None:
            return max(seconds / 1000.0, 0.0)
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _finite(value)
    if seconds is not None:
        return max(seconds, 0.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; guard odd servers.
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _finite(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def backoff_delay(retries_taken: int, policy: RetryPolicy, rand: float) -> float:
    """Exponential backoff with jitter.

    Args:
        retries_taken: Retries done so far (0 before the first retry).
        policy: Timing settings.
        rand: A number in [0, 1), e.g. `random.random()`.

    Returns:
        `min(initial * 2**retries_taken, max)` scaled by a factor in
        `[1 - jitter, 1]`.
    """
    nominal = min(policy.initial_delay * 2.0 ** min(retries_taken, 32), policy.max_delay)
    return nominal * (1.0 - policy.jitter * rand)


def retry_delay(
    retries_taken: int, retry_after: float | None, policy: RetryPolicy, rand: float
) -> float | None:
    """How long to wait before the next try, or None to give up now.

    A Retry-After within the cap is honoured exactly. One above the cap
    gives up (None): waiting less than the server asked would likely fail
    again, and waiting longer would stall the caller.

    Args:
        retries_taken: Retries done so far.
        retry_after: Parsed Retry-After seconds, or None.
        policy: Timing settings.
        rand: A number in [0, 1).
    """
    if retry_after is not None:
        return retry_after if retry_after <= policy.retry_after_cap else None
    return backoff_delay(retries_taken, policy, rand)
