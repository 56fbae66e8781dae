"""Command line: ``norce-codegen <command>`` (the console script ``make install`` puts in ``.venv/bin``)
or ``python -m generator <command>``. Parses arguments, maps failures to exit codes."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .build.freshness import KEY_FILE, input_key, is_up_to_date, key_record
from .build.manifest import MANIFEST, ManifestError
from .build.write import (
    WriteError,
    check_replaceable,
    looks_generated,
    read_tree,
    write_file,
    write_tree,
)
from .diagnostics import SpecError, fail
from .diff.command import EXIT_CHANGES as EXIT_CHANGES
from .diff.command import add_command as add_diff_command
from .intake.lock import verify as verify_lock
from .settings import PROJECT_ROOT, load_settings

if TYPE_CHECKING:
    from .build.pipeline import Result

# The pipeline (validator, DCG, black, griffe, httpx) is imported inside the handlers that need it:
# `generate` on an unchanged spec and `--help` then start in a fraction of the time.

EXIT_OK, EXIT_STALE, EXIT_SPEC, EXIT_IO = 0, 1, 2, 3
EXIT_FETCH = 5  # update-spec: download failed or was refused (spec/ untouched)
EXIT_CODES_HELP = """\
exit codes (each command's own --help lists the ones it uses):
  0  success (diff: nothing fails the gate; verify: the copy matches)
  1  check: the output folder is stale or was edited by hand;
     verify: the copy was edited, has added or deleted files, or does not match --spec
  2  usage error (bad arguments), or invalid input: the spec (with file and JSON pointer), an
     unreadable or wrong --spec/--out/DEST path, --package, --fail-on or --accept; diff: a
     comparison limit hit; verify: not a vendored copy (no readable MANIFEST.json)
  3  cannot write (generate, vendor, update-spec), or vendor refused to replace a folder that
     is not our unedited copy; nothing was changed
  4  diff: changes at or above --fail-on that are not accepted
  5  update-spec: cannot fetch (network, HTTP status, HTML page, size, timeout); spec/ unchanged
"""


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
        prog="norce-codegen",
        description="Generate the Norce Checkout Order client from an OpenAPI description.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True, metavar="command")

    generate = commands.add_parser(
        "generate",
        help="write the client and docs into the output folder",
        description="Validate the spec and (re)write the output folder atomically.",
        epilog="exit codes: 0 written (or already up to date), 2 invalid or unreadable spec, "
        "3 cannot write, or --out is a folder generate did not write (nothing is changed)",
    )
    _common(generate, settings)
    generate.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when the output is up to date with the same inputs",
    )
    generate.set_defaults(handler=_generate)

    check = commands.add_parser(
        "check",
        help="fail if the output folder is not what generate would write",
        description="Regenerate in memory and compare with the output folder; "
        "exit 1 listing stale, edited, missing or extra files.",
        epilog="exit codes: 0 up to date, 1 stale, edited, missing or extra files (or the spec "
        "does not match spec.lock), 2 invalid or unreadable spec, or --out is not a folder "
        "generate wrote",
    )
    _common(check, settings)
    check.set_defaults(handler=_check)
    add_diff_command(commands)
    _add_update_spec_command(commands, settings)
    _add_vendor_commands(commands, settings)
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
    if args.out is None and not out.resolve().is_relative_to(PROJECT_ROOT.resolve()):
        # Only an explicit --out may point outside the project; a settings typo must not.
        raise WriteError(
            f"output folder {out} (from pyproject.toml) is outside {PROJECT_ROOT}; "
            "pass --out explicitly to write there"
        )
    return out


def _expected_tree(spec: Path, out: Path, settings: dict[str, Any]) -> Result:
    """What ``generate`` writes into ``out``: the build plus the CHANGELOG carried over from it."""
    from .build.pipeline import build
    from .diff.changelog import with_changelog

    result = build(spec, settings)
    return replace(result, files=with_changelog(result, out, settings))


def _readable(spec: Path) -> None:
    """Fail as ``load`` would (exit 2) when the spec cannot be opened: ``generate`` hashes the spec
    for its freshness key before anything parses it."""
    try:
        with spec.open("rb"):
            pass
    except OSError as exc:
        raise fail(str(spec), [], f"cannot read spec: {exc.strerror}") from None


def _generate(args: argparse.Namespace) -> int:
    out = _out(args)
    settings = load_settings()
    _readable(args.spec)
    key = input_key(args.spec, settings)
    if not args.force and is_up_to_date(out, key):
        print(f"{out} is up to date (same spec, generator, templates and settings); nothing to do")
        return EXIT_OK
    result = _expected_tree(args.spec, out, settings)
    check_replaceable(out, result.files)
    write_tree(out, result.files)
    write_file(out / KEY_FILE, key_record(key, result.files))
    print(
        f"generated {len(result.files)} files into {out} "
        f"({len(result.api.operations)} operations, spec sha256 {result.doc.sha256[:12]})"
    )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    lock_problem = verify_lock(args.spec)
    if lock_problem:
        print(f"error: {lock_problem}", file=sys.stderr)
    out = _out(args)
    if out.exists() and not out.is_dir():
        print(f"error: {out} is not a folder (--out names the generated folder)", file=sys.stderr)
        return EXIT_SPEC
    result = _expected_tree(args.spec, out, load_settings())
    if not out.exists():
        print(f"{out} does not exist (run `make generate`)", file=sys.stderr)
        return EXIT_STALE
    if not looks_generated(out, result.files):
        print(
            f"error: {out} is not a folder generate wrote (no MANIFEST.json in it or in a package "
            "folder inside it); --out names the generated folder",
            file=sys.stderr,
        )
        return EXIT_SPEC
    try:
        current = read_tree(out)
    except OSError as exc:
        print(f"error: cannot read {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_SPEC
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
    if lock_problem:
        return EXIT_STALE
    print(f"{out} is up to date with {args.spec}")
    return EXIT_OK


def _add_update_spec_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], settings: dict[str, object]
) -> None:
    update = commands.add_parser(
        "update-spec",
        help="download or copy a new spec, check it, then replace spec/ and spec/spec.lock",
        description="Fetch SOURCE (an https URL or a file), refuse it unless it parses, validates "
        "and generates in memory, then atomically replace the spec and write spec.lock beside it. "
        "On any failure the spec folder is left byte-identical.",
        epilog="exit codes: 0 updated or unchanged, 2 the new spec is invalid, another API or "
        "an older build (see --allow-other-api, --allow-older-build), or --spec is no spec, "
        "3 cannot write (or spec.lock beside --spec is another spec's), 5 cannot fetch "
        "(network, HTTP status, HTML, size, timeout)",
    )
    update.add_argument("source", metavar="URL|FILE", help="https URL or local YAML/JSON file")
    update.add_argument(
        "--spec",
        type=Path,
        default=PROJECT_ROOT / str(settings["spec"]),
        help="spec file to replace; spec.lock goes beside it; default: %(default)s",
    )
    update.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        help="seconds for the whole download (default: 30)",
    )
    update.add_argument(
        "--allow-http", action="store_true", help="accept plain http (local test servers only)"
    )
    update.add_argument(
        "--allow-other-api",
        action="store_true",
        help="accept a spec whose info.title differs from the current spec's",
    )
    update.add_argument(
        "--allow-older-build",
        action="store_true",
        help="accept a spec whose 'Build ...' line is older than the current spec's",
    )
    update.set_defaults(handler=_update_spec)


def _seconds(text: str) -> float:
    """A finite number of seconds above zero (argparse turns the ValueError into a usage error)."""
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(text)
    return value


_seconds.__name__ = "number of seconds"  # argparse: "invalid number of seconds value: 'nan'"


def _update_spec(args: argparse.Namespace) -> int:
    from .intake.fetch import DEFAULT_TIMEOUT, FetchError, FetchOptions, Successor, update_spec

    if args.spec.is_dir():
        print(
            f"error: --spec {args.spec} is a folder; name the spec file to replace", file=sys.stderr
        )
        return EXIT_SPEC
    timeout = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    options = FetchOptions(allow_http=args.allow_http, timeout=timeout)
    successor = Successor(args.allow_other_api, args.allow_older_build)
    try:
        summary = update_spec(
            args.source, args.spec, load_settings(), options, PROJECT_ROOT, successor
        )
    except FetchError as exc:
        print(f"error: {exc} ({args.spec} unchanged)", file=sys.stderr)
        return EXIT_FETCH
    except OSError as exc:
        print(f"error: cannot write {args.spec.parent}: {exc}", file=sys.stderr)
        return EXIT_IO
    print(summary)
    return EXIT_OK


def _add_vendor_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], settings: dict[str, object]
) -> None:
    spec_default = PROJECT_ROOT / str(settings["spec"])
    vend = commands.add_parser(
        "vendor",
        help="write the package into another repo's source tree as DEST/PACKAGE",
        description="Generate in memory and write the package folder DEST/PACKAGE (DEST is its "
        "parent and must exist), replacing an earlier copy atomically. Nothing else in DEST is "
        "touched. A folder without MANIFEST.json, or a copy edited since vendoring, is not "
        "replaced unless --force is given.",
        epilog="exit codes: 0 vendored, 2 invalid spec, --package or DEST, "
        "3 refused (not our copy, or edited) or cannot write; the old copy is then untouched",
    )
    vend.add_argument("dest", metavar="DEST", type=Path, help="parent folder, e.g. src/acme")
    vend.add_argument(
        "--package", default=None, help=f"package (folder) name; default: {settings['package']}"
    )
    vend.add_argument("--spec", type=Path, default=spec_default, help="default: %(default)s")
    vend.add_argument(
        "--force",
        action="store_true",
        help="replace DEST/PACKAGE even if it has no manifest or was edited",
    )
    vend.set_defaults(handler=_vendor)

    check = commands.add_parser(
        "verify",
        help="check a vendored copy against its MANIFEST.json (and a spec)",
        description="Report files edited, added or deleted in a vendored package folder since it "
        "was written. With --spec, also regenerate in memory and report a different spec and "
        "every file re-vendoring would change. The copy itself carries a stdlib-only "
        "equivalent: python PACKAGE/_verify.py [--spec FILE].",
        epilog="exit codes: 0 matches, 1 edited/added/deleted files or stale against --spec, "
        "2 not a vendored copy (no readable MANIFEST.json) or invalid --spec",
    )
    check.add_argument(
        "folder",
        metavar="DEST",
        type=Path,
        help="the vendored package folder, e.g. src/acme/norce_order",
    )
    check.add_argument("--spec", type=Path, default=None, help="spec the copy should match")
    check.set_defaults(handler=_verify)


def _vendor(args: argparse.Namespace) -> int:
    from .vendoring.vendor import VendorError, vendor

    try:
        done = vendor(args.dest, args.spec, load_settings(), args.package, args.force)
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SPEC
    print(
        f"vendored {done.files} files and {MANIFEST} into {done.folder} (spec sha256 "
        f"{done.result.doc.sha256[:12]}); check it with: python {done.folder}/_verify.py"
    )
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from .vendoring.vendor import verify

    try:
        verified = verify(args.folder, args.spec, load_settings())
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SPEC
    if verified.problems:
        print(
            f"{args.folder} does not match its manifest"
            + (f" or {args.spec}" if args.spec else "")
            + ":",
            file=sys.stderr,
        )
        for problem in verified.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_STALE
    print(
        f"{args.folder} matches its manifest: the {verified.listed} files {MANIFEST} lists, nothing added"
        + (f"; and {args.spec}" if args.spec else "")
    )
    return EXIT_OK
