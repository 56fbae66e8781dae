"""Bounded reading: a size cap on decoded bytes, at most one content encoding, a total deadline.

httpx bounds each socket read (its timeouts) but not a response: it inflates
a whole network chunk at once, so 64 kB of a gzip bomb is 64 MB before any
size check runs, and a server that sends one byte per read timeout is never
cut off. Here the body is decoded from `iter_raw()` with zlib's output
limited per step, and a call's deadline (`DEADLINE`) clamps every socket
read and write of the connections `trace` has seen open.

Self-contained (standard library and httpx only, no relative import): the
generated client imports it, and `update-spec` loads this same file.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Protocol, cast

import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "DEADLINE",
    "BodyTooLarge",
    "DeadlineExceeded",
    "ReadLimitError",
    "aread_body",
    "read_body",
    "seconds_left",
    "trace",
]

# What we can decode; sent as Accept-Encoding so a server has no reason to use
# anything else (httpx would also offer br/zstd when their packages are installed).
ACCEPT_ENCODING = "gzip, deflate"

# Tokens that compress. Others seen in the wild ("utf-8", "binary") are
# ignored, as httpx ignores them.
_COMPRESSING = frozenset({"gzip", "x-gzip", "deflate", "br", "zstd", "compress", "x-compress"})
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}

# Most decoded bytes one zlib step may produce: the memory a bomb gets
# before the next size check.
_STEP = 64 * 1024

DEADLINE: ContextVar[float | None] = ContextVar("norce_deadline", default=None)
"""The current call's deadline (a `time.monotonic()` value), or None.

Read by the sockets `trace` guards; set for the length of a call by the sync
client, and of a download by `update-spec`.
"""


class ReadLimitError(Exception):
    """A response broke one of this module's limits."""


class BodyTooLarge(ReadLimitError):
    """The decoded body exceeds the size limit.

    Attributes:
        response: The response (closed, body not kept).
        limit: The limit, in bytes.
    """

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.limit = limit
        super().__init__(f"body exceeds the {limit} byte limit")


class DeadlineExceeded(ReadLimitError):
    """The deadline passed before the response was complete."""

    def __init__(self) -> None:
        super().__init__("deadline exceeded")


def seconds_left(deadline: float | None) -> float | None:
    """Seconds until `deadline` (a `time.monotonic()` value); None for no deadline.

    Raises:
        DeadlineExceeded: None are left.
    """
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0.0:
        raise DeadlineExceeded()
    return left


class _Stream(Protocol):
    # httpcore's NetworkStream interface, as far as the guard uses it.
    read: Callable[..., bytes]
    write: Callable[..., None]


def _clamp(timeout: float | None) -> float | None:
    left = seconds_left(DEADLINE.get())
    return timeout if left is None or (timeout is not None and timeout <= left) else left


def _guard(stream: _Stream) -> None:
    """Make every read and write of `stream` end by the deadline of the call using it.

    The stream outlives the call (keep-alive), so the deadline is looked up
    per operation; outside a call (`DEADLINE` unset) nothing changes.
    """
    read, write = stream.read, stream.write

    def guarded_read(max_bytes: int, timeout: float | None = None) -> bytes:
        return read(max_bytes, timeout=_clamp(timeout))

    def guarded_write(buffer: bytes, timeout: float | None = None) -> None:
        write(buffer, timeout=_clamp(timeout))

    stream.read = guarded_read
    stream.write = guarded_write


_NEW_STREAM = (".connect_tcp.complete", ".connect_unix_socket.complete", ".start_tls.complete")


def trace(event: str, info: dict[str, Any]) -> None:
    """httpx `trace` request extension for sync clients: guard each connection a try opens.

    A dripping server resets httpx's per-read timeout with every byte, even
    while the status line and headers arrive; a guarded socket's reads are
    clamped to the time left, so the call ends at its deadline. Set it on
    the request before each try (`request.extensions["trace"] = trace`).

    Once the request starts on its connection (new or kept alive) there is
    nothing more to watch, so the extension removes itself: httpcore then
    skips its tracing for the rest of the exchange, which would otherwise
    cost about 4 % of a call. Connections opened without it (by a caller's
    own requests on a shared `http_client`), or under an httpcore without
    the extension (before 0.14, e.g. httpx 0.20), are not guarded; for those
    the deadline bounds each read's timeout and is checked between body
    chunks, but a server dripping its headers is cut off only by httpx's
    per-read timeout.
    """
    if event.endswith(_NEW_STREAM):
        stream = info.get("return_value")
        if callable(getattr(stream, "read", None)) and callable(getattr(stream, "write", None)):
            _guard(cast(_Stream, stream))
    elif event.endswith(".send_request_headers.started"):
        request = info.get("request")
        # A proxy's CONNECT shares the extensions; the TLS stream after it is yet to come.
        if request is not None and request.method != b"CONNECT":
            request.extensions.pop("trace", None)


