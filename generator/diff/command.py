"""``diff`` on the command line: arguments, output format, gate, exit code.

Exit codes: 0 nothing fails the gate (or no gate), 4 changes at or above ``--fail-on`` that are not
accepted, 2 invalid input: an unreadable or invalid OLD/NEW, a bad ``--fail-on`` or ``--accept``,
or a safety limit hit while comparing (a diff that cannot finish never reports "no changes").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, SpecError
from ..settings import load_settings

EXIT_OK, EXIT_INVALID, EXIT_CHANGES = 0, 2, 4
FORMATS = ("markdown", "json", "github", "junit")


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="report wire and Python-API changes between two spec versions",
        description="Compare two spec versions on the wire (HTTP contract) and in the generated "
        "Python package, and print one report. OLD and NEW are files, REV:path, or a bare git "
        "revision meaning the project's spec at that revision.",
        epilog="exit codes: 0 nothing fails the gate (or no --fail-on), 4 changes at or above "
        "--fail-on that are not accepted, 2 OLD or NEW unreadable or invalid, a bad --fail-on or "
        "--accept, or a comparison limit hit (never reported as 'no changes')",
    )
    diff.add_argument("old", metavar="OLD", help="older spec: file, REV:path or REV (e.g. HEAD)")
    diff.add_argument("new", metavar="NEW", help="newer spec: file, REV:path or REV")
    diff.add_argument(
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (pull-request comment), json (stable, with fingerprints), github (workflow "
        "annotations), junit (test report XML)",
    )
    diff.add_argument(
        "--fail-on",
        default=None,
        metavar="SEVERITY|LEVEL:SEVERITY,...",
        help="exit 4 on changes this severe or worse: 'breaking' or 'potentially-breaking' for "
        "both levels, or per level, e.g. 'wire:breaking,python:potentially-breaking'",
    )
    diff.add_argument(
        "--accept",
        type=Path,
        default=None,
        metavar="FILE",
        help="YAML/JSON allow-list of accepted changes ({accept: [{fingerprint, reason}]}); "
        "accepted changes are listed but do not fail the gate",
    )
    diff.add_argument(
        "--no-cache",
        action="store_true",
        help="build both sides afresh instead of reusing cached builds of the same inputs",
    )
    diff.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .formats import to_github, to_json, to_junit
    from .gate import Gate, GateError, apply_accepted, load_accepted
    from .nodes import DiffLimitError
    from .report import to_markdown
    from .specs import diff_inputs, resolve_inputs

    settings: dict[str, Any] = load_settings()
    try:
        gate = Gate.parse(args.fail_on)
        accepted = load_accepted(args.accept) if args.accept is not None else []
    except GateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    inputs = resolve_inputs(args.old, args.new, settings)
    try:
        report = diff_inputs(inputs, settings, cache=not args.no_cache)
    except DiffLimitError as exc:
        raise SpecError([Diagnostic(f"[NEW] {args.new}", "#", str(exc))]) from None
    try:
        changes, stale = apply_accepted(report.changes, accepted)
    except GateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    report = type(report)(report.old, report.new, changes)
    if args.format == "json":
        text = to_json(report, gate, stale)
    elif args.format == "github":
        files = {"old": Path(inputs[0].repo_path), "new": Path(inputs[1].repo_path)}
        text = to_github(report, gate, files, {"old": inputs[0].read(), "new": inputs[1].read()})
    elif args.format == "junit":
        text = to_junit(report, gate)
    else:
        text = to_markdown(report, gate, stale)
    sys.stdout.write(text)
    for entry in stale:
        print(
            f"warning: --accept entry {entry.fingerprint[:12]} matches no change (stale)",
            file=sys.stderr,
        )
    failing = [c for c in report.changes if gate.fails(c)]
    if failing:
        print(f"{len(failing)} change(s) fail the gate ({gate.describe()})", file=sys.stderr)
        return EXIT_CHANGES
    return EXIT_OK
