"""Command line: ``python -m generator <command>``. Parses arguments, maps failures to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .diagnostics import SpecError
from .pipeline import build
from .settings import PROJECT_ROOT, load_settings
from .write import WriteError, read_tree, write_tree

EXIT_OK, EXIT_STALE, EXIT_SPEC, EXIT_IO = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (documented in ``--help``)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            print(f"error: {diagnostic}", file=sys.stderr)
        return EXIT_SPEC
    except WriteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_IO


def _parser() -> argparse.ArgumentParser:
    settings = load_settings()
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Generate the Norce Checkout Order client from an OpenAPI description.",
        epilog="exit codes: 0 ok, 1 generated/ is stale (check), 2 invalid spec, 3 cannot write",
    )
    commands = parser.add_subparsers(required=True, metavar="command")

    generate = commands.add_parser(
        "generate",
        help="write the client and docs into the output folder",
        description="Validate the spec and (re)write the output folder atomically.",
    )
    _common(generate, settings)
    generate.set_defaults(handler=_generate)

    check = commands.add_parser(
        "check",
        help="fail if the output folder is not what generate would write",
        description="Regenerate in memory and compare with the output folder; "
        "exit 1 listing stale, edited, missing or extra files.",
    )
    _common(check, settings)
    check.set_defaults(handler=_check)
    return parser


def _common(parser: argparse.ArgumentParser, settings: dict[str, object]) -> None:
    parser.add_argument(
        "--spec",
        type=Path,
        default=PROJECT_ROOT / str(settings["spec"]),
        help="OpenAPI description (YAML or JSON); default: %(default)s",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder; default: generated/ of this project"
    )


def _out(args: argparse.Namespace) -> Path:
    out: Path = args.out if args.out is not None else PROJECT_ROOT / str(load_settings()["out"])
    if args.out is None:
        return out
    return out


def _generate(args: argparse.Namespace) -> int:
    result = build(args.spec, load_settings())
    out = _out(args)
    write_tree(out, result.files)
    print(
        f"generated {len(result.files)} files into {out} "
        f"({len(result.api.operations)} operations, spec sha256 {result.doc.sha256[:12]})"
    )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    result = build(args.spec, load_settings())
    out = _out(args)
    current = read_tree(out)
    problems = [f"missing: {p}" for p in sorted(result.files.keys() - current.keys())]
    problems += [f"extra: {p}" for p in sorted(current.keys() - result.files.keys())]
    problems += [
        f"differs: {p}"
        for p in sorted(result.files.keys() & current.keys())
        if result.files[p] != current[p]
    ]
    if problems:
        print(f"{out} is stale or was edited by hand (run `make generate`):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_STALE
    print(f"{out} is up to date with {args.spec}")
    return EXIT_OK
