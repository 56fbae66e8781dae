"""Spec loading: libyaml (the default) against the pure-Python loader, same bounds, same dict.

Interleaved rounds (each round loads every spec once with each loader, in a fixed order); CPU time
per load, medians, and the ratio python / libyaml measured in the same run. Also the admission pass
that follows loading, for scale. Run: ``.venv/bin/python bench/bench_load.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build.admit import admit  # noqa: E402
from generator.build.load import SpecDocument, parse_spec_bytes  # noqa: E402

SPECS = {
    "norce-checkout-order": ROOT / "spec" / "norce-checkout-order.yaml",
    "petstore3": ROOT / "bench" / "specs" / "petstore3.yaml",
    "xero-payroll-uk": ROOT / "bench" / "specs" / "xero-payroll-uk.yaml",
}


def _cpu(action: object) -> float:
    start = time.process_time()
    action()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    raws = {name: path.read_bytes() for name, path in SPECS.items()}
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for name, raw in raws.items():
            for loader in ("c", "python"):
                seconds = _cpu(lambda raw=raw, loader=loader: parse_spec_bytes(raw, "s", loader))
                times.setdefault((name, loader), []).append(seconds)
            data = parse_spec_bytes(raw, name)
            doc = SpecDocument(name, raw, "", data)
            times.setdefault((name, "admit"), []).append(_cpu(lambda doc=doc: admit(doc)))
    print(f"CPU ms per load, median of {rounds} interleaved rounds")
    print(f"{'spec':24} {'KiB':>6} {'libyaml':>9} {'python':>9} {'ratio':>7} {'admit':>8}")
    for name, raw in raws.items():
        c, py, adm = (statistics.median(times[(name, k)]) * 1000 for k in ("c", "python", "admit"))
        print(f"{name:24} {len(raw) / 1024:6.0f} {c:9.1f} {py:9.1f} {py / c:6.1f}x {adm:8.1f}")


if __name__ == "__main__":
    main()
