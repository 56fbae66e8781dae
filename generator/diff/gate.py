"""The CI gate: ``--fail-on`` per level and the ``--accept`` allow-list.

``--fail-on breaking`` gates both levels; ``--fail-on wire:breaking,python:potentially-breaking``
sets each level on its own (a level left out is reported but never fails the run).

An allow-list names accepted changes by fingerprint, each with a reason::

    # diff-accepted.yaml
    accept:
      - fingerprint: 3f2a9c0b1d4e   # the full sha256, or a unique prefix of 12+ hex digits
        reason: Norce retired the hook DELETE on purpose (NCO-1234)

Accepted changes stay in every report, marked with their reason, but do not fail the gate. An
entry that matches nothing is reported as stale, so the list does not silently rot.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .changes import LEVELS, SEVERITIES, Change, at_or_above

MAX_ACCEPT_BYTES = 1024 * 1024
_HEX = re.compile(r"[0-9a-f]{12,64}")


class GateError(ValueError):
    """A ``--fail-on`` or ``--accept`` argument that cannot be used (exit 2)."""


@dataclass(frozen=True, slots=True)
class Gate:
    """Severity threshold per level; a level without one never fails."""

    thresholds: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Gate:
        if not text:
            return cls()
        if text in SEVERITIES:
            return cls(tuple((level, text) for level in LEVELS))
        pairs: dict[str, str] = {}
        for part in text.split(","):
            level, colon, severity = part.strip().partition(":")
            if not colon or level not in LEVELS or severity not in SEVERITIES or level in pairs:
                raise GateError(
                    f"--fail-on {text!r}: expected a severity ({', '.join(SEVERITIES)}) or "
                    "LEVEL:SEVERITY pairs, e.g. wire:breaking,python:potentially-breaking"
                )
            pairs[level] = severity
        return cls(tuple(sorted(pairs.items())))

    def fails(self, change: Change) -> bool:
        threshold = dict(self.thresholds).get(change.level)
        return (
            threshold is not None
            and not change.accepted
            and at_or_above(change.severity, threshold)
        )

    def describe(self) -> str:
        return (
            ", ".join(f"{level} at {severity} or worse" for level, severity in self.thresholds)
            or "off"
        )


@dataclass(frozen=True, slots=True)
class Acceptance:
    fingerprint: str
    reason: str


def load_accepted(path: Path) -> list[Acceptance]:
    """Read an allow-list; GateError with the file and entry for anything malformed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GateError(f"--accept {path}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_ACCEPT_BYTES:
        raise GateError(f"--accept {path}: larger than {MAX_ACCEPT_BYTES} bytes")
    try:
        document = yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GateError(
            f"--accept {path}: not YAML or JSON ("
            + " ".join(str(exc).replace('"<unicode string>"', f'"{path}"').split())[:300]
            + ")"
        ) from None
    if (
        not isinstance(document, dict)
        or set(document) != {"accept"}
        or not isinstance(document["accept"], list)
    ):
        raise GateError(
            f"--accept {path}: expected a mapping with one key, 'accept', holding a list"
        )
    found: list[Acceptance] = []
    for index, entry in enumerate(document["accept"]):
        where = f"--accept {path}: entry {index + 1}"
        if not isinstance(entry, dict) or set(entry) != {"fingerprint", "reason"}:
            raise GateError(f"{where}: expected exactly 'fingerprint' and 'reason'")
        fingerprint, reason = (
            str(entry["fingerprint"]).strip().lower(),
            str(entry["reason"] or "").strip(),
        )
        if not _HEX.fullmatch(fingerprint):
            raise GateError(
                f"{where}: fingerprint must be 12 to 64 hex digits, got {fingerprint[:80]!r}"
            )
        if not reason:
            raise GateError(f"{where}: every accepted change needs a reason")
        if any(a.fingerprint == fingerprint for a in found):
            raise GateError(f"{where}: fingerprint {fingerprint} is listed twice")
        found.append(Acceptance(fingerprint, " ".join(reason.split())))
    return found


def apply_accepted(
    changes: tuple[Change, ...], accepted: list[Acceptance]
) -> tuple[tuple[Change, ...], list[Acceptance]]:
    """Changes with ``accepted`` reasons filled in, and the entries that matched nothing."""
    used: set[str] = set()
    marked = []
    for change in changes:
        matches = [a for a in accepted if change.fingerprint.startswith(a.fingerprint)]
        if len(matches) == 1:
            used.add(matches[0].fingerprint)
            change = dataclasses.replace(change, accepted=matches[0].reason)
        marked.append(change)
    for entry in accepted:  # a prefix matching two changes would accept more than was reviewed
        hits = [c for c in changes if c.fingerprint.startswith(entry.fingerprint)]
        if len(hits) > 1:
            raise GateError(
                f"--accept: fingerprint prefix {entry.fingerprint} matches {len(hits)} changes; use more digits"
            )
    return tuple(marked), [a for a in accepted if a.fingerprint not in used]
