"""Wire diff: what an HTTP client written against OLD meets when the server speaks NEW.

Severity is judged from the client's side: what it sends must still be accepted (request
direction), and what it receives must still be understood (response direction). So the same
edit flips meaning with the direction: a new enum value is harmless in a request and
potentially breaking in a response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..build.validate import HTTP_METHODS
from .changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, Change
from .schema import Collector, SchemaDiff, deref

_PARAM = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True, slots=True)
class _Op:
    method: str
    path: str
    node: dict[str, Any]
    params: dict[tuple[str, str], dict[str, Any]]  # (location, key) -> resolved parameter

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def diff_wire(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every wire-level difference between two parsed, valid OpenAPI documents."""
    out = Collector(old, new)
    _servers(out)
    _security_schemes(out)
    old_ops, new_ops = _operations(old), _operations(new)
    unmatched_old = {k: v for k, v in old_ops.items() if k not in new_ops}
    unmatched_new = {k: v for k, v in new_ops.items() if k not in old_ops}
    for key in sorted(old_ops.keys() & new_ops.keys()):
        _operation(out, old_ops[key], new_ops[key])
    # Same operationId under another method/path: one "moved" change instead of removed + added.
    by_id = {str(op.node.get("operationId")): k for k, op in unmatched_new.items()}
    for _key, old_op in sorted(unmatched_old.items()):
        new_key = by_id.get(str(old_op.node.get("operationId")))
        if new_key is None or new_key not in unmatched_new:
            out.add(
                BREAKING,
                "operation-removed",
                old_op.label,
                "",
                "operation removed; calls get 404/405",
                before=old_op.label,
            )
            continue
        new_op = unmatched_new.pop(new_key)
        out.add(
            BREAKING,
            "operation-moved",
            new_op.label,
            "",
            "method or path changed; clients "
            "built for the old one call an address that no longer exists",
            before=old_op.label,
            after=new_op.label,
        )
        _operation(out, old_op, new_op)
    for _key, new_op in sorted(unmatched_new.items()):
        out.add(
            NON_BREAKING, "operation-added", new_op.label, "", "new operation", after=new_op.label
        )
    return out.changes


def _operations(data: dict[str, Any]) -> dict[tuple[str, str], _Op]:
    """Operations keyed by (method, path with parameter names blanked): renaming {id} is wire-neutral."""
    ops: dict[tuple[str, str], _Op] = {}
    for path, item in (data.get("paths") or {}).items():
        item = deref(data, item)
        if not isinstance(item, dict):
            continue
        shared = [deref(data, p) for p in item.get("parameters") or []]
        for method in HTTP_METHODS:
            node = item.get(method)
            if not isinstance(node, dict):
                continue
            params: dict[tuple[str, str], dict[str, Any]] = {}
            path_names = [name.strip("{}") for name in _PARAM.findall(path)]
            for param in shared + [deref(data, p) for p in node.get("parameters") or []]:
                params[_param_key(param, path_names)] = param
            ops[(method, _PARAM.sub("{}", path))] = _Op(method, path, node, params)
    return ops


def _param_key(param: dict[str, Any], path_names: list[str]) -> tuple[str, str]:
    location, name = str(param.get("in")), str(param.get("name"))
    if location == "path" and name in path_names:
        return (
            location,
            f"#{path_names.index(name)}",
        )  # by position: the name never goes on the wire
    return location, name.lower() if location == "header" else name


def _servers(out: Collector) -> None:
    old = {s.get("url") for s in out.old.get("servers") or [] if isinstance(s, dict)}
    new = {s.get("url") for s in out.new.get("servers") or [] if isinstance(s, dict)}
    for url in sorted(str(u) for u in old - new):
        out.add(BREAKING, "server-removed", "", "servers", f"server {url} removed", before=url)
    for url in sorted(str(u) for u in new - old):
        out.add(NON_BREAKING, "server-added", "", "servers", f"server {url} added", after=url)


