"""Field annotations a user enjoys, rewritten into DCG's models module.

- **Enum fields take their string literals.** Each open enum ``E`` gets an alias ``ELiteral`` of its
  values, and a field typed ``E`` becomes ``E | ELiteral``: ``Address(type="person")`` type-checks,
  and the value read back is still the enum member, because the union is validated left to right
  (``union_mode="left_to_right"``: pydantic's default "smart" mode would keep the plain string).
- **Object defaults type-check.** DCG writes a schema's object default as a dict literal on a field
  typed as a model (``addr: Address | None = {"city": "Oslo"}``); pydantic validates it into the
  model (``validate_default=True``) but mypy rejects the assignment, so the literal is wrapped in
  ``cast("<the field's type>", ...)``, which changes nothing at runtime.

Edits are made in the source text at the positions ``ast`` reports, so everything else DCG wrote
stays byte for byte.
"""

from __future__ import annotations

import ast

_LEFT_TO_RIGHT = 'union_mode="left_to_right"'
_ENUM_BASE = "OpenStrEnum"
_TYPING_IMPORT = "from typing import "


def typed_fields(source: str) -> str:
    """``source`` with enum fields widened to their literals and object defaults cast."""
    tree = ast.parse(source)
    lines = source.split("\n")
    enums = {
        node.name: _enum_values(node)
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == _ENUM_BASE for b in node.bases)
    }
    taken = {target.id for node in tree.body for target in _defined(node)}
    aliases: dict[str, str] = {}
    for name in enums:
        alias = f"{name}Literal"
        while alias in taken:
            alias += "_"
        taken.add(alias)
        aliases[name] = alias
    models = {node.name for node in tree.body if isinstance(node, ast.ClassDef)} - set(enums)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) as character offsets
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name not in enums:
            for base in node.bases:  # RootModel[list[Kind]] must agree with its root field
                edits += _nested_edits(base, lines, aliases)
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign):
                    edits += _field_edits(stmt, lines, source, aliases, models)
        if isinstance(node, ast.ClassDef) and node.name in enums and enums[node.name]:
            literal = ", ".join(repr(value) for value in enums[node.name])
            end = _offset(lines, node.end_lineno or node.lineno, node.end_col_offset or 0)
            edits.append(
                (
                    end,
                    end,
                    f"\n\n\n{aliases[node.name]}: TypeAlias = Literal[{literal}]\n"
                    f'"""The values of `{node.name}` as plain strings; fields typed `{node.name}` '
                    'take them too."""',
                )
            )
    if not edits:
        return source
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return _import_typing(source, ["Literal", "TypeAlias"] if enums else [], edits)


def _field_edits(
    stmt: ast.AnnAssign,
    lines: list[str],
    source: str,
    aliases: dict[str, str],
    models: set[str],
) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    annotation = stmt.annotation
    field_call: ast.Call | None = None
    core = annotation
    if _is_annotated(annotation):
        assert isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple)
        core = annotation.slice.elts[0]
        field_call = next(
            (
                m
                for m in annotation.slice.elts[1:]
                if isinstance(m, ast.Call) and isinstance(m.func, ast.Name) and m.func.id == "Field"
            ),
            None,
        )
    top = [
        m for m in _union_members(core) if isinstance(m, ast.Name) and m.id in aliases
    ]
    for name in top:
        start, end = _span(lines, name)
        edits.append((start, end, f"{name.id} | {aliases[name.id]}"))
    edits += _nested_edits(core, lines, aliases, skip={id(name) for name in top})
    if top:
        edits += _left_to_right(annotation, core, field_call, lines, source)
    if (
        stmt.value is not None
        and any(isinstance(n, ast.Dict) for n in ast.walk(stmt.value))
        and any(isinstance(n, ast.Name) and n.id in models for n in ast.walk(core))
    ):
        start, end = _span(lines, stmt.value)
        kind = ast.unparse(core)
        edits.append((start, start, f"cast({kind!r}, "))
        edits.append((end, end, ")"))
    return edits


