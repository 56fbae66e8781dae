"""Spec diff timing on the Norce pair: this diff against the diff it replaced, and against Optic.

    .venv/bin/python bench/bench_diff.py [--rounds 3]

The pair is today's spec against its ``next`` variant (a dozen realistic changes, see
``tests/diff/corpus/norce_variants.py``). Every round runs each contender once, in a fixed order,
each as a fresh process (the way CI runs it), and the medians are compared as ratios measured in
the same run: the machine is shared and noisy, absolute seconds mean little.

- ``new, scratch``: ``diff --no-cache`` with an empty build cache: both sides built, in parallel,
  without black, DCG run for both;
- ``new``: the first ``make diff`` after ``make generate``: the working tree's fresh ``generated/``
  stands in for today's side (the script runs ``generate`` first, a no-op when it is current), the
  other side is built, the side cache starts empty;
- ``new, cached``: the same with a warm side cache (a re-run in CI, or a second ``make diff``);
- ``old``: the implementation this replaced (commit ``BASELINE``), extracted with ``git archive``
  into a temp folder and run from there with the same interpreter;
- ``optic``: ``@useoptic/optic`` (pinned in ``bench/optic/package-lock.json``, installed with
  ``npm ci`` into ``bench/optic/node_modules``, git-ignored), ``optic diff OLD NEW --check``. It needs
  the ``x-`` keys inside ``responses`` removed to load the spec, so both files are stripped first.

A contender that cannot run (no git history, no npm) is reported as skipped, never guessed.
``bench/run.py`` can run this file as a script or call ``main()``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from run import run_measured, without_x_in_responses

ROOT = Path(__file__).resolve().parent.parent
OPTIC = ROOT / "bench" / "optic"
BASELINE = "631ff01"  # main before diff v2 (issue 12)
SPEC = ROOT / "spec" / "norce-checkout-order.yaml"
TIMEOUT = 600.0
sys.path.insert(0, str(ROOT / "tests" / "diff" / "corpus"))


@dataclass(frozen=True)
class Contender:
    command: list[str]
    env: dict[str, str]
    cwd: Path
    ok: tuple[int, ...]  # exit codes of a run that finished (4: changes fail the gate)
    fresh_cache: bool = False  # a new, empty side cache for every run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from norce_variants import write_variant

    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        work = Path(tmp)
        new_spec = write_variant(SPEC, "next", work / "spec-next.yaml")
        contenders = _contenders(work, new_spec)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
        skipped: dict[str, str] = {}
        for _ in range(args.rounds):
            for name, contender in contenders.items():
                if name not in skipped:
                    measured, problem = _timed(contender)
                    if problem:
                        skipped[name] = problem
                    else:
                        times[name].append(measured)
        _print(times, skipped, args.rounds)
    return 0


def _contenders(work: Path, new_spec: Path) -> dict[str, Contender]:
    python = sys.executable
    diff = [python, "-m", "generator", "diff", str(SPEC), str(new_spec)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NORCE_CODEGEN_CACHE": str(work / "cache")}
    # `make diff` compares with the working tree, whose generated/ is its build: have it current
    # (a no-op when it is; `make check` keeps it so in CI).
    subprocess.run(
        [python, "-m", "generator", "generate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    subprocess.run(
        diff, cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT, check=False
    )  # warm
    found = {
        "new, scratch": Contender([*diff, "--no-cache"], env, ROOT, (0, 4), fresh_cache=True),
        "new": Contender(diff, env, ROOT, (0, 4), fresh_cache=True),
        "new, cached": Contender(diff, env, ROOT, (0, 4)),
    }
    old = _baseline(work)
    if old is not None:  # run from its own tree: `python -m` puts the working folder first
        old_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        found["old"] = Contender(diff[:4] + [str(SPEC), str(new_spec)], old_env, old, (0, 4))
    optic = _optic(work, new_spec)
    if optic is not None:
        found["optic"] = Contender(
            optic, {**os.environ, "OPTIC_TELEMETRY_LEVEL": "off"}, ROOT, (0, 1)
        )
    return found


def _baseline(work: Path) -> Path | None:
    """The replaced implementation, from git history, in ``work/old``; None without history."""
    target = work / "old"
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BASELINE, "generator", "templates", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True, timeout=60)
    # The old code reads the project's spec path from its own root; point it at a copy of ours.
    (target / "spec").mkdir()
    shutil.copy(SPEC, target / "spec" / SPEC.name)
    return target


def _optic(work: Path, new_spec: Path) -> list[str] | None:
    """``optic diff OLD NEW --check`` on stripped copies; None when npm or the install is missing."""
    binary = OPTIC / "node_modules" / ".bin" / "optic"
    if not binary.exists():
        if shutil.which("npm") is None:
            return None
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=OPTIC,
            stdout=sys.stderr,  # install chatter stays out of the report run.py records
            timeout=TIMEOUT,
            check=False,
        )
        if not binary.exists():
            return None
    # Optic, like openapi-python-client, refuses x- keys inside responses objects.
    files = [str(without_x_in_responses(source, work)) for source in (SPEC, new_spec)]
    return [str(binary), "diff", *files, "--check"]


def _timed(contender: Contender) -> tuple[tuple[float, float], str]:
    """((wall s, CPU s of the process and its children), failure text or "")."""
    env = contender.env
    if contender.fresh_cache:
        env = {**env, "NORCE_CODEGEN_CACHE": tempfile.mkdtemp(prefix="bench-diff-cache-")}
    wall, cpu, failure = run_measured(contender.command, contender.cwd, env, contender.ok)
    if contender.fresh_cache:
        shutil.rmtree(env["NORCE_CODEGEN_CACHE"], ignore_errors=True)
    return (wall, cpu), failure or ""


def _print(
    times: dict[str, list[tuple[float, float]]], skipped: dict[str, str], rounds: int
) -> None:
    medians = {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
        if values
    }
    print(f"Spec diff, Norce pair (spec vs the 'next' variant), median of {rounds} rounds:")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<12} {wall:7.2f} s wall {cpu:7.2f} s CPU")
    for name, problem in skipped.items():
        print(f"  {name:<12} skipped ({problem})")
    for new in ("new, scratch", "new", "new, cached"):
        for base in ("old", "optic"):
            if new in medians and base in medians:
                wall = medians[new][0] / medians[base][0]
                cpu = medians[new][1] / medians[base][1]
                print(f"  ratio {new} / {base}: {wall:.2f} wall, {cpu:.2f} CPU")


if __name__ == "__main__":
    raise SystemExit(main())
