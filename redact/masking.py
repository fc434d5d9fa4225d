"""Turn masked findings into replacements and the masked text, following a profile."""

from __future__ import annotations

import re
from collections.abc import Sequence

from redact.findings import Finding, Replacement
from redact.rules import LabelMask, Profile

DIGIT = re.compile(r"[0-9０-９]")


def placeholder_for(finding: Finding, mask: LabelMask) -> str:
    """The text that replaces one finding under a label's masking style."""
    if mask.style == "fixed":
        return mask.placeholder
    if mask.style == "per_char":
        return mask.placeholder * len(finding.text)
    return DIGIT.sub(mask.placeholder, finding.text)


def replacements(findings: Sequence[Finding], profile: Profile) -> list[Replacement]:
    """One replacement per finding; TERM findings carry their own replacement text."""
    edits = []
    for finding in findings:
        if finding.label == "TERM":
            new = finding.replacement or ""
        else:
            new = placeholder_for(finding, profile.labels[finding.label])
        edits.append(Replacement(finding.start, finding.end, new, finding))
    return edits


def apply(text: str, edits: Sequence[Replacement]) -> str:
    """`text` with every (non-overlapping) replacement applied."""
    parts = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts.append(text[cursor:edit.start])
        parts.append(edit.new)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)
