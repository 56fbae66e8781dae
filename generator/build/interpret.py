"""Interpret a validated spec once into the IR (``ir.Api``) that templates only read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..diagnostics import Diagnostic, fail, json_pointer, warn
from .admit import Admitted
from .docpages import document_models
from .ir import Api, ClientHeader, Operation, Server, Tag
from .modelfields import read_catalog
from .models import Models
from .naming import clean_text, doc_text, one_line, py_literal, snake_case, unique
from .operations import (
    RawOperation,
    build_operation,
    has_operation_id,
    iter_operations,
    merged_parameters,
    operation_name,
)
from .typemap import TypeContext
from .validate import HTTP_METHODS

_SETTINGS = "pyproject.toml"  # where a settings problem points; settings come from its table


def build_api(doc: Admitted, models: Models, settings: Mapping[str, Any]) -> Api:
    """Interpret the admitted spec against the models DCG made from it."""
    ctx = TypeContext(doc, models)
    data = doc.data
    raw_ops = list(iter_operations(ctx))
    client_headers = _client_headers(ctx, raw_ops, settings)
    catalog = read_catalog(models.source)
    operations = [
        build_operation(ctx, raw, python_name=name, client_headers=client_headers, catalog=catalog)
        for raw, name in zip(raw_ops, _operation_names(doc, raw_ops), strict=True)
    ]
    operations.sort(key=lambda op: (op.path, HTTP_METHODS.index(op.method.lower())))
    info = data.get("info") or {}
    description = clean_text(info.get("description"))
    build = build_line(description)
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
        heading_doc=doc_text(f"{title} {version}" + (f" ({build})" if build else "")),
        sample_call=doc_text(f"client.{sample.python_name}({sample_args})"),
        package=str(settings["package"]),
        import_path=str(settings.get("import-path") or settings["package"]),
        client_class=str(settings["client-class"]),
        servers=_servers(data, settings),
        client_headers=tuple(client_headers),
        auth_header=_auth_header(data),
        typing_imports=("TYPE_CHECKING",)
        + tuple(name for name, used in (("Any", ctx.uses_any), ("Literal", ctx.uses_literal)) if used),
        uses_datetime=ctx.uses_datetime,
        auth_scheme=auth_scheme(data, settings),
        env_vars=env_vars(settings, client_headers),
        user_agent_version=_NOT_TOKEN.sub("-", version) or "0",
        operations=tuple(operations),
        tags=_tags(data, operations),
    )
    schemas = (data.get("components") or {}).get("schemas") or {}
    return document_models(api, catalog, models, schemas)


def _operation_names(doc: Admitted, raw_ops: list[RawOperation]) -> list[str]:
    """Unique method names, independent of the order of paths in the spec.

    Names from an operationId are settled first, then names made from method and path (in path
    order), so a reordered spec or a new operation without an operationId never renames an
    existing method. Among operationIds that snake-case alike (``GetOrder``, ``get_order``), the
    one already spelled so keeps the bare name, whichever the spec lists or added first; the
    others take ``_2``, ``_3``, ... in operationId order, with a warning.
    """

    def key(i: int) -> tuple[int, str, str, str]:
        path, method, op, _ = raw_ops[i]
        if not has_operation_id(op):
            return (2, "", path, method)
        op_id = str(op["operationId"])
        return (0 if snake_case(op_id) == op_id else 1, op_id, "", "")

    order = sorted(range(len(raw_ops)), key=key)
    wanted = [operation_name(*raw_ops[i][:3]) for i in order]
    settled = unique(wanted)
    names = [""] * len(raw_ops)
    for index, want, name in zip(order, wanted, settled, strict=True):
        names[index] = name
        path, method, op, _ = raw_ops[index]
        where = json_pointer(("paths", path, method))
        if not has_operation_id(op):
            warn(
                Diagnostic(
                    doc.path,
                    where,
                    f"operation has no operationId; its method is named {name!r} after its "
                    "method and path (add an operationId to choose the name)",
                )
            )
        elif name != want:
            warn(
                Diagnostic(
                    doc.path,
                    where + "/operationId",
                    f"operationId {op['operationId']!r} is {want!r} in Python, like another "
                    f"operation's; its method is named {name!r} (rename the operationId to choose)",
                )
            )
    return names


def build_line(description: str) -> str:
    """The "Build YYYY-MM-DD hh:mm:ss" line Norce puts in ``info.description``; "" if absent."""
    return next((line for line in description.split("\n") if line.startswith("Build ")), "")


def _client_headers(
    ctx: TypeContext, raw_ops: list[RawOperation], settings: Mapping[str, Any]
) -> list[ClientHeader]:
    """The client settings ``header-names`` configures, whatever the spec declares.

    Nothing here depends on which operations declare a header, so adding an operation can never
    add, drop or re-type a constructor argument. Required-ness is configuration as well
    (``required-headers``); the spec only lends the description.
    """
    configured: Mapping[str, str] = settings.get("header-names") or {}
    wire_names = [str(h).lower() for h in configured]
    required = {str(h).lower() for h in settings.get("required-headers") or []}
    unknown = sorted(required - set(wire_names))
    if unknown:
        raise fail(
            _SETTINGS,
            ("tool", "norce-codegen", "required-headers"),
            f"required-headers names {', '.join(unknown)}, which header-names does not configure",
        )
    descriptions: dict[str, str] = {}
    for path, method, op, shared in raw_ops:
        for param, _ in merged_parameters(ctx, ("paths", path, method), op, shared):
            name = str(param["name"]).lower()
            if param["in"] == "header" and name in wire_names and param.get("description"):
                descriptions.setdefault(name, str(param["description"]))
    python_names = [snake_case(str(configured[h])) for h in configured]
    if len(set(python_names)) != len(python_names) or "body" in python_names:
        raise fail(
            _SETTINGS,
            ("tool", "norce-codegen", "header-names"),
            "header-names must give each header its own Python name, other than 'body'",
        )
    return [
        ClientHeader(
            wire_name=wire,
            python_name=name,
            required=wire in required,
            description=clean_text(descriptions.get(wire)),
            doc=doc_text(one_line(descriptions.get(wire))),
            wire_literal=py_literal(wire),
        )
        for wire, name in zip(wire_names, python_names, strict=True)
    ]


def _servers(data: dict[str, Any], settings: Mapping[str, Any]) -> tuple[Server, ...]:
    """Servers as ``environment=`` choices, named by ``environments`` (URL -> name) if listed.

    A server the settings do not list is named after its description, which a reworded spec can
    change: the settings are what keeps a name stable.
    """
    # OpenAPI: no (or an empty) servers list means one server at "/"; the client needs at least one.
    declared = data.get("servers") or [{"url": "/", "description": "default"}]
    by_url = {
        str(url): snake_case(str(name)).rstrip("_") for name, url in _environments(settings).items()
    }
    guessed = [
        snake_case(one_line(s.get("description")) or f"server_{i}").rstrip("_")
        for i, s in enumerate(declared)
    ]
    # A listed name wins (once: a URL served twice is named once); a guessed name that collides
    # with it is suffixed (unique keeps the first of equal names).
    listed: list[str | None] = []
    for server in declared:
        name = by_url.get(str(server.get("url", "")))
        listed.append(name if name not in listed else None)
    fixed = [name for name in listed if name]
    names = unique(fixed + [g for g, name in zip(guessed, listed, strict=True) if not name])
    named = iter(names[len(fixed) :])
    servers = []
    for server, name in zip(declared, listed, strict=True):
        url = str(server.get("url", ""))
        servers.append(
            Server(
                name=name or next(named),
                url=url,
                url_literal=py_literal(url),
                description=one_line(server.get("description")),
                variables=tuple(str(v) for v in (server.get("variables") or {})),
            )
        )
    return tuple(servers)


def _environments(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    environments = settings.get("environments") or {}
    urls = [str(url) for url in environments.values()]
    if len(set(urls)) != len(urls):
        raise fail(
            _SETTINGS,
            ("tool", "norce-codegen", "environments"),
            "environments lists one server URL under two names",
        )
    return environments


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


# RFC 9110 token: what an auth scheme name may be made of.
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9!#$%&'*+.^_`|~-]+")
_MENTIONS_BEARER = re.compile(r"\bbearer\b", re.IGNORECASE)


def auth_scheme(data: dict[str, Any], settings: Mapping[str, Any]) -> str:
    """The word the client puts before the API key in ``Authorization``, or "" for none.

    ``auth-scheme`` in ``[tool.norce-codegen]`` decides when it is not "auto". Otherwise the
    spec's security scheme does: an ``http`` scheme names it (``bearer`` -> "Bearer"); an
    ``apiKey`` in the Authorization header whose description names the bearer scheme (Norce
    declares its token that way) is "Bearer"; any other apiKey is sent as it is.
    """
    setting = str(settings.get("auth-scheme", "auto"))
    if setting == "none":
        return ""
    if setting != "auto":
        if not _TOKEN.fullmatch(setting):
            raise fail(
                "pyproject.toml",
                ["tool", "norce-codegen", "auth-scheme"],
                f"auth-scheme {setting!r} is not a scheme name (use e.g. \"Bearer\", "
                '"none" or "auto")',
            )
        return setting
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    for scheme in schemes.values():
        if not isinstance(scheme, dict):
            continue
        if scheme.get("type") == "http" and isinstance(scheme.get("scheme"), str):
            name = scheme["scheme"]
            return name[:1].upper() + name[1:] if _TOKEN.fullmatch(name) else ""
        if (
            scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
            and str(scheme.get("name", "")).lower() == "authorization"
            and _MENTIONS_BEARER.search(str(scheme.get("description") or ""))
        ):
            return "Bearer"
    return ""


def env_vars(settings: Mapping[str, Any], client_headers: list[ClientHeader]) -> dict[str, str]:
    """Client argument -> environment variable (``api_key`` -> ``NORCE_CHECKOUT_API_KEY``)."""
    prefix = str(settings.get("env-prefix") or "NORCE_CHECKOUT").rstrip("_")
    arguments = ["api_key", *(h.python_name for h in client_headers)]
    arguments += ["environment", "slug", "base_url"]
    return {name: f"{prefix}_{name.upper()}" for name in arguments}


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
