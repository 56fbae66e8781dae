"""Pydantic v2 models from the spec's schemas with datamodel-code-generator, then open enums."""

from __future__ import annotations

import ast
import re
from typing import Any

from datamodel_code_generator import generate
from datamodel_code_generator.enums import (
    DataModelType,
    InputFileType,
    OpenAPIScope,
    ReadOnlyWriteOnlyModelType,
)
from datamodel_code_generator.format import PythonVersion

from .diagnostics import fail
from .load import SpecDocument

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
}
_ENUM_BASE = re.compile(r"^class (\w+)\(StrEnum\):$", re.MULTILINE)


def build_models(doc: SpecDocument) -> tuple[str, set[str]]:
    """Return the models module source and the names of its classes."""
    try:
        source = generate(doc.raw.decode("utf-8-sig"), **DCG_OPTIONS)
    except Exception as exc:  # DCG raises many unrelated types; the message is what the user needs
        raise fail(doc.path, ["components", "schemas"], f"model generation failed: {exc}") from None
    if not isinstance(source, str):
        raise fail(doc.path, ["components", "schemas"], "model generation produced several modules")
    source = _open_enums(source)
    tree = ast.parse(source)
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return source, classes


def _open_enums(source: str) -> str:
    """Make every enum an OpenStrEnum: unknown values from a newer API build are kept, not rejected."""
    lines = [line for line in source.splitlines() if not line.startswith("# ")]
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
