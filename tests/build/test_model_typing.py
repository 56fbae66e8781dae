"""Model typing a user enjoys: enum fields take their string literals (mypy agrees, the value read
back is still the enum member), object defaults type-check, every class has its own docstring."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from norce_checkout_order import RequestValidationError, models
from support import GENERATED, mypy_strict

from generator.build.pipeline import build
from generator.build.write import write_tree
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
USER_CODE = """\
from norce_checkout_order import models

address = models.Address(type="person")
state = models.StateResponse(current_status="checkout")
enum_too = models.Address(type=models.CustomerType.organization)
typo = models.Address(type="persn")
"""


def _mypy(folder: Path, code: str, path: Path) -> subprocess.CompletedProcess[str]:
    (folder / "user.py").write_text(code, "utf-8")
    return subprocess.run(
        mypy_strict("user.py"),
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(path)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_mypy_accepts_enum_literals_and_rejects_a_misspelt_one(tmp_path: Path) -> None:
    run = _mypy(tmp_path, USER_CODE, GENERATED)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, run.stdout
    assert errors[0].startswith("user.py:6: error:") and "'persn'" in errors[0]


def test_a_literal_becomes_the_enum_member() -> None:
    address = models.Address(type="person")
    assert address.type is models.CustomerType.person
    parsed = models.Address.model_validate({"type": "Organization"})
    assert parsed.type is models.CustomerType.organization
    newer = models.Address.model_validate({"type": "robot"})  # a value from a newer Norce build
    assert isinstance(newer.type, models.CustomerType) and newer.type == "robot"
    assert models.CustomerTypeLiteral.__args__ == ("person", "organization")  # type: ignore[attr-defined]


def test_a_non_string_still_fails() -> None:
    with pytest.raises(RequestValidationError, match="Address.type: Input should be"):
        models.Address.model_validate({"type": 5})


def test_every_model_class_has_its_own_docstring() -> None:
    classes = [
        c for _, c in inspect.getmembers(models, inspect.isclass) if c.__module__ == models.__name__
    ]
    assert len(classes) > 40
    assert [c.__name__ for c in classes if not c.__dict__.get("__doc__")] == []


def test_object_and_enum_defaults_type_check(tmp_path: Path) -> None:
    spec = ROOT / "tests" / "hostile" / "62_object_default_on_ref.yaml"
    result = build(spec, {**load_settings(), "package": "defaults_pkg"})
    write_tree(tmp_path / "out", result.files)
    code = textwrap.dedent("""\
        from defaults_pkg import models

        thing = models.Thing()
        place: models.Place | None = thing.place
        kind: models.Kind | None = thing.kind if isinstance(thing.kind, models.Kind) else None
        """)
    run = _mypy(tmp_path, code, tmp_path / "out")
    assert run.returncode == 0, run.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "from defaults_pkg import models; t = models.Thing(); "
            "assert isinstance(t.place, models.Place) and t.place.city == 'Oslo'; "
            "assert t.places is not None and isinstance(t.places[0], models.Place); "
            "assert t.kind is models.Kind.small",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "out")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
