"""Helpers and fixtures for the vendoring tests: another repo in a temp dir, the CLI in process, and
a venv with only the client's deps. Test modules import the fixtures they use (``conftest`` is
ambiguous across test folders: ``from conftest import`` picks whichever was loaded last).

Every build is cached per (spec sha256, settings): a generation costs seconds and most tests vendor
the same spec under the same name.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import cached_build

from generator.build.requirements import MINIMUM_DEPENDENCIES
from generator.cli import main
from generator.vendoring import vendor as vendor_module

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
# The client's runtime dependencies, installed at the versions pinned in requirements.lock.
CLIENT_DEPS = (
    "httpx",
    "pydantic",
    "anyio",
    "certifi",
    "h11",
    "httpcore",
    "idna",
    "annotated-types",
    "pydantic_core",
    "typing_extensions",
    "typing-inspection",
)


@dataclass(frozen=True)
class Run:
    """Exit code and captured output of one in-process CLI run."""

    code: int
    out: str
    err: str


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root (cache dirs skipped) with its bytes and mtime."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def client_pins() -> list[str]:
    """The ``name==version`` lines of requirements.lock for CLIENT_DEPS."""
    wanted = {re.sub(r"[-_.]+", "-", name).lower() for name in CLIENT_DEPS}
    pins = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        name = line.split("==")[0].strip()
        if "==" in line and re.sub(r"[-_.]+", "-", name).lower() in wanted:
            pins.append(line.strip())
    assert len(pins) == len(CLIENT_DEPS), f"requirements.lock lacks some of {CLIENT_DEPS}: {pins}"
    return pins


def run_fresh(
    python: Path,
    args: list[str],
    cwd: Path,
    pythonpath: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the fresh venv's python with a clean environment (no PYTHONPATH unless given)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(name="reuse_builds", autouse=True)
def reuse_builds_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vendor_module, "build", cached_build)


@pytest.fixture(name="cli")
def cli_fixture(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``python -m generator ARGS`` in process (so the build cache applies)."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(name="other_repo")
def other_repo_fixture(tmp_path: Path) -> Path:
    """A repo with its own layout: src/acme/ is a package with an unrelated module in it."""
    repo = tmp_path / "other-repo"
    (repo / "src" / "acme").mkdir(parents=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "acme"\nversion = "1.0"\n')
    (repo / "src" / "acme" / "__init__.py").write_text('"""Acme."""\n')
    (repo / "src" / "acme" / "unrelated.py").write_text(
        '"""Not ours: must never change."""\nX = 1\n'
    )
    return repo


@pytest.fixture(name="copy")
def copy_fixture(cli: Callable[..., Run], other_repo: Path) -> Path:
    """The package vendored into the other repo as src/acme/norce_order."""
    assert cli("vendor", other_repo / "src" / "acme", "--package", "norce_order").code == 0
    return other_repo / "src" / "acme" / "norce_order"


@pytest.fixture(name="fresh_python", scope="session")
def fresh_python_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A venv's python with only the client's deps, at the versions requirements.lock pins."""
    return venv_python(client_pins(), request, tmp_path_factory)


@pytest.fixture(name="minimum_python", scope="session")
def minimum_python_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A venv's python with the oldest httpx and pydantic the vendored README promises."""
    pins = [f"{name}=={version}" for name, version in MINIMUM_DEPENDENCIES.items()]
    return venv_python(pins, request, tmp_path_factory)


def venv_python(
    pins: list[str], request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A venv with exactly ``pins`` installed (wheels only); cached in pytest's cache dir per pin set.

    Built in a temp sibling and renamed into place, so concurrent sessions never see a half venv.
    """
    key = hashlib.sha256(("\n".join(pins) + sys.version).encode()).hexdigest()[:16]
    # pytest's cache dir survives between runs; without the cache plugin, build it per session.
    config_cache = getattr(request.config, "cache", None)
    cache = config_cache.mkdir("vendor-venv") if config_cache else tmp_path_factory.mktemp("venv")
    venv = cache / key
    python = venv / "bin" / "python"
    if python.exists():
        return python
    staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache))
    try:
        subprocess.run([sys.executable, "-m", "venv", str(staging)], check=True, timeout=120)
        subprocess.run(
            [
                str(staging / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--only-binary=:all:",
                *pins,
            ],
            check=True,
            timeout=600,
        )
        try:
            staging.rename(venv)
        except OSError:
            if not python.exists():  # not another session winning the race
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return python
