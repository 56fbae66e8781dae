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
class TypePart:
    """A piece of a Python type as the docs print it, linked to a model's page where it names one."""

    text: str  # "list[", "models.Consent", "] | None"
    page: str  # "models/Consent.md" (relative to docs/); "" for plain text


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
    example: str = ""  # Python literal for the docs example (path and required parameters)
    type: tuple[TypePart, ...] = ()  # the annotation for the docs, set by docpages


@dataclass(frozen=True, slots=True)
class ParamCheck:
    """What the runtime checks a parameter value against (``_params.check_params``)."""

    kind: str  # "str" | "int" | "number" | "bool" | "date-time" | "date" | "enum" | "any"
    many: bool  # an array parameter: each item is checked
    nonempty: bool  # "" is refused (a required header, or ``minLength: 1``)
    required: bool  # None is refused: it would leave out a parameter the operation requires
    values: tuple[str | int, ...]  # the enum's values, for "enum"

    @property
    def needed(self) -> bool:
        return self.kind != "any" or self.nonempty or self.required


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
    """A field of a model class, for the docs (model pages and body tables)."""

    python_name: str
    wire_name: str
    type: tuple[TypePart, ...]  # the annotation a user writes: ``list[models.Consent] | None``
    required: bool
    default: str  # Python source of a default other than None; ""
    read_only: bool  # set by the server: the request half of its schema leaves it out
    description: str


@dataclass(frozen=True, slots=True)
class Usage:
    """Where one operation uses a model class."""

    operation: str  # the method name
    doc_path: str  # the operation's page
    roles: str  # "body", "200 response", "400, 404 responses", "parameter status"


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ModelPage:
    """One class of the models module an operation reaches, with its docs page."""

    name: str
    doc_path: str  # "models/Address.md", relative to docs/
    kind: str  # "model" | "enum" | "root" (a RootModel: a list or union under a name)
    schema: str  # the component schema it is made from; "" for one DCG made from an inline schema
    description: str  # the schema's description, clean text
    half: str  # "request" | "response" for the halves of a readOnly/writeOnly split; else ""
    twin: tuple[TypePart, ...]  # the other half of the split, linked
    extends: tuple[TypePart, ...]  # model classes it inherits fields from (allOf), linked
    root: tuple[TypePart, ...]  # a RootModel's type
    fields: tuple[Field, ...]
    left_out: tuple[Field, ...]  # a request half's read-only fields: refused when sent
    members: tuple[EnumMember, ...]
    literal_alias: str  # an enum's ``XLiteral``: its values as plain strings
    used_by: tuple[Usage, ...]  # operations naming it in a body, response or parameter
    used_in: tuple[TypePart, ...]  # pages whose fields hold it


@dataclass(frozen=True, slots=True)
class Body:
    """A JSON request body."""

    annotation: str
    required: bool
    description: str
    example: str | None  # Python expression building an example body, or None
    type: tuple[TypePart, ...] = ()  # the annotation for the docs, set by docpages
    model: ModelPage | None = None  # the page of its model (the items' for a list), set by docpages


@dataclass(frozen=True, slots=True)
class Response:
    """One documented response."""

    status: str
    description: str
    annotation: str | None
    is_success: bool
    type: tuple[TypePart, ...] = ()  # the annotation for the docs, set by docpages


@dataclass(frozen=True, slots=True)
class Example:
    """A runnable call for an operation's page and what it needs imported."""

    code: str  # ``client.get_checkout_order("o_123")``, formatted
    uses_models: bool
    imports: tuple[str, ...]  # standard-library modules it names: ("datetime",)


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
    example: Example
    doc_path: str  # relative path of the Markdown page
    success_type: tuple[TypePart, ...] = ()  # success_annotation for the docs, set by docpages


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
    models: tuple[ModelPage, ...] = ()  # the docs pages of model classes, by name; set by docpages
