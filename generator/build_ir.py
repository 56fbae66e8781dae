"""Interpret a validated spec once into the IR (generator.ir) that templates only read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from .build_models import SCHEMA_PREFIX, split_schemas
from .diagnostics import fail, json_pointer
from .examples import body_example, example_call
from .ir import Api, Arg, Body, ClientHeader, Field, Operation, Param, Response, Server, Tag
from .load import SpecDocument
from .naming import clean_text, doc_text, one_line, pascal_case, py_literal, snake_case, unique
from .validate import HTTP_METHODS, resolve_pointer

IDEMPOTENT = {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"}
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_NOT_GIVEN = "NOT_GIVEN"


class _Context:
    """What type mapping needs: the document, the model classes DCG made, and which were split."""

    def __init__(self, doc: SpecDocument, model_classes: set[str]) -> None:
        self.doc = doc
        self.model_classes = model_classes
        self.split = split_schemas(doc.data)
        self.uses_any = False

    def deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            node = resolve_pointer(self.doc.data, node["$ref"])
            seen += 1
        return node

    def model(self, ref: str, mode: str, where: tuple[object, ...]) -> str:
        name = ref[len(SCHEMA_PREFIX) :]
        base = pascal_case(name) if name not in self.model_classes else name
        candidate = base + mode.capitalize() if name in self.split else base
        if candidate not in self.model_classes:
            raise fail(
                self.doc.path, where, f"schema {name!r} produced no model class {candidate!r}"
            )
        return "models." + candidate

    def annotation(self, schema: Any, mode: str, where: tuple[object, ...]) -> str:
        """Python type of a schema; ``mode`` is "request" or "response" (readOnly split)."""
        if not isinstance(schema, dict) or not schema:
            self.uses_any = True
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref.startswith(SCHEMA_PREFIX) and "/" not in ref[len(SCHEMA_PREFIX) :]:
                return self.model(ref, mode, where)
            return self.annotation(self.deref(schema), mode, where)
        for key in ("allOf", "oneOf", "anyOf"):
            parts = schema.get(key)
            if isinstance(parts, list) and len(parts) == 1:
                return self.annotation(parts[0], mode, where + (key, 0))
        kind = schema.get("type")
        if kind == "array":
            inner = self.annotation(schema.get("items"), mode, where + ("items",))
            text = f"list[{inner}]"
        elif kind in _PRIMITIVES:
            text = _PRIMITIVES[kind]
        else:  # inline objects and free-form values travel as JSON
            self.uses_any = True
            text = "dict[str, Any]" if kind == "object" else "Any"
        return f"{text} | None" if schema.get("nullable") is True and text != "Any" else text


def build_api(
    doc: SpecDocument, model_classes: set[str], settings: Mapping[str, Any]
) -> tuple[Api, bool]:
    """Return the IR and whether generated code needs ``typing.Any``."""
    ctx = _Context(doc, model_classes)
    data = doc.data
    raw_ops = list(_iter_operations(ctx))
    client_headers = _client_headers(ctx, raw_ops, settings)
    operations = [_operation(ctx, *raw, client_headers=client_headers) for raw in raw_ops]
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


RawOperation = tuple[str, str, dict[str, Any], list[Any]]


def _iter_operations(ctx: _Context) -> Iterator[RawOperation]:
    for path, item in (ctx.doc.data.get("paths") or {}).items():
        if str(path).startswith("x-"):
            continue
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method], shared


def _parameters(
    ctx: _Context, where: tuple[object, ...], op: dict[str, Any], shared: list[Any]
) -> list[tuple[dict[str, Any], tuple[object, ...]]]:
    """Operation parameters overriding path-level ones by (name, in), in declaration order."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], tuple[object, ...]]] = {}
    for source, params in (
        (where[:2] + ("parameters",), shared),
        (where + ("parameters",), op.get("parameters") or []),
    ):
        for index, raw in enumerate(params):
            param = ctx.deref(raw)
            merged[(param["name"], param["in"])] = (param, source + (index,))
    return list(merged.values())


