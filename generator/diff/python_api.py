"""Python-API diff: what breaks in code that calls the generated client, old build vs new build.

griffe finds the breaking changes it knows (removed objects, parameter moves, return types...).
We add what it does not report but matters for a generated client: additions, operation renames
(same method + path, new Python name), model renames, new required model fields and enum
members, and parameter type changes. griffe also sees the four client twins (sync, async, and
their raw-response wrappers) plus ``operations``; we fold those into one change each.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import griffe

from ..build.ir import Api, Operation
from ..build.pipeline import Result
from ..build.write import write_tree
from .changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, Change

Signatures = dict[str, tuple[str, str]]  # operation label -> (before, after) of the sync method
_PATH_PARAM = re.compile(r"\{[^}]*\}")
_REPLACES_GRIFFE = frozenset(
    {"method-removed", "method-renamed", "model-renamed", "model-field-now-required"}
)


def diff_python(old: Result, new: Result, workdir: Path) -> tuple[list[Change], Signatures]:
    """Generate both trees under ``workdir``, load them with griffe, compare their public surface."""
    package = new.api.package
    trees = []
    for name, result in (("old", old), ("new", new)):
        write_tree(workdir / name, result.files)
        trees.append(
            griffe.load(
                package,
                search_paths=[workdir / name],
                allow_inspection=False,
                resolve_aliases=False,
            )
        )
    a, b = trees
    ctx = _Context(old.api, new.api)
    own = _methods(ctx, a, b) + _models(ctx, a["models"], b["models"])
    # Our wording replaces griffe's for these (a rename beats "removed"); other griffe findings stay.
    covered = {c.location for c in own if c.kind in _REPLACES_GRIFFE}
    changes = own + _griffe(ctx, a, b, covered)
    return changes, _signatures(ctx, a, b)


class _Context:
    """Names that tie Python objects back to operations."""

    def __init__(self, old: Api, new: Api) -> None:
        self.package, self.client = new.package, new.client_class
        self.twins = (
            f"Async{self.client}WithRawResponse",
            f"{self.client}WithRawResponse",
            f"Async{self.client}",
            "operations",
        )
        self.old_ops = {op.python_name: op for op in old.operations}
        self.new_ops = {op.python_name: op for op in new.operations}

    def label(self, method_name: str) -> str:
        op = self.new_ops.get(method_name) or self.old_ops.get(method_name)
        return _label(op) if op else ""

    def public(self, path: str) -> str:
        """``pkg._client.AsyncX.m`` -> ``X.m``: private modules dropped, twins folded into the client."""
        parts = [p for p in path.split(".") if not (p.startswith("_") and not p.startswith("__"))]
        if parts and parts[0] == self.package:
            parts = parts[1:]
        if parts and parts[0] in self.twins:
            parts[0] = self.client
        return ".".join(parts)


def _label(op: Operation) -> str:
    return f"{op.method.upper()} {op.path}"


def _wire_key(op: Operation) -> tuple[str, str]:
    return op.method.upper(), _PATH_PARAM.sub("{}", op.path)


def _methods(ctx: _Context, a: Any, b: Any) -> list[Change]:
    changes: list[Change] = []
    old_names, new_names = set(ctx.old_ops), set(ctx.new_ops)
    removed, added = old_names - new_names, new_names - old_names
    by_wire = {_wire_key(ctx.new_ops[n]): n for n in added}
    for name in sorted(removed):
        renamed = by_wire.get(_wire_key(ctx.old_ops[name]))
        where = f"{ctx.client}.{name}"
        if renamed is not None:
            added.discard(renamed)
            changes.append(
                Change(
                    "python",
                    BREAKING,
                    "method-renamed",
                    ctx.label(renamed),
                    where,
                    f"`{name}` is now `{renamed}` (same HTTP call; callers must be renamed)",
                    name,
                    renamed,
                )
            )
        else:
            changes.append(
                Change(
                    "python",
                    BREAKING,
                    "method-removed",
                    ctx.label(name),
                    where,
                    f"`{name}` removed (also from the async client and `operations`)",
                    name,
                    "",
                )
            )
    for name in sorted(added):
        changes.append(
            Change(
                "python",
                NON_BREAKING,
                "method-added",
                ctx.label(name),
                f"{ctx.client}.{name}",
                f"new method `{name}`",
                "",
                name,
            )
        )
    client_a, client_b = a[ctx.client], b[ctx.client]
    for name in sorted(old_names & new_names):
        changes += _parameters(ctx, name, client_a[name], client_b[name])
    return changes


def _parameters(ctx: _Context, name: str, fa: Any, fb: Any) -> list[Change]:
    """What griffe leaves out: optional parameters added, annotations changed."""
    changes: list[Change] = []
    pa = {p.name: p for p in fa.parameters if p.name != "self"}
    pb = {p.name: p for p in fb.parameters if p.name != "self"}
    for param in sorted(pb.keys() - pa.keys()):
        if pb[param].default is not None:
            changes.append(
                Change(
                    "python",
                    NON_BREAKING,
                    "parameter-added",
                    ctx.label(name),
                    f"{ctx.client}.{name}({param})",
                    f"new optional argument `{param}`",
                    "",
                    _param(pb[param]),
                )
            )
    for param in sorted(pa.keys() & pb.keys()):
        before, after = str(pa[param].annotation), str(pb[param].annotation)
        if before != after:
            changes.append(
                Change(
                    "python",
                    POTENTIALLY_BREAKING,
                    "parameter-type-changed",
                    ctx.label(name),
                    f"{ctx.client}.{name}({param})",
                    f"argument `{param}` changed type (type checkers may flag callers)",
                    before,
                    after,
                )
            )
    return changes


def _classes(module: Any) -> dict[str, Any]:
    return {n: m for n, m in module.members.items() if not m.is_alias and m.is_class}


def _fields(cls: Any) -> dict[str, Any]:
    return {
        n: m
        for n, m in cls.members.items()
        if not m.is_alias and m.is_attribute and n != "model_config" and not n.startswith("_")
    }


def _is_enum(cls: Any) -> bool:
    return any("Enum" in str(base) for base in cls.bases)


def _models(ctx: _Context, a: Any, b: Any) -> list[Change]:
    changes: list[Change] = []
    ca, cb = _classes(a), _classes(b)
    added = set(cb) - set(ca)
    for name in sorted(set(ca) - set(cb)):
        # A schema rename: a class with exactly the same fields appears under a new name.
        twin = next(
            (
                n
                for n in sorted(added)
                if set(_fields(cb[n])) == set(_fields(ca[name]))
                and _is_enum(cb[n]) == _is_enum(ca[name])
            ),
            None,
        )
        if twin is not None and _fields(ca[name]):
            added.discard(twin)
            changes.append(
                Change(
                    "python",
                    BREAKING,
                    "model-renamed",
                    "",
                    f"models.{name}",
                    f"`models.{name}` is now `models.{twin}` (schema renamed)",
                    name,
                    twin,
                )
            )
    for name in sorted(added):
        kind = "enum" if _is_enum(cb[name]) else "model"
        changes.append(
            Change(
                "python",
                NON_BREAKING,
                f"{kind}-added",
                "",
                f"models.{name}",
                f"new {kind} `models.{name}`",
                "",
                name,
            )
        )
    for name in sorted(set(ca) & set(cb)):
        fa, fb = _fields(ca[name]), _fields(cb[name])
        for field in sorted(fb.keys() - fa.keys()):
            where = f"models.{name}.{field}"
            if _is_enum(cb[name]):
                changes.append(
                    Change(
                        "python",
                        NON_BREAKING,
                        "enum-member-added",
                        "",
                        where,
                        f"new member `{name}.{field}`; exhaustive matches miss it",
                        "",
                        field,
                    )
                )
            elif fb[field].value is None:
                # Callers build request models; response models are built by the client (and test fakes).
                severity = POTENTIALLY_BREAKING if name.endswith("Response") else BREAKING
                changes.append(
                    Change(
                        "python",
                        severity,
                        "model-field-added-required",
                        "",
                        where,
                        f"`{name}(...)` now needs `{field}`",
                        "",
                        _attribute(fb[field]),
                    )
                )
            else:
                changes.append(
                    Change(
                        "python",
                        NON_BREAKING,
                        "model-field-added",
                        "",
                        where,
                        f"new optional field `{name}.{field}`",
                        "",
                        _attribute(fb[field]),
                    )
                )
        for field in sorted(fa.keys() & fb.keys()):
            if not _is_enum(ca[name]) and fa[field].value is not None and fb[field].value is None:
                changes.append(
                    Change(
                        "python",
                        BREAKING,
                        "model-field-now-required",
                        "",
                        f"models.{name}.{field}",
                        f"`{name}(...)` now needs `{field}`",
                        _attribute(fa[field]),
                        _attribute(fb[field]),
                    )
                )
    return changes


def _griffe(ctx: _Context, a: Any, b: Any, covered: set[str]) -> list[Change]:
    """griffe's breakages, one per public path: twins folded, paths we explain better dropped."""
    seen: dict[tuple[str, str], Change] = {}
    for breakage in griffe.find_breaking_changes(a, b):
        kind = breakage.kind.name.lower().replace("_", "-")
        path = ctx.public(breakage.obj.path)
        old, new = _value(breakage.old_value), _value(breakage.new_value)
        param = breakage.old_value.name if isinstance(breakage.old_value, griffe.Parameter) else ""
        param = param or (
            breakage.new_value.name if isinstance(breakage.new_value, griffe.Parameter) else ""
        )
        where = f"{path}({param})" if param else path
        if where in covered:
            continue
        severity = BREAKING
        if breakage.kind is griffe.BreakageKind.ATTRIBUTE_CHANGED_VALUE:
            # A constant's value (an environment URL, __version__): code rarely depends on it.
            severity = NON_BREAKING if path == "__version__" else POTENTIALLY_BREAKING
        parts = path.split(".")
        operation = ctx.label(parts[1]) if len(parts) > 1 and parts[0] == ctx.client else ""
        message = f"{breakage.kind.value}" + (f": `{param}`" if param else "")
        change = Change("python", severity, kind, operation, where, message, old, new)
        key = (kind, where)
        # Keep the sync client's version of a folded change: it is the one users read first.
        if key not in seen or breakage.obj.path.split(".")[-2] == ctx.client:
            seen[key] = change
    return list(seen.values())


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, griffe.Parameter):
        return _param(value)
    if isinstance(value, griffe.Object | griffe.Alias):
        return value.kind.value
    return str(value)


