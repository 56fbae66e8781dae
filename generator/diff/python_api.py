"""Python-API diff: what breaks in code that uses the generated client, old build vs new build.

Both surfaces (``surface.extract``) are compared entry by entry and facet by facet, so every
difference in a public name is found; this module decides what each one means (``rules``) and how
code must change (``call_before`` -> ``call_after``). Renames are applied first (``python_renames``),
so a renamed model or method is one row, not a removal plus an addition; ``merge.fold_python``
folds the client's twins and repeated argument changes.

Model direction: a class reachable from a method argument is built by callers (request: a new
required field breaks them); a class reachable only from return values is built by the client
(response: only test fakes construct it).
"""

from __future__ import annotations

import re
from collections import defaultdict

from . import calls, paths
from .changes import REQUEST, RESPONSE, Change
from .merge import fold_python
from .python_renames import class_renames, method_renames, rename_classes, rename_methods
from .rules import rule
from .sides import Side
from .surface import Facets, Surface, literal_values

_LITERAL = re.compile(r"Literal\[([^\]]*)\]")
_NONE = re.compile(r"\s*\|\s*(None|NotGiven)\b|\b(None|NotGiven)\s*\|\s*")


def diff_python(old: Side, new: Side) -> list[Change]:
    """Every difference in the public Python API, one row per fact, classified."""
    methods = method_renames(old, new)
    a = rename_methods(old.surface, methods)
    classes = class_renames(a, new.surface)
    a = rename_classes(a, classes)
    context = _Context(old, new, a, new.surface)
    changes = [c for path in sorted(a.keys() | new.surface.keys()) for c in context.compare(path)]
    changes += context.renamed_methods(methods) + context.renamed_classes(classes)
    return fold_python(changes, context.twins, new.client)


