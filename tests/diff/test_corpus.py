"""The real-pair corpus: no crash, documented exit codes, short reports, and every broken call named.

Broken calls are found without the diff's own logic: both generated packages are imported in a
subprocess, the old client's methods (and its constructor) and the old models are called with
their required arguments only, and a call is broken when the new package has no such name or the
new signature does not accept those arguments.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import griffe
import pytest
from diff_support import CORPUS, SPEC, report
from support import cached_build

from generator.cli import EXIT_CHANGES, EXIT_OK, main
from generator.diff.changes import BREAKING
from generator.diff.gate import Gate
from generator.diff.report import MAX_CHARS, to_markdown
from generator.diff.specs import Report
from generator.settings import load_settings

PAIRS = {
    "github-18.2.0-19.0.0": (
        "github/octokit-openapi-18.2.0.json",
        "github/octokit-openapi-19.0.0.json",
    ),
    "dialogporten-1.23.2-1.40.0": (
        "dialogporten/dialogporten-schema-1.23.2.json",
        "dialogporten/dialogporten-schema-1.40.0.json",
    ),
    "norce-2024-like-current": ("norce:2024-like", "norce:current"),
    "norce-current-next": ("norce:current", "norce:next"),
    "norce-next-current": ("norce:next", "norce:current"),
}

_SIGNATURES = r"""
import importlib, inspect, json, sys
import pydantic
package, client_name = sys.argv[1], sys.argv[2]
pkg = importlib.import_module(package)
models = importlib.import_module(package + ".models")
client = getattr(pkg, client_name)
out = {"methods": {}, "models": {}}
for name, function in inspect.getmembers(client, inspect.isfunction):
    if not name.startswith("_") or name == "__init__":
        params = list(inspect.signature(function).parameters.values())[1:]
        out["methods"][name] = [(p.name, p.kind.name, p.default is inspect.Parameter.empty) for p in params]
for name, cls in vars(models).items():
    if name.isidentifier() and isinstance(cls, type) and issubclass(cls, pydantic.BaseModel) and cls.__module__ == models.__name__:
        out["models"][name] = sorted(f for f, info in cls.model_fields.items() if info.is_required())
