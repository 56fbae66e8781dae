"""Machine formats of a diff Report: JSON, GitHub workflow annotations, JUnit XML.

JUnit rather than SARIF: the gate is a verdict per change, which is what a JUnit test case is, and
GitLab, Jenkins and Azure DevOps render JUnit natively. SARIF results need a source line to be
shown at all (GitHub code scanning drops results without a physical location), and a spec change
often has none (a removed operation); the ``github`` format covers line annotations on GitHub.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import yaml

from .changes import LEVELS, NON_BREAKING, Change
from .gate import Acceptance, Gate
from .specs import Report, SideInfo

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_LINE_MAP_BYTES = 4 * 1024 * 1024  # line numbers for annotations only below this spec size


def to_json(report: Report, gate: Gate, stale: list[Acceptance]) -> str:
    """Stable JSON: sorted keys, changes in report order, a fingerprint per change."""
    failing = [c for c in report.changes if gate.fails(c)]
    document = {
        "old": _side(report.old),
        "new": _side(report.new),
        "gate": {
            "fail_on": dict(gate.thresholds),
            "failing": len(failing),
            "passed": not failing,
        },
        "summary": {level: report.counts(level) for level in LEVELS},
        "changes": [c.as_json() for c in report.changes],
        "stale_accepted": [{"fingerprint": a.fingerprint, "reason": a.reason} for a in stale],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _side(side: SideInfo) -> dict[str, str]:
    return {
        "label": side.label,
        "sha256": side.sha256,
        "version": side.version,
        "build": side.build,
    }


# --- GitHub workflow commands -------------------------------------------------------------------


def to_github(
    report: Report, gate: Gate, files: Mapping[str, Path | None], raw: Mapping[str, bytes]
) -> str:
    """``::error``/``::warning``/``::notice`` lines, then a one-line summary.

    ``files`` names the spec file of each side ("old"/"new") as the repository knows it, ``raw`` its
    bytes; a change located in the old spec only is annotated at its nearest parent in the new one.
    """
    lines_of = {side: _line_map(raw.get(side, b"")) for side in ("old", "new")}
    out = []
    for change in report.changes:
        if change.severity == NON_BREAKING and not change.accepted:
            continue
        command = "error" if gate.fails(change) else "notice" if change.accepted else "warning"
        properties = {"title": f"{change.severity} ({change.level}): {change.kind}"}
        file, line = _location(change, files, lines_of)
        if file:
            properties["file"] = file
        if line:
            properties["line"] = str(line)
        message = change.message + (f" [{change.where}]" if change.where else "")
        if change.operations:
            message += (
                f" — {len(change.operations)} operation(s): {', '.join(change.operations[:5])}"
            )
        if change.call_before:
            message += f"\n{change.call_before} -> {change.call_after or '(no replacement)'}"
        if change.accepted:
            message += f"\naccepted: {change.accepted}"
        props = ",".join(f"{k}={_escape_property(v)}" for k, v in properties.items())
        out.append(f"::{command} {props}::{_escape_data(message)}")
    failing = sum(1 for c in report.changes if gate.fails(c))
    out.append(
        f"norce-codegen diff: {report.tally()}; gate {gate.describe()}: "
        + ("fails" if failing else "passes")
    )
    return "\n".join(out) + "\n"


def _location(
    change: Change, files: Mapping[str, Path | None], lines_of: Mapping[str, dict[str, int]]
) -> tuple[str, int]:
    if change.level != "wire" or not change.pointer:
        return "", 0
    side = change.pointer_side or "new"
    pointer = change.pointer
    if side == "old":  # point at what is left of it in the new spec
        side, lines = "new", lines_of["new"]
        while pointer not in lines and "/" in pointer[2:]:
            pointer = pointer.rsplit("/", 1)[0]
    file = files.get(side)
    return (file.as_posix() if file else ""), lines_of[side].get(pointer, 0)


def _line_map(raw: bytes) -> dict[str, int]:
    """JSON pointer -> 1-based line of every mapping key and sequence item (YAML or JSON)."""
    if not raw or len(raw) > MAX_LINE_MAP_BYTES:
        return {}
    try:
        root = yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return {}
    found: dict[str, int] = {"#": 1}
    stack: list[tuple[str, object, int]] = [("#", root, 0)]
    while stack:
        pointer, node, depth = stack.pop()
        if depth > 200:
            continue
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = f"{pointer}/{str(key.value).replace('~', '~0').replace('/', '~1')}"
                found.setdefault(here, key.start_mark.line + 1)
                stack.append((here, value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                here = f"{pointer}/{index}"
                found.setdefault(here, value.start_mark.line + 1)
                stack.append((here, value, depth + 1))
    return found


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# --- JUnit XML ----------------------------------------------------------------------------------


def to_junit(report: Report, gate: Gate) -> str:
    """One test suite per level, one test case per change: failing changes fail, accepted skip."""
    root = ET.Element("testsuites", name="norce-codegen diff")
    total = failures = skipped = 0
    for level in LEVELS:
        changes = report.by_level(level)
        suite = ET.SubElement(
            root, "testsuite", name=f"{level} changes {report.old.label} -> {report.new.label}"
        )
        level_failures = level_skipped = 0
        for change in changes:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{level}.{change.severity}.{change.kind}",
                name=change.where or change.kind,
            )
            details = _details(change)
            if gate.fails(change):
                level_failures += 1
                failure = ET.SubElement(
                    case, "failure", message=change.message, type=change.severity
                )
                failure.text = details
            elif change.accepted:
                level_skipped += 1
                ET.SubElement(case, "skipped", message=f"accepted: {change.accepted}")
            else:
                ET.SubElement(case, "system-out").text = details
        suite.set("tests", str(len(changes)))
        suite.set("failures", str(level_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(level_skipped))
        total, failures, skipped = (
            total + len(changes),
            failures + level_failures,
            skipped + level_skipped,
        )
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    for element in root.iter():
        element.attrib = {k: _xml_text(v) for k, v in element.attrib.items()}
        if element.text:
            element.text = _xml_text(element.text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _details(change: Change) -> str:
    lines = [
        f"severity: {change.severity}",
        f"where: {change.where}",
        f"before: {change.before}",
        f"after: {change.after}",
        f"fingerprint: {change.fingerprint}",
    ]
    if change.operations:
        lines.append(f"operations: {', '.join(change.operations)}")
    if change.call_before:
        lines.append(f"old call: {change.call_before}")
        lines.append(f"new call: {change.call_after or '(no replacement)'}")
    return "\n".join(lines)


def _xml_text(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped: drop them."""
    return _XML_INVALID.sub("", text)
