"""Black with a pinned mode, spent well: files cut into pieces, a content-addressed cache, two cores.

Black formats each logical line on its own; what joins two top-level definitions, or two methods
of a top-level class, is only the blank lines between them, and after a definition's body black
always puts two (module level) or one (class level) there. So each file is cut at such boundaries
(``_pieces``), each piece is formatted alone (a method inside a stand-in ``class _:``), and the
pieces are joined with those blank lines: the result is byte-identical to black on the whole file
(``tests/build/test_format.py`` holds both to it). A new Norce build then re-formats only the
pieces whose text changed; the rest come from the cache, keyed by black's version, the mode and the
piece (whole files are cached too, so an unchanged file is not even cut). When there is enough work
to pay for it, forked children format shares of the misses beside the parent.
"""

from __future__ import annotations

import ast
import functools
import gc
import itertools
import os
import pickle
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cache import Cache, digest
from .versions import installed_version

if TYPE_CHECKING:
    import black

LINE_LENGTH = 100
TARGET = "PY311"
# Everything black's output depends on besides the text; black itself is imported only on a miss.
FINGERPRINT = f"black {installed_version('black')} line-length={LINE_LENGTH} target={TARGET}"
CACHE_NAME = "black"
MAX_WORKERS = 8
# Forking and shipping text to a worker costs a few ms; below this much source, format in process.
POOL_MIN_CHARS = 40_000

# Whole-file entries depend on how files are cut and joined: change this with _pieces or _join.
_JOIN = "pieces v1"
_WRAPPER = "class _:\n"  # a method is formatted at its own depth inside this stand-in class
_BLANK_LINES = ("\n\n", "\n")  # black's blank lines before a definition that follows a body
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# A trailing comma (a comma with only blanks and comments before a closing bracket), or a closing
# bracket. Possessive: linear time whatever the text.
_CLOSING = re.compile(r",(?=(?:\s|#[^\n]*+)*+[)\]}])|[)\]}]")


@dataclass(frozen=True, slots=True)
class _Piece:
    depth: int  # 0: starts at module level; 1: starts with a method of a top-level class
    text: str

    @property
    def black_input(self) -> str:
        # Without its trailing blank lines, which black drops anyway: a piece that is already
        # black's output then costs one pass (black runs a second pass whenever it changed text).
        text = self.text.rstrip("\n") + "\n"
        return _WRAPPER + text if self.depth else text


def format_python(source: str, name: str) -> str:
    """Format one small piece of generated Python (a doc example, say), through the cache.

    Not cut into pieces: its one entry is the whole-file entry ``format_sources`` would use.
    """
    cache = Cache.named(CACHE_NAME)
    key = digest(FINGERPRINT, _JOIN, source)
    hit = cache.get(key)
    if hit is not None:
        return hit.decode("utf-8")
    ok, result = _black(source)
    if not ok:
        raise RuntimeError(f"generated {name} is not valid Python: {result}")
    cache.put(key, result.encode("utf-8"))
    return result


def format_sources(sources: Mapping[str, str], cache: Cache | None = None) -> dict[str, str]:
    """Format generated files (relative path -> source); a failure names the file."""
    cache = Cache.named(CACHE_NAME) if cache is None else cache
    formatted = _format(sources, cache)
    if cache.writes:
        cache.prune()
    return formatted


def _format(sources: Mapping[str, str], cache: Cache) -> dict[str, str]:
    # Whole files first: an unchanged file (or a rebuild of the same spec) costs one read, no parse.
    file_keys = {name: digest(FINGERPRINT, _JOIN, source) for name, source in sources.items()}
    formatted: dict[str, str] = {}
    for name, key in file_keys.items():
        hit = cache.get(key)
        if hit is not None:
            formatted[name] = hit.decode("utf-8")
    pieces = {name: _pieces(sources[name]) for name in sorted(sources.keys() - formatted.keys())}
    owner = {piece.black_input: name for name, ps in pieces.items() for piece in ps}
    keys = {text: digest(FINGERPRINT, text) for text in owner}
    done: dict[str, str] = {}
    for text, key in keys.items():
        hit = cache.get(key)
        if hit is not None:
            done[text] = hit.decode("utf-8")
    missing = sorted(owner.keys() - done.keys(), key=len, reverse=True)  # largest first
    for text, (ok, result) in zip(missing, _run_black(missing), strict=True):
        if not ok:
            raise RuntimeError(f"generated {owner[text]} is not valid Python: {result}")
        done[text] = result
        cache.put(keys[text], result.encode("utf-8"))
    for name, ps in pieces.items():
        formatted[name] = _join(ps, done)
        cache.put(file_keys[name], formatted[name].encode("utf-8"))
    return {name: formatted[name] for name in sources}


@functools.cache
def mode() -> black.Mode:
    """The pinned black mode (imports black)."""
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion[TARGET]}, line_length=LINE_LENGTH)


