"""spec file -> {relative path: bytes} of the generated tree. Pure: nothing here writes.

Each stage takes the previous stage's product and nothing else: load (bytes -> dict) -> admit (the
one pass: policy, JSON copy, pointer index) -> validate -> models (DCG, class mapping) -> IR ->
render -> AST check -> format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import Diagnostic, warn
from ..settings import TEMPLATES
from . import requirements
from .admit import Admitted, admit
from .astcheck import check_files
from .format import format_sources
from .interpret import build_api
from .ir import Api
from .load import load_spec
from .manifest import with_manifest
from .models import build_models
from .render import environment, render
from .stamp import header
from .validate import validate


@dataclass(frozen=True, slots=True)
class Result:
    """What one generation produced."""

    doc: Admitted
    api: Api
    files: dict[str, bytes]

    @property
    def notes(self) -> tuple[Diagnostic, ...]:
        """Warnings about the spec (what admission dropped); the build went ahead."""
        return self.doc.notes


def build(
    spec_path: Path,
    settings: Mapping[str, Any],
    templates: Path = TEMPLATES,
    *,
    formatted: bool = True,
    surface_only: bool = False,
) -> Result:
    """Load, validate, interpret and render; raise SpecError on a bad spec.

    ``formatted=False`` skips black on the Python files: the code and its API are the same, only the
    layout differs, which is all a comparison of signatures (stability tests) needs.
    ``surface_only=True`` (the spec diff) returns just the Python files, unformatted, and skips the
    Markdown docs and the AST check: the diff only parses them (griffe, statically) and keeps what
    it read; nothing of such a build may be written or imported.
    """
    doc = admit(load_spec(spec_path))
    for note in doc.notes:
        warn(note)
    validate(doc)
    models = build_models(doc)
    api = build_api(doc, models, settings)
    env = environment(templates)
    pkg = api.package
    context = {"api": api}
    python: dict[str, str] = {
        f"{pkg}/models.py": models.source,
        f"{pkg}/__init__.py": render(env, "package/__init__.py.j2", **context),
        f"{pkg}/_client.py": render(env, "package/_client.py.j2", **context),
        f"{pkg}/_async_client.py": render(env, "package/_async_client.py.j2", **context),
        f"{pkg}/operations.py": render(env, "package/operations.py.j2", **context),
    }
    for runtime in sorted((templates / "runtime").glob("*.py")):
        python[f"{pkg}/{runtime.name}"] = runtime.read_text("utf-8")
    if surface_only:
        return Result(doc, api, {path: source.encode("utf-8") for path, source in python.items()})
    markdown: dict[str, str] = {
        f"{pkg}/README.md": render(
            env,
            "package/README.md.j2",
            generator_version=__version__,
            python_minimum=requirements.PYTHON,
            dependencies=requirements.MINIMUM_DEPENDENCIES,
            **context,
        ),
        f"{pkg}/docs/index.md": render(env, "docs/index.md.j2", **context),
    }
    for op in api.operations:
        markdown[f"{pkg}/docs/{op.doc_path}"] = render(
            env, "docs/operation.md.j2", op=op, **context
        )
    for page in api.models:
        markdown[f"{pkg}/docs/{page.doc_path}"] = render(
            env, "docs/model.md.j2", page=page, **context
        )
    # Nothing is formatted or returned until every Python file passes the allow-list and compiles;
    # black then changes layout only.
    spec_derived = {
        path for path in python if not (templates / "runtime" / Path(path).name).is_file()
    }
    # models.py passed check_models in build_models: these checks and its import allow-list.
    models_path = f"{pkg}/models.py"
    check_files(
        {path: source for path, source in python.items() if path != models_path},
        spec_derived,
        doc.path,
        doc.pointers.find,
    )
    # Runtime files are copied as they are (a test keeps them black-clean); black is spent only on
    # what the spec shaped.
    if formatted:
        python.update(format_sources({path: python[path] for path in sorted(spec_derived)}))
    files: dict[str, bytes] = {}
    for relpath, source in python.items():
        files[relpath] = (header() + source).encode("utf-8")
    for relpath, text in markdown.items():
        files[relpath] = (header("<!--") + text).encode("utf-8")
    files[f"{pkg}/py.typed"] = header().encode("utf-8")
    return Result(doc, api, with_manifest(files, pkg, doc.sha256, api.build))
