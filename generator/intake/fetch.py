"""update-spec: fetch a new API description, prove we can generate from it, then swap it in.

The download is untrusted input. Nothing in spec/ changes unless every step passes: transport
limits (https, one deadline for the whole download, size cap on decoded bytes, at most one content
encoding, few redirects), a parse with the bounded loader, the successor check (same ``info.title``,
no older "Build" line than the spec it replaces, unless the ``Successor`` policy allows it), and a
full in-memory build (validation, models, templates, AST check). Then spec and lock are replaced.

The body is read by the generated client's own bounded reader, ``templates/runtime/_bounded.py``
(loaded from that file: it is self-contained, standard library and httpx only), so a bomb or a
dripping server meets the same code here as in the client.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..build.interpret import build_line
from ..build.load import MAX_SPEC_BYTES, parse_spec_bytes
from ..build.naming import clean_text, one_line
from ..build.pipeline import Result, build
from ..build.write import WriteError
from ..diagnostics import Diagnostic, SpecError
from ..settings import TEMPLATES
from .docs_page import MAX_HTML_BYTES, spec_link
from .lock import LockError, SpecLock, lock_path, lock_text, read_lock, replace_file

DEFAULT_TIMEOUT = 30.0  # seconds, for the whole download, not per read
MAX_REDIRECTS = 5
_HTML_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<?xml")
_BUILD_DATE = re.compile(r"Build (\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)")


class FetchError(Exception):
    """The description could not be retrieved (network, HTTP status, size, type)."""


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Transport limits; tests shorten the timeout and allow http to a loopback server."""

    allow_http: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = MAX_SPEC_BYTES
    max_redirects: int = MAX_REDIRECTS


@dataclass(frozen=True, slots=True)
class Successor:
    """What may replace the current spec: by default the same API (``info.title``) at the same or
    a later build. Each flag lifts one check (``--allow-other-api``, ``--allow-older-build``)."""

    allow_other_api: bool = False
    allow_older_build: bool = False


def update_spec(
    source: str,
    spec_path: Path,
    settings: Mapping[str, Any],
    options: FetchOptions = FetchOptions(),
    project_root: Path | None = None,
    successor: Successor = Successor(),
) -> str:
    """Replace ``spec_path`` (and its lock) with the description at ``source``; return a summary.

    Raises FetchError or SpecError, in which case nothing under ``spec_path.parent`` changed.
    """
    raw, label = _read_source(source, options, project_root)
    _reject_html(
        raw, label, source if urlsplit(source).scheme.lower() in ("http", "https") else None
    )
    data = parse_spec_bytes(raw, label)  # cheap first: YAML/JSON, size, "is it OpenAPI at all"
    digest = hashlib.sha256(raw).hexdigest()
    try:
        existing = read_lock(spec_path) if spec_path.is_file() else None
    except LockError:
        existing = None  # unreadable: rewritten below with the spec
    if existing is not None and existing.sha256 == digest and spec_path.read_bytes() == raw:
        return f"unchanged: {spec_path} already has sha256 {digest[:12]} ({label})"
    _check_successor(data, label, spec_path, successor)
    _check_lock_is_ours(spec_path)
    result = _build_in_memory(raw, label, settings)
    lock = SpecLock(
        source=label,
        retrieved_at=_now(),
        info_version=result.api.version,
        build=result.api.build,
        sha256=digest,
        bytes=len(raw),
    )
    current = spec_path.read_bytes() if spec_path.is_file() else None
    if current == raw:  # same spec, but the lock was missing or stale
        replace_file(lock_path(spec_path), lock_text(lock).encode("utf-8"))
        return f"unchanged: {spec_path}; wrote {lock_path(spec_path)}"
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(spec_path, raw)
    replace_file(lock_path(spec_path), lock_text(lock).encode("utf-8"))
    build = repr(lock.build) if lock.build else "(no Build line in info.description)"
    return (
        f"updated {spec_path}: {len(raw)} bytes, sha256 {digest[:12]}, info.version "
        f"{lock.info_version!r} {build} ({len(result.api.operations)} operations); "
        "now run `make generate` and review the diff"
    )