def _client_headers(
    ctx: _Context, raw_ops: list[RawOperation], settings: Mapping[str, Any]
) -> list[ClientHeader]:
    """Headers every operation declares become client settings (x-merchant, x-channel, x-adapterid)."""
    per_op: list[dict[str, dict[str, Any]]] = []
    for path, method, op, shared in raw_ops:
        params = _parameters(ctx, ("paths", path, method), op, shared)
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


def _operation(
    ctx: _Context,
    path: str,
    method: str,
    op: dict[str, Any],
    shared: list[Any],
    *,
    client_headers: list[ClientHeader],
) -> Operation:
    where: tuple[object, ...] = ("paths", path, method)
    client_wire = {h.wire_name for h in client_headers}
    params: list[Param] = []
    for param, pointer in _parameters(ctx, where, op, shared):
        if param["in"] == "header" and param["name"].lower() in client_wire:
            continue
        if param["in"] == "cookie" or (
            param["in"] == "header"
            and param["name"].lower() in {"authorization", "content-type", "accept"}
        ):
            continue
        annotation = ctx.annotation(param.get("schema"), "request", pointer + ("schema",))
        required = param.get("required") is True or param["in"] == "path"
        params.append(
            Param(
                wire_name=param["name"],
                python_name=snake_case(param["name"]),
                location=param["in"],
                annotation=annotation if required else f"{annotation} | None",
                required=required,
                description=clean_text(param.get("description")),
                wire_literal=py_literal(param["name"]),
            )
        )
    names = unique(
        [p.python_name for p in params] + [h.python_name for h in client_headers] + ["body"]
    )
    params = [_param_named(p, n) for p, n in zip(params, names, strict=False)]
    body = _body(ctx, where, op)
    responses = _responses(ctx, where, op)
    success = next((r for r in responses if r.is_success), None)
    success_annotation = success.annotation if success and success.annotation else "None"
    python_name = snake_case(op["operationId"])
    summary = one_line(op.get("summary")) or one_line(op.get("description")) or op["operationId"]
    description = clean_text(op.get("description"))
    args = _args(params, client_headers, body)
    return Operation(
        operation_id=op["operationId"],
        python_name=python_name,
        method=method.upper(),
        path=path,
        tag=str((op.get("tags") or ["Default"])[0]),
        summary=summary,
        summary_doc=doc_text(summary),
        description=description if description != summary else "",
        deprecated=op.get("deprecated") is True,
        params=tuple(params),
        client_headers=tuple(client_headers),
        body=body,
        responses=tuple(responses),
        success_annotation=success_annotation,
        idempotent=method.upper() in IDEMPOTENT,
        args=tuple(args),
        has_keywords=any(not a.positional for a in args),
        call_args=", ".join(a.name if a.positional else f"{a.name}={a.name}" for a in args),
        docstring=_docstring(summary, description, args, success_annotation, op),
        literals={
            "method": py_literal(method.upper()),
            "path": py_literal(path),
            "operation_id": py_literal(op["operationId"]),
        },
        example=example_call(python_name, params, body),
        doc_path=f"operations/{python_name}.md",
    )


def _param_named(param: Param, name: str) -> Param:
    return param if param.python_name == name else replace(param, python_name=name)


def _args(params: list[Param], client_headers: list[ClientHeader], body: Body | None) -> list[Arg]:
    args = [
        Arg(
            p.python_name,
            p.annotation,
            None,
            doc_text(f"{p.description} (path ``{p.wire_name}``)"),
            True,
        )
        for p in params
        if p.location == "path"
    ]
    if body is not None:
        default = None if body.required else _NOT_GIVEN
        annotation = body.annotation if body.required else f"{body.annotation} | NotGiven"
        args.append(
            Arg("body", annotation, default, doc_text(body.description or "Request body."), False)
        )
    for p in params:
        if p.location != "path":
            default = None if p.required else "None"
            args.append(
                Arg(
                    p.python_name,
                    p.annotation,
                    default,
                    doc_text(f"{p.description} ({p.location} ``{p.wire_name}``)"),
                    False,
                )
            )
    for h in client_headers:
        args.append(
            Arg(
                h.python_name,
                "str | None | NotGiven",
                _NOT_GIVEN,
                doc_text(
                    f"{h.description} (header ``{h.wire_name}``; defaults to the client's "
                    f"``{h.python_name}``, None omits it)"
                ),
                False,
            )
        )
    # Required keywords first, for readability; sorted() is stable so spec order holds within each group.
    return sorted(args, key=lambda a: (not a.positional, a.default is not None))


