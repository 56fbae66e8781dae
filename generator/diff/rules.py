"""The rule table: every kind of change the diff reports, and its severity in each direction.

Severity is judged from the client's side. *Request* is what the client sends (parameters, request
bodies; in Python: arguments and the models callers build); *response* is what it receives
(responses; in Python: return values and the models the client builds). The same edit flips
meaning with the direction: a new enum value is harmless in a request and potentially breaking in
a response. A change met in both directions takes the worse severity and says so.

``docs/diff-rules.md`` is this table in prose; a test keeps the two in step. The wire rules follow
oasdiff's taxonomy (its closest check id is in ``oasdiff``); the Python rules have no peer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .changes import BREAKING, NON_BREAKING, POTENTIALLY_BREAKING, REQUEST, RESPONSE, worst

B, P, N = BREAKING, POTENTIALLY_BREAKING, NON_BREAKING


@dataclass(frozen=True, slots=True)
class Rule:
    """How one kind of change is classified."""

    kind: str
    level: str  # "wire" | "python"
    request: str  # severity when met in what the client sends
    response: str  # severity when met in what the client receives
    summary: str
    oasdiff: str = ""

    def severity(self, directions: Iterable[str]) -> str:
        """The worst severity over ``directions`` (both when none is given)."""
        chosen = set(directions) or {REQUEST, RESPONSE}
        return worst(self.request if d == REQUEST else self.response for d in chosen)

    @property
    def directional(self) -> bool:
        return self.request != self.response


def _rule(
    kind: str, level: str, request: str, response: str, summary: str, oasdiff: str = ""
) -> Rule:
    return Rule(kind, level, request, response, summary, oasdiff)


def _same(kind: str, level: str, severity: str, summary: str, oasdiff: str = "") -> Rule:
    return Rule(kind, level, severity, severity, summary, oasdiff)


# fmt: off
_WIRE: tuple[Rule, ...] = (
    # operations, servers, security
    _same("operation-removed", "wire", B, "an operation is gone; calls get 404/405", "api-removed-without-deprecation"),
    _same("deprecated-operation-removed", "wire", P, "a deprecated operation is gone", "api-removed-with-deprecation"),
    _same("operation-added", "wire", N, "a new operation", "endpoint-added"),
    _same("operation-moved", "wire", B, "same operationId under another method or path", "api-path-removed-without-deprecation"),
    _same("operation-id-changed", "wire", N, "operationId changed (the Python method is renamed)", "api-operation-id-removed"),
    _same("operation-deprecated", "wire", N, "an operation is now deprecated", "endpoint-deprecated"),
    _same("server-removed", "wire", P, "a server URL is no longer published"),
    _same("server-added", "wire", N, "a new server URL"),
    _same("security-scheme-removed", "wire", B, "a security scheme is gone", "api-security-component-removed"),
    _same("security-scheme-added", "wire", N, "a new security scheme", "api-security-component-added"),
    _same("security-scheme-changed", "wire", B, "how credentials are sent changed", "api-security-component-type-changed"),
    _same("security-narrowed", "wire", B, "an accepted credential alternative is gone", "api-security-removed"),
    _same("security-widened", "wire", N, "a new accepted credential alternative", "api-security-added"),
    # parameters (always request)
    _same("parameter-added-required", "wire", B, "a new required parameter", "new-required-request-parameter"),
    _same("parameter-added", "wire", N, "a new optional parameter", "new-optional-request-parameter"),
    _same("parameter-removed", "wire", P, "a parameter is gone; the server may reject or ignore it", "request-parameter-removed"),
    _same("parameter-became-required", "wire", B, "a parameter is now required", "request-parameter-became-required"),
    _same("parameter-became-optional", "wire", N, "a parameter is now optional", "request-parameter-became-optional"),
    _same("parameter-location-changed", "wire", B, "a parameter moved (e.g. query to header)", "request-parameter-removed + new-required-request-parameter"),
    _same("parameter-serialization-changed", "wire", P, "a parameter's style or explode changed"),
    _same("parameter-default-changed", "wire", P, "an optional parameter's default changed", "request-parameter-default-value-changed"),
    # bodies, media types, statuses, headers
    _same("request-body-added-required", "wire", B, "a required request body where there was none", "request-body-added-required"),
    _same("request-body-added", "wire", N, "an optional request body where there was none", "request-body-added-optional"),
    _same("request-body-removed", "wire", P, "the request body is gone; the server may reject it", "request-body-removed"),
    _same("request-body-became-required", "wire", B, "the request body is now required", "request-body-became-required"),
    _same("request-body-became-optional", "wire", N, "the request body is now optional", "request-body-became-optional"),
    _rule("media-type-removed", "wire", B, B, "a media type is gone", "request-body-media-type-removed / response-media-type-removed"),
    _rule("media-type-added", "wire", N, N, "a new media type", "request-body-media-type-added / response-media-type-added"),
    _same("success-status-removed", "wire", B, "a documented 2xx status is gone", "response-success-status-removed"),
    _same("error-status-removed", "wire", N, "a documented error status is gone", "response-non-success-status-removed"),
    _same("success-status-added", "wire", P, "a new 2xx status the client may not handle", "response-success-status-added"),
    _same("error-status-added", "wire", N, "a new documented error status", "response-non-success-status-added"),
    _same("response-body-removed", "wire", B, "a response no longer has a body", "response-media-type-removed"),
    _same("response-body-added", "wire", N, "a response now has a body", "response-media-type-added"),
    _same("response-header-removed", "wire", P, "an optional response header is gone", "optional-response-header-removed"),
    _same("required-response-header-removed", "wire", B, "a required response header is gone", "required-response-header-removed"),
    _same("response-header-added", "wire", N, "a new response header", "response-header-added"),
    # schemas: properties
    _rule("property-added-required", "wire", B, N, "a new required property", "new-required-request-property / response-required-property-added"),
    _rule("property-added", "wire", N, N, "a new optional property", "new-optional-request-property / response-optional-property-added"),
    _rule("required-property-removed", "wire", P, B, "a required property is gone", "request-property-removed / response-required-property-removed"),
    _rule("property-removed", "wire", P, P, "an optional property is gone", "request-property-removed / response-optional-property-removed"),
    _rule("property-became-required", "wire", B, N, "a property is now required", "request-property-became-required / response-property-became-required"),
    _rule("property-became-optional", "wire", N, B, "a property is now optional (may be missing)", "request-property-became-optional / response-property-became-optional"),
    # schemas: values
    _rule("type-changed", "wire", B, B, "the type changed", "request-property-type-changed / response-property-type-changed"),
    _rule("type-generalized", "wire", N, B, "the type widened (integer to number)", "request-property-type-generalized / response-property-type-changed"),
    _rule("type-specialized", "wire", B, N, "the type narrowed (number to integer)", "request-property-type-changed / response-property-type-changed"),
    _rule("format-changed", "wire", P, P, "the format changed"),
    _rule("nullable-added", "wire", N, B, "null is now allowed", "request-property-became-nullable / response-property-became-nullable"),
    _rule("nullable-removed", "wire", B, N, "null is no longer allowed", "request-property-became-not-nullable / response-property-became-not-nullable"),
    _rule("enum-value-added", "wire", N, P, "a new enum value", "request-property-enum-value-added / response-property-enum-value-added"),
    _rule("enum-value-removed", "wire", B, N, "an enum value is gone", "request-property-enum-value-removed / response-property-enum-value-removed"),
    _rule("enum-added", "wire", B, N, "values are now restricted to an enum", "request-property-became-enum"),
    _rule("enum-removed", "wire", N, P, "the enum restriction is lifted"),
    _rule("constraint-tightened", "wire", B, N, "a length, range, size or count limit is tighter", "request-property-max-length-decreased, request-property-min-increased, ..."),
    _rule("constraint-relaxed", "wire", N, P, "a length, range, size or count limit is looser", "request-property-max-length-increased / response-property-max-length-increased, ..."),
    _rule("pattern-changed", "wire", B, N, "a pattern was added or changed", "request-property-pattern-added / request-property-pattern-changed"),
    _rule("pattern-removed", "wire", N, P, "a pattern was removed", "request-property-pattern-removed / response-property-pattern-removed"),
    _rule("default-changed", "wire", P, N, "a property default changed", "request-property-default-value-changed / response-property-default-value-changed"),
    _rule("additional-properties-narrowed", "wire", B, N, "unknown properties are no longer allowed"),
    _rule("additional-properties-widened", "wire", N, P, "unknown properties are now allowed"),
    _rule("variants-added", "wire", N, P, "a oneOf/anyOf alternative was added", "request-property-one-of-added / response-property-one-of-added"),
    _rule("variants-removed", "wire", B, N, "a oneOf/anyOf alternative was removed", "request-property-one-of-removed / response-property-one-of-removed"),
    _same("schema-renamed", "wire", N, "a schema got a new name; the same operations use it at the same places"),
)

_PYTHON: tuple[Rule, ...] = (
    _same("class-removed", "python", B, "a public class is gone"),
    _same("class-added", "python", N, "a new public class"),
    _same("model-renamed", "python", B, "a model class has a new name (same place in the same operations)"),
    _same("enum-member-removed", "python", B, "an enum member is gone"),
    _same("enum-member-added", "python", N, "a new enum member (exhaustive matches miss it)"),
    _same("enum-member-value-changed", "python", B, "an enum member's value changed"),
    _same("method-removed", "python", B, "a client method is gone"),
    _same("method-added", "python", N, "a new client method"),
    _same("method-renamed", "python", B, "a client method has a new name (same HTTP call)"),
    _same("function-removed", "python", B, "a public function is gone"),
    _same("function-added", "python", N, "a new public function"),
    _same("parameter-removed", "python", B, "an argument is gone; calls passing it fail"),
    _same("parameter-added-required", "python", B, "a new required argument"),
    _same("parameter-added", "python", N, "a new optional argument"),
    _same("parameter-became-required", "python", B, "an argument lost its default"),
    _same("parameter-became-optional", "python", N, "an argument got a default"),
    _same("parameter-moved", "python", B, "an argument changed position or kind (positional/keyword)"),
    _same("parameter-type-narrowed", "python", B, "an argument accepts fewer literal values"),
    _same("parameter-type-widened", "python", N, "an argument accepts more literal values"),
    _same("parameter-type-changed", "python", P, "an argument's annotation changed (type checkers may flag callers)"),
    _same("parameter-default-changed", "python", P, "an argument's default changed"),
    _same("return-type-changed", "python", P, "a method returns another type"),
    _rule("field-removed", "python", B, B, "a model field is gone"),
    _rule("field-added-required", "python", B, P, "a new required model field (only fakes build response models)"),
    _rule("field-added", "python", N, N, "a new optional model field"),
    _rule("field-became-required", "python", B, P, "a model field lost its default"),
    _rule("field-became-optional", "python", N, B, "a model field may now be None (missing in responses)"),
    _rule("field-got-default", "python", N, N, "a required model field got a default of the same type"),
    _rule("field-type-changed", "python", B, B, "a model field's type changed"),
    _rule("field-alias-changed", "python", P, P, "a model field's wire name (alias) changed; the Python name did not"),
    _rule("field-default-changed", "python", P, N, "a model field's default changed"),
    _rule("field-constraint-changed", "python", P, N, "a model field's validation constraints changed"),
    _same("literal-value-removed", "python", B, "a Literal type alias lost a value (e.g. an environment name)"),
    _same("literal-value-added", "python", N, "a Literal type alias gained a value"),
    _same("attribute-removed", "python", B, "a public constant or attribute is gone"),
    _same("attribute-added", "python", N, "a new public constant or attribute"),
    _same("attribute-value-changed", "python", P, "a public constant's value changed (e.g. a server URL)"),
    _same("attribute-type-changed", "python", P, "a public attribute's annotation changed"),
    _same("export-removed", "python", B, "a name left the package's __all__"),
    _same("export-added", "python", N, "a new name in the package's __all__"),
    _same("base-class-changed", "python", P, "a class has other base classes"),
    _same("python-api-changed", "python", P, "any other difference in the public API (reported, never dropped)"),
)
# fmt: on

RULES: dict[str, dict[str, Rule]] = {
    "wire": {rule.kind: rule for rule in _WIRE},
    "python": {rule.kind: rule for rule in _PYTHON},
}


def rule(level: str, kind: str) -> Rule:
    """The rule for ``kind``; a KeyError is a bug (every emitted kind must be in the table)."""
    return RULES[level][kind]
