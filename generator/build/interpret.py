"""Interpret a validated spec once into the IR (``ir.Api``) that templates only read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .ir import Api, ClientHeader, Operation, Server, Tag
from .load import SpecDocument
from .naming import clean_text, doc_text, one_line, py_literal, snake_case, unique
from .operations import RawOperation, build_operation, iter_operations, merged_parameters
from .typemap import TypeContext
from .validate import HTTP_METHODS


def build_api(
    doc: SpecDocument, model_classes: set[str], settings: Mapping[str, Any]
) -> tuple[Api, bool]:
    """Return the IR and whether generated code needs ``typing.Any``."""
    ctx = TypeContext(doc, model_classes)
    data = doc.data
    raw_ops = list(iter_operations(ctx))
    client_headers = _client_headers(ctx, raw_ops, settings)
    operations = [build_operation(ctx, *raw, client_headers=client_headers) for raw in raw_ops]
    names = unique([op.python_name for op in operations])
    operations = [_renamed(op, name) for op, name in zip(operations, names, strict=True)]
    operations.sort(key=lambda op: (op.path, HTTP_METHODS.index(op.method.lower())))
    info = data.get("info") or {}
    description = clean_text(info.get("description"))
    build = next((line for line in description.split("\n") if line.startswith("Build ")), "")
    title, version = one_line(info.get("title")), one_line(info.get("version"))
    sample = next(
        (op for op in operations if op.method == "GET" and op.path.count("{") == 1), operations[0]
    )
    sample_args = ", ".join(
        py_literal(f"<{p.wire_name}>") for p in sample.params if p.location == "path"
    )
    api = Api(
        title=title,
        version=version,
        build=build,
        description=description,
        version_literal=py_literal(version),
        spec_sha256=doc.sha256,
        heading_doc=doc_text(f"{title} {version}" + (f" ({build})" if build else "")),
        sample_call=doc_text(f"client.{sample.python_name}({sample_args})"),
        package=str(settings["package"]),
        client_class=str(settings["client-class"]),
        servers=_servers(data),
        client_headers=tuple(client_headers),
        auth_header=_auth_header(data),
        operations=tuple(operations),
        tags=_tags(data, operations),
    )
    return api, ctx.uses_any


def _renamed(op: Operation, name: str) -> Operation:
    if name == op.python_name:
        return op
    example = op.example.replace(f"client.{op.python_name}(", f"client.{name}(", 1)
    return replace(op, python_name=name, doc_path=f"operations/{name}.md", example=example)


def _client_headers(
    ctx: TypeContext, raw_ops: list[RawOperation], settings: Mapping[str, Any]
) -> list[ClientHeader]:
    """Headers every operation declares become client settings (x-merchant, x-channel, x-adapterid)."""
    per_op: list[dict[str, dict[str, Any]]] = []
    for path, method, op, shared in raw_ops:
        params = merged_parameters(ctx, ("paths", path, method), op, shared)
        per_op.append({p["name"].lower(): p for p, _ in params if p["in"] == "header"})
    if not per_op:
        return []
    common = [name for name in per_op[0] if all(name in headers for headers in per_op)]
    overrides: Mapping[str, str] = settings.get("header-names") or {}
    names = unique([overrides.get(h) or snake_case(h.removeprefix("x-")) for h in common])
    return [
        ClientHeader(
            wire_name=header,
            python_name=name,
            required=all(headers[header].get("required") is True for headers in per_op),
            description=clean_text(per_op[0][header].get("description")),
            doc=doc_text(one_line(per_op[0][header].get("description"))),
            wire_literal=py_literal(per_op[0][header]["name"]),
        )
        for header, name in zip(common, names, strict=True)
    ]


def _servers(data: dict[str, Any]) -> tuple[Server, ...]:
    servers = []
    # OpenAPI: no (or an empty) servers list means one server at "/"; the client needs at least one.
    declared = data.get("servers") or [{"url": "/", "description": "default"}]
    raw_names = [
        snake_case(one_line(s.get("description")) or f"server_{i}") for i, s in enumerate(declared)
    ]
    for server, name in zip(declared, unique(raw_names), strict=True):
        url = str(server.get("url", ""))
        servers.append(
            Server(
                name=name.rstrip("_"),
                url=url,
                url_literal=py_literal(url),
                description=one_line(server.get("description")),
                variables=tuple(str(v) for v in (server.get("variables") or {})),
            )
        )
    return tuple(servers)


def _auth_header(data: dict[str, Any]) -> str:
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    for scheme in schemes.values():
        if (
            isinstance(scheme, dict)
            and scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
        ):
            return str(scheme.get("name"))
    return "Authorization"


def _tags(data: dict[str, Any], operations: list[Operation]) -> tuple[Tag, ...]:
    declared = [str(t.get("name")) for t in data.get("tags") or [] if isinstance(t, dict)]
    descriptions = {
        str(t.get("name")): clean_text(t.get("description"))
        for t in data.get("tags") or []
        if isinstance(t, dict)
    }
    order = declared + sorted({op.tag for op in operations} - set(declared))
    return tuple(
        Tag(name, descriptions.get(name, ""), tuple(op for op in operations if op.tag == name))
        for name in order
        if any(op.tag == name for op in operations)
    )

__all__ = ["build_api"]
