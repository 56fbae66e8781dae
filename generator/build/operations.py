"""One spec operation -> ``ir.Operation``: parameters, body, responses, signature, docstring."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from .examples import body_example, example_call, param_example
from .ir import Arg, Body, ClientHeader, Operation, Param, ParamCheck, Response
from .modelfields import Catalog
from .naming import clean_text, doc_text, one_line, page_stem, py_literal, snake_case, unique
from .typemap import TypeContext
from .validate import HTTP_METHODS

IDEMPOTENT = {"GET", "PUT", "DELETE", "HEAD", "OPTIONS"}
_NOT_GIVEN = "NOT_GIVEN"
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


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
    raw: RawOperation,
    *,
    python_name: str,
    client_headers: list[ClientHeader],
    catalog: Catalog,
) -> Operation:
    """``python_name`` is settled by the caller, which sees every operation (names are unique)."""
    path, method, op, shared = raw
    where: tuple[object, ...] = ("paths", path, method)
    configured = {h.wire_name for h in client_headers}
    declared: set[str] = set()
    params: list[Param] = []
    for param, pointer in merged_parameters(ctx, where, op, shared):
        wire = param["name"]
        if param["in"] == "header" and wire.lower() in configured:
            declared.add(wire.lower())
            continue
        if param["in"] == "cookie" or (
            param["in"] == "header" and wire.lower() in {"authorization", "content-type", "accept"}
        ):
            continue
        annotation = ctx.parameter(param.get("schema"), param["in"], pointer + ("schema",))
        required = param.get("required") is True or param["in"] == "path"
        params.append(
            Param(
                wire_name=wire,
                python_name=snake_case(wire),
                location=param["in"],
                annotation=annotation if required else f"{annotation} | None",
                required=required,
                description=clean_text(param.get("description")),
                wire_literal=py_literal(wire),
                check=ctx.parameter_check(param.get("schema"), param["in"], required, annotation),
                example=param_example(ctx.deref, param) if required else "",
            )
        )
    params = _named(params, {h.python_name for h in client_headers})
    own_headers = [h for h in client_headers if h.wire_name in declared]
    body = _body(ctx, where, op, catalog)
    responses = _responses(ctx, where, op)
    success = next((r for r in responses if r.is_success), None)
    success_annotation = success.annotation if success and success.annotation else "None"
    operation_id = str(op["operationId"]) if has_operation_id(op) else python_name
    summary = (
        one_line(op.get("summary"))
        or one_line(op.get("description"))
        or (operation_id if has_operation_id(op) else f"{method.upper()} {path}")
    )
    description = clean_text(op.get("description"))
    args = _args(params, own_headers, body, path)
    return Operation(
        operation_id=operation_id,
        named_from_path=not has_operation_id(op),
        python_name=python_name,
        method=method.upper(),
        path=path,
        tag=str((op.get("tags") or ["Default"])[0]),
        summary=summary,
        summary_doc=doc_text(summary),
        description=description if description != summary else "",
        deprecated=op.get("deprecated") is True,
        params=tuple(params),
        checks=_checks(params, own_headers),
        client_headers=tuple(own_headers),
        unsent_headers=tuple(h for h in client_headers if h.wire_name not in declared),
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
            "operation_id": py_literal(operation_id),
        },
        example=example_call(python_name, args, params, body),
        doc_path=doc_path(python_name),
    )


def has_operation_id(op: dict[str, Any]) -> bool:
    """Whether the spec names the operation (a blank operationId does not)."""
    value = op.get("operationId")
    return isinstance(value, str) and bool(value.strip())


def operation_name(path: str, method: str, op: dict[str, Any]) -> str:
    """The method name before de-duplication: the operationId, else method and path.

    ``GET /api/v0/health`` without an operationId is ``get_api_v0_health``: stable for as long
    as the operation keeps its method and path.
    """
    if has_operation_id(op):
        return snake_case(op["operationId"])
    return snake_case(f"{method} {path}")


def doc_path(python_name: str) -> str:
    """The docs page of an operation; the file name stays short enough for any file system."""
    return f"operations/{page_stem(python_name)}.md"


def _named(params: list[Param], client_names: set[str]) -> list[Param]:
    """Give parameters distinct Python names that no other argument of the method uses.

    ``body`` (the request body argument) and the client settings' names are taken: a parameter
    that would be called so gets a trailing ``_`` (``body`` -> ``body_``), whether or not the
    operation has a body or declares the header today, so neither can rename it later.
    """
    taken = client_names | {"body"}
    # Clashes are settled in (location, wire name) order, not in the spec's parameter order.
    order = sorted(range(len(params)), key=lambda i: (params[i].location, params[i].wire_name))
    wanted = [params[i].python_name for i in order]
    settled = unique([name + "_" if name in taken else name for name in wanted])
    names = dict(zip(order, settled, strict=True))
    return [
        p if p.python_name == names[i] else replace(p, python_name=names[i])
        for i, p in enumerate(params)
    ]


def _checks(params: list[Param], client_headers: list[ClientHeader]) -> tuple[str, ...]:
    """The runtime's checks (``_params.Check`` literals): each parameter that has one, and a
    per-call value for a required client header, which must not be empty."""
    found = [(p.location, p.wire_name, p.python_name, p.check) for p in params if p.check.needed]
    found += [
        ("header", h.wire_name, h.python_name, ParamCheck("str", False, True, True, ()))
        for h in client_headers
        if h.required
    ]
    return tuple(
        f"({py_literal(location)}, {py_literal(wire)}, {py_literal(python)}, "
        f"{py_literal(check.kind)}, {check.many}, {check.nonempty}, {check.required}, "
        f"{_tuple(check.values)})"
        for location, wire, python, check in found
    )


def _tuple(values: tuple[str | int, ...]) -> str:
    """A tuple literal black leaves on one line (no trailing comma but for one item)."""
    if len(values) == 1:
        return f"({py_literal(values[0])},)"
    return "(" + ", ".join(py_literal(v) for v in values) + ")"


def _args(
    params: list[Param], client_headers: list[ClientHeader], body: Body | None, path: str
) -> list[Arg]:
    # Path parameters are positional in the order the path shows them, which a reordered
    # parameter list in the spec cannot change.
    in_path = _PLACEHOLDER.findall(path)
    path_params = sorted(
        (p for p in params if p.location == "path"),
        key=lambda p: in_path.index(p.wire_name) if p.wire_name in in_path else len(in_path),
    )
    args = [
        Arg(
            p.python_name,
            p.annotation,
            None,
            doc_text(f"{p.description} (path ``{p.wire_name}``)"),
            True,
        )
        for p in path_params
    ]
    if body is not None:
        default = None if body.required else _NOT_GIVEN
        annotation = _body_accepts(body.annotation)
        annotation = annotation if body.required else f"{annotation} | NotGiven"
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
        # A header the operation requires cannot be left out for one call (None would do that).
        omit = "" if h.required else ", None omits it"
        args.append(
            Arg(
                h.python_name,
                "str | NotGiven" if h.required else "str | None | NotGiven",
                _NOT_GIVEN,
                doc_text(
                    f"{h.description} (header ``{h.wire_name}``; defaults to the client's "
                    f"``{h.python_name}``{omit})"
                ),
                False,
            )
        )
    # Required keywords first, for readability; sorted() is stable so spec order holds within each group.
    return sorted(args, key=lambda a: (not a.positional, a.default is not None))


def _body_accepts(annotation: str) -> str:
    """A model body may also be given as a dict (wire or Python names); the client validates
    either into the model before sending."""
    if annotation.startswith("models."):
        return f"{annotation} | dict[str, Any]"
    if annotation.startswith("list[models."):
        return f"{annotation} | list[dict[str, Any]]"
    return annotation


def _body(
    ctx: TypeContext, where: tuple[object, ...], op: dict[str, Any], catalog: Catalog
) -> Body | None:
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
    if _body_accepts(annotation) != annotation:
        ctx.uses_any = True  # the dict alternative is dict[str, Any]
    return Body(
        annotation=annotation,
        required=body.get("required") is True,
        description=clean_text(body.get("description")),
        example=body_example(ctx.deref, schema, annotation, catalog),
    )


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
