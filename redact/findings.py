"""The values that flow through the pipeline: findings, decisions and replacements."""

from __future__ import annotations

from dataclasses import dataclass, replace

LABELS = ("PLACE", "PERSON", "ORG", "FIGURE", "CONTACT", "SECRET", "TERM")
# The origin of a finding masked because another file of the batch masked the same text.
BATCH_ORIGIN = "batch"


@dataclass(frozen=True)
class Finding:
    """A span of the document text that a rule proposes to mask.

    The span covers only the part to replace: for `沙溪镇` it is `沙溪`, the generic
    suffix `镇` stays outside. `figure_class` is set for FIGURE findings (money, year …),
    `replacement` for TERM findings whose rule fixes the replacement text, `evidence` for
    gazetteer findings: the full paths of every division the surface string may name. `kept`
    says why the rule recognises the span but never masks it (a body named by its function
    alone, 市委, names no one).
    """

    start: int
    end: int
    text: str
    label: str
    rule_id: str
    recognizer: str
    score: float
    reason: str
    figure_class: str | None = None
    replacement: str | None = None
    origin: str = "rule"
    evidence: tuple[str, ...] = ()
    kept: str | None = None

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end

    def moved(self, start: int, origin: str, reason: str) -> Finding:
        """The same entity found again at another offset (document-wide propagation)."""
        return replace(self, start=start, end=start + self.length, origin=origin, reason=reason)


@dataclass(frozen=True)
class NearMiss:
    """A candidate that was not masked, and why. `kept`: a policy keeps it although it was
    recognised (the allow-list, or a rule that recognises what it never masks), so there is
    nothing for a reviewer to decide; otherwise it is what a reviewer should look at."""

    finding: Finding
    why: str
    kept: bool = False


@dataclass(frozen=True)
class Replacement:
    """One edit of the document text: `text[start:end]` becomes `new`."""

    start: int
    end: int
    new: str
    finding: Finding
