"""``make bench``: issue 15's goals measured against baselines taken in the same run.

Every number is a median over interleaved rounds (each round runs every tool once, in a fixed order,
into fresh folders), so the shared machine's load hits all tools alike; ratios are the figures to read.
Wall time and CPU time (user + sys of the process and its children) are both reported.

- generation, per spec (Norce, petstore3, Xero payroll UK):
  ours cold (``generate --force``, empty cache folder), ours warm (one operation's summary reworded,
  the cache folder of that round's cold run), datamodel-codegen alone, openapi-python-client and
  OpenAPI Generator (``-g python``; the jar from the PyPI package, run with java);
- no-op ``generate`` on an up-to-date output;
- ``import norce_checkout_order`` vs ``import httpx`` in a venv with only the client's dependencies;
- per-call instructions vs raw httpx (``bench/bench_overhead.py``, callgrind);
- the spec diff on the Norce pair against the implementation it replaced and against Optic
  (``bench/bench_diff.py``, issue 12);
- ``make test`` wall time, with the load average around it.

Peers live in their own venvs under ``bench/.venvs/`` (git-ignored), installed from the pinned
``bench/requirements-*.lock`` files. A tool that refuses a spec is reported with its error, not
dropped. Each run appends a dated section to ``bench/RESULTS.md`` (``--no-write``: print only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "RESULTS.md"
VENVS = BENCH / ".venvs"
SPECS = {
    "norce-checkout-order": ROOT / "spec" / "norce-checkout-order.yaml",
    "petstore3": BENCH / "specs" / "petstore3.yaml",
    "xero-payroll-uk": BENCH / "specs" / "xero-payroll-uk.yaml",
}
TIMEOUT = 600.0
BIN = Path(sys.executable).parent
# Client dependencies, from requirements.lock, for the import measurement.
CLIENT_DEPS = (
    "httpx anyio certifi h11 httpcore idna pydantic pydantic_core annotated-types "
    "typing_extensions typing-inspection"
).split()
GOALS = {
    "cold / DCG alone (Norce)": 2.5,
    "cold / openapi-python-client (petstore3)": 2.0,
    "cold / openapi-python-client (xero-payroll-uk)": 2.0,
    "warm / DCG alone (Norce)": 1.0,
    "no-op generate, seconds": 0.10,
    "import / import httpx": 1.4,
    "per-call instructions / raw httpx + pydantic": 1.05,
    "diff, first after generate / old diff (Norce pair)": 1 / 3,
    "diff, from scratch / old diff (Norce pair)": 1 / 3,
    "make test, seconds (2 min goal on a quiet machine)": 120.0,
}
# (wall, CPU) of a measurement; a goal that has only one kind of figure repeats it.
Measured = tuple[float | None, float | None]


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    failure: str | None = None

    def add(self, wall: float, cpu: float, failure: str | None) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.failure = self.failure or failure

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def run_measured(
    cmd: list[str],
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
) -> tuple[float, float, str | None]:
    """(wall s, CPU s of the command and its children, failure text or None); an exit code in
    ``ok`` is success."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode in ok:
        return wall, cpu, None
    lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
    first = next((ln for ln in lines if "error" in ln.lower()), lines[0] if lines else "")
    return wall, cpu, f"exit {proc.returncode}: {first[:160]}"


# -- peer environments ----------------------------------------------------------------------------