class _Context:
    """Both surfaces (renames applied) and what classifying a difference needs."""

    def __init__(self, old: Side, new: Side, a: Surface, b: Surface) -> None:
        self.a, self.b, self.client, self.package = a, b, new.client, new.package
        self.ops = {op.python_name: op.label for op in (*old.operations, *new.operations)}
        self.twins = _twins(a, self.client) | _twins(b, self.client)
        self.request_models = _request_models(a) | _request_models(b)

    def compare(self, path: str) -> list[Change]:
        fa, fb = self.a.get(path), self.b.get(path)
        if fa is None and fb is not None:
            return [] if self._new_parent(path) else self._added(path, fb)
        if fb is None and fa is not None:
            return [] if self._gone_parent(path) else self._removed(path, fa)
        if fa is None or fb is None or fa == fb:
            return []
        if fa["kind"] != fb["kind"]:
            message = f"{fa['kind']} is now a {fb['kind']}"
            before, after = calls.facet_text(fa), calls.facet_text(fb)
            return [self._row("python-api-changed", path, message, before=before, after=after)]
        handler = {
            "parameter": self._parameter,
            "field": self._field,
            "literal": self._literal,
            "exports": self._exports,
        }.get(fa["kind"], self._facets)
        return handler(path, fa, fb)

    def _new_parent(self, path: str) -> bool:  # a new class or method brings its members
        owner = paths.parent(path)
        return bool(owner) and owner in self.b and owner not in self.a

    def _gone_parent(self, path: str) -> bool:
        owner = paths.parent(path)
        return bool(owner) and owner in self.a and owner not in self.b

    # added and removed entries

    def _added(self, path: str, facets: Facets) -> list[Change]:
        kind = facets["kind"]
        if kind == "parameter":
            function = paths.parent(path)
            text = calls.param_text(path, facets)
            if facets["required"] == "yes":
                before, after = self._call(function, self.a), self._call(function, self.b)
                return [
                    self._row(
                        "parameter-added-required", path, "new required argument",
                        after=text, call_before=before, call_after=after,
                    )
                ]  # fmt: skip
            return [self._row("parameter-added", path, "new optional argument", after=text)]
        if kind == "field":
            owner, text = paths.parent(path), calls.field_text(path, facets)
            direction = (self._direction(owner),)
            if facets["required"] == "yes":
                message = f"{paths.member(owner)}(...) now needs {paths.member(path)}"
                before, after = self._call(owner, self.a), self._call(owner, self.b)
                return [
                    self._row(
                        "field-added-required", path, message, after=text, directions=direction,
                        call_before=before, call_after=after,
                    )
                ]  # fmt: skip
            return [
                self._row(
                    "field-added", path, "new optional field", after=text, directions=direction
                )
            ]
        simple = {
            "member": (
                "enum-member-added",
                "new enum member; exhaustive matches miss it",
                facets.get("value", ""),
            ),
            "method": ("method-added", "new method", self._call(path, self.b)),
            "function": ("function-added", "new function", self._call(path, self.b)),
            "class": ("class-added", "new class", path),
            "enum": ("class-added", "new enum", path),
        }
        if kind == "exports":
            return []
        found, message, after = simple.get(
            kind, ("attribute-added", f"new {kind}", calls.facet_text(facets))
        )
        return [self._row(found, path, message, after=after)]

    def _removed(self, path: str, facets: Facets) -> list[Change]:
        kind = facets["kind"]
        if kind == "parameter":
            function, name = paths.parent(path), paths.param(path)
            argument = name[1] if name else path
            return [
                self._row(
                    "parameter-removed", path, f"argument {argument} removed",
                    before=calls.param_text(path, facets),
                    call_before=self._call(function, self.a, extra=argument),
                    call_after=self._call(function, self.b),
                )
            ]  # fmt: skip
        if kind == "field":
            direction = (self._direction(paths.parent(path)),)
            text = calls.field_text(path, facets)
            return [
                self._row(
                    "field-removed", path, "field removed", before=text, directions=direction,
                    call_before=calls.usage(path),
                )
            ]  # fmt: skip
        if kind == "exports":
            return []
        simple = {
            "member": ("enum-member-removed", "enum member removed", facets.get("value", ""), path),
            "method": ("method-removed", "method removed", "", self._call(path, self.a)),
            "function": ("function-removed", "function removed", "", self._call(path, self.a)),
            "class": ("class-removed", "class removed", path, self._call(path, self.a)),
            "enum": ("class-removed", "enum removed", path, self._call(path, self.a)),
        }
        default = ("attribute-removed", f"{kind} removed", calls.facet_text(facets), path)
        found, message, before, usage = simple.get(kind, default)
        return [self._row(found, path, message, before=before or usage, call_before=usage)]

    # changed entries

    def _facets(self, path: str, fa: Facets, fb: Facets) -> list[Change]:
        rows: list[Change] = []
        kind = fa["kind"]
        for facet in sorted(fa.keys() | fb.keys()):
            va, vb = fa.get(facet, ""), fb.get(facet, "")
            if va == vb:
                continue
            if facet == "returns":
                found, message = "return-type-changed", "returns another type"
            elif facet == "bases":
                found, message = "base-class-changed", "base classes changed"
            elif kind == "member":
                found, message = "enum-member-value-changed", "enum member value changed"
            elif facet in ("value", "default"):
                found, message = "attribute-value-changed", "value changed"
            elif facet == "type":
                found, message = "attribute-type-changed", "annotation changed"
            else:
                found, message = "python-api-changed", f"{facet} changed"
                va, vb = f"{facet}={va}", f"{facet}={vb}"
            rows.append(self._row(found, path, message, before=va, after=vb))
        return rows

    def _parameter(self, path: str, fa: Facets, fb: Facets) -> list[Change]:
        function, name = paths.param(path) or (path, path)
        before, after = self._call(function, self.a), self._call(function, self.b)
        rows: list[Change] = []
        if fa["param_kind"] != fb["param_kind"] or fa["position"] != fb["position"]:
            rows.append(
                self._row(
                    "parameter-moved", path, f"argument {name} changed position or kind",
                    before=_where(fa), after=_where(fb), call_before=before, call_after=after,
                )
            )  # fmt: skip
        if fa["required"] != fb["required"]:
            now = fb["required"] == "yes"
            kind = "parameter-became-required" if now else "parameter-became-optional"
            message = (
                f"argument {name} is now required" if now else f"argument {name} now has a default"
            )
            rows.append(
                self._row(
                    kind, path, message, before=fa["default"] or "required", after=fb["default"] or "required",
                    call_before=before if now else "", call_after=after if now else "",
                )
            )  # fmt: skip
        elif fa["default"] != fb["default"]:
            message = f"default of {name} changed"
            rows.append(
                self._row(
                    "parameter-default-changed",
                    path,
                    message,
                    before=fa["default"],
                    after=fb["default"],
                )
            )
        if fa["annotation"] != fb["annotation"] and not _only_optionality(fa, fb, "annotation"):
            kind = _annotation_change(fa["annotation"], fb["annotation"])
            message, old_call = f"argument {name} changed type", ""
            gone = sorted(set(_literals(fa["annotation"])) - set(_literals(fb["annotation"])))
            if kind == "parameter-type-narrowed":
                value = f"[{gone[0]}]" if fa["annotation"].startswith("list[") else gone[0]
                message = f"argument {name} no longer accepts {', '.join(gone)}"
                old_call = self._call(function, self.a, extra=name).replace(
                    f"{name}=...", f"{name}={value}"
                )
            rows.append(
                self._row(
                    kind, path, message, before=fa["annotation"], after=fb["annotation"],
                    call_before=old_call, call_after="",
                )
            )  # fmt: skip
        return rows

    def _field(self, path: str, fa: Facets, fb: Facets) -> list[Change]:
        owner = paths.parent(path)
        direction = (self._direction(owner),)
        rows: list[Change] = []
        if fa["type"] != fb["type"] and not _only_optionality(fa, fb, "type"):
            usage = calls.usage(path)
            rows.append(
                self._row(
                    "field-type-changed", path, f"type {fa['type']} → {fb['type']}", before=fa["type"],
                    after=fb["type"], directions=direction, call_before=f"{usage}  # {fa['type']}",
                    call_after=f"{usage}  # {fb['type']}",
                )
            )  # fmt: skip
        if fa["required"] != fb["required"] and fb["required"] == "yes":
            message = f"{paths.member(owner)}(...) now needs {paths.member(path)}"
            rows.append(
                self._row(
                    "field-became-required", path, message, before="optional", after="required",
                    directions=direction, call_before=self._call(owner, self.a), call_after=self._call(owner, self.b),
                )
            )  # fmt: skip
        elif fa["required"] != fb["required"]:
            kind, message = "field-got-default", "field now has a default"
            if _only_optionality(fa, fb, "type") and fa["type"] != fb["type"]:
                kind, message = "field-became-optional", "field may now be None"
            rows.append(
                self._row(
                    kind, path, message, before=fa["type"], after=f"{fb['type']} = {fb['default']}",
                    directions=direction, call_before=f"{calls.usage(path)}  # {fa['type']}",
                    call_after=f"{calls.usage(path)}  # {fb['type']}",
                )
            )  # fmt: skip
        elif fa["default"] != fb["default"]:
            rows.append(
                self._row(
                    "field-default-changed", path, "default changed", before=fa["default"], after=fb["default"],
                    directions=direction,
                )
            )  # fmt: skip
        for facet, kind, message in (
            (
                "alias",
                "field-alias-changed",
                "wire name (alias) changed; the Python name is the same",
            ),
            ("constraints", "field-constraint-changed", "validation constraints changed"),
        ):
            if fa[facet] != fb[facet]:
                before, after = fa[facet] or "(none)", fb[facet] or "(none)"
                rows.append(
                    self._row(kind, path, message, before=before, after=after, directions=direction)
                )
        return rows

    def _literal(self, path: str, fa: Facets, fb: Facets) -> list[Change]:
        va, vb = literal_values(fa), literal_values(fb)
        gone = [v for v in va if v not in vb]
        before, after = " | ".join(va), " | ".join(vb)
        if not gone:
            return [
                self._row("literal-value-added", path, "new values", before=before, after=after)
            ]
        users = self._literal_users(path)
        old_call = "; ".join(f"{u}({p}={gone[0]})" for u, p in users) or f"{path}: {gone[0]}"
        new_call = "; ".join(f"{u}({p}={vb[0]})" for u, p in users) if vb else ""
        message = f"{paths.member(path)} no longer includes {', '.join(gone)}"
        return [
            self._row(
                "literal-value-removed", path, message, before=before, after=after,
                call_before=old_call, call_after=new_call,
            )
        ]  # fmt: skip

    def _literal_users(self, path: str) -> list[tuple[str, str]]:
        """(call prefix, argument) of the client's arguments annotated with the alias ``path``."""
        name, found = paths.member(path), []
        for entry, facets in sorted(self.a.items()):
            where = paths.param(entry)
            if facets["kind"] != "parameter" or where is None:
                continue
            if (
                name in paths.IDENT.findall(facets["annotation"])
                and paths.parent(where[0]) not in self.twins
            ):
                found.append((self._call(where[0], self.a).split("(", 1)[0], where[1]))
        return found[:3]

    def _exports(self, path: str, fa: Facets, fb: Facets) -> list[Change]:
        va = set(literal_values({"values": fa["names"]}))
        vb = set(literal_values({"values": fb["names"]}))
        rows = [
            self._row(
                "export-removed", f"__all__.{name}", f"{name} no longer exported", before=name,
                call_before=f"from {self.package} import {name}",
            )
            for name in sorted(va - vb)
            if not (name in self.a and name not in self.b)  # a removed object has its own row
        ]  # fmt: skip
        rows += [
            self._row("export-added", f"__all__.{name}", f"{name} exported", after=name)
            for name in sorted(vb - va)
            if not (name in self.b and name not in self.a)
        ]
        return rows

    # rename rows

    def renamed_methods(self, names: dict[str, str]) -> list[Change]:
        rows = []
        for old_name, new_name in sorted(names.items()):
            path = f"{self.client}.{new_name}"
            if path in self.b:
                old_call = self._call(path, self.a).replace(f".{new_name}(", f".{old_name}(")
                message = f"{old_name} is now {new_name} (same HTTP call; rename the calls)"
                rows.append(
                    self._row(
                        "method-renamed", f"{self.client}.{old_name}", message, before=old_name,
                        after=new_name, call_before=old_call, call_after=self._call(path, self.b),
                    )
                )  # fmt: skip
        return rows

    def renamed_classes(self, names: dict[str, str]) -> list[Change]:
        return [
            self._row(
                "model-renamed", old, f"{old} is now {new} (same place in the same operations)",
                before=old, after=new, call_before=self._call(new, self.a).replace(new, old, 1),
                call_after=self._call(new, self.b),
            )
            for old, new in sorted(names.items())
        ]  # fmt: skip

    # helpers

    def _row(
        self,
        kind: str,
        path: str,
        message: str,
        *,
        before: str = "",
        after: str = "",
        directions: tuple[str, ...] = (),
        call_before: str = "",
        call_after: str = "",
    ) -> Change:
        operation = self._operation(path)
        return Change(
            "python",
            kind,
            rule("python", kind).severity(directions),
            path,
            "",
            message,
            before,
            after,
            (operation,) if operation else (),
            directions,
            call_before=call_before,
            call_after=call_after,
        )

    def _operation(self, path: str) -> str:
        function = (paths.param(path) or (path, ""))[0]
        owner, _, name = function.rpartition(".")
        return self.ops.get(name, "") if owner == self.client or owner in self.twins else ""

    def _direction(self, owner: str) -> str:
        return REQUEST if owner in self.request_models else RESPONSE

    def _call(self, path: str, surface: Surface, extra: str = "") -> str:
        return calls.call(path, surface, self.client, extra)


