"""Pydantic v2 models from the admitted spec with datamodel-code-generator, then open enums and
the runtime base class (``_model.Model``: strict when built, tolerant when read).

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
    schemas: Mapping[str, SchemaModels]  # component schema name -> its classes


def build_models(doc: Admitted) -> Models:
    """Run DCG on the admitted spec; return the checked models module and its schema mapping."""
    try:
        source, metadata = run_dcg(doc.data, DCG_OPTIONS, doc.aliases)
    except Exception as exc:  # DCG raises many unrelated types; the message is what the user needs
        raise fail(doc.path, ["components", "schemas"], f"model generation failed: {exc}") from None
    schemas = _schema_models(metadata, doc)
    source = _class_docstrings(_open_enums(source), metadata, schemas)
    source = _on_runtime_base(source, _read_only_fields(schemas), _open_classes(schemas, doc.data))
    source = typed_fields(_escape_invisible(source))
    if "python-re" in source:  # admission drops the patterns that need it; make sure
        raise fail(
            doc.path,
            ["components", "schemas"],
            "model generation chose Python's backtracking regex engine for a model",
        )
    check_models(source, doc.path, doc.pointers.find)
    _check_identifiers(ast.parse(source), doc)
    return Models(source, schemas)


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


def _read_only_fields(schemas: Mapping[str, SchemaModels]) -> dict[str, dict[str, str]]:
    """Request class -> {wire name: Python name} of the read-only fields DCG left out of it.

    What the response half of a readOnly split has beyond its request half is exactly the read-only
    set, spelled as DCG spelled it.
    """
    found: dict[str, dict[str, str]] = {}
    for made in schemas.values():
        if made.split:
            missing = {
                wire: python
                for wire, python in made.response.fields.items()
                if wire not in made.request.fields
            }
            if missing:
                found[made.request.name] = missing
    return found


def _open_classes(schemas: Mapping[str, SchemaModels], data: Mapping[str, Any]) -> set[str]:
    """Classes whose schema declares ``additionalProperties`` (true or a schema): members beyond
    the listed properties are its data, so a caller may send them. Where the spec is silent, an
    unknown field is refused as a typo."""
    declared = ((data.get("components") or {}).get("schemas")) or {}
    open_classes: set[str] = set()
    for name, made in schemas.items():
        schema = declared.get(name)
        extra = schema.get("additionalProperties") if isinstance(schema, dict) else None
        if extra is True or isinstance(extra, dict):
            open_classes |= {made.request.name, made.response.name}
    return open_classes


# ConfigDict keys the runtime base class sets for every model.
_BASE_CONFIG = frozenset({"extra", "populate_by_name"})


def _on_runtime_base(
    source: str, read_only: Mapping[str, Mapping[str, str]], open_classes: set[str]
) -> str:
    """Make every model subclass the runtime ``_model.Model`` instead of ``BaseModel``.

    ``Model`` carries the configuration DCG repeats in each class (extra fields kept, Python
    and wire names), refuses unknown fields when the caller builds a model and keeps them when
    the client reads one. DCG's per-class ``model_config`` is dropped unless it says more; a
    request class whose schema has read-only properties lists them in ``_read_only``, so
    sending one gets its own message, and a class whose schema declares additionalProperties
    says so (``_additional_properties``), so its extra members are accepted. Edits are made by AST position, so DCG's formatting of
    docstrings and fields does not matter.
    """
    lines = source.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(lineno: int, col: int) -> int:
        return starts[lineno - 1] + col

    edits: list[tuple[int, int, str]] = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef) or [ast.unparse(b) for b in node.bases] != [
            "BaseModel"
        ]:
            continue
        base = node.bases[0]
        edits.append(
            (
                offset(base.lineno, base.col_offset),
                offset(base.lineno, base.end_col_offset or 0),
                "_model.Model",
            )
        )
        config = next((stmt for stmt in node.body if _is_model_config(stmt)), None)
        kept = _kept_config(config) if config is not None else []
        statements = [f"model_config = ConfigDict({', '.join(kept)})"] if kept else []
        if node.name in read_only:
            statements.append(f"_read_only = {dict(read_only[node.name])!r}")
        if node.name in open_classes:
            statements.append("_additional_properties = True")
        indent = " " * node.body[0].col_offset
        text = "".join(f"{indent}{stmt}\n" for stmt in statements)
        if config is not None:
            begin = offset(config.lineno, 0)
            end = offset((config.end_lineno or config.lineno) + 1, 0)
            edits.append((begin, end, text))
        elif text:
            after = node.body[0] if _is_docstring(node.body[0]) else None
            at = (
                offset((after.end_lineno or after.lineno) + 1, 0)
                if after
                else offset(node.body[0].lineno, 0)
            )
            edits.append((at, at, text))
        only_docstring = all(stmt is config or _is_docstring(stmt) for stmt in node.body)
        if only_docstring and not statements:
            end_line = (node.body[-1].end_lineno or node.body[-1].lineno) + 1
            edits.append((offset(end_line, 0), offset(end_line, 0), f"{indent}pass\n"))
    for begin, end, text in sorted(edits, reverse=True):
        source = source[:begin] + text + source[end:]
    return _fix_imports(source)


def _is_model_config(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Assign)
        and [t.id for t in stmt.targets if isinstance(t, ast.Name)] == ["model_config"]
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Name)
        and stmt.value.func.id == "ConfigDict"
    )


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _kept_config(config: ast.stmt) -> list[str]:
    """The ``key=value`` items of DCG's ``model_config`` that the base class does not set."""
    assert isinstance(config, ast.Assign) and isinstance(config.value, ast.Call)
    return [
        f"{keyword.arg}={ast.unparse(keyword.value)}"
        for keyword in config.value.keywords
        if keyword.arg not in _BASE_CONFIG
    ]


def _fix_imports(source: str) -> str:
    """Import the runtime base; drop pydantic names no class uses any more."""
    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "pydantic":
            names = [a.name for a in node.names if a.name in used or a.asname]
            line = f"from pydantic import {', '.join(names)}\n" if names else ""
            old = ast.get_source_segment(source, node)
            assert old is not None
            source = source.replace(old + "\n", line, 1)
            break
    if "_model.Model" in source:
        source = source.replace(
            "from __future__ import annotations\n",
            "from __future__ import annotations\n\nfrom . import _model\n",
            1,
        )
    return source
