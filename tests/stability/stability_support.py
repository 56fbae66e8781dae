"""The public Python API of a generated package, read with ``inspect``, and what "unchanged" means.

A spec is generated (without black: layout is not API), written to a temporary folder and imported
under a package name of its own, so several builds live side by side in one process. ``snapshot``
then records what calling code can depend on:

- every public method of the client classes (``__init__`` included), every function in
  ``operations``: positional parameters in order, keyword parameters by name, each with its kind,
  annotation and default, and the return annotation;
- every model class: base classes, ``extra`` policy, and per field its alias, type, whether it is
  required and its default; every enum: its members and values;
- the names the package exports, and the ``environment=`` names with their URLs.

``compare`` holds a newer build to the base: everything the base has must still be there and
accept what it accepted. Allowed: new objects, new keyword-only parameters with a default, new
optional model fields, new enum members, and a parameter's ``Literal[...]`` gaining values (a new
enum value widens what it accepts). Anything else is a problem, reported by name.
"""

from __future__ import annotations

import ast
import enum
import hashlib
import importlib
import inspect
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from pydantic_core import PydanticUndefined
from support import generate_and_import

Snapshot = dict[str, tuple[Any, ...]]


@dataclass
class Generated:
    """One build, imported: its package module and its API snapshot."""

    package: types.ModuleType
    api: Snapshot


@dataclass
class Comparison:
    """How a newer build's API relates to the base."""

    problems: list[str] = field(default_factory=list)  # anything that could break a caller
    added: list[str] = field(default_factory=list)  # new objects, parameters, fields, members
    widened: list[str] = field(default_factory=list)  # Literal annotations that gained values


class Builds:
    """Generate and import each spec once per session (keyed by the spec's sha256)."""

    def __init__(self, root: Path, settings: dict[str, Any]) -> None:
        self.root = root
        self.settings = settings
        self._cache: dict[str, Generated] = {}

    def __call__(self, spec: Path) -> Generated:
        sha = hashlib.sha256(spec.read_bytes()).hexdigest()
        if sha not in self._cache:
            package = generate_and_import(spec, self.settings, self.root / sha[:16])
            self._cache[sha] = Generated(package, snapshot(package))
        return self._cache[sha]


def snapshot(package: types.ModuleType) -> Snapshot:
    """Everything calling code can depend on, keyed by a readable name."""
    prefix = package.__name__
    client = importlib.import_module(f"{prefix}._client")
    async_client = importlib.import_module(f"{prefix}._async_client")
    operations = importlib.import_module(f"{prefix}.operations")
    models = importlib.import_module(f"{prefix}.models")
    api: Snapshot = {f"exports {name}": ("export",) for name in package.__all__}
    api |= {f"ENVIRONMENTS[{k!r}]": ("value", url) for k, url in client.ENVIRONMENTS.items()}
    api["Environment"] = ("type", _shape_of_source(_type_source(client.Environment, prefix)))
    for module in (client, async_client):
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                for attr, member in vars(cls).items():
                    if attr == "__init__" or (
                        not attr.startswith("_") and inspect.isfunction(member)
                    ):
                        api[f"{name}.{attr}"] = _callable(member)
                    elif not attr.startswith("_"):
                        api[f"{name}.{attr}"] = ("attribute", type(member).__name__)
                raw = vars(module).get(f"{name}WithRawResponse")
                if raw is not None:
                    # The raw twin wraps a client's bound methods when it is built: its surface
                    # is what an instance holds (an unconfigured client is enough to wrap).
                    for attr, member in vars(raw(cls.__new__(cls))).items():
                        api[f"{name}WithRawResponse.{attr}"] = _callable(member)
    for name in operations.__all__:
        api[f"operations.{name}"] = _callable(getattr(operations, name))
    for name, cls in vars(models).items():
        if not (inspect.isclass(cls) and cls.__module__ == models.__name__):
            continue
        if issubclass(cls, enum.Enum):
            api[f"models.{name}"] = ("enum", tuple((m.name, m.value) for m in cls))
        elif issubclass(cls, pydantic.BaseModel):
            api[f"models.{name}"] = _model(cls, prefix)
    return api


def _callable(function: Any) -> tuple[Any, ...]:
    signature = inspect.signature(function)
    positional = []
    keywords = {}
    for param in signature.parameters.values():
        default = "required" if param.default is param.empty else repr(param.default)
        entry = (param.kind.name, _shape_of_source(param.annotation), default)
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            positional.append((param.name, *entry))
        else:
            keywords[param.name] = entry
    return ("callable", tuple(positional), keywords, _shape_of_source(signature.return_annotation))


def _model(cls: type[pydantic.BaseModel], prefix: str) -> tuple[Any, ...]:
    fields = {}
    for name, info in cls.model_fields.items():
        if info.default_factory is not None:
            default = f"factory {info.default_factory!r}"
        else:
            default = "required" if info.default is PydanticUndefined else repr(info.default)
        fields[name] = (
            info.alias,
            _shape_of_source(_type_source(info.annotation, prefix)),
            info.is_required(),
            default,
        )
    bases = tuple(b.__name__ for b in cls.__bases__)
    return ("model", bases, cls.model_config.get("extra"), fields)