def _twins(surface: Surface, client: str) -> set[str]:
    """Classes and modules that repeat the client's methods (async, raw-response, operations)."""
    members: dict[str, set[str]] = defaultdict(set)
    for path, facets in surface.items():
        owner, _, name = path.rpartition(".")
        if facets["kind"] in ("method", "function") and name != "__init__":
            members[owner].add(name)
    mine = members.get(client, set())
    return {
        owner
        for owner, names in members.items()
        if owner != client and mine and len(names & mine) * 2 >= len(names)
    }


def _request_models(surface: Surface) -> set[str]:
    """Classes reachable from an argument annotation: callers build these."""
    index = paths.name_index(paths.classes(surface))
    fields: dict[str, set[str]] = defaultdict(set)
    roots: set[str] = set()
    for path, facets in surface.items():
        if facets["kind"] == "parameter":
            roots |= paths.referenced(facets["annotation"], index)
        elif facets["kind"] == "field":
            fields[paths.parent(path)] |= paths.referenced(facets["type"], index)
    seen, stack = set(roots), list(roots)
    while stack:
        for child in fields.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _annotation_change(before: str, after: str) -> str:
    """Narrowed when literal values were dropped, widened when only added, else changed."""
    la, lb = set(_literals(before)), set(_literals(after))
    if (la or lb) and _LITERAL.sub("Literal[...]", before) == _LITERAL.sub("Literal[...]", after):
        return "parameter-type-narrowed" if la - lb else "parameter-type-widened"
    return "parameter-type-changed"


def _literals(text: str) -> list[str]:
    return [v.strip() for group in _LITERAL.findall(text) for v in group.split(",") if v.strip()]


def _only_optionality(fa: Facets, fb: Facets, facet: str) -> bool:
    """Required-ness changed and the annotation only gained or lost ``| None`` with it: one fact."""
    return fa["required"] != fb["required"] and _NONE.sub("", fa[facet]) == _NONE.sub("", fb[facet])


def _where(facets: Facets) -> str:
    return facets["param_kind"] + (f" #{facets['position']}" if facets["position"] else "")
