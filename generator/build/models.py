"""Pydantic v2 models from the admitted spec with datamodel-code-generator, then open enums.

DCG also reports which class it made from which schema (``emit_model_metadata``); that mapping is
the ``Models`` product the IR reads, so an operation always names the class DCG really made for its
schema, including DCG's suffixes when two schema names meet after PascalCase (``Foo-Bar``/``FooBar``
become ``FooBar``/``FooBar1``) and the ``Request``/``Response`` halves of a readOnly split.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from datamodel_code_generator.enums import (
    DataModelType,
    InputFileType,
    OpenAPIScope,
    ReadOnlyWriteOnlyModelType,
)
from datamodel_code_generator.format import PythonVersion

from ..diagnostics import Diagnostic, SpecError, fail
from .admit import SCHEMA_PREFIX, Admitted
from .astcheck import check_models
from .dcg import run_dcg
from .fieldtypes import typed_fields
from .naming import doc_text

# One place for every DCG option we rely on; DCG has ~200 and their defaults drift between releases.
DCG_OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.OpenAPI,
    "output_model_type": DataModelType.PydanticV2BaseModel,
    "target_python_version": PythonVersion.PY_311,
    "openapi_scopes": [OpenAPIScope.Schemas],
    "disable_timestamp": True,
    "use_annotated": True,
    "field_constraints": True,
    "snake_case_field": True,
    "allow_population_by_field_name": True,
    "extra_fields": "allow",  # responses keep unknown fields (a newer Norce build must not break us)
    "use_schema_description": True,
    "use_field_description": True,
    "use_double_quotes": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "keep_model_order": True,
    "use_exact_imports": True,
    "read_only_write_only_model_type": ReadOnlyWriteOnlyModelType.RequestResponse,
    "set_default_enum_member": True,  # `Kind.a`, not "a", so a default has its field's type
    "formatters": [],  # black runs once over the whole tree, pinned by us
    # DCG's default (None) fetches http(s) $refs with a warning; admission already refuses them,
    # this makes sure DCG could not fetch one even if that check were bypassed.
    "allow_remote_refs": False,
}
_ENUM_BASE = re.compile(r"^class (\w+)\(StrEnum\):$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ModelClass:
    """One class DCG made from a schema."""

    name: str
    fields: Mapping[str, str]  # wire name -> Python field name


@dataclass(frozen=True, slots=True)
class SchemaModels:
    """The classes of one component schema: the same class both ways unless readOnly/writeOnly
    split it into ``XRequest``/``XResponse``."""

    request: ModelClass
    response: ModelClass

    @property
    def split(self) -> bool:
        return self.request is not self.response


@dataclass(frozen=True, slots=True)
class Models:
    """The models module and what DCG made from which schema."""

    source: str
    classes: frozenset[str]
    schemas: Mapping[str, SchemaModels]  # component schema name -> its classes


def build_models(doc: Admitted) -> Models:
    """Run DCG on the admitted spec; return the checked models module and its schema mapping."""
    try:
        source, metadata = run_dcg(doc.data, DCG_OPTIONS, doc.aliases)
    except Exception as exc:  # DCG raises many unrelated types; the message is what the user needs
        raise fail(doc.path, ["components", "schemas"], f"model generation failed: {exc}") from None
    schemas = _schema_models(metadata, doc)
    source = _strict_requests(_open_enums(source), schemas)
    source = _class_docstrings(source, metadata, schemas)
    source = typed_fields(_escape_invisible(source))
    if "python-re" in source:  # admission drops the patterns that need it; make sure
        raise fail(
            doc.path,
            ["components", "schemas"],
            "model generation chose Python's backtracking regex engine for a model",
        )
    check_models(source, doc.path, doc.pointers.find)
    tree = ast.parse(source)
    _check_identifiers(tree, doc)
    classes = frozenset(node.name for node in tree.body if isinstance(node, ast.ClassDef))
    return Models(source, classes, schemas)


def _class_docstrings(source: str, metadata: Any, schemas: Mapping[str, SchemaModels]) -> str:
    """A docstring for each class DCG left without one (its schema has no description), naming
    where it came from: ``help(models.X)`` would otherwise show pydantic's BaseModel docstring."""
    origins = {str(m["class_name"]): str(m.get("source_ref", "")) for m in metadata["models"]}
    halves = {made.request.name: "request" for made in schemas.values() if made.split}
    halves |= {made.response.name: "response" for made in schemas.values() if made.split}
    lines = source.split("\n")
    for node in reversed(ast.parse(source).body):
        if not isinstance(node, ast.ClassDef) or ast.get_docstring(node) is not None:
            continue
        origin = origins.get(node.name, "")
        if not origin.startswith(SCHEMA_PREFIX):
            continue
        parts = [p.replace("~1", "/").replace("~0", "~") for p in origin.split("/")[3:]]
        where = f"`{parts[0]}`" if len(parts) == 1 else f"`{parts[0]}.{parts[-1]}`"
        if any(isinstance(b, ast.Name) and b.id == "OpenStrEnum" for b in node.bases):
            text = f"The values of {where}."
        elif halves.get(node.name) == "request":
            text = f"{where} as sent in a request: without its read-only fields."
        elif halves.get(node.name) == "response":
            text = f"{where} as the API returns it: without its write-only fields."
        else:
            text = f"The {where} object."
        lines.insert(node.body[0].lineno - 1, f'    """{doc_text(text)}"""')
    return "\n".join(lines)