def venv_from_lock(name: str, pins: list[str]) -> Path:
    """``bench/.venvs/<name>`` with exactly ``pins`` installed; rebuilt when the pins change."""
    venv = VENVS / name
    stamp = venv / ".pins-sha256"
    wanted = hashlib.sha256("\n".join(pins).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text().strip() == wanted:
        return venv / "bin" / "python"
    print(f"installing {name} into {venv} ...", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=TIMEOUT)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--disable-pip-version-check", *pins], check=True, timeout=TIMEOUT)
    stamp.write_text(wanted + "\n")
    return venv / "bin" / "python"


def lock_pins(lock: Path, only: list[str] | None = None) -> list[str]:
    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    wanted = {norm(n) for n in only} if only else None
    pins = [ln.strip() for ln in lock.read_text().splitlines() if "==" in ln]
    return [p for p in pins if wanted is None or norm(p.split("==")[0]) in wanted]


def oag_jar() -> Path:
    python = venv_from_lock("oag", lock_pins(BENCH / "requirements-oag.lock"))
    site = subprocess.run(
        [str(python), "-c", "import openapi_generator_cli as m; print(m.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    return Path(site).parent / "openapi-generator.jar"


# -- specs ----------------------------------------------------------------------------------------


def reworded(spec: Path, folder: Path) -> Path:
    """A copy of ``spec`` with the first operation's summary reworded: the warm-run input."""
    lines = spec.read_text("utf-8").split("\n")
    start = lines.index("paths:")
    for index in range(start, len(lines)):
        if re.match(r"^\s+summary: \S", lines[index]):
            lines[index] += " (reworded)"
            break
    else:
        raise SystemExit(f"{spec}: no operation summary to reword")
    target = folder / "reworded" / spec.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), "utf-8")
    return target


def without_x_in_responses(spec: Path, folder: Path) -> Path:
    """The spec without ``x-*`` keys inside ``responses`` objects.

    OpenAPI 3.0 allows extensions there, but openapi-python-client 0.29.1 rejects them ("Input should
    be a valid dictionary or instance of Response"), so this copy gives it a spec it can read.
    """
    import yaml

    data = yaml.safe_load(spec.read_text("utf-8"))
    for item in data["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and isinstance(op.get("responses"), dict):
                op["responses"] = {
                    k: v for k, v in op["responses"].items() if not str(k).startswith("x-")
                }
    target = folder / "no-x-in-responses" / spec.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return target


# -- generation -----------------------------------------------------------------------------------

PARTS = ("generation", "noop", "imports", "overhead", "diff", "tests")
TOOLS = ("ours cold", "ours warm", "DCG alone", "openapi-python-client", "OpenAPI Generator")


def _ours(spec: Path, out: Path, cache: Path) -> tuple[list[str], dict[str, str]]:
    cmd = [sys.executable, "-m", "generator", "generate", "--force", "--spec", str(spec)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NORCE_CODEGEN_CACHE": str(cache)}
    return [*cmd, "--out", str(out)], env


def _dcg(spec: Path, out: Path) -> list[str]:
    return [
        str(BIN / "datamodel-codegen"),
        *("--input", str(spec), "--input-file-type", "openapi"),
        *("--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.11"),
        *("--use-annotated", "--field-constraints", "--snake-case-field", "--disable-timestamp"),
        *("--output", str(out / "models.py")),
    ]


def bench_generation(rounds: int) -> dict[str, dict[str, Timing]]:
    opc = venv_from_lock("opc", lock_pins(BENCH / "requirements-opc.lock")).parent
    jar = oag_jar()
    results = {spec: {tool: Timing() for tool in TOOLS} for spec in SPECS}
    with tempfile.TemporaryDirectory(prefix="bench-specs-") as holder:
        folder = Path(holder)
        warm_specs = {name: reworded(path, folder) for name, path in SPECS.items()}
        opc_specs = dict(SPECS)
        opc_specs["norce-checkout-order"] = without_x_in_responses(
            opc_specs["norce-checkout-order"], folder
        )
        for round_no in range(rounds):
            for name, spec in SPECS.items():
                with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
                    work = Path(tmp)
                    cache = work / "cache"
                    # Both into fresh folders: a CHANGELOG entry (diffing two builds) is not
                    # generation; profile_generate.py shows its cost.
                    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
                        "ours cold": _ours(spec, work / "cold", cache),
                        "ours warm": _ours(warm_specs[name], work / "warm", cache),
                        "DCG alone": (_dcg(spec, work), None),
                        "openapi-python-client": (
                            [
                                str(opc / "openapi-python-client"),
                                *("generate", "--path", str(opc_specs[name])),
                                *("--output-path", str(work / "opc"), "--meta", "none"),
                            ],
                            None,
                        ),
                        "OpenAPI Generator": (
                            ["java", "-jar", str(jar), "generate", "-i", str(spec)]
                            + ["-g", "python", "-o", str(work / "oag")],
                            None,
                        ),
                    }
                    for tool in TOOLS:
                        cmd, env = commands[tool]
                        results[name][tool].add(*run_measured(cmd, env=env))
            print(f"generation round {round_no + 1}/{rounds} done", flush=True)
    return results


# -- no-op, import, per-call, test suite ----------------------------------------------------------


def bench_noop(rounds: int) -> Timing:
    timing = Timing()
    with tempfile.TemporaryDirectory(prefix="bench-noop-") as tmp:
        spec = SPECS["norce-checkout-order"]
        cmd, env = _ours(spec, Path(tmp) / "out", Path(tmp) / "cache")
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=TIMEOUT)
        noop = [arg for arg in cmd if arg != "--force"]
        for _ in range(rounds):
            timing.add(*run_measured(noop, env=env))
    return timing


def bench_imports(rounds: int) -> dict[str, Timing]:
    """``python -c 'import X'`` in a venv holding only the client's pinned dependencies."""
    python = venv_from_lock("runtime", lock_pins(ROOT / "requirements.lock", CLIENT_DEPS))
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT / "generated")}
    statements = {
        "python -c pass": "pass",
        "import httpx": "import httpx",
        "import httpx, pydantic": "import httpx, pydantic",
        "import norce_checkout_order": "import norce_checkout_order",
        "from norce_checkout_order import OrderClient": (
            "from norce_checkout_order import OrderClient"
        ),
        # What the first call adds: pydantic's machinery, the models and one response validator.
        "... + models + one response validator (first call)": (
            "from norce_checkout_order import OrderClient, models\n"
            "from norce_checkout_order._types import type_adapter\n"
            "type_adapter(models.OrderResponse)"
        ),
    }
    for statement in statements.values():  # compile .pyc files outside the measurement
        subprocess.run([str(python), "-c", statement], env=env, check=True, timeout=TIMEOUT)
    results = {name: Timing() for name in statements}
    for _ in range(rounds):
        for name, statement in statements.items():
            results[name].add(*run_measured([str(python), "-c", statement], env=env))
    return results