def _check_successor(
    new: Mapping[str, Any], label: str, spec_path: Path, successor: Successor
) -> None:
    """Refuse another API, or an older build, than the spec in ``spec_path`` (if it is readable)."""
    try:
        current = parse_spec_bytes(spec_path.read_bytes(), str(spec_path))
    except OSError:
        return  # a first download: nothing to compare with
    except SpecError:
        if successor.allow_other_api or lock_path(spec_path).is_file():
            return  # a broken spec being repaired (its lock says update-spec wrote it)
        raise SpecError(
            [
                Diagnostic(
                    str(spec_path),
                    "#",
                    "is not an OpenAPI description and has no spec.lock beside it, so it is not "
                    "a spec update-spec wrote (a wrong --spec?); pass --allow-other-api to "
                    "replace it anyway",
                )
            ]
        ) from None
    (old_title, old_build), (new_title, new_build) = _identity(current), _identity(new)
    problems = []
    if not successor.allow_other_api and new_title.casefold() != old_title.casefold():
        problems.append(
            Diagnostic(
                label,
                "#/info/title",
                f"{new_title!r} is not the API in {spec_path} ({old_title!r}); "
                "pass --allow-other-api to replace it anyway",
            )
        )
    old_date, new_date = _BUILD_DATE.search(old_build), _BUILD_DATE.search(new_build)
    if not successor.allow_older_build and old_date and new_date and new_date[1] < old_date[1]:
        problems.append(
            Diagnostic(
                label,
                "#/info/description",
                f"{new_build!r} is older than {spec_path} ({old_build!r}); "
                "pass --allow-older-build to go back to it",
            )
        )
    if problems:
        raise SpecError(problems)


def _check_lock_is_ours(spec_path: Path) -> None:
    """Refuse to overwrite the lock of another spec in the same folder: ``--spec spec/other.yaml``
    beside ``spec/norce-checkout-order.yaml`` would leave that spec failing ``check``."""
    if spec_path.is_file():
        return  # the lock is this spec's (or stale; update-spec rewrites it)
    try:
        lock = read_lock(spec_path)
    except (OSError, LockError):
        return  # unreadable: nobody's lock any more
    if lock is None:
        return
    for sibling in sorted(spec_path.parent.iterdir()):
        try:
            if sibling.is_file() and sibling.stat().st_size == lock.bytes:
                owner = hashlib.sha256(sibling.read_bytes()).hexdigest() == lock.sha256
            else:
                owner = False
        except OSError:
            continue
        if owner:
            raise WriteError(
                f"refusing to write {spec_path}: {lock_path(spec_path)} is the lock of {sibling} "
                "(one spec per folder); name a --spec in a folder of its own"
            )


