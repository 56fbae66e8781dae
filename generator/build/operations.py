"""One spec operation -> ``ir.Operation``: parameters, body, responses, signature, docstring."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from .examples import body_example, example_call
from .ir import Arg, Body, ClientHeader, Field, Operation, Param, Response
from .naming import clean_text, doc_text, one_line, py_literal, snake_case, unique
from .typemap import TypeContext
from .validate import HTTP_METHODS

IDEMPOTENT = {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"}
_NOT_GIVEN = "NOT_GIVEN"


RawOperation = tuple[str, str, dict[str, Any], list[Any]]


def iter_operations(ctx: TypeContext) -> Iterator[RawOperation]:
    for path, item in (ctx.doc.data.get("paths") or {}).items():
        if str(path).startswith("x-"):
            continue
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method], shared


def merged_parameters(
    ctx: TypeContext, where: tuple[object, ...], op: dict[str, Any], shared: list[Any]
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


def build_operation(
    ctx: TypeContext,
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
    for param, pointer in merged_parameters(ctx, where, op, shared):
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


def _body(ctx: TypeContext, where: tuple[object, ...], op: dict[str, Any]) -> Body | None:
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


def _fields(ctx: TypeContext, schema: Any) -> tuple[Field, ...]:
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


def _type_label(ctx: TypeContext, schema: Any) -> str:
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


def _responses(ctx: TypeContext, where: tuple[object, ...], op: dict[str, Any]) -> list[Response]:
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