def bench_overhead() -> str:
    """bench_overhead.py's own report (wall clock and callgrind instructions per call)."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_overhead.py"), "--rounds", "9"]
        + ["--variants", "raw+pydantic,generated"],  # raw is always measured
        capture_output=True,
        text=True,
        timeout=3 * TIMEOUT,
    )
    return (proc.stdout + proc.stderr).strip()


def bench_diff(rounds: int) -> str:
    """bench_diff.py's own report (wall and CPU medians, ratios to the old diff and to Optic)."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_diff.py"), "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        timeout=3 * TIMEOUT,
    )
    return (proc.stdout + proc.stderr).strip()


def bench_test_suite() -> tuple[Timing, str]:
    """``make test`` once, with the load average before and after."""
    before = os.getloadavg()
    timing = Timing()
    timing.add(*run_measured(["make", "test"]))
    after = os.getloadavg()
    return (
        timing,
        f"load average (1 / 5 min) before {before[0]:.2f} / {before[1]:.2f}, after {after[0]:.2f} / {after[1]:.2f}",
    )


# -- report ---------------------------------------------------------------------------------------


def _ratio(a: Timing, b: Timing, attr: str = "median_wall") -> float | None:
    if a.failure or b.failure or not a.wall or not b.wall:
        return None
    return float(getattr(a, attr)) / float(getattr(b, attr))


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _cell(timing: Timing) -> str:
    text = f"{timing.median_wall:.2f} s / {timing.median_cpu:.2f} s"
    return text + (f" (**failed**: {timing.failure})" if timing.failure else "")