def _security_schemes(out: Collector) -> None:
    old = (out.old.get("components") or {}).get("securitySchemes") or {}
    new = (out.new.get("components") or {}).get("securitySchemes") or {}
    for name in sorted(old.keys() | new.keys()):
        a, b = deref(out.old, old.get(name)), deref(out.new, new.get(name))
        keys = ("type", "in", "name", "scheme", "bearerFormat")
        if a is None:
            out.add(
                NON_BREAKING, "security-scheme-added", "", f"securitySchemes.{name}", "scheme added"
            )
        elif b is None:
            out.add(
                BREAKING, "security-scheme-removed", "", f"securitySchemes.{name}", "scheme removed"
            )
        elif [a.get(k) for k in keys] != [b.get(k) for k in keys]:
            out.add(
                BREAKING,
                "security-scheme-changed",
                "",
                f"securitySchemes.{name}",
                "how credentials are sent changed",
                before={f"{k}={a.get(k)}" for k in keys if a.get(k)},
                after={f"{k}={b.get(k)}" for k in keys if b.get(k)},
            )


def _security(data: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """Alternatives as 'A+B' strings; an empty alternative ({}) means 'no auth'."""
    raw = node.get("security", data.get("security")) or []
    return {"+".join(sorted(alt)) or "(none)" for alt in raw if isinstance(alt, dict)}


def _operation(out: Collector, old: _Op, new: _Op) -> None:
    label = new.label
    a_id, b_id = old.node.get("operationId"), new.node.get("operationId")
    if a_id != b_id:
        out.add(
            NON_BREAKING,
            "operation-id-changed",
            label,
            "operationId",
            "operationId changed: same on the wire, but the Python method is renamed",
            before=str(a_id),
            after=str(b_id),
        )
    if not old.node.get("deprecated") and new.node.get("deprecated"):
        out.add(NON_BREAKING, "operation-deprecated", label, "", "operation deprecated")
    a_sec, b_sec = _security(out.old, old.node), _security(out.new, new.node)
    if a_sec != b_sec:
        severity = NON_BREAKING if a_sec <= b_sec or "(none)" in b_sec else BREAKING
        out.add(
            severity,
            "security-changed",
            label,
            "security",
            "accepted credentials changed",
            before=a_sec,
            after=b_sec,
        )
    _parameters(out, old, new)
    _request_body(out, label, old.node.get("requestBody"), new.node.get("requestBody"))
    _responses(out, label, old.node.get("responses") or {}, new.node.get("responses") or {})


def _parameters(out: Collector, old: _Op, new: _Op) -> None:
    label = new.label
    removed = {k: old.params[k] for k in old.params.keys() - new.params.keys()}
    added = {k: new.params[k] for k in new.params.keys() - old.params.keys()}
    for (a_in, name), param in sorted(removed.items()):
        moved = next((k for k in sorted(added) if k[1] == name), None)
        if moved is not None:
            added.pop(moved)
            out.add(
                BREAKING,
                "parameter-location-changed",
                label,
                f"parameter {name}",
                f"parameter `{name}` moved from {a_in} to {moved[0]}",
                before=a_in,
                after=moved[0],
            )
            continue
        out.add(
            POTENTIALLY_BREAKING,
            "parameter-removed",
            label,
            f"{a_in} parameter {param.get('name')}",
            "parameter removed; the server may reject or silently ignore it",
            before=str(param.get("name")),
        )
    for (b_in, _), param in sorted(added.items()):
        required = bool(param.get("required"))
        out.add(
            BREAKING if required else NON_BREAKING,
            "parameter-added-required" if required else "parameter-added",
            label,
            f"{b_in} parameter {param.get('name')}",
            "new required parameter" if required else "new optional parameter",
            after=str(param.get("name")),
        )
    for key in sorted(old.params.keys() & new.params.keys()):
        a, b = old.params[key], new.params[key]
        where = f"{key[0]} parameter {b.get('name')}"
        if bool(a.get("required")) != bool(b.get("required")):
            now = bool(b.get("required"))
            out.add(
                BREAKING if now else NON_BREAKING,
                "parameter-now-required" if now else "parameter-now-optional",
                label,
                where,
                "parameter is now required" if now else "parameter is now optional",
                before="required" if not now else "optional",
                after="required" if now else "optional",
            )
        for style in ("style", "explode"):
            if a.get(style) != b.get(style):
                out.add(
                    POTENTIALLY_BREAKING,
                    f"parameter-{style}-changed",
                    label,
                    where,
                    f"serialization `{style}` changed",
                    before=a.get(style),
                    after=b.get(style),
                )
        SchemaDiff(out, label, "request").compare(a.get("schema"), b.get("schema"), where)


def _request_body(out: Collector, label: str, a_raw: Any, b_raw: Any) -> None:
    a, b = deref(out.old, a_raw), deref(out.new, b_raw)
    if not a and not b:
        return
    if not a:
        required = bool(b.get("required"))
        out.add(
            BREAKING if required else NON_BREAKING,
            "request-body-added",
            label,
            "request body",
            "request body added" + (" and required" if required else " (optional)"),
        )
        return
    if not b:
        out.add(
            POTENTIALLY_BREAKING,
            "request-body-removed",
            label,
            "request body",
            "request body removed; the server may reject or ignore it",
        )
        return
    if not a.get("required") and b.get("required"):
        out.add(
            BREAKING,
            "request-body-now-required",
            label,
            "request body",
            "request body is now required",
        )
    _content(
        out,
        label,
        "request",
        "request body",
        _no_extensions(a.get("content") or {}),
        _no_extensions(b.get("content") or {}),
    )


def _content(
    out: Collector, label: str, direction: str, where: str, a: dict[str, Any], b: dict[str, Any]
) -> None:
    for media in sorted(a.keys() - b.keys()):
        out.add(
            BREAKING if direction == "request" else POTENTIALLY_BREAKING,
            f"{direction}-media-type-removed",
            label,
            where,
            f"media type {media} removed",
            before=media,
        )
    for media in sorted(b.keys() - a.keys()):
        out.add(
            NON_BREAKING if direction == "request" else POTENTIALLY_BREAKING,
            f"{direction}-media-type-added",
            label,
            where,
            f"media type {media} added",
            after=media,
        )
    for media in sorted(a.keys() & b.keys()):
        suffix = "" if media == "application/json" else f" ({media})"
        schemas = SchemaDiff(out, label, direction)
        schemas.compare(
            (a[media] or {}).get("schema"), (b[media] or {}).get("schema"), where + suffix
        )


def _responses(out: Collector, label: str, a_all: dict[str, Any], b_all: dict[str, Any]) -> None:
    a, b = _no_extensions(a_all), _no_extensions(b_all)
    for status in sorted(a.keys() - b.keys()):
        success = status.startswith("2")
        out.add(
            POTENTIALLY_BREAKING if success else NON_BREAKING,
            "response-status-removed",
            label,
            f"response {status}",
            f"status {status} no longer documented",
            before=status,
        )
    for status in sorted(b.keys() - a.keys()):
        success = status.startswith("2")
        out.add(
            POTENTIALLY_BREAKING if success else NON_BREAKING,
            "response-status-added",
            label,
            f"response {status}",
            f"status {status} may now be returned",
            after=status,
        )
    for status in sorted(a.keys() & b.keys()):
        ra, rb = deref(out.old, a[status]) or {}, deref(out.new, b[status]) or {}
        where = f"response {status}"
        ca, cb = ra.get("content") or {}, rb.get("content") or {}
        if bool(ca) != bool(cb):
            out.add(
                POTENTIALLY_BREAKING,
                "response-body-added" if cb else "response-body-removed",
                label,
                where,
                "response body added" if cb else "response body removed",
            )
        else:
            _content(
                out, label, "response", where + " body", _no_extensions(ca), _no_extensions(cb)
            )
        _headers(out, label, where, ra.get("headers") or {}, rb.get("headers") or {})


def _headers(out: Collector, label: str, where: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    lower_a = {str(k).lower(): v for k, v in a.items()}
    lower_b = {str(k).lower(): v for k, v in b.items()}
    for name in sorted(lower_a.keys() - lower_b.keys()):
        out.add(
            POTENTIALLY_BREAKING,
            "response-header-removed",
            label,
            f"{where} header {name}",
            "response header no longer sent",
            before=name,
        )
    for name in sorted(lower_b.keys() - lower_a.keys()):
        out.add(
            NON_BREAKING,
            "response-header-added",
            label,
            f"{where} header {name}",
            "new response header",
            after=name,
        )
    for name in sorted(lower_a.keys() & lower_b.keys()):
        ha, hb = deref(out.old, lower_a[name]) or {}, deref(out.new, lower_b[name]) or {}
        SchemaDiff(out, label, "response").compare(
            ha.get("schema"), hb.get("schema"), f"{where} header {name}"
        )


def _no_extensions(mapping: dict[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in mapping.items() if not str(k).startswith("x-")}
