"""The package logger and header redaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ._constants import LOGGER_NAME, SENSITIVE_HEADERS

__all__ = ["logger", "redact_headers"]

logger = logging.getLogger(LOGGER_NAME)


def redact_headers(
    headers: Iterable[tuple[str, str]], sensitive: frozenset[str] = SENSITIVE_HEADERS
) -> dict[str, str]:
    """Copy headers for logging, with credential values replaced.

    Args:
        headers: (name, value) pairs, e.g. `httpx.Headers.items()`.
        sensitive: Lower-case names whose values are hidden.

    Returns:
        A dict safe to log: sensitive values become "[redacted]".
    """
    return {name: "[redacted]" if name.lower() in sensitive else value for name, value in headers}
