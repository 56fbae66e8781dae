"""One reported difference between two builds, shared by the wire and the Python-API diffs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

BREAKING = "breaking"
POTENTIALLY_BREAKING = "potentially-breaking"
NON_BREAKING = "non-breaking"
SEVERITIES = (BREAKING, POTENTIALLY_BREAKING, NON_BREAKING)
RANK = {severity: index for index, severity in enumerate(SEVERITIES)}
LEVELS = ("wire", "python")
REQUEST, RESPONSE = "request", "response"


def worst(severities: Iterable[str]) -> str:
    """The most severe of ``severities``; non-breaking if there are none."""
    return min(severities, key=RANK.__getitem__, default=NON_BREAKING)


def at_or_above(severity: str, threshold: str) -> bool:
    """True when ``severity`` is as bad as ``threshold`` or worse."""
    return RANK[severity] <= RANK[threshold]


@dataclass(frozen=True, slots=True)
class Change:
    """One fact about the new build and what it means for a client.

    ``kind`` names the rule in ``rules.RULES`` that classified it. ``subject`` is what changed (an
    operation, a schema, a Python name), ``location`` where inside it. One fact is one Change: a
    shared schema's change lists every affected operation in ``operations`` instead of repeating.
    """

    level: str  # "wire" (HTTP contract) or "python" (generated package)
    kind: str
    severity: str
    subject: str
    location: str
    message: str
    before: str = ""
    after: str = ""
    operations: tuple[str, ...] = ()  # "GET /path" labels the change reaches, sorted
    directions: tuple[str, ...] = ()  # "request"/"response": where the change is met
    pointer: str = ""  # JSON pointer in the spec of ``pointer_side`` (wire changes)
    pointer_side: str = ""  # "old" or "new"
    call_before: str = ""  # Python: how code used it under the old build
    call_after: str = ""  # Python: what that code must become ("" when it has no replacement)
    source_only: bool = False  # a Python break with no wire break behind it (e.g. a rename)
    accepted: str = ""  # the allow-list's reason, when accepted
    extra: tuple[str, ...] = field(default=())  # further details (twins folded into this row)

    @property
    def fingerprint(self) -> str:
        """sha256 of the identity only: level, kind, where, before/after; never prose or examples."""
        identity = [self.level, self.kind, self.subject, self.location, self.before, self.after]
        canonical = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def where(self) -> str:
        """``schema Address.email``, ``GET /orders query parameter limit``."""
        joint = "" if self.location.startswith((".", "[", "{", "<")) else " "
        return f"{self.subject}{joint}{self.location}".strip()

    def sort_key(self) -> tuple[object, ...]:
        return (
            LEVELS.index(self.level),
            RANK[self.severity],
            self.subject,
            self.location,
            self.kind,
            self.before,
            self.after,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "kind": self.kind,
            "severity": self.severity,
            "subject": self.subject,
            "location": self.location,
            "message": self.message,
            "before": self.before,
            "after": self.after,
            "operations": list(self.operations),
            "directions": list(self.directions),
            "pointer": self.pointer,
            "pointer_side": self.pointer_side,
            "call_before": self.call_before,
            "call_after": self.call_after,
            "source_only": self.source_only,
            "accepted": self.accepted,
            "fingerprint": self.fingerprint,
        }