def _versions() -> str:
    from importlib import metadata

    names = ("datamodel-code-generator", "black", "pydantic", "httpx", "jinja2")
    found = "; ".join(f"{n} {metadata.version(n)}" for n in names)
    peers = (
        "openapi-python-client "
        + lock_pins(BENCH / "requirements-opc.lock", ["openapi-python-client"])[0].split("==")[1]
    )
    peers += (
        "; openapi-generator-cli " + lock_pins(BENCH / "requirements-oag.lock")[0].split("==")[1]
    )
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=60).stderr
    return f"Python {platform.python_version()}; {found}; {peers}; {java.splitlines()[0] if java else 'no java'}"


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs, {cpu}, {platform.system()} {platform.release()}"


def render(
    gen: dict[str, dict[str, Timing]] | None,
    noop: Timing | None,
    imports: dict[str, Timing] | None,
    overhead: str | None,
    diff: str | None,
    suite: tuple[Timing, str] | None,
    rounds: int,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {now}",
        "",
        f"- machine: {_machine()}; load average (1 min) {loads[0][0]:.2f} at start, "
        f"{loads[1][0]:.2f} at end",
        f"- {_versions()}",
        f"- command: `{' '.join(['python bench/run.py', *sys.argv[1:]])}`",
        "",
    ]
    measured: dict[str, Measured] = {}
    if gen is not None:
        lines += [
            f"### Generation (median of {rounds} interleaved rounds; wall / CPU)",
            "",
            "| spec | ours cold | ours warm | DCG alone | openapi-python-client | OpenAPI Generator |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for spec, tools in gen.items():
            lines.append(f"| {spec} | " + " | ".join(_cell(tools[t]) for t in TOOLS) + " |")
        lines += [
            "",
            "| spec | cold / DCG | cold / OPC | cold / OAG | warm / DCG | warm / cold |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for spec, tools in gen.items():
            cold, warm = tools["ours cold"], tools["ours warm"]
            pairs = [
                (cold, tools["DCG alone"]),
                (cold, tools["openapi-python-client"]),
                (cold, tools["OpenAPI Generator"]),
                (warm, tools["DCG alone"]),
                (warm, cold),
            ]
            cells = [f"{_x(_ratio(a, b))} / {_x(_ratio(a, b, 'median_cpu'))}" for a, b in pairs]
            lines.append(f"| {spec} | " + " | ".join(cells) + " |")
        lines += [
            "",
            "Ratios: wall / CPU. openapi-python-client reads the Norce spec without the `x-` keys in "
            "`responses` objects (it refuses them). Warm: the first operation's summary reworded, "
            "the format cache of the same round's cold run.",
            "",
        ]
        norce = gen["norce-checkout-order"]
        measured["cold / DCG alone (Norce)"] = _both(norce["ours cold"], norce["DCG alone"])
        measured["warm / DCG alone (Norce)"] = _both(norce["ours warm"], norce["DCG alone"])
        for spec in ("petstore3", "xero-payroll-uk"):
            measured[f"cold / openapi-python-client ({spec})"] = _both(
                gen[spec]["ours cold"], gen[spec]["openapi-python-client"]
            )
    if noop is not None:
        measured["no-op generate, seconds"] = (noop.median_wall, noop.median_cpu)
        lines += [
            f"### No-op `generate` (Norce, up-to-date output, median of {len(noop.wall)})",
            "",
            f"{_cell(noop)} (wall / CPU)",
            "",
        ]
    if imports is not None:
        base = imports["python -c pass"].median_wall
        httpx_net = imports["import httpx"].median_wall - base
        lines += [
            f"### Import (venv with only the client's dependencies, median of "
            f"{len(imports['import httpx'].wall)}, interleaved)",
            "",
            "| statement | wall / CPU | minus interpreter start | vs `import httpx` |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, timing in imports.items():
            net = timing.median_wall - base
            rel = "" if name == "python -c pass" else _x(net / httpx_net)
            lines.append(f"| `{name}` | {_cell(timing)} | {net * 1000:.0f} ms | {rel} |")
        ours = imports["import norce_checkout_order"].median_wall - base
        base_cpu = imports["python -c pass"].median_cpu
        ours_cpu = imports["import norce_checkout_order"].median_cpu - base_cpu
        httpx_cpu = imports["import httpx"].median_cpu - base_cpu
        measured["import / import httpx"] = (
            ours / httpx_net,
            ours_cpu / httpx_cpu if httpx_cpu > 0 else None,
        )
        lines.append("")
    if overhead is not None:
        found = re.search(r"^generated / raw\+pydantic: +([\d.]+)x", overhead, re.M)
        measured["per-call instructions / raw httpx + pydantic"] = (
            (float(found.group(1)), None) if found else (None, None)
        )
        lines += [
            "### Per-call overhead (`bench/bench_overhead.py`)",
            "",
            "```",
            overhead,
            "```",
            "",
        ]
    if diff is not None:
        for goal, name in (
            ("diff, first after generate / old diff (Norce pair)", "new"),
            ("diff, from scratch / old diff (Norce pair)", "new, scratch"),
        ):
            found = re.search(
                rf"^  ratio {re.escape(name)} / old: ([\d.]+) wall, ([\d.]+) CPU", diff, re.M
            )
            measured[goal] = (
                (float(found.group(1)), float(found.group(2))) if found else (None, None)
            )
        lines += [
            "### Spec diff (`bench/bench_diff.py`, issue 12)",
            "",
            "```",
            diff,
            "```",
            "",
        ]
    if suite is not None:
        timing, load = suite
        measured["make test, seconds (2 min goal on a quiet machine)"] = (
            timing.median_wall,
            None,
        )
        lines += [
            "### `make test`",
            "",
            f"{_cell(timing)} (wall / CPU); {load}",
            "",
        ]
    lines += [
        "### Goals (issues 15 and 12)",
        "",
        "Ratios of medians measured in this run; wall and CPU (user + sys of the process and its",
        "children). A goal with one kind of figure (seconds, instructions) shows it once.",
        "",
        "| goal | target | wall | CPU | met |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for goal, target in GOALS.items():
        if goal in measured:
            wall, cpu = measured[goal]
            lines.append(
                f"| {goal} | {target:.2f} | {_shown(wall)} | {_shown(cpu)} | "
                f"{_met(wall, cpu, target)} |"
            )
    return "\n".join(lines) + "\n"


def _both(a: Timing, b: Timing) -> Measured:
    return _ratio(a, b), _ratio(a, b, "median_cpu")


def _shown(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _met(wall: float | None, cpu: float | None, target: float) -> str:
    figures = [value for value in (wall, cpu) if value is not None]
    if not figures:
        return "n/a"
    if all(value <= target for value in figures):
        return "yes"
    if wall is not None and cpu is not None and (wall <= target) != (cpu <= target):
        return "wall only" if wall <= target else "CPU only"
    return "**no**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="generation rounds (default 3)")
    parser.add_argument("--noop-rounds", type=int, default=9)
    parser.add_argument("--import-rounds", type=int, default=15)
    parser.add_argument("--only", nargs="*", choices=PARTS, help="measure only these parts")
    parser.add_argument(
        "--no-write", action="store_true", help="print, do not append to RESULTS.md"
    )
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    start_load = os.getloadavg()
    gen = bench_generation(args.rounds) if "generation" in parts else None
    noop = bench_noop(args.noop_rounds) if "noop" in parts else None
    imports = bench_imports(args.import_rounds) if "imports" in parts else None
    overhead = bench_overhead() if "overhead" in parts else None
    diff = bench_diff(args.rounds) if "diff" in parts else None
    suite = bench_test_suite() if "tests" in parts else None
    loads = (start_load, os.getloadavg())
    text = render(gen, noop, imports, overhead, diff, suite, args.rounds, loads)
    print(text)
    if not args.no_write:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
        print(f"appended to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
