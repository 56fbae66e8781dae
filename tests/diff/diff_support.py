"""Spec variants for the diff tests; every generation is cached per spec sha (each costs ~3 s)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import pipeline
from generator.build.pipeline import Result, build
from generator.diff import changelog
from generator.diff import specs as diff
from generator.diff.specs import Report, compare
from generator.settings import PROJECT_ROOT, load_settings

SPEC = PROJECT_ROOT / "spec" / "norce-checkout-order.yaml"
_CACHE: dict[str, Result] = {}


def cached_build(path: Path, settings: Any, *args: Any) -> Result:
    key = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if key not in _CACHE:
        _CACHE[key] = build(Path(path), settings, *args)
    return _CACHE[key]


@pytest.fixture(autouse=True)
def _reuse_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI, diff and changelog build through these names: serve them from the cache."""
    monkeypatch.setattr(diff, "build", cached_build)
    monkeypatch.setattr(changelog, "build", cached_build)
    # cli imports the pipeline inside its handlers, so it reads build from the module at call time.
    monkeypatch.setattr(pipeline, "build", cached_build)


@pytest.fixture(scope="session")
def spec_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def variants(
    tmp_path_factory: pytest.TempPathFactory, spec_data: dict[str, Any]
) -> Callable[[str, Callable[[dict[str, Any]], None]], Path]:
    """Write ``spec_data`` edited by ``edit`` to a file named ``name`` (one per name)."""
    root = tmp_path_factory.mktemp("variants")

    def make(name: str, edit: Callable[[dict[str, Any]], None]) -> Path:
        path = root / f"{name}.yaml"
        if not path.exists():
            data = copy.deepcopy(spec_data)
            edit(data)
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        return path

    return make


@pytest.fixture(scope="session")
def report_for() -> Iterator[Callable[[Path], Report]]:
    """Report of the real spec (OLD) against a variant file (NEW)."""
    settings = load_settings()

    def run(path: Path) -> Report:
        return compare(cached_build(SPEC, settings), cached_build(path, settings), "OLD", "NEW")

    yield run