def _black(text: str) -> tuple[bool, str]:
    """(True, what ``black.format_str`` makes of ``text``) or (False, black's complaint).

    ``format_str`` is one pass (``_format_str_once``) and, whenever that changed the text, a second
    pass over its own output, "to work around optional trailing commas (becoming forced trailing
    commas on pass 2) interacting differently with optional parentheses" (black's comment). The
    second pass is run here only where that can happen: when the first pass added or removed a
    comma before a closing bracket, or a bracket. Elsewhere it returns its input, so the result is
    ``format_str``'s, at half the cost for most generated code (``tests/build/test_format.py``
    holds the two equal on generated and third-party code). Runs in forked children too.
    """
    import black
    from black.parsing import InvalidInput

    try:
        once = black._format_str_once(text, mode=mode())
        if once != text and _closings(once) != _closings(text):
            once = black._format_str_once(once, mode=mode())
    except InvalidInput as exc:
        return False, str(exc)
    return True, once


def _closings(text: str) -> list[str]:
    """Each closing bracket, and each comma before one (across blanks and comments), in order."""
    return _CLOSING.findall(text)


def _run_black(texts: list[str]) -> list[tuple[bool, str]]:
    """``_black`` of each text, in order: shared with forked children when it pays.

    The parent formats one share itself and each child one other share (largest texts spread
    first); a child that fails in any way has its share formatted here instead.
    """
    if not texts:
        return []
    mode()  # import black before forking, so the children inherit it
    shares = _shares(texts, _workers(texts))
    if len(shares) < 2:
        return [_black(text) for text in texts]
    gc.freeze()  # the children then leave the parent's objects unread: fewer copied pages
    try:
        children = [(share, _fork(share)) for share in shares[1:]]
    finally:
        gc.unfreeze()
    try:
        done = {text: _black(text) for text in shares[0]}
    except BaseException:
        for share, child in children:
            _collect(child, len(share))  # reap them before giving up
        raise
    for share, child in children:
        found = _collect(child, len(share))
        if found is None:  # no fork, a killed child, a broken pipe: do its share here
            found = [_black(text) for text in share]
        done.update(zip(share, found, strict=True))
    return [done[text] for text in texts]


def _shares(texts: list[str], count: int) -> list[list[str]]:
    """``texts`` dealt into ``count`` shares of about equal size, largest first."""
    shares: list[list[str]] = [[] for _ in range(max(count, 1))]
    sizes = [0] * len(shares)
    for text in sorted(texts, key=len, reverse=True):
        smallest = sizes.index(min(sizes))
        shares[smallest].append(text)
        sizes[smallest] += len(text)
    return [share for share in shares if share]


def _fork(share: list[str]) -> tuple[int, int] | None:
    """A child formatting ``share`` into a pipe: (pid, read end), or None if it cannot start."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns into the caller's stack
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(pickle.dumps([_black(text) for text in share]))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None, count: int) -> list[tuple[bool, str]] | None:
    """What a child sent, once it exited cleanly; None when it did not."""
    if child is None:
        return None
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    try:
        found = pickle.loads(data) if status == 0 else None
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
    if not (isinstance(found, list) and len(found) == count):
        return None
    return found


def _workers(texts: Iterable[str]) -> int:
    """How many processes the misses are worth: one per POOL_MIN_CHARS, bounded by the CPUs."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1  # forking a process that runs threads can deadlock them
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(MAX_WORKERS, cpus or 1, sum(map(len, texts)) // POOL_MIN_CHARS)


def _pieces(source: str) -> list[_Piece]:
    """``source`` cut before each definition that follows a definition's body after blank lines."""
    # Directives and line-ending rules that span lines: keep such a file whole.
    if "\r" in source or "\f" in source or "fmt:" in source:
        return [_Piece(0, source)]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: NUL bytes, on Python 3.11
        return [_Piece(0, source)]  # black reports it, naming the file
    lines = source.split("\n")
    cuts = dict(_cuts(tree.body, lines, 0))
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            cuts.update(_cuts(node.body, lines, 1))
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    starts = [0, *sorted(cuts)]
    ends = [*sorted(cuts), len(lines)]
    return [
        _Piece(cuts.get(start, 0), source[offsets[start] : offsets[end]])
        for start, end in zip(starts, ends, strict=True)
    ]


def _cuts(body: list[ast.stmt], lines: list[str], depth: int) -> Iterable[tuple[int, int]]:
    """(0-based line, depth) where a definition starts after a definition and blank lines only.

    At least one blank line: black keeps no blank line after a one-line stub (``def f(): ...``)
    when the source had none, and we do not want to reason about that case.
    """
    for before, node in itertools.pairwise(body):
        if not isinstance(before, _DEFS) or not isinstance(node, _DEFS):
            continue
        assert before.end_lineno is not None
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        gap = lines[before.end_lineno : first - 1]
        if gap and all(not line.strip(" \t") for line in gap):
            yield first - 1, depth


def _join(pieces: list[_Piece], formatted: Mapping[str, str]) -> str:
    parts: list[str] = []
    for index, piece in enumerate(pieces):
        text = formatted[piece.black_input]
        if piece.depth:
            if not text.startswith(_WRAPPER):
                raise RuntimeError(f"black moved the stand-in class: {text[:80]!r}")
            text = text[len(_WRAPPER) :]
        if index:
            parts.append(_BLANK_LINES[piece.depth])
        parts.append(text)
    return "".join(parts)
