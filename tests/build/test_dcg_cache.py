"""DCG runs only when the schemas changed, and its output is what it makes of the whole document."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from datamodel_code_generator import generate
from support import SPEC, load_yaml

from generator.build.dcg import _input, run_dcg
from generator.build.models import DCG_OPTIONS
from generator.settings import CACHE_ENV

DATA: dict[str, Any] = load_yaml(SPEC.read_text("utf-8"))


def test_components_alone_give_the_same_models_as_the_whole_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    metadata = tmp_path / "metadata.json"
    whole = generate(json.dumps(DATA), **DCG_OPTIONS, aliases={}, emit_model_metadata=metadata)
    assert run_dcg(DATA, DCG_OPTIONS, {}) == (whole, json.loads(metadata.read_text("utf-8")))
    assert "paths" not in _input(DATA)
    assert run_dcg(DATA, DCG_OPTIONS, {}) == (whole, json.loads(metadata.read_text("utf-8")))


def test_a_reworded_operation_reuses_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    first = run_dcg(DATA, DCG_OPTIONS, {})
    reworded = copy.deepcopy(DATA)
    reworded["info"]["description"] = "Build 2099-01-01 00:00:00"
    item = next(iter(reworded["paths"].values()))
    next(op for op in item.values() if isinstance(op, dict) and "responses" in op)["summary"] = "x"
    entry = next((tmp_path / "dcg").iterdir())
    entry.write_bytes(entry.read_bytes().replace(b"class ", b"class  ", 1))  # corrupt: a miss
    assert run_dcg(reworded, DCG_OPTIONS, {}) == first  # recomputed, same
    assert b"class  " not in entry.read_bytes()  # and rewritten
    assert len(list((tmp_path / "dcg").iterdir())) == 1
    changed = copy.deepcopy(DATA)
    schema = next(iter(changed["components"]["schemas"].values()))
    schema.setdefault("properties", {})["addedForTheTest"] = {"type": "string"}
    assert "added_for_the_test" in run_dcg(changed, DCG_OPTIONS, {})[0]
    assert len(list((tmp_path / "dcg").iterdir())) == 2


def test_schemas_that_point_outside_components_get_the_whole_document() -> None:
    data = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"A": {"$ref": "#/paths/~1a/get/x"}}},
    }
    assert _input(data) is data
