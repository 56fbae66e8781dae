"""Decompression bombs for the bounded-reader tests (the client's and update-spec's).

Both are built in milliseconds and held whole (about 1 MB and 4 kB); what they
inflate to is never built by anyone but a broken reader.
"""

from __future__ import annotations

import functools
import gzip
import struct
import zlib

_MIB = 1 << 20


@functools.cache
def gzip_bomb(gib: int = 1) -> bytes:
    """About 1 MB of gzip that inflates to `gib` GiB of zeros.

    One full-flushed deflate block of a MiB of zeros, repeated: each copy starts
    from an empty window, so the stream stays valid. The trailer's CRC is left
    zero (computing it costs a second): a bounded reader stops long before it,
    and an unbounded one has used GBs by then.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(bytes(_MIB)) + packer.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    count = 1024 * gib
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * count + last + struct.pack("<II", 0, (count * _MIB) & 0xFFFFFFFF)


@functools.cache
def nested_gzip_bomb() -> bytes:
    """`gzip_bomb()` gzipped again: a few kB for `Content-Encoding: gzip, gzip`."""
    return gzip.compress(gzip_bomb(), compresslevel=9)