def _nested_edits(
    node: ast.expr, lines: list[str], aliases: dict[str, str], skip: set[int] | None = None
) -> list[tuple[int, int, str]]:
    """Enum names inside ``node`` (list items, dict values) as their own left-to-right union."""
    edits = []
    for name in ast.walk(node):
        if isinstance(name, ast.Name) and name.id in aliases and id(name) not in (skip or set()):
            start, end = _span(lines, name)
            union = f"{name.id} | {aliases[name.id]}"
            edits.append((start, end, f"Annotated[{union}, Field({_LEFT_TO_RIGHT})]"))
    return edits


def _left_to_right(
    annotation: ast.expr,
    core: ast.expr,
    field_call: ast.Call | None,
    lines: list[str],
    source: str,
) -> list[tuple[int, int, str]]:
    """The edits that validate the field's top-level union left to right."""
    if field_call is not None:
        close = _span(lines, field_call)[1] - 1  # the ")"
        before = source[:close].rstrip()
        separator = "" if before.endswith(("(", ",")) else ", "
        return [(close, close, separator + _LEFT_TO_RIGHT)]
    end = _span(lines, core)[1]
    if annotation is not core:  # Annotated[...] without a Field: add one
        return [(end, end, f", Field({_LEFT_TO_RIGHT})")]
    start = _span(lines, core)[0]
    return [(start, start, "Annotated["), (end, end, f", Field({_LEFT_TO_RIGHT})]")]


def _union_members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_members(node.left) + _union_members(node.right)
    return [node]


def _enum_values(node: ast.ClassDef) -> list[str]:
    return [
        stmt.value.value
        for stmt in node.body
        if isinstance(stmt, ast.Assign)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    ]


def _defined(node: ast.stmt) -> list[ast.Name]:
    if isinstance(node, ast.ClassDef):
        return [ast.Name(node.name)]
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [t for t in targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.ImportFrom):
        return [ast.Name(a.asname or a.name) for a in node.names]
    return []


def _is_annotated(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    )


def _span(lines: list[str], node: ast.expr) -> tuple[int, int]:
    start = _offset(lines, node.lineno, node.col_offset)
    end = _offset(lines, node.end_lineno or node.lineno, node.end_col_offset or 0)
    return start, end


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """Character offset of ``ast``'s (1-based line, UTF-8 byte column)."""
    before = sum(len(line) + 1 for line in lines[: lineno - 1])
    return before + len(lines[lineno - 1].encode("utf-8")[:col].decode("utf-8"))


def _import_typing(source: str, names: list[str], edits: list[tuple[int, int, str]]) -> str:
    """Add what the edits use to the ``from typing import`` line (DCG writes one)."""
    needed = set(names)
    if any(text.startswith("cast(") for _, _, text in edits):
        needed.add("cast")
    if any("Annotated[" in text for _, _, text in edits):
        needed.add("Annotated")
    if any("Field(" in text for _, _, text in edits):
        needed.add("Field")
    lines = source.split("\n")
    for index, line in enumerate(lines):
        for module in ("typing", "pydantic"):
            prefix = f"from {module} import "
            if line.startswith(prefix):
                have = [n.strip() for n in line[len(prefix) :].split(",")]
                wanted = needed & (_TYPING_NAMES if module == "typing" else {"Field"})
                lines[index] = prefix + ", ".join(sorted(set(have) | wanted))
                needed -= wanted
    if needed:  # no such import line yet: add one after the __future__ import
        extra = []
        if needed & _TYPING_NAMES:
            extra.append(_TYPING_IMPORT + ", ".join(sorted(needed & _TYPING_NAMES)))
        if "Field" in needed:
            extra.append("from pydantic import Field")
        future = lines.index("from __future__ import annotations")
        lines[future + 1 : future + 1] = ["", *extra]
    return "\n".join(lines)


_TYPING_NAMES = frozenset({"Annotated", "Literal", "TypeAlias", "cast"})
