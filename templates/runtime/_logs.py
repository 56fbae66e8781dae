"""The package logger, and keeping credentials out of logs and error text.

Header *names* in `SENSITIVE_HEADERS` (plus the client's own auth header)
are hidden wherever headers are logged. Their *values* (the API key, and the
token of a "Bearer <token>" value) are also cut out of any other text a
server controls: it may echo them in `X-Request-Id`, a message or a reason
phrase, and that text reaches our logs, httpx's and httpcore's DEBUG logs
and exception messages.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from contextvars import ContextVar

from ._constants import LOGGER_NAME, SENSITIVE_HEADERS

__all__ = [
    "CALL_SECRETS",
    "install_secret_filter",
    "logger",
    "redact_headers",
    "scrub",
    "secret_values",
]

logger = logging.getLogger(LOGGER_NAME)

REDACTED = "[redacted]"

# Shorter values are not hunted in text: replacing every "ab" would only garble it.
_MIN_SECRET_CHARS = 4

CALL_SECRETS: ContextVar[tuple[str, ...]] = ContextVar("norce_call_secrets", default=())
"""The credential values of the call in progress, for `install_secret_filter`."""

# Loggers of our dependencies that print server-controlled text: httpx logs
# the reason phrase at INFO, httpcore the raw response headers at DEBUG.
_DEPENDENCY_LOGGERS = ("httpx", "httpcore.http11", "httpcore.http2")


def secret_values(
    headers: Iterable[tuple[str, str]], sensitive: Collection[str] = SENSITIVE_HEADERS
) -> tuple[str, ...]:
    """The credential values among `headers`, longest first.

    Args:
        headers: (name, value) pairs.
        sensitive: Lower-case names whose values are credentials.

    Returns:
        Each sensitive value, and for "<scheme> <token>" the token alone too.
    """
    found: set[str] = set()
    for name, value in headers:
        if name.lower() in sensitive:
            found.add(value.strip())
            found.add(value.partition(" ")[2].strip())
    return tuple(sorted((v for v in found if len(v) >= _MIN_SECRET_CHARS), key=len, reverse=True))


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Return `text` with every secret replaced by "[redacted]"."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_headers(
    headers: Iterable[tuple[str, str]],
    sensitive: Collection[str] = SENSITIVE_HEADERS,
    secrets: Iterable[str] = (),
) -> dict[str, str]:
    """Copy headers for logging, with credential values replaced.

    Args:
        headers: (name, value) pairs, e.g. `httpx.Headers.items()`.
        sensitive: Lower-case names whose values are hidden.
        secrets: Values cut out of every other header (a server's echo).

    Returns:
        A dict safe to log.
    """
    return {
        name: REDACTED if name.lower() in sensitive else scrub(value, secrets)
        for name, value in headers
    }


class _SecretFilter(logging.Filter):
    """Cuts the current call's secrets out of a dependency's log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = CALL_SECRETS.get()
        if secrets:
            message = record.getMessage()
            clean = scrub(message, secrets)
            if clean != message:
                record.msg, record.args = clean, None
        return True


_FILTER = _SecretFilter()


def install_secret_filter() -> None:
    """Attach the filter to httpx's and httpcore's loggers (once; idempotent).

    It acts only on records logged while a call of ours has set
    `CALL_SECRETS`, so other users of httpx in the process see no change.
    """
    for name in _DEPENDENCY_LOGGERS:
        dependency = logging.getLogger(name)
        if _FILTER not in dependency.filters:
            dependency.addFilter(_FILTER)