def _schema_models(metadata: Any, doc: Admitted) -> dict[str, SchemaModels]:
    """Component schema name -> the class(es) DCG reports it made from that schema."""
    made: dict[str, list[ModelClass]] = {}
    for model in metadata.get("models", []):
        ref = str(model.get("source_ref", ""))
        name = ref[len(SCHEMA_PREFIX) :]
        if not ref.startswith(SCHEMA_PREFIX) or "/" in name:
            continue  # a class for an inline schema: no operation names it by $ref
        fields = {
            str(f["original_name"]): str(f["name"])
            for f in model.get("fields", [])
            if f.get("original_name") is not None
        }
        made.setdefault(name, []).append(ModelClass(str(model["class_name"]), fields))
    result: dict[str, SchemaModels] = {}
    for name, classes in made.items():
        if len(classes) == 1:
            result[name] = SchemaModels(classes[0], classes[0])
            continue
        # A readOnly/writeOnly split: DCG names the halves <base>Request[N] / <base>Response[N].
        request = [c for c in classes if re.search(r"Request\d*$", c.name)]
        response = [c for c in classes if re.search(r"Response\d*$", c.name)]
        if len(classes) != 2 or len(request) != 1 or len(response) != 1:
            names = ", ".join(c.name for c in classes)
            raise fail(
                doc.path,
                ["components", "schemas", name],
                f"model generation made {names} from one schema; cannot tell request from response",
            )
        result[name] = SchemaModels(request[0], response[0])
    return result


def _escape_invisible(source: str) -> str:
    """Re-spell string literals that hold non-printable characters with ``repr``.

    DCG writes enum values and defaults with raw control, bidi and line-separator characters
    inside the quotes: valid Python, but the code then reads differently from what it holds.
    """
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    edits: list[tuple[int, int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING or all(c.isprintable() or c == "\n" for c in token.string):
            continue
        begin = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        edits.append((begin, end, repr(ast.literal_eval(token.string))))
    for begin, end, text in reversed(edits):
        source = source[:begin] + text + source[end:]
    return source


def _check_identifiers(tree: ast.Module, doc: Admitted) -> None:
    """Names DCG made must stay distinct after NFKC (Python folds ``ﬁ`` into ``fi`` when parsing),
    and classes must not shadow what the module imports."""
    imported = {
        a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names
    }
    problems: list[Diagnostic] = []
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    scopes: list[tuple[str, list[str]]] = [("module", classes)]
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            if node.name in imported:
                problems.append(
                    _diagnostic(
                        doc,
                        node.name,
                        f"schema becomes class {node.name!r}, "
                        "which shadows a name the models module imports (rename it)",
                    )
                )
            scopes.append((node.name, [t.id for s in node.body for t in _targets(s)]))
    for scope, names in scopes:
        # ast.parse has already applied NFKC, so DCG's distinct "ﬁ" and "fi" show up here as twins.
        for name, count in sorted(Counter(names).items()):
            if count > 1:
                problems.append(
                    _diagnostic(
                        doc,
                        scope,
                        f"{count} names in {scope} become {name!r} "
                        "after Unicode NFKC normalisation (rename all but one)",
                    )
                )
    if problems:
        raise SpecError(problems)


def _targets(stmt: ast.stmt) -> list[ast.Name]:
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target]
    if isinstance(stmt, ast.Assign):
        return [t for t in stmt.targets if isinstance(t, ast.Name)]
    return []


def _diagnostic(doc: Admitted, name: str, message: str) -> Diagnostic:
    """Point at the schema DCG named the class after, else at a spec string that looks like it."""
    return Diagnostic(doc.path, doc.pointers.of_name(name), message)


def _open_enums(source: str) -> str:
    """Make every enum an OpenStrEnum: unknown values from a newer API build are kept, not rejected."""
    # split("\n"), not splitlines(): the latter also breaks at U+2028/U+0085 inside string literals.
    lines = [line for line in source.split("\n") if not line.startswith("# ")]
    body = "\n".join(lines).lstrip("\n")
    body = _ENUM_BASE.sub(r"class \1(OpenStrEnum):", body)
    body = body.replace("from enum import StrEnum\n", "")
    if "OpenStrEnum" in body:
        body = body.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nfrom ._types import OpenStrEnum\n",
            1,
        )
    return body + "\n"


def _strict_requests(source: str, schemas: Mapping[str, SchemaModels]) -> str:
    """``XRequest`` models refuse unknown fields.

    Every model keeps unknown fields (``extra="allow"``) so responses from a newer build parse. For
    the request half of a readOnly split that would let a response's read-only fields ride along
    (``HookRequest.model_validate(hook_response_json)`` keeping ``id``) and be sent back, so those
    classes forbid extras: the mistake fails when the model is built, before any network call.
    """
    for schema in sorted(schemas):
        if not schemas[schema].split:
            continue
        name = schemas[schema].request.name
        config = re.compile(  # a schema description puts a docstring before model_config
            rf"(class {re.escape(name)}\(BaseModel\):\n"
            r'(?:    """(?:[^"\\]|\\.|"(?!""))*"""\n)?'
            r"    model_config = ConfigDict\(\s*extra=)(['\"])allow\2"
        )
        source, count = config.subn(r"\1\2forbid\2", source)
        if (
            count != 1
        ):  # DCG changed its output shape: fail loudly rather than send read-only fields
            raise RuntimeError(f"model {name}: extra='allow' config not found")
    return source
