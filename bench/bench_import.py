"""Import cost of the generated package where it is used: a venv with only httpx and pydantic.

Usage:
    .venv/bin/python bench/bench_import.py [--rounds 21]

Builds ``bench/.venvs/import`` (git-ignored) from the exact pins in ``requirements.lock``, copies
``generated/norce_checkout_order`` into a temp folder, writes its bytecode once (as an installed or
vendored copy has it; the test environment sets PYTHONDONTWRITEBYTECODE, which would otherwise
compile every module on each run), then times ``python -c STATEMENT`` in fresh interpreters,
interleaved round by round, and prints medians and ratios against ``import httpx`` from the same run.
The last row is the first call's extra cost: pydantic, the models and one response validator.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venvs" / "import"
PACKAGES = ("httpx", "httpcore", "h11", "anyio", "idna", "certifi", "sniffio", "pydantic",
            "pydantic-core", "pydantic_core", "annotated-types", "typing-extensions",
            "typing_extensions", "typing-inspection")  # fmt: skip
STATEMENTS = {
    "python -c pass": "pass",
    "import httpx": "import httpx",
    "import httpx, pydantic": "import httpx, pydantic",
    "import norce_checkout_order": "import norce_checkout_order",
    "from norce_checkout_order import OrderClient": "from norce_checkout_order import OrderClient",
    "... + models + one response validator (first call)": (
        "from norce_checkout_order import OrderClient, models\n"
        "from norce_checkout_order._types import type_adapter\n"
        "type_adapter(models.OrderResponse)"
    ),
}


def venv_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
        lock = (ROOT / "requirements.lock").read_text("utf-8").splitlines()
        pins = [
            line.strip()
            for line in lock
            if re.match(r"[A-Za-z0-9_.-]+==", line.strip())
            and line.split("==")[0].strip().lower() in PACKAGES
        ]
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins],
            check=True,
            timeout=600,
        )
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    python = venv_python()
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
    }
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(
            ROOT / "generated" / "norce_checkout_order", Path(tmp, "norce_checkout_order")
        )
        run = [[str(python), "-c", statement] for statement in STATEMENTS.values()]
        for command in run:  # warm-up: bytecode written, files in the page cache
            subprocess.run(command, check=True, cwd=tmp, env=env, timeout=120)
        samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
        rng = random.Random(0)
        for _ in range(args.rounds):
            order = list(zip(STATEMENTS, run, strict=True))
            rng.shuffle(order)
            for name, command in order:
                start = time.perf_counter()
                subprocess.run(command, check=True, cwd=tmp, env=env, timeout=120)
                samples[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"import time: median of {args.rounds} interleaved rounds, wall, fresh interpreters")
    for name, seconds in medians.items():
        ratio = seconds / medians["import httpx"]
        print(f"  {seconds * 1000:7.1f} ms  {ratio:5.2f}x import httpx  {name}")


if __name__ == "__main__":
    main()
