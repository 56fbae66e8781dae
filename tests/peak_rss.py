"""Run a command and report its peak resident memory, measured with getrusage(RUSAGE_CHILDREN).

`measure(command)` starts this file as a small launcher, which runs `command` as its own child
with the address space capped at 1 GiB and prints one JSON line: the child's exit code, output
and `maxrss_mib`. The launcher exists because Linux carries `ru_maxrss` across exec: a process
forked from pytest would report pytest's size, one forked from this launcher reports its own.
The cap makes a regression (a reader inflating a bomb) fail with MemoryError instead of taking
the shared machine's memory.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from typing import Any

ADDRESS_SPACE_CAP = 1 << 30


def measure(
    command: list[str],
    *,
    hang_guard: float = 120.0,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> dict[str, Any]:
    """Run `command` under the launcher; return {"returncode", "stdout", "stderr", "maxrss_mib"}.

    `hang_guard` is a generous timeout for the whole run, not a benchmark: a run that does not end
    fails the test with `subprocess.TimeoutExpired`.
    """
    done = subprocess.run(
        [sys.executable, __file__, *command],
        capture_output=True,
        text=True,
        timeout=hang_guard,
        env=env,
        cwd=cwd,
        check=True,
    )
    return dict(json.loads(done.stdout))


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))


def _launch(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=_cap, check=False)
    print(
        json.dumps(
            {
                "returncode": done.returncode,
                "stdout": done.stdout,
                "stderr": done.stderr,
                "maxrss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    _launch(sys.argv[1:])
