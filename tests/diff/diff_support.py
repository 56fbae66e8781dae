"""Helpers for the diff tests: specs as small dicts, variants of the real spec, cached sides.

Every side is built once per process, and kept in the build cache the whole suite shares
(``NORCE_CODEGEN_CACHE``, set in ``tests/conftest.py``): CLI runs in subprocesses reuse it too. The
cache is content-addressed, so sharing it can only save time, and the other tests on the same
worker keep their warm format and model caches.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import load_yaml

from generator.diff.changes import Change
from generator.diff.inputs import Input
from generator.diff.sides import Side, side_of
from generator.diff.specs import Report, compare
from generator.settings import PROJECT_ROOT, load_settings

SPEC = PROJECT_ROOT / "spec" / "norce-checkout-order.yaml"
CORPUS = Path(__file__).resolve().parent / "corpus"
if str(CORPUS) not in sys.path:
    sys.path.insert(0, str(CORPUS))

Variants = Callable[[str, Callable[[dict[str, Any]], None]], Path]
_SIDES: dict[Path, Side] = {}


def side(path: Path) -> Side:
    if path not in _SIDES:
        _SIDES[path] = side_of(Input(str(path), path, None, path.name, str(path)), load_settings())
    return _SIDES[path]


def report(old: Path, new: Path) -> Report:
    return compare(side(old), side(new), "OLD", "NEW")


def find(result: Report | list[Change], level: str, kind: str) -> list[Change]:
    changes = result.changes if isinstance(result, Report) else result
    return [c for c in changes if c.level == level and c.kind == kind]


def write_spec(path: Path, data: dict[str, Any]) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(data), "utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return path


@pytest.fixture(scope="session")
def spec_data() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(SPEC.read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory, spec_data: dict[str, Any]) -> Variants:
    """Write ``spec_data`` edited by ``edit`` to a file named ``name`` (one per name)."""
    root = tmp_path_factory.mktemp("variants")

    def make(name: str, edit: Callable[[dict[str, Any]], None]) -> Path:
        path = root / f"{name}.yaml"
        if not path.exists():
            data = copy.deepcopy(spec_data)
            edit(data)
            write_spec(path, data)
        return path

    return make


@pytest.fixture(scope="session")
def norce_variant(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A named variant of the real spec from ``corpus/norce_variants.py``, written once."""
    from norce_variants import write_variant

    root = tmp_path_factory.mktemp("norce-variants")

    def make(name: str) -> Path:
        path = root / f"{name}.yaml"
        if not path.exists():
            write_variant(SPEC, name, path)
        return path

    return make


def api(
    paths: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """A small OpenAPI 3.0 document."""
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }
    document.update(extra)
    return document


def body_op(request: str | None, response: str | None, **extra: Any) -> dict[str, Any]:
    """An operation with ``$ref`` request and 200 response bodies (either may be None)."""
    op: dict[str, Any] = {"responses": {"200": {"description": "ok"}}, **extra}
    if request:
        op["requestBody"] = {
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{request}"}}}
        }
    if response:
        op["responses"]["200"]["content"] = {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}
        }
    return op
