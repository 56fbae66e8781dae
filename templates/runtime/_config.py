"""Client settings from arguments or environment variables, the Authorization value, and the
checks every setting and per-call option passes before it is used.

An argument the caller passes always wins; one left as None falls back to
its environment variable (the generated client names them, e.g.
`NORCE_CHECKOUT_API_KEY`). An empty variable counts as unset; an empty
argument for a required setting is an error.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

from ._lazy import LazyModule
from ._types import NotGiven, RequestOptions
from .errors import ConfigurationError, RequestValidationError

if TYPE_CHECKING:
    import difflib
else:
    difflib = LazyModule("difflib")  # only a mistyped option needs it

__all__ = [
    "authorization",
    "check_options",
    "limit_problem",
    "required_setting",
    "setting",
    "timeout_problem",
]

_OPTION_KEYS = tuple(RequestOptions.__annotations__)
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")

# "<scheme> <credentials>" (RFC 9110 section 11.4): a value the caller already gave a scheme.
_HAS_SCHEME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+ +\S")


def setting(value: str | None, variable: str) -> str | None:
    """`value` if given, else the environment variable `variable` (None when unset or empty)."""
    if value is not None:
        return value
    return os.environ.get(variable) or None


def required_setting(value: str | None, argument: str, variable: str) -> str:
    """Like `setting`, but a missing or empty value is an error naming both ways to give it.

    Raises:
        ConfigurationError: Neither the argument nor the variable is set, or the argument is
            empty.
    """
    found = setting(value, variable)
    if found is None:
        raise ConfigurationError(f"{argument} is required: pass {argument}=... or set {variable}")
    if isinstance(found, str) and not found.strip():
        raise ConfigurationError(f"{argument} must be a non-empty string")
    return found


def authorization(api_key: str, scheme: str) -> str:
    """The Authorization header value for `api_key`.

    `"t0k"` becomes `"Bearer t0k"` for scheme "Bearer"; a value that already
    carries a scheme (`"Bearer t0k"`, `"Basic ..."`) is sent unchanged, and
    an empty scheme sends the key as it is.

    Raises:
        ConfigurationError: `api_key` is empty or blank.
    """
    if not isinstance(api_key, str) or not api_key.strip():
        # "Bearer " alone would go out as a credential; refuse it here.
        raise ConfigurationError("api_key must be a non-empty string")
    if not scheme or _HAS_SCHEME.match(api_key):
        return api_key
    return f"{scheme} {api_key}"


def timeout_problem(timeout: object) -> str | None:
    """What is wrong with a `timeout` setting, or None.

    Seconds (a positive, finite number), an `httpx.Timeout` whose parts are such numbers or
    None, or None for no timeout.
    """
    if timeout is None or isinstance(timeout, NotGiven):
        return None
    parts = timeout.as_dict().values() if isinstance(timeout, httpx.Timeout) else (timeout,)
    if all(part is None or _positive(part) for part in parts):
        return None
    return (
        f"timeout must be a positive number of seconds, an httpx.Timeout or None, got {timeout!r}"
    )


def limit_problem(max_retries: object, deadline: object, max_response_size: object) -> str | None:
    """What is wrong with these settings, or None."""
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        return f"max_retries must be an integer >= 0, got {max_retries!r}"
    if deadline is not None and not _positive(deadline):
        return f"deadline must be a positive number of seconds or None, got {deadline!r}"
    if (
        not isinstance(max_response_size, int)
        or isinstance(max_response_size, bool)
        or max_response_size <= 0
    ):
        return f"max_response_size must be a positive number of bytes, got {max_response_size!r}"
    return None


def check_options(options: object, operation_id: str) -> None:
    """Refuse `options` a call cannot use: not a dict, an unknown (mistyped) key, a bad value.

    Raises:
        RequestValidationError: One "options: ..." line per problem.
    """
    if not isinstance(options, Mapping):
        raise RequestValidationError(
            operation_id,
            [f"options: expected a dict (RequestOptions), got {type(options).__name__}"],
        )
    problems = [_unknown_option(key) for key in options if key not in _OPTION_KEYS]
    if "timeout" in options:
        problems.append(timeout_problem(options["timeout"]) or "")
    if "extra_headers" in options:
        problems.append(_headers_problem(options["extra_headers"]) or "")
    if "retry_non_idempotent" in options and not isinstance(options["retry_non_idempotent"], bool):
        problems.append(
            f"retry_non_idempotent must be True or False, got {options['retry_non_idempotent']!r}"
        )
    problems.append(
        limit_problem(
            options.get("max_retries", 0),
            options.get("deadline"),
            options.get("max_response_size", 1),
        )
        or ""
    )
    found = [f"options: {problem}" for problem in problems if problem]
    if found:
        raise RequestValidationError(operation_id, found)


def _unknown_option(key: object) -> str:
    text = f"unknown option {key!r}"
    match = difflib.get_close_matches(str(key), _OPTION_KEYS, n=1)
    if match:
        return f"{text}; did you mean {match[0]!r}?"
    return f"{text} (known: {', '.join(_OPTION_KEYS)})"


def _headers_problem(headers: object) -> str | None:
    if not isinstance(headers, Mapping):
        return (
            f"extra_headers must be a dict of header names to values, got {type(headers).__name__}"
        )
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            return f"extra_headers: {name!r} is not a header name"
        if value is not None and not isinstance(value, str):
            # The value is left out: it may be a credential.
            return f"extra_headers[{name!r}] must be a str (or None to drop the header)"
    return None


def _positive(value: object) -> bool:
    """A positive, finite int or float (a bool is not a number here)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )
