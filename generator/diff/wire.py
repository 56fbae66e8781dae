"""Wire diff: what an HTTP client written against OLD meets when the server speaks NEW.

Operations are matched by method and path (path parameter names blanked: renaming ``{id}`` is
wire-neutral), then by operationId (a moved operation is one fact, not a removal plus an addition).
Schemas are compared once each (``schema.Walk``); schema renames are claimed only with evidence
(``renames``). ``merge`` then turns the raw findings into one row per fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..build.validate import HTTP_METHODS
from ..diagnostics import json_pointer
from . import renames
from .changes import REQUEST, RESPONSE, Change
from .merge import merge_findings
from .nodes import deref, escape, show
from .schema import Owner, Pair, Spot, Walk

_PARAM = re.compile(r"\{[^}]*\}")
_SERVERS: Owner = ("spec", "servers")
_SCHEMES: Owner = ("spec", "securitySchemes")


@dataclass(frozen=True, slots=True)
class _Param:
    node: dict[str, Any]
    pointer: str


@dataclass(frozen=True, slots=True)
class _Op:
    method: str
    path: str
    node: dict[str, Any]
    pointer: str
    params: dict[tuple[str, str], _Param]  # (location, key) -> resolved parameter

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def owner(self) -> Owner:
        return ("op", self.label)


def diff_wire(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every wire-level fact between two parsed, valid OpenAPI documents, one row each."""
    pairs = _match(_operations(old), _operations(new))
    matched = [
        (b.label, _slots(old, a), _slots(new, b))
        for a, b in pairs
        if a is not None and b is not None
    ]
    walk = Walk(old, new, renames.schema_renames(old, new, matched))
    _servers(walk)
    _security_schemes(walk)
    for a, b in pairs:
        if a is None and b is not None:
            walk.found(
                "operation-added", b.owner, "", "new operation", after=b.label, pointer=b.pointer
            )
        elif b is None and a is not None:
            kind = (
                "deprecated-operation-removed" if a.node.get("deprecated") else "operation-removed"
            )
            message = "operation removed; calls get 404/405"
            walk.found(kind, a.owner, "", message, before=a.label, pointer=a.pointer, side="old")
        elif a is not None and b is not None:
            if a.label != b.label:
                message = "method or path changed; calls to the old address fail"
                walk.found(
                    "operation-moved",
                    b.owner,
                    "",
                    message,
                    before=a.label,
                    after=b.label,
                    pointer=b.pointer,
                )
            _operation(walk, a, b)
    return merge_findings(walk)


# --- operations --------------------------------------------------------------------------------


def _operations(data: dict[str, Any]) -> dict[tuple[str, str], _Op]:
    """Operations keyed by (method, path with parameter names blanked)."""
    ops: dict[tuple[str, str], _Op] = {}
    for path, raw_item in (data.get("paths") or {}).items():
        item, _ = deref(data, raw_item)
        if not isinstance(item, dict):
            continue
        base = json_pointer(["paths", path])
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                params = _params(data, str(path), item, node, base, method)
                ops[(method, _PARAM.sub("{}", str(path)))] = _Op(
                    method, str(path), node, f"{base}/{method}", params
                )
    return ops


def _params(
    data: dict[str, Any],
    path: str,
    item: dict[str, Any],
    node: dict[str, Any],
    base: str,
    method: str,
) -> dict[tuple[str, str], _Param]:
    names = [name.strip("{}") for name in _PARAM.findall(path)]
    shared = [(p, f"{base}/parameters/{i}") for i, p in enumerate(item.get("parameters") or [])]
    own = [
        (p, f"{base}/{method}/parameters/{i}") for i, p in enumerate(node.get("parameters") or [])
    ]
    params: dict[tuple[str, str], _Param] = {}
    for raw, pointer in shared + own:
        param, _ = deref(data, raw)
        if isinstance(param, dict):
            location, name = str(param.get("in")), str(param.get("name"))
            if location == "path" and name in names:
                key = f"#{names.index(name)}"  # by position: a path parameter's name is not sent
            else:
                key = name.lower() if location == "header" else name
            params[(location, key)] = _Param(param, pointer)
    return params


def _match(
    old_ops: dict[tuple[str, str], _Op], new_ops: dict[tuple[str, str], _Op]
) -> list[tuple[_Op | None, _Op | None]]:
    """Pairs (old, new); an operationId found under another method/path is the same operation."""
    pairs: list[tuple[_Op | None, _Op | None]] = []
    only_new = {k: v for k, v in new_ops.items() if k not in old_ops}
    by_id = {
        str(op.node["operationId"]): k for k, op in only_new.items() if op.node.get("operationId")
    }
    for key, a in sorted(old_ops.items()):
        if key in new_ops:
            pairs.append((a, new_ops[key]))
            continue
        moved = by_id.get(str(a.node.get("operationId"))) if a.node.get("operationId") else None
        pairs.append((a, only_new.pop(moved) if moved in only_new else None))
    return pairs + [(None, b) for _, b in sorted(only_new.items())]


def _slots(data: dict[str, Any], op: _Op) -> dict[str, Any]:
    """Schema of each place in an operation that can name a component (rename evidence)."""
    slots = {f"parameter {key}": p.node.get("schema") for key, p in op.params.items()}
    body, _ = deref(data, op.node.get("requestBody"))
    for media, content in _media(body):
        slots[f"request body {media}"] = content.get("schema")
    for status, raw in _no_extensions(op.node.get("responses") or {}).items():
        response, _ = deref(data, raw)
        for media, content in _media(response):
            slots[f"response {status} {media}"] = content.get("schema")
    return slots


def _operation(walk: Walk, a: _Op, b: _Op) -> None:
    owner = b.owner
    a_id, b_id = a.node.get("operationId"), b.node.get("operationId")
    if a_id != b_id:
        message = "operationId changed: the same call on the wire, a renamed Python method"
        walk.found(
            "operation-id-changed", owner, "operationId", message,
            before=a_id or "", after=b_id or "", pointer=b.pointer + "/operationId",
        )  # fmt: skip
    if not a.node.get("deprecated") and b.node.get("deprecated"):
        walk.found("operation-deprecated", owner, "", "operation deprecated", pointer=b.pointer)
    a_sec, b_sec = _security(walk.old, a.node), _security(walk.new, b.node)
    if a_sec != b_sec:
        kind = "security-widened" if a_sec <= b_sec or "(none)" in b_sec else "security-narrowed"
        walk.found(
            kind,
            owner,
            "security",
            "accepted credentials changed",
            before=a_sec,
            after=b_sec,
            pointer=b.pointer,
        )
    _parameters(walk, a, b)
    _request_body(walk, a, b)
    _responses(walk, a, b)


def _parameters(walk: Walk, a: _Op, b: _Op) -> None:
    owner = b.owner
    removed = {k: a.params[k] for k in a.params.keys() - b.params.keys()}
    added = {k: b.params[k] for k in b.params.keys() - a.params.keys()}
    for (a_in, wire_key), param in sorted(removed.items()):
        name = str(param.node.get("name"))
        moved = next((k for k in sorted(added) if k[1] == wire_key), None)
        if moved is not None:
            message = f"parameter moved from {a_in} to {moved[0]}"
            walk.found(
                "parameter-location-changed", owner, f"parameter {name}", message,
                before=a_in, after=moved[0], pointer=added.pop(moved).pointer,
            )  # fmt: skip
            continue
        walk.found(
            "parameter-removed", owner, f"{a_in} parameter {name}",
            "parameter removed; the server may reject or ignore it",
            before=name, direction=REQUEST, pointer=param.pointer, side="old",
        )  # fmt: skip
    for (b_in, _), param in sorted(added.items()):
        name, required = str(param.node.get("name")), bool(param.node.get("required"))
        kind = "parameter-added-required" if required else "parameter-added"
        message = "new required parameter" if required else "new optional parameter"
        walk.found(
            kind,
            owner,
            f"{b_in} parameter {name}",
            message,
            after=name,
            direction=REQUEST,
            pointer=param.pointer,
        )
    for key in sorted(a.params.keys() & b.params.keys()):
        pa, pb = a.params[key], b.params[key]
        where = f"{key[0]} parameter {pb.node.get('name')}"
        if bool(pa.node.get("required")) != bool(pb.node.get("required")):
            now = bool(pb.node.get("required"))
            kind = "parameter-became-required" if now else "parameter-became-optional"
            states = ("optional", "required") if now else ("required", "optional")
            message = "parameter is now required" if now else "parameter is now optional"
            walk.found(
                kind,
                owner,
                where,
                message,
                before=states[0],
                after=states[1],
                direction=REQUEST,
                pointer=pb.pointer,
            )
        for style in ("style", "explode"):
            if pa.node.get(style) != pb.node.get(style):
                walk.found(
                    "parameter-serialization-changed", owner, where, f"serialization {style} changed",
                    before=f"{style}={show(pa.node.get(style))}", after=f"{style}={show(pb.node.get(style))}",
                    direction=REQUEST, pointer=pb.pointer,
                )  # fmt: skip
        spot = Spot(where, pa.pointer + "/schema", pb.pointer + "/schema")
        Pair(walk, owner, REQUEST).compare(pa.node.get("schema"), pb.node.get("schema"), spot)


def _request_body(walk: Walk, a_op: _Op, b_op: _Op) -> None:
    owner, where = b_op.owner, "request body"
    a, _ = deref(walk.old, a_op.node.get("requestBody"))
    b, _ = deref(walk.new, b_op.node.get("requestBody"))
    spot = Spot(where, a_op.pointer + "/requestBody", b_op.pointer + "/requestBody")
    if not a and not b:
        return
    if not b:
        message = "request body removed; the server may reject one"
        walk.found(
            "request-body-removed",
            owner,
            where,
            message,
            direction=REQUEST,
            pointer=spot.old,
            side="old",
        )
        return
    required = bool(b.get("required"))
    if not a:
        kind = "request-body-added-required" if required else "request-body-added"
        message = "request body added and required" if required else "optional request body added"
        walk.found(kind, owner, where, message, direction=REQUEST, pointer=spot.new)
        return
    if bool(a.get("required")) != required:
        kind = "request-body-became-required" if required else "request-body-became-optional"
        message = "request body is now required" if required else "request body is now optional"
        walk.found(kind, owner, where, message, direction=REQUEST, pointer=spot.new)
    _content(walk, owner, REQUEST, (a, b), spot)


def _content(
    walk: Walk,
    owner: Owner,
    direction: str,
    nodes: tuple[dict[str, Any], dict[str, Any]],
    spot: Spot,
) -> None:
    a, b = (dict(_media(n)) for n in nodes)
    for media in sorted(a.keys() - b.keys()):
        walk.found(
            "media-type-removed", owner, spot.where, f"media type {media} removed", before=media,
            direction=direction, pointer=f"{spot.old}/content/{escape(media)}", side="old",
        )  # fmt: skip
    for media in sorted(b.keys() - a.keys()):
        walk.found(
            "media-type-added", owner, spot.where, f"media type {media} added", after=media,
            direction=direction, pointer=f"{spot.new}/content/{escape(media)}",
        )  # fmt: skip
    for media in sorted(a.keys() & b.keys()):
        label = "" if media == "application/json" else f" ({media})"
        here = spot.child(label, "content", media, "schema")
        Pair(walk, owner, direction).compare(a[media].get("schema"), b[media].get("schema"), here)


def _responses(walk: Walk, a_op: _Op, b_op: _Op) -> None:
    owner = b_op.owner
    a = _no_extensions(a_op.node.get("responses") or {})
    b = _no_extensions(b_op.node.get("responses") or {})
    base = Spot("", a_op.pointer + "/responses", b_op.pointer + "/responses")
    for status in sorted(a.keys() - b.keys()):
        kind = "success-status-removed" if status.startswith("2") else "error-status-removed"
        walk.found(
            kind, owner, f"response {status}", f"status {status} no longer documented", before=status,
            direction=RESPONSE, pointer=f"{base.old}/{escape(status)}", side="old",
        )  # fmt: skip
    for status in sorted(b.keys() - a.keys()):
        kind = "success-status-added" if status.startswith("2") else "error-status-added"
        walk.found(
            kind, owner, f"response {status}", f"status {status} may now be returned", after=status,
            direction=RESPONSE, pointer=f"{base.new}/{escape(status)}",
        )  # fmt: skip
    for status in sorted(a.keys() & b.keys()):
        ra, _ = deref(walk.old, a[status])
        rb, _ = deref(walk.new, b[status])
        ra, rb = ra or {}, rb or {}
        spot = base.child(f"response {status}", status)
        if bool(_media(ra)) != bool(_media(rb)):
            added = bool(_media(rb))
            walk.found(
                "response-body-added" if added else "response-body-removed", owner, spot.where,
                "response body added" if added else "response body removed", direction=RESPONSE,
                pointer=spot.new if added else spot.old, side="new" if added else "old",
            )  # fmt: skip
        elif _media(ra):
            _content(
                walk, owner, RESPONSE, (ra, rb), Spot(spot.where + " body", spot.old, spot.new)
            )
        _headers(walk, owner, (ra.get("headers") or {}, rb.get("headers") or {}), spot)


def _headers(
    walk: Walk, owner: Owner, headers: tuple[dict[str, Any], dict[str, Any]], spot: Spot
) -> None:
    a = {str(k).lower(): (str(k), v) for k, v in headers[0].items()}
    b = {str(k).lower(): (str(k), v) for k, v in headers[1].items()}
    for name in sorted(a.keys() - b.keys()):
        node, _ = deref(walk.old, a[name][1])
        required = isinstance(node, dict) and bool(node.get("required"))
        walk.found(
            "required-response-header-removed" if required else "response-header-removed", owner,
            f"{spot.where} header {name}", "response header no longer sent", before=name,
            direction=RESPONSE, pointer=f"{spot.old}/headers/{escape(a[name][0])}", side="old",
        )  # fmt: skip
    for name in sorted(b.keys() - a.keys()):
        walk.found(
            "response-header-added", owner, f"{spot.where} header {name}", "new response header", after=name,
            direction=RESPONSE, pointer=f"{spot.new}/headers/{escape(b[name][0])}",
        )  # fmt: skip
    for name in sorted(a.keys() & b.keys()):
        ha, _ = deref(walk.old, a[name][1])
        hb, _ = deref(walk.new, b[name][1])
        here = Spot(
            f"{spot.where} header {name}",
            f"{spot.old}/headers/{escape(a[name][0])}/schema",
            f"{spot.new}/headers/{escape(b[name][0])}/schema",
        )
        Pair(walk, owner, RESPONSE).compare(
            (ha or {}).get("schema"), (hb or {}).get("schema"), here
        )


# --- spec-wide -----------------------------------------------------------------------------------


def _servers(walk: Walk) -> None:
    old = [str(s.get("url")) for s in walk.old.get("servers") or [] if isinstance(s, dict)]
    new = [str(s.get("url")) for s in walk.new.get("servers") or [] if isinstance(s, dict)]
    for index, url in enumerate(old):
        if url not in new:
            walk.found(
                "server-removed",
                _SERVERS,
                "",
                f"server {url} removed",
                before=url,
                pointer=f"#/servers/{index}",
                side="old",
            )
    for index, url in enumerate(new):
        if url not in old:
            walk.found(
                "server-added",
                _SERVERS,
                "",
                f"server {url} added",
                after=url,
                pointer=f"#/servers/{index}",
            )


def _security_schemes(walk: Walk) -> None:
    old = (walk.old.get("components") or {}).get("securitySchemes") or {}
    new = (walk.new.get("components") or {}).get("securitySchemes") or {}
    keys = ("type", "in", "name", "scheme", "bearerFormat")
    for name in sorted(old.keys() | new.keys()):
        a, _ = deref(walk.old, old.get(name))
        b, _ = deref(walk.new, new.get(name))
        pointer = json_pointer(["components", "securitySchemes", name])
        if a is None:
            walk.found(
                "security-scheme-added", _SCHEMES, name, "scheme added", after=name, pointer=pointer
            )
        elif b is None:
            walk.found(
                "security-scheme-removed",
                _SCHEMES,
                name,
                "scheme removed",
                before=name,
                pointer=pointer,
                side="old",
            )
        elif (
            isinstance(a, dict)
            and isinstance(b, dict)
            and [a.get(k) for k in keys] != [b.get(k) for k in keys]
        ):
            walk.found(
                "security-scheme-changed", _SCHEMES, name, "how credentials are sent changed",
                before=[f"{k}={a.get(k)}" for k in keys if a.get(k)],
                after=[f"{k}={b.get(k)}" for k in keys if b.get(k)], pointer=pointer,
            )  # fmt: skip


def _security(data: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """Alternatives as 'A+B' strings; an empty alternative ({}) means 'no auth'."""
    raw = node.get("security", data.get("security")) or []
    return {"+".join(sorted(alt)) or "(none)" for alt in raw if isinstance(alt, dict)}


def _media(node: Any) -> list[tuple[str, dict[str, Any]]]:
    content = node.get("content") if isinstance(node, dict) else None
    if not isinstance(content, dict):
        return []
    return [(str(m), c) for m, c in content.items() if isinstance(c, dict)]


def _no_extensions(mapping: dict[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in mapping.items() if not str(k).startswith("x-")}
