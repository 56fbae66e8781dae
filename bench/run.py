"""``make bench``: generation time, no-op regeneration and import time against peers.

Baselines are measured in the same run, interleaved round by round (every round runs each tool once,
in a fixed order, each into a fresh temp folder), and reported as medians and ratios in
``bench/RESULTS.md``. Peers:

- datamodel-code-generator alone (the models step we build on), from the project venv;
- openapi-python-client, pinned in ``bench/requirements-opc.lock`` and installed by this script into
  ``bench/.venvs/opc`` (git-ignored), so its dependencies never mix with ours.

A tool that refuses a spec is reported with its exit code and first error line, not dropped.
The per-call overhead benchmark is ``bench/bench_overhead.py`` (``make bench`` runs it after this).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
OPC_VENV = BENCH / ".venvs" / "opc"
OPC_LOCK = BENCH / "requirements-opc.lock"
SPECS = {
    "norce-checkout-order": ROOT / "spec" / "norce-checkout-order.yaml",
    "petstore3": BENCH / "specs" / "petstore3.yaml",
    "xero-payroll-uk": BENCH / "specs" / "xero-payroll-uk.yaml",
}
NOTES_MARKER = "<!-- notes: hand-written below this line; bench/run.py keeps it -->"
TIMEOUT = 300.0
LINES: dict[str, int] = {}
BIN = Path(sys.executable).parent


@dataclass
class Timing:
    seconds: list[float]
    failure: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_timed(
    cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, str | None]:
    """Wall time of one command; the failure text (exit code + first error line) or None."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    elapsed = time.perf_counter() - start
    if proc.returncode == 0:
        return elapsed, None
    lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
    first = next((ln for ln in lines if "error" in ln.lower()), lines[0] if lines else "")
    return elapsed, f"exit {proc.returncode}: {first[:160]}"


