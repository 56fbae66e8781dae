"""One reported difference between two specs, shared by the wire and the Python-API diffs."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

BREAKING = "breaking"
POTENTIALLY_BREAKING = "potentially-breaking"
NON_BREAKING = "non-breaking"
SEVERITIES = (BREAKING, POTENTIALLY_BREAKING, NON_BREAKING)
RANK = {severity: index for index, severity in enumerate(SEVERITIES)}
LEVELS = ("wire", "python")


@dataclass(frozen=True, slots=True)
class Change:
    """A difference and what it means for a client; ``kind`` is a stable machine name."""

    level: str  # "wire" (HTTP contract) or "python" (generated package)
    severity: str  # one of SEVERITIES
    kind: str  # e.g. "request-property-added-required", "method-renamed"
    operation: str  # "POST /api/v0/..." it belongs to, "" for spec- or package-wide changes
    location: str  # where inside the operation or package, e.g. "request body .customer.email"
    message: str
    before: str = ""
    after: str = ""
    source_only: bool = False  # a Python break with no wire break behind it (e.g. a rename)

    @property
    def fingerprint(self) -> str:
        """sha256 of the identity (not the wording), so CI can allow-list a change across runs."""
        identity = [self.level, self.kind, self.operation, self.location, self.before, self.after]
        canonical = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def sort_key(self) -> tuple[object, ...]:
        return (
            self.operation == "",
            self.operation,
            LEVELS.index(self.level),
            RANK[self.severity],
            self.kind,
            self.location,
            self.before,
            self.after,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "severity": self.severity,
            "kind": self.kind,
            "operation": self.operation,
            "location": self.location,
            "message": self.message,
            "before": self.before,
            "after": self.after,
            "source_only": self.source_only,
            "fingerprint": self.fingerprint,
        }


def at_or_above(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as bad as ``threshold`` or worse."""
    return RANK[severity] <= RANK[threshold]