def _param(param: Any) -> str:
    text = str(param.name) + (f": {param.annotation}" if param.annotation is not None else "")
    return text + (f" = {param.default}" if param.default is not None else "")


def _attribute(attr: Any) -> str:
    text = str(attr.name) + (f": {attr.annotation}" if attr.annotation is not None else "")
    return text + (" = ..." if attr.value is not None else "")


def signature(function: Any) -> str:
    """``name(order_id: str, *, merchant: ... = NOT_GIVEN) -> models.X`` without ``self``."""
    parts: list[str] = []
    star = False
    for param in function.parameters:
        if param.name == "self":
            continue
        if param.kind is griffe.ParameterKind.keyword_only and not star:
            parts.append("*")
            star = True
        parts.append(_param(param))
    line = f"{function.name}({', '.join(parts)}) -> {function.returns}"
    if len(line) <= 100:
        return line
    inner = "".join(f"\n    {part}," for part in parts)  # black's shape, readable in a PR
    return f"{function.name}({inner}\n) -> {function.returns}"


def _signatures(ctx: _Context, a: Any, b: Any) -> Signatures:
    """Before/after of the sync client method of every operation, by wire label."""
    result: Signatures = {}
    for ops, tree, side in ((ctx.old_ops, a, 0), (ctx.new_ops, b, 1)):
        client = tree[ctx.client]
        for name, op in ops.items():
            label = _label(ctx.new_ops.get(name, op))  # a moved operation keeps one entry
            if name in client.members:
                pair = list(result.get(label, ("", "")))
                pair[side] = signature(client[name])
                result[label] = (pair[0], pair[1])
    return result