def ensure_opc() -> Path:
    exe = OPC_VENV / "bin" / "openapi-python-client"
    if not exe.exists():
        print(f"installing openapi-python-client into {OPC_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True, timeout=TIMEOUT)
        subprocess.run(
            [
                str(OPC_VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(OPC_LOCK),
            ],
            check=True,
            timeout=TIMEOUT,
        )
    return exe


def tool_commands(opc: Path) -> dict[str, Callable[[Path, Path], list[str]]]:
    """tool name -> (spec, empty output dir) -> command."""
    return {
        "norce-codegen": lambda spec, out: [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(out / "gen"),
        ],
        "datamodel-codegen alone": lambda spec, out: [
            str(BIN / "datamodel-codegen"),
            "--input",
            str(spec),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--target-python-version",
            "3.11",
            "--use-annotated",
            "--field-constraints",
            "--snake-case-field",
            "--disable-timestamp",
            "--output",
            str(out / "models.py"),
        ],
        "openapi-python-client": lambda spec, out: [
            str(opc),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(out / "client"),
            "--meta",
            "none",
            "--overwrite",
        ],
    }


def stripped_norce(folder: Path) -> Path:
    """The Norce spec without ``x-*`` keys inside ``responses`` objects.

    OpenAPI 3.0 allows extensions there, but openapi-python-client 0.29.1 rejects them ("Input should
    be a valid dictionary or instance of Response"), so this copy gives it a spec it can read.
    """
    import yaml

    data = yaml.safe_load(SPECS["norce-checkout-order"].read_text("utf-8"))
    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and isinstance(op.get("responses"), dict):
                op["responses"] = {
                    k: v for k, v in op["responses"].items() if not str(k).startswith("x-")
                }
    target = folder / "norce-checkout-order.no-x-in-responses.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def bench_generation(rounds: int) -> dict[str, dict[str, Timing]]:
    tools = tool_commands(ensure_opc())
    holder = tempfile.TemporaryDirectory(prefix="bench-specs-")
    specs = {**SPECS, "norce (no x- in responses)": stripped_norce(Path(holder.name))}
    LINES.update({name: len(path.read_text("utf-8").splitlines()) for name, path in specs.items()})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    results = {spec: {tool: Timing([]) for tool in tools} for spec in specs}
    for round_no in range(rounds):
        for spec_name, spec in specs.items():
            for tool, command in tools.items():
                with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
                    seconds, failure = run_timed(command(spec, Path(tmp)), env=env)
                timing = results[spec_name][tool]
                timing.seconds.append(seconds)
                timing.failure = timing.failure or failure
        print(f"generation round {round_no + 1}/{rounds} done", flush=True)
    holder.cleanup()
    return results


def bench_noop(rounds: int) -> tuple[Timing, Timing, float]:
    """(full generate into a fresh dir, generate on an up-to-date dir, in-process key check ms)."""
    sys.path.insert(0, str(ROOT))
    from generator.build.freshness import input_key, is_up_to_date
    from generator.settings import load_settings

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    spec = SPECS["norce-checkout-order"]
    full, noop = Timing([]), Timing([])
    with tempfile.TemporaryDirectory(prefix="bench-noop-") as tmp:
        out = Path(tmp) / "gen"
        command = [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(out),
        ]
        for _ in range(rounds):
            seconds, failure = run_timed(command + ["--force"], env=env)
            full.seconds.append(seconds)
            full.failure = full.failure or failure
            seconds, failure = run_timed(command, env=env)
            noop.seconds.append(seconds)
            noop.failure = noop.failure or failure
        settings = load_settings()
        start = time.perf_counter()
        for _ in range(20):
            assert is_up_to_date(out, input_key(spec, settings))
        check_ms = (time.perf_counter() - start) / 20 * 1000
    return full, noop, check_ms


def bench_imports(rounds: int) -> dict[str, Timing]:
    """``python -c 'import X'`` wall time, interleaved; 'pass' is the interpreter's own start."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    statements = {
        "python -c pass": "pass",
        "import httpx": "import httpx",
        "import pydantic": "import pydantic",
        "import httpx, pydantic": "import httpx, pydantic",
        "import norce_checkout_order": "import norce_checkout_order",
    }
    results = {name: Timing([]) for name in statements}
    for _ in range(rounds):
        for name, statement in statements.items():
            seconds, failure = run_timed([sys.executable, "-c", statement], env=env)
            results[name].seconds.append(seconds)
            results[name].failure = results[name].failure or failure
    return results


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {
        name: _version(name)
        for name in ("datamodel-code-generator", "black", "pydantic", "httpx", "schemathesis")
    }
    opc = subprocess.run(
        [
            str(OPC_VENV / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('openapi-python-client'))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    from generator import __version__

    return [
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} CPUs (`nproc` {_nproc()}), {cpu}, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}; norce-codegen {__version__}; "
        + "; ".join(f"{k} {v}" for k, v in versions.items())
        + f"; openapi-python-client {opc}",
    ]


def _nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        return "?"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _ratio(a: Timing, b: Timing) -> str:
    return "n/a" if a.failure or b.failure else f"{a.median / b.median:.2f}x"


def _cell(timing: Timing) -> str:
    text = f"{timing.median:.2f} s"
    return text + (f" (**failed**: {timing.failure})" if timing.failure else "")


def render(
    gen: dict[str, dict[str, Timing]],
    noop: tuple[Timing, Timing, float],
    imports: dict[str, Timing],
    rounds: tuple[int, int, int],
) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); medians of interleaved rounds.",
        "",
        *machine(),
        "",
        f"## Generation time (wall, median of {rounds[0]}, fresh output folder each run)",
        "",
        "| spec | lines | norce-codegen | datamodel-codegen alone | openapi-python-client "
        "| ours / DCG | ours / OPC |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for spec_name, tools in gen.items():
        ours, dcg, opc = (
            tools[t] for t in ("norce-codegen", "datamodel-codegen alone", "openapi-python-client")
        )
        lines.append(
            f"| {spec_name} | {LINES[spec_name]} | {_cell(ours)} | {_cell(dcg)} "
            f"| {_cell(opc)} | {_ratio(ours, dcg)} | {_ratio(ours, opc)} |"
        )
    full, skip, check_ms = noop
    lines += [
        "",
        f"## No-op regeneration (norce spec, median of {rounds[1]})",
        "",
        "| run | wall |",
        "| --- | ---: |",
        f"| `generate --force` (full build) | {_cell(full)} |",
        f"| `generate` on an up-to-date output (skipped) | {_cell(skip)} |",
        f"| of which the key + intact-files check, in process | {check_ms:.1f} ms |",
        f"| speed-up | {full.median / skip.median:.1f}x |",
        "",
        f"## Import time (`python -c ...`, wall, median of {rounds[2]}, interleaved)",
        "",
        "| statement | wall | minus interpreter start | vs `import httpx` |",
        "| --- | ---: | ---: | ---: |",
    ]
    base = imports["python -c pass"].median
    httpx_net = imports["import httpx"].median - base
    for name, timing in imports.items():
        net = timing.median - base
        rel = "" if name == "python -c pass" else f"{net / httpx_net:.2f}x"
        lines.append(f"| `{name}` | {_cell(timing)} | {net * 1000:.0f} ms | {rel} |")
    lines += [
        "",
        "Per-call overhead vs raw httpx: `bench/bench_overhead.py` (run by `make bench` "
        "after this script; it prints its own table).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="generation rounds (default 3)")
    parser.add_argument("--noop-rounds", type=int, default=5)
    parser.add_argument("--import-rounds", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print, do not update RESULTS.md")
    args = parser.parse_args()
    gen = bench_generation(args.rounds)
    noop = bench_noop(args.noop_rounds)
    imports = bench_imports(args.import_rounds)
    text = render(gen, noop, imports, (args.rounds, args.noop_rounds, args.import_rounds))
    print(text)
    if not args.no_write:
        notes = ""
        if RESULTS.exists() and NOTES_MARKER in RESULTS.read_text("utf-8"):
            notes = RESULTS.read_text("utf-8").split(NOTES_MARKER, 1)[1]
        RESULTS.write_text(text + "\n" + NOTES_MARKER + (notes or "\n"), "utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