def _body(ctx: _Context, where: tuple[object, ...], op: dict[str, Any]) -> Body | None:
    raw = op.get("requestBody")
    if raw is None:
        return None
    body = ctx.deref(raw)
    content = body.get("content") or {}
    media = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
    if media is None:
        return None
    schema = content[media].get("schema")
    pointer = where + ("requestBody", "content", media, "schema")
    annotation = ctx.annotation(schema, "request", pointer)
    schema_name = None
    target = schema
    if isinstance(schema, dict) and schema.get("type") == "array":
        target = schema.get("items")
    if isinstance(target, dict) and isinstance(target.get("$ref"), str):
        schema_name = target["$ref"].rsplit("/", 1)[-1]
    return Body(
        annotation=annotation,
        required=body.get("required") is True,
        description=clean_text(body.get("description")),
        schema_name=schema_name,
        fields=_fields(ctx, target),
        example=body_example(ctx.deref, schema, annotation),
    )


def _fields(ctx: _Context, schema: Any) -> tuple[Field, ...]:
    resolved = ctx.deref(schema)
    if not isinstance(resolved, dict):
        return ()
    required = set(resolved.get("required") or [])
    fields = []
    for name, prop in (resolved.get("properties") or {}).items():
        prop_resolved = ctx.deref(prop) if isinstance(prop, dict) else {}
        kind = _type_label(ctx, prop)
        fields.append(
            Field(
                name=str(name),
                python_name=snake_case(str(name)),
                type=kind,
                required=name in required,
                read_only=isinstance(prop, dict) and prop.get("readOnly") is True,
                description=one_line(
                    (prop or {}).get("description") or prop_resolved.get("description")
                ),
            )
        )
    return tuple(fields)


def _type_label(ctx: _Context, schema: Any) -> str:
    """Short type name for docs tables: ``string``, ``Price``, ``array of Item``."""
    if not isinstance(schema, dict):
        return "any"
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and len(schema[key]) == 1:
            return _type_label(ctx, schema[key][0])
    if schema.get("type") == "array":
        return f"array of {_type_label(ctx, schema.get('items'))}"
    kind = str(schema.get("type") or "any")
    return f"{kind} ({schema['format']})" if schema.get("format") else kind


def _responses(ctx: _Context, where: tuple[object, ...], op: dict[str, Any]) -> list[Response]:
    result = []
    for status, raw in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
        if str(status).startswith("x-"):  # extensions, not responses
            continue
        response = ctx.deref(raw)
        content = response.get("content") or {}
        media = next((m for m in content if "json" in m), None) or next(iter(content), None)
        annotation = None
        if media is not None and content[media].get("schema") is not None:
            pointer = where + ("responses", status, "content", media, "schema")
            annotation = ctx.annotation(content[media]["schema"], "response", pointer)
        result.append(
            Response(
                status=str(status),
                description=one_line(response.get("description")),
                annotation=annotation,
                is_success=str(status).startswith("2"),
            )
        )
    return result


def _docstring(
    summary: str, description: str, args: list[Arg], returns: str, op: dict[str, Any]
) -> str:
    lines = [doc_text(summary)]
    if description and description != summary:
        lines += ["", doc_text(description)]
    if op.get("deprecated") is True:
        lines += ["", "Deprecated by the API."]
    if args:
        lines += ["", "Args:"] + [f"    {a.name}: {a.doc}" for a in args]
    lines += [
        "",
        "Returns:",
        f"    {returns}" if returns != "None" else "    None (no response body).",
    ]
    lines += ["", "Raises:", "    APIStatusError: on a non-2xx response (a subclass per status)."]
    return "\n".join(lines)


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


__all__ = ["build_api", "json_pointer"]