print(json.dumps(out))
"""


def _path(name: str, norce_variant: Callable[[str], Path]) -> Path:
    if name == "norce:current":
        return SPEC
    if name.startswith("norce:"):
        return norce_variant(name.removeprefix("norce:"))
    return CORPUS / name


@pytest.fixture(params=sorted(PAIRS), scope="module")
def pair(
    request: pytest.FixtureRequest, norce_variant: Callable[[str], Path]
) -> tuple[Path, Path, Report]:
    old, new = (_path(name, norce_variant) for name in PAIRS[request.param])
    return old, new, report(old, new)


def test_cli_exit_codes_without_traceback(
    pair: tuple[Path, Path, Report], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, result = pair
    breaking = any(c.severity == BREAKING for c in result.changes)
    assert main(["diff", str(old), str(new), "--fail-on", "breaking"]) == (
        EXIT_CHANGES if breaking else EXIT_OK
    )
    assert main(["diff", str(old), str(new)]) == EXIT_OK
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out.startswith("## API diff:")


def test_report_is_short_and_one_fact_is_one_row(pair: tuple[Path, Path, Report]) -> None:
    _, _, result = pair
    assert result.changes, "every corpus pair has changes"
    assert len(to_markdown(result, Gate.parse("breaking"))) < MAX_CHARS
    prints = [c.fingerprint for c in result.changes]
    assert len(prints) == len(set(prints))
    facts = [
        (c.kind, c.location, c.before, c.after)
        for c in result.changes
        if c.subject.startswith("schema ")
    ]
    per_schema = [
        (c.kind, c.subject, c.location) for c in result.changes if c.subject.startswith("schema ")
    ]
    assert len(per_schema) == len(set(per_schema))
    inline = [
        (c.kind, c.location, c.before, c.after)
        for c in result.changes
        if c.level == "wire"
        and c.subject.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE "))
    ]
    assert not set(facts) & set(inline)  # a schema fact is not repeated under an operation


def test_every_broken_call_is_named(pair: tuple[Path, Path, Report], tmp_path: Path) -> None:
    old, new, result = pair
    package, client = _write(old, tmp_path / "old"), _write(new, tmp_path / "new")
    a, b = _signatures(tmp_path / "old", *package), _signatures(tmp_path / "new", *client)
    named = " ".join(c.call_before for c in result.changes if c.level == "python")
    broken = _broken_calls(a, b)
    missing = [name for name in broken if f"{name}(" not in named]
    assert not missing, f"broken calls the report does not name: {missing}"


def test_griffe_finds_nothing_we_miss(pair: tuple[Path, Path, Report], tmp_path: Path) -> None:
    """Every breakage griffe reports is covered by a Python row (twins fold onto the client)."""
    old, new, result = pair
    (package, client), _ = _write(old, tmp_path / "old"), _write(new, tmp_path / "new")
    trees = [
        griffe.load(
            package, search_paths=[tmp_path / side], allow_inspection=False, try_relative_path=False
        )
        for side in ("old", "new")
    ]
    rows = [c for c in result.changes if c.level == "python"]
    covered = {c.subject for c in rows} | {c.before for c in rows}
    uncovered = []
    for breakage in griffe.find_breaking_changes(trees[0], trees[1]):
        path = ".".join(
            p for p in breakage.obj.path.split(".")[1:] if not p.startswith("_") or p == "__init__"
        )
        param = next(
            (
                v.name
                for v in (breakage.old_value, breakage.new_value)
                if isinstance(v, griffe.Parameter)
            ),
            "",
        )
        path += f"({param})" if param else ""
        candidates = _candidates(path, client)
        if not candidates & covered:
            uncovered.append(f"{breakage.kind.value}: {path}")
    assert not uncovered


def _candidates(path: str, client: str) -> set[str]:
    """Names a row may carry for griffe's path: itself, its parents, and the client's spelling."""
    parts = path.split("(")[0].split(".")
    param = f"({path.split('(')[1]}" if "(" in path else ""
    found = {".".join(parts[:i]) for i in range(1, len(parts) + 1)} | {path}
    if len(parts) >= 2:  # a twin (AsyncOrderClient, operations, ...) stands for the client
        found |= {".".join([client, *parts[1:i]]) for i in range(2, len(parts) + 1)}
        found.add(".".join([client, *parts[1:]]) + param)
        found.add(parts[1])  # a renamed method is reported under its old name
    if param:
        found.add(f"{client}.*{param}")  # one row for the same argument change on many methods
    return found


def _write(spec: Path, out: Path) -> tuple[str, str]:
    result = cached_build(spec, load_settings(), formatted=False)  # both tests write both sides
    for relpath, data in result.files.items():
        target = out / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return result.api.package, result.api.client_class


def _signatures(root: Path, package: str, client: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _SIGNATURES, package, client],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    signatures: dict[str, Any] = json.loads(done.stdout)
    signatures["client"] = client
    return signatures


def _broken_calls(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Old calls (required arguments only) that the new package refuses."""
    broken = []
    for name, params in sorted(a["methods"].items()):
        shown = a["client"] if name == "__init__" else name
        if name not in b["methods"] or not _binds(params, b["methods"][name]):
            broken.append(shown)
    for name, required in sorted(a["models"].items()):
        if name not in b["models"] or set(b["models"][name]) - set(required):
            broken.append(name)
    return broken


def _binds(old: list[list[Any]], new: list[list[Any]]) -> bool:
    kinds = inspect.Parameter
    signature = inspect.Signature(
        [
            inspect.Parameter(n, getattr(kinds, kind), default=kinds.empty if req else None)
            for n, kind, req in new
        ]
    )
    args = [
        n for n, kind, req in old if req and kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
    ]
    kwargs = {n: n for n, kind, req in old if req and kind == "KEYWORD_ONLY"}
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        return False
    return True
