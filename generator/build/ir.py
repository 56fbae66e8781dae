"""The intermediate representation templates read. Frozen data only; built by ``interpret``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Arg:
    """One parameter of a generated function: ``name: annotation = default``."""

    name: str
    annotation: str
    default: str | None
    doc: str  # docstring text, already escaped
    positional: bool  # path parameters are positional; everything else is keyword-only


@dataclass(frozen=True, slots=True)
class Param:
    """A path, query or header parameter of an operation."""

    wire_name: str
    python_name: str
    location: str  # "path" | "query" | "header"
    annotation: str
    required: bool
    description: str  # clean text (Markdown-safe)
    wire_literal: str  # Python literal of wire_name
    check: ParamCheck  # what a value must be before it is sent


@dataclass(frozen=True, slots=True)
class ParamCheck:
    """What the runtime checks a parameter value against (``_params.check_params``)."""

    kind: str  # "str" | "int" | "number" | "bool" | "date-time" | "date" | "enum" | "any"
    many: bool  # an array parameter: each item is checked
    nonempty: bool  # "" is refused (a required header, or ``minLength: 1``)
    values: tuple[str | int, ...]  # the enum's values, for "enum"

    @property
    def needed(self) -> bool:
        return self.kind != "any" or self.nonempty


@dataclass(frozen=True, slots=True)
class ClientHeader:
    """A client setting sent as a header (``[tool.norce-codegen] header-names``).

    Set once on the client; operations that declare the header send it and take a per-call
    override, the others never send it.
    """

    wire_name: str
    python_name: str
    required: bool
    description: str
    doc: str  # description escaped for a docstring
    wire_literal: str


@dataclass(frozen=True, slots=True)
class Field:
    """A body field, for the docs."""

    name: str
    python_name: str | None  # the attribute on the body's model; None: the model has no such field
    type: str  # "string (date-time)", "StateRequest", "array of CallbackRequest": the class a user meets
    schema: str  # the schema that class comes from, where its name differs ("State"); else ""
    required: bool
    read_only: bool
    description: str


@dataclass(frozen=True, slots=True)
class Body:
    """A JSON request body."""

    annotation: str
    required: bool
    description: str
    schema_name: str | None
    fields: tuple[Field, ...]
    example: str | None  # Python expression building an example body, or None


@dataclass(frozen=True, slots=True)
class Response:
    """One documented response."""

    status: str
    description: str
    annotation: str | None
    is_success: bool


@dataclass(frozen=True, slots=True)
class Operation:
    """One HTTP operation and everything a template prints for it."""

    operation_id: str  # the spec's operationId, or python_name when the spec has none
    named_from_path: bool  # the spec has no operationId: python_name comes from method + path
    python_name: str
    method: str
    path: str
    tag: str
    summary: str
    summary_doc: str  # summary escaped for a docstring
    description: str
    deprecated: bool
    params: tuple[Param, ...]
    checks: tuple[
        str, ...
    ]  # Python literals of the runtime's parameter checks (``Request.checks``)
    client_headers: tuple[ClientHeader, ...]  # the client settings this operation declares
    unsent_headers: tuple[ClientHeader, ...]  # the client settings it does not declare
    body: Body | None
    responses: tuple[Response, ...]
    success_annotation: str  # "None" when the 2xx response has no body
    idempotent: bool
    args: tuple[Arg, ...]  # the public signature after self (path params, then keyword-only)
    has_keywords: bool
    call_args: str  # how a client method forwards its args to the operation function
    docstring: str  # escaped, multi-line, without the quotes
    literals: dict[str, str]  # escaped Python literals: method, path, operation_id
    example: str  # Python snippet for the docs
    doc_path: str  # relative path of the Markdown page


@dataclass(frozen=True, slots=True)
class Server:
    """A published server, exposed as an ``environment``."""

    name: str
    url: str
    url_literal: str
    description: str
    variables: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tag:
    """Operations grouped under one tag, in spec order."""

    name: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class Api:
    """Everything the templates render."""

    title: str
    version: str
    build: str
    description: str
    version_literal: str  # Python literal of info.version
    heading_doc: str  # "title version (build)" escaped for a docstring
    sample_call: str  # docstring-escaped usage line, e.g. client.get_checkout_order("<order_id>")
    package: str
    import_path: str  # dotted, e.g. "acme.norce_order" when vendored into the package acme
    client_class: str
    servers: tuple[Server, ...]
    client_headers: tuple[ClientHeader, ...]
    auth_header: str
    typing_imports: tuple[
        str, ...
    ]  # names operations.py imports from typing: ("TYPE_CHECKING", "Any")
    uses_datetime: bool  # some parameter accepts datetime values
    auth_scheme: str  # "Bearer" -> "Authorization: Bearer <key>"; "" sends the key as it is
    env_vars: dict[str, str]  # client argument -> the environment variable it falls back to
    user_agent_version: str  # info.version reduced to header-safe token characters
    operations: tuple[Operation, ...]
    tags: tuple[Tag, ...]
