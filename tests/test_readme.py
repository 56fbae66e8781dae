"""The README works as written: every ``sh`` line runs in a fresh shell, every Python example runs.

A module fixture copies this checkout into a temp folder (git history with an older build of the
spec three commits back, a sibling ``../acme/src/acme`` package as "your repo", a ``.venv`` that sees
this test's installed packages so ``make install`` needs no download). README.md, "How the README
is tested", lists the stand-ins; everything else runs exactly as a newcomer would type it.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import norce_checkout_order
import pytest
from readme_standins import HOSTS, NOT_FOUND, ORDERS, norce_proxy
from support import ROOT, mypy_cache_dir

README = (ROOT / "README.md").read_text("utf-8")
SNIPPETS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
RUN_EXAMPLE = "PYTHONPATH=generated .venv/bin/python example.py"
# The suite cannot run itself, and the benchmarks take minutes: these are dry-run (make -n);
# CI runs `make test` as .ci/run.
DRY_RUN = {"make test", "make contract", "make bench"}
BUILD = b"Build 2026-01-12 08:21:29"
OLDER_BUILD, NEWER_BUILD = b"Build 2025-11-03 09:00:00", b"Build 2026-02-01 10:00:00"
SPEC = Path("spec") / "norce-checkout-order.yaml"
# A fresh shell: no venv, no PYTHONPATH, no make or pytest state of the run that started us.
_DROPPED_ENV = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
_PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def shell_commands(markdown: str) -> list[str]:
    """Every command line of every ``sh`` block (continuations joined, comments dropped)."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


COMMANDS = shell_commands(README)


@dataclass(frozen=True)
class Sandbox:
    """The checkout copy, the newer spec the update-spec stand-in serves, and a shell runner."""

    root: Path
    newer_spec: Path
    before: dict[str, bytes]

    def run(
        self, command: str, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = _fresh_env()
        env.update(extra_env or {})
        return subprocess.run(
            ["bash", "-c", command],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a hang guard, not a benchmark
        )


def _fresh_env() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _DROPPED_ENV
        and name.lower() not in _PROXY_ENV
        and not name.startswith("PYTEST_")
    }
    path = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in path if not (Path(p).parent / "pyvenv.cfg").exists())
    # Like the build cache (NORCE_CODEGEN_CACHE, tests/conftest.py), mypy's cache is the suite's:
    # `make lint` re-checks what changed, not typeshed, pydantic and httpx.
    env["MYPY_CACHE_DIR"] = str(mypy_cache_dir())
    return env


def _git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=README test", "-c", "user.email=readme@test.invalid"]
    result = subprocess.run(
        ["git", *identity, "-c", "commit.gpgsign=false", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout


def _checkout_files() -> list[str]:
    """Tracked and new (not ignored) files of this checkout, plus the no-op key of generated/."""
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return [*filter(None, listed.split("\0")), "generated/.norce-codegen-key.json"]


def _snapshot_checkout() -> dict[str, bytes]:
    """What README commands could write in the real checkout: generated/ and spec/."""
    return {
        path.relative_to(ROOT).as_posix(): path.read_bytes()
        for folder in ("generated", "spec")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    base = tmp_path_factory.mktemp("readme")
    root = base / "norce-codegen"
    for relpath in _checkout_files():
        source = ROOT / relpath
        if source.is_file():
            (root / relpath).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / relpath)
    # History: the spec three commits back is an older build, for `make diff BASE=HEAD~3`.
    spec = root / SPEC
    current = spec.read_bytes()
    assert current.count(BUILD) == 1
    _git(root, "init", "-q", "-b", "main")
    spec.write_bytes(current.replace(BUILD, OLDER_BUILD))
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "older build")
    for message in ("unrelated change", "another unrelated change"):
        _git(root, "commit", "-q", "--allow-empty", "-m", message)
    spec.write_bytes(current)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "this build")
    # "Your repo", next to the checkout: src/acme is a package.
    (base / "acme" / "src" / "acme").mkdir(parents=True)
    (base / "acme" / "src" / "acme" / "__init__.py").write_text('"""Acme."""\n')
    # The update-spec stand-in: the next build of the same API, as a local file.
    newer = base / "norce-order-next-build.yaml"
    newer.write_bytes(current.replace(BUILD, NEWER_BUILD))
    # .venv: empty, but it sees our packages, so `make install` finds every pin installed.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")],
        check=True,
        timeout=120,
    )
    purelib = root / ".venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    (purelib / "site-packages" / "zz_readme_test_seed.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n"
    )
    box = Sandbox(root, newer, _snapshot_checkout())
    installed = box.run("make install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = box.run(".venv/bin/python -I -c 'import generator; print(generator.__file__)'")
    assert Path(where.stdout.strip()).is_relative_to(root), where.stdout + where.stderr
    return box


def _as_run(command: str, box: Sandbox) -> str:
    """The command with its network stand-in, if it has one (README: "How the README is tested")."""
    if command.startswith("make update-spec URL=https://"):
        return f"make update-spec URL={box.newer_spec}"
    if command in DRY_RUN:
        return command.replace("make ", "make -n ", 1)
    return command


def test_readme_has_commands_and_examples() -> None:
    assert {
        "make generate",
        "make test",
        "make vendor DEST=../acme/src/acme PACKAGE=norce_order",
    } <= set(COMMANDS)
    assert not [c for c in COMMANDS if "python -m generator" in c], "use norce-codegen or make"
    assert f"`{RUN_EXAMPLE}`" in README
    assert len(SNIPPETS) >= 2


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs_as_written(command: str, sandbox: Sandbox) -> None:
    result = sandbox.run(_as_run(command, sandbox))
    assert result.returncode == 0, f"$ {command}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_readme_python_example_runs_as_written(
    index: int, sandbox: Sandbox, tmp_path: Path
) -> None:
    snippet = SNIPPETS[index]
    (sandbox.root / "example.py").write_text(snippet, "utf-8")
    with norce_proxy(tmp_path) as (env, seen):
        result = sandbox.run(RUN_EXAMPLE, env)
    assert result.returncode == 0, result.stdout + result.stderr
    environment = re.search(r'environment="(\w+)"', snippet)
    assert environment and seen
    for request in seen:
        assert request.host == f"acme.api-se.{environment[1]}.norce.tech", request
        assert request.host in HOSTS and request.path.startswith(ORDERS + "/o_123")
        assert request.headers["x-merchant"] == "norce" and request.headers["x-channel"] == "1"
        assert request.headers["authorization"]
    if "NotFoundError" in snippet:
        assert f"{NOT_FOUND['code']} {NOT_FOUND['message']}" in result.stdout
    if "with_raw_response" in snippet:
        assert "200 req-readme-1" in result.stdout


def test_the_checkout_itself_was_not_touched(sandbox: Sandbox) -> None:
    assert _snapshot_checkout() == sandbox.before


def test_readme_snippets_parse_and_import_real_names() -> None:
    for snippet in SNIPPETS:
        tree = ast.parse(snippet)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "norce_checkout_order":
                for alias in node.names:
                    assert hasattr(norce_checkout_order, alias.name), alias.name


def test_readme_calls_exist_on_the_client() -> None:
    methods = {
        m
        for snippet in SNIPPETS
        for m in re.findall(r"client\.(?:with_raw_response\.)?(\w+)\(", snippet)
    }
    assert methods
    for method in methods:
        assert hasattr(norce_checkout_order.OrderClient, method), method
