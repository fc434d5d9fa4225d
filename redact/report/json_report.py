"""The JSON report: one entry per document, every decision with its rule, score and reason."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact import __version__
from redact.documents import write_atomically
from redact.findings import Finding

if TYPE_CHECKING:  # the report is written in the main process of a batch, which never loads the pipeline
    from redact.locality import Locality
    from redact.pipeline import Redaction

SCHEMA_VERSION = "1.0"
CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Failure:
    """A file that could not be processed, and why."""

    source: Path
    error: str


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """A short excerpt with the span in 【】 and line breaks flattened."""
    snippet = f"{text[max(0, start - width):start]}【{text[start:end]}】{text[end:end + width]}"
    return snippet.replace("\r", " ").replace("\n", " ")


def finding_entry(finding: Finding, text: str) -> dict[str, Any]:
    return {
        "start": finding.start, "end": finding.end, "text": finding.text, "label": finding.label,
        "rule_id": finding.rule_id, "recognizer": finding.recognizer, "score": finding.score,
        "reason": finding.reason, "origin": finding.origin, "figure_class": finding.figure_class,
        "context": context(text, finding.start, finding.end),
    }


def document_entry(redaction: Redaction, output: Path | None) -> dict[str, Any]:
    """The report entry for one masked document."""
    text = redaction.document.text
    findings = []
    shift = 0
    for edit in redaction.edits:
        entry = finding_entry(edit.finding, text)
        out_start = edit.start + shift
        entry.update(replacement=edit.new, out_start=out_start, out_end=out_start + len(edit.new))
        shift += len(edit.new) - (edit.end - edit.start)
        findings.append(entry)
    return {
        "source": str(redaction.document.source),
        "output": str(output) if output else None,
        "status": "ok",
        "format": redaction.document.format,
        "profile": redaction.profile.id,
        "locality": locality_entry(redaction.locality),
        "chars": len(text),
        "counts": dict(sorted(Counter(f.label for f in redaction.masked).items())),
        "findings": findings,
        "near_misses": [dict(finding_entry(n.finding, text), why=n.why, kept=n.kept) for n in redaction.near_misses],
        "residual_risks": [risk.as_dict() for risk in redaction.residual_risks],
    }


def locality_entry(locality: Locality | None) -> dict[str, Any] | None:
    """The inferred home area, which the whole masking protects."""
    if locality is None:
        return None
    return {"path": locality.path, "support": locality.support, "evidence": list(locality.evidence)}


def failure_entry(failure: Failure) -> dict[str, Any]:
    return {"source": str(failure.source), "status": "failed", "error": failure.error}


def build_report(documents: list[dict[str, Any]], profile: str, rules_dir: Path) -> dict[str, Any]:
    """The whole batch: settings, totals and one entry per document (failed ones included)."""
    totals: Counter[str] = Counter()
    for document in documents:
        totals.update(document.get("counts", {}))
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": f"redact {__version__}",
        "profile": profile,
        "rules": str(rules_dir),
        "totals": dict(sorted(totals.items())),
        "documents": documents,
    }


def write_report(report: dict[str, Any], destination: Path) -> None:
    write_atomically(destination, (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
