"""Shared by all tests: paths, constants, generated/ on sys.path, and one build per input per process."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

# The real build, imported before any test replaces a module's build with cached_build.
from generator.build.pipeline import Result
from generator.build.pipeline import build as _build
from generator.settings import TEMPLATES, cache_root

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
GENERATED = ROOT / "generated"
SEEDS = Path(__file__).resolve().parent / "seeds"
API_KEY = "test-secret-key-7f3a"

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml: the same data (tests/build/test_load.py compares the two
    loaders), ~8x faster, which matters where a module reads the spec at collection time in every
    worker."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def mypy_cache_dir() -> Path:
    """A mypy cache of this test process (per pytest-xdist worker, so no two processes write one
    cache at once), kept between runs under the git-ignored build cache. mypy checks each cached
    module against its source's hash, so a warm cache only skips re-analysing unchanged modules
    (typeshed, pydantic, httpx); a test's own code and packages are checked as before."""
    return cache_root() / "mypy-tests" / os.environ.get("PYTEST_XDIST_WORKER", "main")


def mypy_strict(*args: str) -> list[str]:
    """The command line of ``mypy --strict ARGS`` with the shared per-worker cache."""
    return [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache_dir()), *args]


def run_generator(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` in a subprocess from the project root, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def generate_and_import(spec: Path, settings: dict[str, object], folder: Path) -> ModuleType:
    """Generate ``spec`` (without black) into ``folder`` and import the package under a name of
    its own (``_generated_<sha>``), so several builds can be compared in one process."""
    from generator.build.write import write_tree

    sha = hashlib.sha256(spec.read_bytes()).hexdigest()[:16]
    write_tree(folder, cached_build(spec, settings, formatted=False).files)
    name = f"_generated_{sha}"
    package = folder / str(settings["package"])
    found = importlib.util.spec_from_file_location(
        name, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module
    found.loader.exec_module(module)
    return module


_BUILDS: dict[str, Result] = {}


def cached_build(
    spec_path: Path, settings: Mapping[str, Any], templates: Path | None = None, **options: Any
) -> Result:
    """``pipeline.build``, run once per input in this test process (a worker under xdist).

    Keyed by the spec's bytes, the settings, the templates folder and the options, so a variant spec
    is built once per session however many tests read it. Drop-in for ``pipeline.build``.
    """
    templates = TEMPLATES if templates is None else templates
    key = json.dumps(
        [
            hashlib.sha256(Path(spec_path).read_bytes()).hexdigest(),
            settings,
            str(templates),
            options,
        ],
        sort_keys=True,
        default=str,
    )
    if key not in _BUILDS:
        _BUILDS[key] = _build(Path(spec_path), settings, templates, **options)
    return _BUILDS[key]
