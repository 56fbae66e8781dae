"""Pydantic v2 models from the spec's schemas with datamodel-code-generator, then open enums."""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from collections import Counter
from typing import Any

from datamodel_code_generator import generate
from datamodel_code_generator.enums import (
    DataModelType,
    InputFileType,
    OpenAPIScope,
    ReadOnlyWriteOnlyModelType,
)
from datamodel_code_generator.format import PythonVersion

from ..diagnostics import Diagnostic, SpecError, fail, json_pointer
from .astcheck import check_files
from .load import SpecDocument
from .naming import clean_text, pascal_case, snake_case
from .validate import find_pointer, walk

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
    "formatters": [],  # black runs once over the whole tree, pinned by us
    # DCG's default (None) fetches http(s) $refs with a warning; validate.py already refuses them,
    # this makes sure DCG could not fetch one even if that check were bypassed.
    "allow_remote_refs": False,
}
# Field names pydantic reserves for its own methods; a field starting so only warns, then misbehaves.
_PROTECTED_PREFIXES = ("model_dump", "model_validate", "model_config", "model_fields")
_PROSE_KEYS = frozenset({"description", "title", "summary"})
_ENUM_BASE = re.compile(r"^class (\w+)\(StrEnum\):$", re.MULTILINE)
SCHEMA_PREFIX = "#/components/schemas/"


def build_models(doc: SpecDocument) -> tuple[str, set[str]]:
    """Return the models module source and the names of its classes."""
    # DCG gets the already-parsed document (bounded loader, no aliases left) with prose cleaned of
    # invisible characters, so its docstrings carry no bidi overrides or NULs.
    text = json.dumps(_clean_prose(doc.data), default=str)
    try:
        source = generate(text, **DCG_OPTIONS, aliases=_protected_aliases(doc.data))
    except Exception as exc:  # DCG raises many unrelated types; the message is what the user needs
        raise fail(doc.path, ["components", "schemas"], f"model generation failed: {exc}") from None
    if not isinstance(source, str):
        raise fail(doc.path, ["components", "schemas"], "model generation produced several modules")
    source = _escape_invisible(_strict_requests(_open_enums(source), split_schemas(doc.data)))
    check_files({"models.py": source}, {"models.py"}, doc.path, doc.data)
    tree = ast.parse(source)
    _check_identifiers(tree, doc)
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return source, classes


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


def _clean_prose(node: Any, key: object = None) -> Any:
    """A copy of the document with description/title/summary text passed through clean_text."""
    if isinstance(node, dict):
        return {str(k): _clean_prose(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean_prose(v) for v in node]
    if isinstance(node, str) and key in _PROSE_KEYS:
        return clean_text(node)
    return node


def _protected_aliases(data: Any) -> dict[str, str]:
    """Property names that DCG would turn into a pydantic-reserved field name -> a safe field name."""
    schemas = (data.get("components") or {}).get("schemas") or {}
    aliases: dict[str, str] = {}
    for _, node in walk(schemas):
        properties = node.get("properties") if isinstance(node, dict) else None
        for name in properties if isinstance(properties, dict) else ():
            if isinstance(name, str) and snake_case(name).startswith(_PROTECTED_PREFIXES):
                aliases[name] = "field_" + snake_case(name).rstrip("_")
    return aliases


def _check_identifiers(tree: ast.Module, doc: SpecDocument) -> None:
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


def _diagnostic(doc: SpecDocument, name: str, message: str) -> Diagnostic:
    """Point at the schema DCG named the class after, else at a spec string that looks like it."""
    schemas = (doc.data.get("components") or {}).get("schemas") or {}
    if name in schemas:
        return Diagnostic(doc.path, json_pointer(("components", "schemas", name)), message)
    lowered = name.lower()
    for path, _ in walk(doc.data):  # inline enums are named after their property: kind -> Kind
        if path and str(path[-1]).lower() == lowered and "properties" in path:
            return Diagnostic(doc.path, json_pointer(path), message)
    return Diagnostic(doc.path, find_pointer(doc.data, name), message)


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


def split_schemas(data: dict[str, Any]) -> set[str]:
    """Schemas DCG splits into XRequest/XResponse: readOnly/writeOnly inside, directly or via $ref."""
    schemas = (data.get("components") or {}).get("schemas") or {}
    direct: dict[str, bool] = {}
    refs: dict[str, set[str]] = {}
    for name, schema in schemas.items():
        direct[name] = False
        refs[name] = set()
        for _, node in walk(schema):
            if isinstance(node, dict):
                if node.get("readOnly") is True or node.get("writeOnly") is True:
                    direct[name] = True
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
                    refs[name].add(ref[len(SCHEMA_PREFIX) :])
    split = {name for name, flag in direct.items() if flag}
    changed = True
    while changed:  # transitive closure; bounded by the number of schemas
        changed = False
        for name, targets in refs.items():
            if name not in split and targets & split:
                split.add(name)
                changed = True
    return split


def _strict_requests(source: str, split: set[str]) -> str:
    """``XRequest`` models refuse unknown fields.

    Every model keeps unknown fields (``extra="allow"``) so responses from a newer build parse. For
    the request half of a readOnly split that would let a response's read-only fields ride along
    (``HookRequest.model_validate(hook_response_json)`` keeping ``id``) and be sent back, so those
    classes forbid extras: the mistake fails when the model is built, before any network call.
    """
    classes = set(re.findall(r"^class (\w+)\(", source, re.MULTILINE))
    for schema in sorted(split):
        name = schema if f"{schema}Request" in classes else pascal_case(schema)
        if f"{name}Request" not in classes:
            continue  # never used as a body; build_ir refuses a body whose model is missing
        config = re.compile(
            rf"(class {re.escape(name)}Request\(BaseModel\):\n    model_config = ConfigDict\(\s*extra=)"
            r"(['\"])allow\2"
        )
        source, count = config.subn(r"\1\2forbid\2", source)
        if (
            count != 1
        ):  # DCG changed its output shape: fail loudly rather than send read-only fields
            raise RuntimeError(f"model {name}Request: extra='allow' config not found")
    return source
