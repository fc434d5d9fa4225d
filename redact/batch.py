"""Runs over many files: read every input first, mask, write outputs and the report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from redact.documents import Document, format_for, write_atomically
from redact.errors import InputError
from redact.inputs import Job, check_output_dir, collect_jobs
from redact.pipeline import Redactor
from redact.report.html_report import render_html
from redact.report.json_report import Failure, build_report, document_entry, failure_entry, write_report
from redact.rules import RuleSet, load_rules

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Summary:
    """What a run did, for the closing line and the exit status."""

    documents: int
    failures: tuple[Failure, ...]
    masked_count: int
    report: Path | None

    @property
    def failed(self) -> int:
        return len(self.failures)

    def describe(self) -> str:
        where = f"; report: {self.report}" if self.report else ""
        return f"redact: {self.documents} document(s) masked, {self.masked_count} span(s), {self.failed} failed{where}"


def build_redactor(rules_dir: Path | None, profile: str) -> Redactor:
    """Load rules and the segmentation pipeline (with the rule lexicons as user words)."""
    from redact.nlp import load_nlp

    ruleset = load_rules(rules_dir)
    return Redactor(ruleset, profile, load_nlp(user_words=segmentation_words(ruleset)))


def segmentation_words(ruleset: RuleSet) -> tuple[str, ...]:
    """Lexicon words that pkuseg should keep whole (so boundary checks see them as tokens)."""
    from redact.recognizers.lexicon import lexicon_words

    return tuple(sorted(lexicon_words(ruleset.rules)))


def read_all(jobs: list[Job]) -> tuple[list[tuple[Job, Document]], list[Failure]]:
    documents, failures = [], []
    for job in jobs:
        try:
            documents.append((job, format_for(job.source).read(job.source)))
        except InputError as exc:
            failures.append(Failure(job.source, exc.reason))
    return documents, failures


def run_batch(paths: list[Path], outdir: Path, profile: str, rules_dir: Path | None, report_name: str,
              progress: Progress | None = None) -> Summary:
    """Mask every input into `outdir`; failing files are reported and skipped, never half-written."""
    jobs = collect_jobs(paths)
    check_output_dir(outdir, paths, jobs)
    redactor = build_redactor(rules_dir, profile)
    documents, failures = read_all(jobs)
    entries = [failure_entry(f) for f in failures]
    masked_count = 0
    texts: dict[str, tuple[str, str]] = {}
    for done, (job, document) in enumerate(documents, start=1):
        redaction = redactor.redact(document)
        destination = outdir / job.relative
        format_for(job.source).write(document, redaction.edits, destination)
        entries.append(document_entry(redaction, destination))
        texts[str(document.source)] = (document.text, redaction.masked_text)
        masked_count += len(redaction.masked)
        if progress:
            progress(done, len(documents), str(job.relative))
    report_path = None
    if documents:
        report_path = outdir / f"{report_name}.json"
        entries.sort(key=lambda e: e["source"])
        report = build_report(entries, profile, redactor.ruleset.directory)
        write_report(report, report_path)
        write_atomically(outdir / f"{report_name}.html", render_html(report, texts).encode("utf-8"))
    return Summary(len(documents), tuple(failures), masked_count, report_path)


def scan_batch(paths: list[Path], profile: str, rules_dir: Path | None) -> Iterator[str]:
    """Lines of a findings table (file, offsets, label, text → replacement, rule, score)."""
    jobs = collect_jobs(paths)
    redactor = build_redactor(rules_dir, profile)
    documents, failures = read_all(jobs)
    for failure in failures:
        yield f"redact: error: {failure.source}: {failure.error}"
    yield "\t".join(("file", "start", "end", "label", "text", "replacement", "rule", "score"))
    for job, document in documents:
        for edit in redactor.redact(document).edits:
            f = edit.finding
            yield "\t".join((str(job.source), str(f.start), str(f.end), f.label, f.text, edit.new,
                             f.rule_id, f"{f.score:.2f}"))


def explain_text(text: str, profile: str, rules_dir: Path | None) -> Iterator[str]:
    """Every candidate in `text` with its rule, score, reason and the decision taken."""
    redactor = build_redactor(rules_dir, profile)
    redaction = redactor.redact(Document(source=Path("<text>"), text=text, format="text"))
    masked = {(f.start, f.end, f.rule_id) for f in redaction.masked}
    missed = {(n.finding.start, n.finding.end, n.finding.rule_id): n.why for n in redaction.near_misses}
    yield f"profile: {redaction.profile.id}"
    for f in redaction.candidates:
        key = (f.start, f.end, f.rule_id)
        decision = "MASK" if key in masked else f"keep ({missed[key]})" if key in missed else "ignored by profile"
        yield f"{f.start:>4}-{f.end:<4} {f.label:<7} {f.text:<8} {f.rule_id:<20} {f.score:.2f}  {decision}  — {f.reason}"
    for f in redaction.masked:
        if f.origin == "propagated":
            yield f"{f.start:>4}-{f.end:<4} {f.label:<7} {f.text:<8} {f.rule_id:<20} {f.score:.2f}  MASK  — {f.reason}"
    yield f"masked: {redaction.masked_text}"