def _identity(data: Mapping[str, Any]) -> tuple[str, str]:
    """``info.title`` and the "Build ..." line, as the generator reads them."""
    info = data.get("info")
    info = info if isinstance(info, Mapping) else {}
    return one_line(info.get("title")), build_line(clean_text(info.get("description")))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _read_source(source: str, options: FetchOptions, root: Path | None) -> tuple[bytes, str]:
    """Bytes and a label for messages and the lock: the URL, or the file path as given."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return download(source, options), source
    if scheme and len(scheme) > 1:  # "C:" is a drive, not a scheme
        raise FetchError(
            f"unsupported URL scheme {scheme!r} in {source!r} (use https:// or a file)"
        )
    path = Path(source)
    try:
        with path.open("rb") as handle:
            raw = handle.read(options.max_bytes + 1)
    except OSError as exc:
        raise FetchError(f"cannot read {source}: {exc.strerror}") from None
    if len(raw) > options.max_bytes:
        raise FetchError(f"{source} is larger than the {options.max_bytes} byte limit")
    label = source
    if root is not None and path.resolve().is_relative_to(root.resolve()):
        label = path.resolve().relative_to(root.resolve()).as_posix()
    return raw, label


def _load_bounded() -> ModuleType:
    """The runtime's bounded reader, loaded from its template file (it has no relative imports)."""
    name = "generator.intake._runtime_bounded"
    spec = importlib.util.spec_from_file_location(name, TEMPLATES / "runtime" / "_bounded.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_bounded = _load_bounded()


def download(url: str, options: FetchOptions) -> bytes:
    """GET ``url`` following at most ``max_redirects`` redirects; every hop must pass the scheme rule.

    ``options.timeout`` is one deadline for everything: connecting, each hop, the status line and
    headers (a server dripping them byte by byte is cut off), and the body.
    """
    deadline = time.monotonic() + options.timeout
    headers = {"Accept": _ACCEPT, "Accept-Encoding": _bounded.ACCEPT_ENCODING}
    # The deadline clamps every socket read and write of connections opened under `trace`.
    token = _bounded.DEADLINE.set(deadline)
    try:
        with httpx.Client(follow_redirects=False, trust_env=False) as client:
            for _ in range(options.max_redirects + 1):
                _check_scheme(url, options)
                try:
                    left = _bounded.seconds_left(deadline)
                    with client.stream(
                        "GET",
                        url,
                        headers=headers,
                        timeout=httpx.Timeout(left),
                        extensions={"trace": _bounded.trace},
                    ) as response:
                        if response.is_redirect:
                            url = urljoin(url, response.headers.get("location", ""))
                            continue
                        return _body(response, url, options, deadline)
                except (httpx.TimeoutException, _bounded.DeadlineExceeded):
                    raise FetchError(f"{url}: timed out after {options.timeout:g} s") from None
                except _bounded.BodyTooLarge:
                    raise FetchError(
                        f"{url}: body exceeds the {options.max_bytes} byte limit; stopped reading"
                    ) from None
                except httpx.RemoteProtocolError as exc:
                    raise FetchError(f"{url}: download truncated or malformed ({exc})") from None
                except httpx.HTTPError as exc:
                    raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    finally:
        _bounded.DEADLINE.reset(token)
    raise FetchError(f"{url}: more than {options.max_redirects} redirects (a redirect loop?)")


_ACCEPT = "application/yaml, application/x-yaml, text/yaml, application/json;q=0.9, */*;q=0.1"


def _check_scheme(url: str, options: FetchOptions) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and options.allow_http):
        return
    if scheme == "http":
        raise FetchError(
            f"{url}: plain http refused (use https, or --allow-http for a local server)"
        )
    raise FetchError(f"{url}: unsupported URL scheme {scheme!r}")


def _body(response: httpx.Response, url: str, options: FetchOptions, deadline: float) -> bytes:
    """Read the body within the size cap (decoded bytes) and the download's deadline."""
    if response.status_code != 200:
        raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        try:
            page = _bounded.read_body(response, min(options.max_bytes, MAX_HTML_BYTES), deadline)
        except _bounded.BodyTooLarge:
            page = b""  # too big for a page worth searching: the plain refusal
        raise FetchError(_html_refusal(url, f"got an HTML page ({kind})", page, url))
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > options.max_bytes:
        raise FetchError(
            f"{url}: body is {declared} bytes, over the {options.max_bytes} byte limit"
        )
    raw: bytes = _bounded.read_body(response, options.max_bytes, deadline)
    if not raw.strip():
        raise FetchError(f"{url}: empty response body")
    return raw


def _reject_html(raw: bytes, label: str, page_url: str | None) -> None:
    """Some servers send HTML error pages as text/plain; YAML would parse them as a string."""
    head = raw.lstrip()[:64].lower()
    if head.startswith(_HTML_STARTS):
        raise FetchError(_html_refusal(label, "content is HTML", raw, page_url))


def _html_refusal(label: str, what: str, page: bytes, page_url: str | None) -> str:
    """Why an HTML page is refused, and where its OpenAPI download is when it links one."""
    link = spec_link(page, page_url)
    if link is None:
        return f"{label}: {what}, not an OpenAPI description (a login or error page? check the URL)"
    return (
        f"{label}: {what}, not an OpenAPI description; this looks like the docs page: its "
        f"OpenAPI download is {link} (run update-spec with that URL)"
    )


def _build_in_memory(raw: bytes, label: str, settings: Mapping[str, Any]) -> Result:
    """Run the whole pipeline on the candidate; a spec we cannot generate from is refused too."""
    with tempfile.TemporaryDirectory(prefix="norce-spec-") as tmp:
        candidate = Path(tmp) / "candidate.yaml"
        candidate.write_bytes(raw)
        try:
            return build(candidate, settings)
        except SpecError as exc:
            # Name the source, not our temp file, in every message.
            raise SpecError(
                [Diagnostic(label, d.pointer, d.message) for d in exc.diagnostics]
            ) from None