def _type_source(tp: Any, prefix: str) -> str:
    """A resolved annotation written back as source, with our package's prefix dropped."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is None or tp is type(None):
        return "None"
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is typing.Annotated:
        return _type_source(args[0], prefix)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_source(a, prefix) for a in args)
    if origin is not None:
        inner = ", ".join(_type_source(a, prefix) for a in args)
        return f"{_type_source(origin, prefix)}[{inner}]"
    if isinstance(tp, type):
        module = tp.__module__
        if module == "builtins":
            return tp.__qualname__
        if module.startswith(prefix + "."):
            module = module[len(prefix) + 1 :]
        return f"{module}.{tp.__qualname__}"
    return repr(tp)


def _shape_of_source(annotation: Any) -> Any:
    """An annotation as a comparable tree: unions flattened, a Literal as the set of its values."""
    if annotation is inspect.Signature.empty:
        return "empty"
    try:
        tree = ast.parse(str(annotation), mode="eval").body
    except SyntaxError:
        return str(annotation)
    return _shape(tree)


def _shape(node: ast.expr) -> Any:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return ("|", *_union_members(node))
    if isinstance(node, ast.Subscript):
        head = ast.unparse(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head.split(".")[-1] == "Literal":
            return ("Literal", frozenset(ast.unparse(item) for item in items))
        return ("[]", head, *(_shape(item) for item in items))
    return ast.unparse(node)


def _union_members(node: ast.expr) -> list[Any]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [_shape(node)]


def _accepts(old: Any, new: Any) -> tuple[bool, bool]:
    """(new accepts whatever old accepted, it accepts more): equal, or Literals gained values."""
    if old == new:
        return True, False
    if isinstance(old, tuple) and isinstance(new, tuple) and old and new and old[0] == new[0]:
        if old[0] == "Literal":
            return old[1] <= new[1], True
        if len(old) == len(new):
            results = [_accepts(a, b) for a, b in zip(old[1:], new[1:], strict=True)]
            if all(ok for ok, _ in results):
                return True, any(wider for _, wider in results)
    return False, False


def compare(base: Snapshot, new: Snapshot) -> Comparison:
    """Hold ``new`` to everything ``base`` offers (see the module docstring for the rule)."""
    result = Comparison()
    result.added += sorted(set(new) - set(base))
    for name, old in sorted(base.items(), key=lambda kv: kv[0]):
        if name not in new:
            result.problems.append(f"{name}: removed")
        elif old[0] != new[name][0]:
            result.problems.append(f"{name}: was a {old[0]}, is a {new[name][0]}")
        elif old[0] == "callable":
            _compare_callable(name, old, new[name], result)
        elif old[0] == "model":
            _compare_model(name, old, new[name], result)
        elif old[0] == "type":
            _annotation(name, old[1], new[name][1], result)
        elif old[0] == "enum":
            members = dict(new[name][1])
            for member, value in old[1]:
                if members.get(member) != value:
                    result.problems.append(f"{name}.{member}: {value!r} removed or changed")
            result.added += [f"{name}.{m}" for m in members if m not in dict(old[1])]
        elif old != new[name]:
            result.problems.append(f"{name}: {old[1]!r} became {new[name][1]!r}")
    return result


def _annotation(where: str, old: Any, new: Any, result: Comparison) -> None:
    ok, wider = _accepts(old, new)
    if not ok:
        result.problems.append(f"{where}: type {old!r} became {new!r}")
    elif wider:
        result.widened.append(where)


def _compare_callable(
    name: str, old: tuple[Any, ...], new: tuple[Any, ...], result: Comparison
) -> None:
    _, old_positional, old_keywords, old_returns = old
    _, new_positional, new_keywords, new_returns = new
    if [p[:2] + p[3:] for p in old_positional] != [p[:2] + p[3:] for p in new_positional]:
        result.problems.append(
            f"{name}: positional parameters {old_positional} -> {new_positional}"
        )
    else:
        for before, after in zip(old_positional, new_positional, strict=True):
            _annotation(f"{name}({before[0]})", before[2], after[2], result)
    for keyword, (kind, annotation, default) in old_keywords.items():
        if keyword not in new_keywords:
            result.problems.append(f"{name}: keyword {keyword!r} removed")
            continue
        new_kind, new_annotation, new_default = new_keywords[keyword]
        if (kind, default) != (new_kind, new_default):
            result.problems.append(
                f"{name}({keyword}): {kind} = {default} became {new_kind} = {new_default}"
            )
        _annotation(f"{name}({keyword})", annotation, new_annotation, result)
    for keyword, (_, _, default) in new_keywords.items():
        if keyword in old_keywords:
            continue
        if default == "required":
            result.problems.append(f"{name}: new required keyword {keyword!r}")
        else:
            result.added.append(f"{name}({keyword})")
    if old_returns != new_returns:
        result.problems.append(f"{name}: returns {old_returns!r}, now {new_returns!r}")


def _compare_model(
    name: str, old: tuple[Any, ...], new: tuple[Any, ...], result: Comparison
) -> None:
    _, old_bases, old_extra, old_fields = old
    _, new_bases, new_extra, new_fields = new
    if (old_bases, old_extra) != (new_bases, new_extra):
        result.problems.append(
            f"{name}: bases/extra {old_bases, old_extra} -> {new_bases, new_extra}"
        )
    for field_name, (alias, annotation, required, default) in old_fields.items():
        if field_name not in new_fields:
            result.problems.append(f"{name}.{field_name}: removed")
            continue
        new_alias, new_annotation, new_required, new_default = new_fields[field_name]
        if (alias, required, default) != (new_alias, new_required, new_default):
            result.problems.append(
                f"{name}.{field_name}: alias/required/default {alias, required, default} -> "
                f"{new_alias, new_required, new_default}"
            )
        _annotation(f"{name}.{field_name}", annotation, new_annotation, result)
    for field_name, (_, _, required, _) in new_fields.items():
        if field_name in old_fields:
            continue
        if required:
            result.problems.append(f"{name}: new required field {field_name!r}")
        else:
            result.added.append(f"{name}.{field_name}")
