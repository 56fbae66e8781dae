"""Last line of defence: every generated Python file must parse, stay inside an allow-list, and compile.

Escaping happens earlier (naming.py, DCG's own repr); this module does not trust that it worked. It
reads the code we are about to write and refuses anything a spec could have smuggled in: an import we
do not use, a call that would run at import time, or a dangerous name anywhere. The models module,
written by DCG from spec schemas, is held to an allow-list of imported *names*: an allowed module
still offers dangerous ones (``pydantic.ImportString`` imports whatever a response names). A
violation becomes a SpecError naming the generated file and, where a spec string can be found in the
offending code, the place in the spec it came from.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ..diagnostics import Diagnostic, SpecError

Locate = Callable[[str], str]  # offending code -> JSON pointer of the spec text it came from

# Absolute imports a spec-derived module may make; everything else is relative (our own package).
ALLOWED_IMPORTS = frozenset(
    {
        "__future__",
        "builtins",
        "collections",
        "collections.abc",
        "datetime",
        "decimal",
        "enum",
        "functools",
        "ipaddress",
        "re",
        "typing",
        "typing_extensions",
        "uuid",
        "httpx",
        "pydantic",
    }
)
# What the models module may import, by name. Types DCG maps schema formats to, and typing/pydantic
# building blocks; nothing that imports, evaluates or reaches outside the process.
MODEL_NAMES: Mapping[str, frozenset[str]] = {
    "__future__": frozenset({"annotations"}),
    "typing": frozenset(
        {"Annotated", "Any", "ClassVar", "Dict", "List", "Literal", "Optional", "TypeAlias", "Union", "cast"}
    ),
    "typing_extensions": frozenset({"Annotated", "Literal"}),
    "pydantic": frozenset(
        {
            "AnyUrl",
            "AnyHttpUrl",
            "AwareDatetime",
            "Base64Bytes",
            "Base64Str",
            "BaseModel",
            "ConfigDict",
            "EmailStr",
            "Field",
            "HttpUrl",
            "IPvAnyAddress",
            "IPvAnyInterface",
            "IPvAnyNetwork",
            "NaiveDatetime",
            "NameEmail",
            "RootModel",
            "SecretStr",
            "StrictBool",
            "StrictBytes",
            "StrictFloat",
            "StrictInt",
            "StrictStr",
            "StringConstraints",
            "UUID1",
            "UUID3",
            "UUID4",
            "UUID5",
            "conbytes",
            "condecimal",
            "confloat",
            "conint",
            "conlist",
            "constr",
        }
    ),
    "datetime": frozenset({"date", "datetime", "time", "timedelta"}),
    "decimal": frozenset({"Decimal"}),
    "enum": frozenset({"Enum", "IntEnum", "StrEnum"}),
    "ipaddress": frozenset(
        {
            "IPv4Address",
            "IPv6Address",
            "IPv4Interface",
            "IPv6Interface",
            "IPv4Network",
            "IPv6Network",
        }
    ),
    "uuid": frozenset({"UUID"}),
}
# Calls that may run when a spec-derived module or class body is executed (import time).
ALLOWED_IMPORT_TIME_CALLS = frozenset(
    {
        "Field",
        "ConfigDict",
        "TypeVar",
        "re.compile",
        "Request",
        "StringConstraints",
        "AnyUrl",
        "cast",  # typing.cast: returns its argument (fieldtypes.py types object defaults with it)
        "LazyModule",  # operations.py: models imported on the first call
    }
)
# Names and attributes that have no business in generated code, at any depth (runtime files too).
FORBIDDEN_NAMES = frozenset(
    {
        "__import__",
        "eval",
        "exec",
        "compile",
        "open",
        "breakpoint",
        "input",
        "globals",
        "locals",
        "vars",
        "setattr",
        "delattr",
        "os",
        "sys",
        "subprocess",
        "importlib",
        "shutil",
        "socket",
        "pickle",
        "marshal",
        "ctypes",
        "__builtins__",
        "__loader__",
        "__spec__",
    }
)
FORBIDDEN_ATTRS = frozenset(
    {
        "system",
        "popen",
        "spawn",
        "execv",
        "execve",
        "__subclasses__",
        "__globals__",
        "__code__",
        "__builtins__",
        "__import__",
        "__reduce__",
        "__getattribute__",
        "f_globals",
        "f_locals",
    }
)
# Hand-written runtime files that need one of FORBIDDEN_NAMES for their one job.
RUNTIME_ALLOWANCES: Mapping[str, frozenset[str]] = {
    "_config.py": frozenset({"os"}),  # client settings from environment variables
    "_lazy.py": frozenset({"importlib"}),  # modules imported on first use
    "_verify.py": frozenset({"sys"}),  # a command line: findings and errors go to stderr
}
# Characters that make code read differently from how it runs (Trojan Source, CVE-2021-42574).
_INVISIBLE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\x00")


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule broken in one generated file."""

    line: int
    message: str
    code: str  # the offending source text, used to trace the spec string back


