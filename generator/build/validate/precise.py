"""openapi-spec-validator, run when the fast check (``fast.py``) could not vouch for a spec: every
problem, each placed at its JSON pointer in the file.

The validator checks each schema ``default`` against its schema; its ``pattern`` keywords run on
pydantic-core's linear-time Rust engine here (admission dropped every pattern that engine refuses),
so a pattern like ``^(a+)+$`` costs microseconds, not hours, whatever default sits next to it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

# The jsonschema-rs backend (picked automatically when installed) reports a failed oneOf without
# its sub-errors, so every message would point at the parent node. Pin the Python backend; it is
# read when openapi_spec_validator is first imported.
os.environ["OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"] = "jsonschema"

from jsonschema.exceptions import ValidationError  # noqa: E402
from jsonschema.validators import extend  # noqa: E402
from jsonschema_path import SchemaPath  # noqa: E402
from openapi_schema_validator import OAS30Validator, OAS31Validator  # noqa: E402
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator  # noqa: E402
from openapi_spec_validator.validation.keywords import (  # noqa: E402
    OpenAPIV30SchemaValidator,
    OpenAPIV30ValueValidator,
    OpenAPIV31SchemaValidator,
    OpenAPIV31ValueValidator,
)

from ...diagnostics import Diagnostic, json_pointer
from ..admit import Admitted, resolve_pointer
from ..admit.policy import pattern_matches, pattern_problem

_TOP_LEVEL = {
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
    "webhooks",
    "jsonSchemaDialect",
}
_UNRESOLVED = re.compile(
    r"Path parameter '(?P<name>[^']*)' for '(?P<method>\w+)' operation in '(?P<path>.*)' was not resolved"
)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's ``pattern`` keyword on the linear-time engine."""
    if not validator.is_type(instance, "string"):
        return
    why = pattern_problem(pattern)
    if why is not None:
        yield ValidationError(f"{pattern!r} is not a valid regular expression ({why})")
    elif not pattern_matches(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[Any]:
    """jsonschema's ``patternProperties`` keyword on the linear-time engine."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        if pattern_problem(pattern) is not None:
            continue
        for key, value in instance.items():
            if pattern_matches(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


_LINEAR = {"pattern": _pattern, "patternProperties": _pattern_properties}


class _Located:
    """Errors about a schema or a default carry a path relative to it: root them in the document."""

    below: tuple[str, ...] = ()  # what the error is about, below the schema

    def __call__(self, schema: SchemaPath, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        for error in super().__call__(schema, *args, **kwargs):  # type: ignore[misc]
            if not (error.path and error.path[0] in _TOP_LEVEL):
                error.path.extendleft(reversed([*schema.parts, *self.below]))
            yield error


class _Defaults30(_Located, OpenAPIV30ValueValidator):
    below = ("default",)
    value_validator_cls = extend(OAS30Validator, _LINEAR)  # type: ignore[no-untyped-call]


class _Defaults31(_Located, OpenAPIV31ValueValidator):
    below = ("default",)
    value_validator_cls = extend(OAS31Validator, _LINEAR)  # type: ignore[no-untyped-call]


class _Schema30(_Located, OpenAPIV30SchemaValidator):
    pass


class _Schema31(_Located, OpenAPIV31SchemaValidator):
    pass


class _SpecValidator30(OpenAPIV30SpecValidator):
    keyword_validators = {
        **OpenAPIV30SpecValidator.keyword_validators,
        "default": _Defaults30,
        "schema": _Schema30,
    }


class _SpecValidator31(OpenAPIV31SpecValidator):
    keyword_validators = {
        **OpenAPIV31SpecValidator.keyword_validators,
        "default": _Defaults31,
        "schema": _Schema31,
    }


def spec_problems(doc: Admitted) -> Iterator[Diagnostic]:
    """Every problem openapi-spec-validator finds, rooted in the document."""
    version = str(doc.data.get("openapi", ""))
    validator_cls = _SpecValidator31 if version.startswith("3.1") else _SpecValidator30
    last_absolute: tuple[object, ...] = ()
    errors: list[ValidationError] = []
    try:
        for error in validator_cls(doc.data).iter_errors():
            errors.append(error)
    except RecursionError:
        yield Diagnostic(doc.path, "#", "spec nests too deeply to validate")
        return
    except Exception as exc:  # noqa: BLE001 - the validator's own walk trips over broken shapes
        # It walks on after a schema failed its meta-schema (a schema used twice is checked
        # once) and can then raise on what it already reported (an unknown type, a parameter
        # without a name). Report what it found; if that is nothing, say what stopped it.
        if not errors:
            why = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            yield Diagnostic(doc.path, "#", f"openapi-spec-validator could not check this spec ({why})")
            return
    unresolved: dict[tuple[str, str], list[str]] = {}
    for error in errors:
        found = _UNRESOLVED.fullmatch(error.message) if not error.absolute_path else None
        if found:  # the validator names no place for these: gathered per operation below
            unresolved.setdefault((found["path"], found["method"]), []).append(found["name"])
            continue
        deepest = _deepest(error)
        path: tuple[object, ...] = tuple(deepest.absolute_path)
        if path and path[0] in _TOP_LEVEL:
            last_absolute = tuple(error.absolute_path)
        else:
            # Schema-level errors carry a path relative to the schema object: re-root it.
            path = last_absolute + path
        yield Diagnostic(doc.path, json_pointer(_through_refs(doc.data, path)), _message(deepest))
    for (path_key, method), names in unresolved.items():
        yield Diagnostic(
            doc.path, json_pointer(("paths", path_key, method)), _mismatch(path_key, names)
        )


def _mismatch(path: str, names: list[str]) -> str:
    """One message for a path template and path parameters that do not name the same things."""
    template = set(re.findall(r"\{([^}]*)\}", path))
    missing = [n for n in names if n in template]
    extra = [n for n in names if n not in template]
    parts = []
    if missing:
        parts.append(
            f"the path has {', '.join('{' + n + '}' for n in missing)} but no path parameter of that name"
        )
    if extra:
        parts.append(f"path parameter {', '.join(repr(n) for n in extra)} is not in the path")
    return "; ".join(parts) + " (use the same names in both)"


def _through_refs(data: Any, path: tuple[object, ...]) -> tuple[object, ...]:
    """The place ``path`` really names: the validator reports a schema reached through ``$ref``
    under the referring path (``.../schema/properties/a``), which is not a pointer into the file."""
    node, real = data, list[object]()
    for step, part in enumerate(path):
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            node = resolve_pointer(data, ref)
            real = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/") if p]
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return tuple(real) + path[step:]
        real.append(part)
    return tuple(real)


def _deepest(error: ValidationError) -> ValidationError:
    """Follow the most specific sub-error; skip the '$ref is required' alternative of oneOf."""
    best = error
    for sub in error.context or []:
        if sub.validator == "required" and "'$ref'" in sub.message:
            continue
        candidate = _deepest(sub)
        if len(candidate.absolute_path) > len(best.absolute_path) or best is error:
            best = candidate
    return best


def _message(error: ValidationError) -> str:
    text = " ".join(error.message.split())
    return text if len(text) <= 200 else text[:197] + "..."
