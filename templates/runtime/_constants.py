"""Every runtime default, in one place.

The generated client, the retry logic and the tests read these names; nothing
else in the runtime hard-codes a number.
"""

from __future__ import annotations

import httpx

# The package itself, under whatever name it was generated or vendored as (`vendor --package`).
LOGGER_NAME = __name__.rpartition(".")[0]

# Order calls move small JSON documents, but a mutation can run Norce's
# adapter hooks (payment, shipping) synchronously, which takes seconds.
# 30 s for read/write/pool bounds a hung call without cutting those off;
# connect is 5 s because a TCP/TLS handshake that takes longer is a dead host.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)

DEFAULT_MAX_RETRIES = 2

# A call's total time, retries and the waits between them included, in
# seconds. httpx's timeouts bound each read, so without it a server that
# sends a byte just before every read timeout holds a call forever. 60 s
# leaves room for one slow mutation plus a retry and is still a ceiling a
# checkout can live with. `deadline=None` (client or per call) removes it.
DEFAULT_DEADLINE = 60.0

# Largest response body accepted, counted after decompression, in bytes.
# An order with hundreds of lines is tens of kB; 32 MiB is generous and
# still bounds memory against a body without end or a gzip bomb.
DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024

# A non-2xx body is read up to this many bytes, for its message; the rest is
# dropped (not an error: the status is what the caller needs to see).
MAX_ERROR_BODY_SIZE = 1024 * 1024

# Backoff before retry n (0-based): min(INITIAL * 2**n, MAX) seconds, then
# multiplied by a random factor in [1 - RETRY_JITTER, 1] so that clients that
# failed together do not retry together.
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRY_JITTER = 0.25

# Longest Retry-After we honour. A server asking for more gets no retry: the
# error (with its Retry-After header) is raised at once, because a checkout
# caller is better served by failing fast than by a call that hangs a minute.
RETRY_AFTER_CAP = 10.0

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})

# RFC 9110 section 9.2.2; only these are retried unless a call opts in.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

# Header names whose values never reach logs, reprs or error text.
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)

# Key of the httpx request extension that carries a call's credential values,
# so every error built from its response can cut an echo of them out.
SECRETS_EXTENSION = "norce_secrets"

# Headers that carry a server-side request id, in order of preference.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")

# Longest server-supplied message kept in an exception's text.
MAX_ERROR_MESSAGE_CHARS = 500