def check_files(
    python: Mapping[str, str], spec_derived: set[str], spec_file: str, locate: Locate
) -> None:
    """Check every file; raise one SpecError listing all violations, each traced to the spec."""
    problems: list[Diagnostic] = []
    for relpath, source in sorted(python.items()):
        strict = relpath in spec_derived
        allowed = frozenset() if strict else runtime_allowance(relpath)
        for violation in check_source(source, strict=strict, allowed=allowed):
            problems.append(_traced(violation, relpath, spec_file, locate))
    if problems:
        raise SpecError(problems)


def check_models(source: str, spec_file: str, locate: Locate) -> None:
    """The spec-derived checks plus the name allow-list, for the module DCG wrote."""
    violations = check_source(source, strict=True)
    if not violations:
        violations = _model_imports(ast.parse(source))
    if violations:
        raise SpecError([_traced(v, "models.py", spec_file, locate) for v in violations])


def _traced(violation: Violation, relpath: str, spec_file: str, locate: Locate) -> Diagnostic:
    return Diagnostic(
        spec_file,
        locate(violation.code),
        f"generated {relpath}:{violation.line}: {violation.message} (generation refused; "
        "the spec text at this pointer would have become code)",
    )


def _model_imports(tree: ast.Module) -> list[Violation]:
    """Absolute imports must name allowed names; ``import module`` would open every attribute."""
    found: list[Violation] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            text = ast.unparse(stmt)
            found.append(Violation(stmt.lineno, f"models may not import whole modules: {text}", text))
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0:
            allowed = MODEL_NAMES.get(stmt.module or "", frozenset())
            for alias in stmt.names:
                # DCG renames an import that a field name would shadow: ``date as date_aliased``.
                renamed = alias.asname not in (None, alias.name, f"{alias.name}_aliased")
                if alias.name not in allowed or renamed:
                    text = f"from {stmt.module} import {alias.name}"
                    found.append(
                        Violation(
                            stmt.lineno, f"models may not import {stmt.module}.{alias.name}", text
                        )
                    )
    return found


def runtime_allowance(relpath: str) -> frozenset[str]:
    """The FORBIDDEN_NAMES a hand-written runtime file (by its file name) may use."""
    return RUNTIME_ALLOWANCES.get(relpath.rpartition("/")[2], frozenset())


def check_source(
    source: str, *, strict: bool, allowed: frozenset[str] = frozenset()
) -> list[Violation]:
    """Violations in one module; ``strict`` applies the allow-list meant for spec-derived code,
    ``allowed`` exempts a runtime file from some of FORBIDDEN_NAMES."""
    bad = next((c for c in source if c in _INVISIBLE), None)
    if bad is not None:
        line = source.count("\n", 0, source.index(bad)) + 1
        return [
            Violation(
                line,
                f"invisible control character U+{ord(bad):04X} in the source",
                source.splitlines()[line - 1],
            )
        ]
    try:
        tree = ast.parse(source)
        compile(tree, "<generated>", "exec", dont_inherit=True)  # compile only; nothing is executed
    except SyntaxError as exc:
        line = exc.lineno or 0
        text = source.splitlines()[line - 1] if 0 < line <= source.count("\n") + 1 else ""
        return [Violation(line, f"not valid Python: {exc.msg}", text)]
    found = list(_forbidden(tree, source, FORBIDDEN_NAMES - allowed))
    if strict:
        found += _module_level(tree, source)
    return sorted(found, key=lambda v: v.line)