class _Decoder:
    """Decodes one body into at most `limit` bytes, one bounded zlib step at a time."""

    __slots__ = ("_coding", "_limit", "_parts", "_response", "_size", "_truncate", "_zlib", "full")

    def __init__(self, response: httpx.Response, limit: int, truncate: bool) -> None:
        self._coding = _content_coding(response)
        self._limit = limit
        self._truncate = truncate
        self._parts: list[bytes] = []
        self._size = 0
        self._response = response
        self._zlib = (
            None if self._coding == "identity" else zlib.decompressobj(_WBITS[self._coding])
        )
        self.full = False  # truncating, and the limit is reached: stop reading
        declared = response.headers.get("content-length", "")
        if self._coding == "identity" and declared.isdigit() and int(declared) > limit:
            if not truncate:
                raise BodyTooLarge(response, limit)

    def feed(self, data: bytes) -> None:
        if self._zlib is None:
            self._take(data)
            return
        try:
            self._inflate(data)
        except zlib.error as exc:
            if self._coding != "deflate" or self._size:
                raise httpx.DecodingError(f"invalid {self._coding} body: {exc}") from None
            # "deflate" is often sent without its zlib header (raw deflate), as httpx allows.
            self._coding = "raw deflate"
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                self._inflate(data)
            except zlib.error as exc2:
                raise httpx.DecodingError(f"invalid deflate body: {exc2}") from None

    def _inflate(self, data: bytes) -> None:
        assert self._zlib is not None
        while not self.full:  # Bounded: each pass consumes input or counts `step` bytes.
            step = min(self._limit - self._size + 1, _STEP)  # >= 1; 0 would mean "no limit"
            piece = self._zlib.decompress(data, step)
            self._take(piece)
            data = self._zlib.unconsumed_tail
            if not data and len(piece) < step:
                return

    def _take(self, piece: bytes) -> None:
        room = self._limit - self._size
        if len(piece) > room:
            if not self._truncate:
                raise BodyTooLarge(self._response, self._limit)
            piece = piece[:room]
            self.full = True
        self._parts.append(piece)
        self._size += len(piece)

    def finish(self) -> bytes:
        # Nothing is pending in zlib: `_inflate` stops only once a step came
        # back short with no input left. A truncated stream is not an error
        # here (httpx does not make it one either); the parser will notice.
        body = b"".join(self._parts)
        self._parts = []
        # What `read()` would have stored: `.content`, `.text` and `.json()` keep working.
        self._response._content = body
        return body


def _content_coding(response: httpx.Response) -> str:
    codings = [
        token
        for token in (
            value.strip().lower()
            for value in response.headers.get_list("content-encoding", split_commas=True)
        )
        if token in _COMPRESSING
    ]
    if len(codings) > 1:
        # Each layer multiplies a bomb's ratio (3.5 kB of "gzip, gzip" is GBs);
        # no server needs more than one.
        raise httpx.DecodingError(
            f"refused Content-Encoding {', '.join(codings)!r}: at most one encoding is accepted"
        )
    if not codings:
        return "identity"
    if codings[0] not in _WBITS:
        raise httpx.DecodingError(
            f"unsupported Content-Encoding {codings[0]!r} (accepted: {ACCEPT_ENCODING})"
        )
    return codings[0]


def _already_read(response: httpx.Response, limit: int, truncate: bool) -> bytes:
    # A response event hook read the body first (httpx's own reader, unbounded):
    # nothing is left to bound, but the limit still decides what is accepted.
    try:
        body = response.content
    except httpx.ResponseNotRead:  # iterated by the hook, not kept
        body = b""
    if len(body) > limit and not truncate:
        raise BodyTooLarge(response, limit)
    return body


def _undecodable(response: httpx.Response) -> bytes:
    response._content = b""
    return b""


def read_body(
    response: httpx.Response, limit: int, deadline: float | None, *, truncate: bool = False
) -> bytes:
    """Read, decode and close a streamed response; its `.content` is then the body.

    Args:
        response: From `send(..., stream=True)`, not yet read.
        limit: Most decoded bytes accepted.
        deadline: A `time.monotonic()` value, or None; checked after every
            chunk (the chunk's own read is bounded by `trace`'s guard).
        truncate: Keep the first `limit` bytes and stop reading instead of
            raising `BodyTooLarge`, and keep no body instead of raising
            `httpx.DecodingError` (for error bodies, read for their message:
            the status matters more than the text).

    Raises:
        BodyTooLarge: More than `limit` decoded bytes, or a larger
            Content-Length (unless `truncate`).
        DeadlineExceeded: The deadline passed while reading.
        httpx.DecodingError: Nested, unsupported or corrupt content encoding.
        httpx.HTTPError: What httpx raises for the transport.
    """
    if response.is_stream_consumed:
        return _already_read(response, limit, truncate)
    try:
        decoder = _Decoder(response, limit, truncate)
        for chunk in response.iter_raw():
            seconds_left(deadline)
            decoder.feed(chunk)
            if decoder.full:
                break
        return decoder.finish()
    except httpx.DecodingError:
        if not truncate:
            raise
        return _undecodable(response)
    finally:
        response.close()


async def aread_body(
    response: httpx.Response, limit: int, deadline: float | None, *, truncate: bool = False
) -> bytes:
    """Async twin of `read_body`."""
    if response.is_stream_consumed:
        return _already_read(response, limit, truncate)
    try:
        decoder = _Decoder(response, limit, truncate)
        async for chunk in response.aiter_raw():
            seconds_left(deadline)
            decoder.feed(chunk)
            if decoder.full:
                break
        return decoder.finish()
    except httpx.DecodingError:
        if not truncate:
            raise
        return _undecodable(response)
    finally:
        await response.aclose()
