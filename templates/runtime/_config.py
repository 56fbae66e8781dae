"""Client settings from arguments or environment variables, and the Authorization value.

An argument the caller passes always wins; one left as None falls back to
its environment variable (the generated client names them, e.g.
`NORCE_CHECKOUT_API_KEY`). An empty variable counts as unset.
"""

from __future__ import annotations

import os
import re

from .errors import ConfigurationError

__all__ = ["authorization", "required_setting", "setting"]

# "<scheme> <credentials>" (RFC 9110 section 11.4): a value the caller already gave a scheme.
_HAS_SCHEME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+ +\S")


def setting(value: str | None, variable: str) -> str | None:
    """`value` if given, else the environment variable `variable` (None when unset or empty)."""
    if value is not None:
        return value
    return os.environ.get(variable) or None


def required_setting(value: str | None, argument: str, variable: str) -> str:
    """Like `setting`, but a missing value is an error naming both ways to give it.

    Raises:
        ConfigurationError: Neither the argument nor the variable is set.
    """
    found = setting(value, variable)
    if found is None:
        raise ConfigurationError(f"{argument} is required: pass {argument}=... or set {variable}")
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
