"""Build one side of a diff: validate and generate the spec in memory, then keep what the diff reads.

A side is generated as ``generate`` would, but only as far as the Python files, without black,
the docs or the AST check (``build(surface_only=True)``: the same API, parsed statically, never
written or imported). What the comparison needs is kept in a ``Side``: the parsed spec (for the
wire diff), the operations the IR made (for method names), and the package's public surface
(``surface.extract``). A Side is plain JSON, so it is kept in the build cache (``cache.py``): the
key covers the spec bytes and everything the generated code depends on (``freshness.input_key``),
so a cached side is the side a fresh build would give. The working tree's own ``generated/`` is such a build too when
it is fresh, so ``make diff`` builds only the other side. Both sides build in parallel, one process
each.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import tempfile
import warnings
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..build import pipeline
from ..build.admit import Admitted, admit
from ..build.cache import Cache, digest
from ..build.freshness import input_key, is_up_to_date
from ..build.interpret import build_line
from ..build.ir import Api
from ..build.load import load_spec
from ..build.naming import clean_text, one_line
from ..build.write import read_tree
from ..diagnostics import Diagnostic, SpecError
from ..settings import PROJECT_ROOT, cache_root
from .inputs import Input
from .surface import Surface, extract

SIDE_FORMAT = "norce-diff-side-1"  # bump when Side's shape or the surface's facets change
CACHE_NAME = "diff-sides"
CACHE_MAX_BYTES = 32 * 1024 * 1024  # ~80 sides of the Norce spec; the least recently used go first


@dataclass(frozen=True, slots=True)
class Op:
    """One operation as the IR named it."""

    method: str  # upper case
    path: str
    operation_id: str
    python_name: str

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class Side:
    """Everything the comparison reads about one spec."""

    sha256: str
    version: str
    build: str
    package: str
    client: str
    data: dict[str, Any]  # the parsed spec, JSON-normalised (the same on both sides)
    operations: tuple[Op, ...]
    surface: Surface

    def to_json(self) -> bytes:
        body = asdict(self)
        body["format"] = SIDE_FORMAT
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Side | None:
        try:
            body = json.loads(raw)
            if body.pop("format") != SIDE_FORMAT:
                return None
            body["operations"] = tuple(Op(**op) for op in body["operations"])
            return cls(**body)
        except (ValueError, KeyError, TypeError):
            return None


def build_sides(
    inputs: tuple[Input, Input], settings: Mapping[str, Any], cache: bool
) -> tuple[Side, Side]:
    """Both sides, built in parallel; SpecError naming every side that is broken."""
    results: list[Side | list[Diagnostic]]
    jobs = [
        (item, name, dict(settings), cache)
        for item, name in zip(inputs, ("OLD", "NEW"), strict=True)
    ]
    same = _same_input(*inputs)
    if _can_fork() and not same:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
            results = list(pool.map(_side_job, jobs))
    else:
        results = [_side_job(jobs[0])]
        results.append(results[0] if same else _side_job(jobs[1]))
    problems = [d for r in results if isinstance(r, list) for d in r]
    if problems:
        raise SpecError(problems)
    old, new = results
    assert isinstance(old, Side) and isinstance(new, Side)
    return old, new


def _same_input(a: Input, b: Input) -> bool:
    """The same bytes on both sides (``make diff`` with no edit): build once."""
    try:
        return a.read() == b.read()
    except OSError:
        return False  # the build reports the unreadable side


def _can_fork() -> bool:
    # Forking a process that runs threads can deadlock; the CLI runs none, a host program may.
    return "fork" in multiprocessing.get_all_start_methods() and _thread_count() == 1


def _thread_count() -> int:
    import threading

    return threading.active_count()


def _side_job(job: tuple[Input, str, dict[str, Any], bool]) -> Side | list[Diagnostic]:
    """Run in a worker: a Side, or the diagnostics naming the side (exceptions do not pickle well)."""
    item, name, settings, cache = job
    try:
        return side_of(item, settings, cache)
    except SpecError as exc:
        return [Diagnostic(f"[{name}] {item.label}", d.pointer, d.message) for d in exc.diagnostics]
    except RecursionError:
        return [Diagnostic(f"[{name}] {item.label}", "#", "the spec nests too deeply to generate")]
    except Exception as exc:  # a generator bug on this spec: one clear line, never a traceback
        message = (
            f"the generator failed on this spec ({type(exc).__name__}: {exc}); please report it"
        )
        return [Diagnostic(f"[{name}] {item.label}", "#", message)]


def side_of(item: Input, settings: Mapping[str, Any], cache: bool = True) -> Side:
    """The Side of one input: from the side cache, from the working tree's fresh ``generated/``
    (the project's own spec only), or built in memory. ``cache=False`` always builds."""
    with tempfile.TemporaryDirectory(prefix="norce-diff-") as tmp:
        path = item.path
        if path is None:
            assert item.blob is not None
            path = Path(tmp) / item.name
            path.write_bytes(item.blob)
        inputs = input_key(path, settings) if cache else ""
        key = digest(SIDE_FORMAT, inputs) if inputs else ""
        cached = _cache_read(key) if key else None
        side = cached or (_from_generated(path, settings, inputs) if key else None)
        if side is None:
            with warnings.catch_warnings():  # DCG's notes on formats it maps to str are not ours
                warnings.simplefilter("ignore")
                try:
                    side = side_from_result(pipeline.build(path, settings, surface_only=True))
                except SpecError as exc:
                    if item.path is not None:
                        raise
                    # A side read from git: name it as the user did, never by its temp file.
                    raise SpecError(
                        [
                            replace(d, message=d.message.replace(str(path), item.label))
                            for d in exc.diagnostics
                        ]
                    ) from None
        if key and cached is None:  # a hit is not written back (Cache.get already marks it used)
            _cache_write(key, side)
        return side


def _from_generated(path: Path, settings: Mapping[str, Any], inputs: str) -> Side | None:
    """The Side of the project's spec read from ``generated/``, when that is exactly what
    ``generate`` would write for it now (``inputs``, its input key, matches and every file is
    intact): no validation, no DCG, no rendering. The spec is read again for the wire diff; the
    operations' Python names come from the generated ``operations`` module. Anything unexpected
    there means a full build."""
    spec, out = PROJECT_ROOT / str(settings["spec"]), PROJECT_ROOT / str(settings["out"])
    try:
        if path.resolve() != spec.resolve() or not is_up_to_date(out, inputs):
            return None
        files = read_tree(out)
    except OSError:
        return None
    package = str(settings["package"])
    operations = _operations_module(files.get(f"{package}/operations.py", b""))
    if not operations:
        return None
    doc = admit(load_spec(path))
    info = doc.data.get("info") or {}
    description = clean_text(info.get("description"))
    return Side(
        sha256=doc.sha256,
        version=one_line(info.get("version")),
        build=build_line(description),
        package=package,
        client=str(settings["client-class"]),
        data=doc.data,
        operations=operations,
        surface=extract(files, package),
    )


def _operations_module(source: bytes) -> tuple[Op, ...]:
    """(method, path, operationId, function name) of each ``def name(...): return Request(...)``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        returns = [n.value for n in node.body if isinstance(n, ast.Return)]
        call = returns[0] if len(returns) == 1 else None
        if not isinstance(call, ast.Call):
            return ()
        words = {k.arg: k.value.value for k in call.keywords if isinstance(k.value, ast.Constant)}
        method, where, operation_id = (
            words.get("method"),
            words.get("path"),
            words.get("operation_id"),
        )
        if not (
            isinstance(method, str) and isinstance(where, str) and isinstance(operation_id, str)
        ):
            return ()
        found.append(Op(method.upper(), where, operation_id, node.name))
    return tuple(found)


def side_from_result(result: pipeline.Result) -> Side:
    """The Side of a generation that already ran (``generate`` has one for the CHANGELOG)."""
    return _side(result.doc, result.api, result.files)


def _side(doc: Admitted, api: Api, files: Mapping[str, bytes]) -> Side:
    return Side(
        sha256=doc.sha256,
        version=api.version,
        build=api.build,
        package=api.package,
        client=api.client_class,
        data=doc.data,
        operations=tuple(
            Op(op.method.upper(), op.path, op.operation_id, op.python_name) for op in api.operations
        ),
        surface=extract(files, api.package),
    )


# --- cache: the build cache's "diff-sides" folder (content-addressed, bounded, safe to lose) ---


def _cache_read(key: str) -> Side | None:
    raw = Cache.named(CACHE_NAME).get(key)
    return None if raw is None else Side.from_json(raw)


def _cache_write(key: str, side: Side) -> None:
    cache = Cache(cache_root() / CACHE_NAME, CACHE_MAX_BYTES)
    cache.put(key, side.to_json())
    cache.prune()
