"""Where a ``generate --force`` spends its time: cProfile over one in-process run, by pipeline stage.

Usage:
    .venv/bin/python bench/profile_generate.py [--spec FILE] [--warm] [--top 25]

Cold (default): an empty format cache. ``--warm``: the cache filled by one run first. The table gives
each stage's cumulative time (nested stages overlap: black for doc examples runs inside interpret);
``--top`` also prints cProfile's heaviest functions. cProfile inflates pure-Python code (the YAML
loader, jsonschema) more than C code (black is compiled), so read shares, not seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# stage -> (file suffix, function name); a stage another package renamed shows as "-".
STAGES = {
    "imports": ("<frozen importlib._bootstrap>", "_find_and_load"),
    "load": ("generator/build/load.py", "load_spec"),
    "admit": ("generator/build/admit/__init__.py", "admit"),
    "validate": ("generator/build/validate/__init__.py", "validate"),
    "models (DCG)": ("generator/build/models.py", "build_models"),
    "interpret (IR, doc examples)": ("generator/build/interpret.py", "build_api"),
    "render": ("generator/build/render.py", "render"),
    "astcheck": ("generator/build/astcheck.py", "check_files"),
    "format (black)": ("generator/build/format.py", "format_sources"),
    "changelog": ("generator/diff/changelog.py", "with_changelog"),
    "write": ("generator/build/write.py", "write_tree"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "norce-checkout-order.yaml")
    parser.add_argument("--warm", action="store_true", help="fill the format cache first")
    parser.add_argument("--top", type=int, default=0, help="also print the N heaviest functions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        os.environ["NORCE_CODEGEN_CACHE"] = str(Path(tmp) / "cache")
        sys.path.insert(0, str(ROOT))
        argv = ["generate", "--force", "--spec", str(args.spec), "--out", str(Path(tmp) / "out")]
        if args.warm:
            import subprocess

            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            subprocess.run([sys.executable, "-m", "generator", *argv], env=env, check=True)
        profile = cProfile.Profile()
        profile.enable()
        from generator.cli import main as cli

        code = cli(argv)
        profile.disable()
    assert code == 0, f"generate exited {code}"
    stats = pstats.Stats(profile)
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(cumulative for (_, _, _, cumulative, _) in raw.values())
    print(
        f"{'stage':<30} {'cumulative':>10} {'share':>6}   ({args.spec.name}, "
        f"{'warm' if args.warm else 'cold'} cache, total {total:.2f} s under cProfile)"
    )
    for stage, (suffix, function) in STAGES.items():
        found = [
            value[3]
            for (filename, _, name), value in raw.items()
            if name == function and filename.endswith(suffix)
        ]
        seconds = max(found) if found else None
        shown = "-" if seconds is None else f"{seconds:.3f} s"
        share = "" if seconds is None else f"{seconds / total:.0%}"
        print(f"{stage:<30} {shown:>10} {share:>6}")
    if args.top:
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