def _segment(source: str, node: ast.AST) -> str:
    return ast.get_source_segment(source, node) or ""


def _forbidden(tree: ast.AST, source: str, names: frozenset[str]) -> Iterator[Violation]:
    for node in ast.walk(tree):
        # Load context only: a model field or enum member may well be called ``open`` or ``input``.
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in names:
            yield Violation(node.lineno, f"forbidden name {node.id!r}", _segment(source, node))
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRS:
            yield Violation(
                node.lineno, f"forbidden attribute {node.attr!r}", _segment(source, node)
            )
        elif isinstance(node, ast.alias) and node.name.split(".")[0] in names:
            yield Violation(node.lineno, f"forbidden import {node.name!r}", node.name)


def _module_level(tree: ast.Module, source: str) -> list[Violation]:
    found: list[Violation] = []
    for stmt in tree.body:
        found += _statement(stmt, source, in_class=False)
    return found


def _statement(stmt: ast.stmt, source: str, *, in_class: bool) -> list[Violation]:
    """Statements that run at import time: only declarations, with an allow-list of calls."""
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return _import(stmt)
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        # The body runs only when called; decorators and defaults run now.
        eager: list[ast.AST] = [
            *stmt.decorator_list,
            *stmt.args.defaults,
            *(d for d in stmt.args.kw_defaults if d is not None),
        ]
        return [v for node in eager for v in _calls(node, source)]
    if isinstance(stmt, ast.ClassDef):
        found = [
            v
            for node in (*stmt.bases, *stmt.keywords, *stmt.decorator_list)
            for v in _calls(node, source)
        ]
        for inner in stmt.body:
            found += _statement(inner, source, in_class=True)
        return found
    if _is_type_checking(stmt) and not in_class:
        # Imports for type checkers; the else branch makes the runtime's lazy import.
        assert isinstance(stmt, ast.If)
        branches = (*stmt.body, *stmt.orelse)
        return [v for branch in branches for v in _statement(branch, source, in_class=False)]
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.Expr | ast.Pass):
        if isinstance(stmt, ast.Expr) and not isinstance(stmt.value, ast.Constant):
            if not in_class and _is_model_rebuild(stmt.value):
                return []
            return [
                Violation(
                    stmt.lineno, "expression statement at import time", _segment(source, stmt)
                )
            ]
        return _calls(stmt, source)
    return [
        Violation(
            stmt.lineno, f"{type(stmt).__name__} statement at import time", _segment(source, stmt)
        )
    ]


def _is_type_checking(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.If)
        and isinstance(stmt.test, ast.Name)
        and stmt.test.id == "TYPE_CHECKING"
    )


def _import(stmt: ast.Import | ast.ImportFrom) -> list[Violation]:
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 1:
        return []  # our own package
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module in ALLOWED_IMPORTS:
        return []
    if isinstance(stmt, ast.Import) and all(a.name in ALLOWED_IMPORTS for a in stmt.names):
        return []
    text = ast.unparse(stmt)
    return [Violation(stmt.lineno, f"import not on the allow-list: {text}", text)]


def _calls(node: ast.AST, source: str) -> list[Violation]:
    """Calls evaluated now; lambdas are skipped (their body runs later and is name-checked)."""
    found: list[Violation] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Lambda):
            continue
        if (
            isinstance(current, ast.Call)
            and _call_name(current.func) not in ALLOWED_IMPORT_TIME_CALLS
        ):
            found.append(
                Violation(
                    current.lineno,
                    f"call to {ast.unparse(current.func)!r} at import time",
                    _segment(source, current),
                )
            )
        stack.extend(ast.iter_child_nodes(current))
    return found


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Subscript):  # Request[Model](...) builds a typed request object
        func = func.value
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return ast.unparse(func)


def _is_model_rebuild(value: ast.expr) -> bool:
    """DCG resolves forward references with ``Model.model_rebuild()`` at module level."""
    return (
        isinstance(value, ast.Call)
        and not value.args
        and not value.keywords
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "model_rebuild"
        and isinstance(value.func.value, ast.Name)
    )
