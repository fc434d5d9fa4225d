"""Runs over many files: mask each (in worker processes), keep the batch consistent, report.

Phase 1 masks every input and writes its output, in `jobs` worker processes that each load the
model once (or in this process for one job). The entities masked in any file (places,
organisations and people of two or more characters) then form the batch's entity set; a file
where one of them still occurs unmasked is masked again with those entities added (phase 2,
origin `batch`) and rewritten. Results do not depend on the number of jobs or on completion order.

Every run records its outputs in `OUTDIR/.redact-manifest.json`; with `resume`, an input whose
output is up to date (same input bytes, rules, profile, version and borrowed batch entities, and
the output unchanged) is skipped and its previous report entry reused (`"resumed": true`).
A file that fails is reported and never stops the others.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact.common_words import is_ordinary_word_entity
from redact.documents import Document, format_for, write_atomically
from redact.errors import InputError, UsageError
from redact.findings import BATCH_ORIGIN, Finding
from redact.inputs import Job, check_output_dir, collect_jobs
from redact.manifest import Manifest, entities_digest, settings_fingerprint, sha256_file
from redact.progress import BatchProgress, NullProgress
from redact.resolve import MIN_PROPAGATED_LENGTH
from redact.rules import RuleSet, decisions_file, load_rules

if TYPE_CHECKING:
    from redact.pipeline import Redactor
    from redact.report.json_report import Failure

# What is shared across the files of a batch: the labels `resolve.propagate` carries within one
# document, except contacts and secrets (a phone number masked in one file is found by its pattern
# in every other anyway).
BATCH_LABELS = frozenset({"PLACE", "ORG", "PERSON"})
MIN_BATCH_LENGTH = MIN_PROPAGATED_LENGTH
# Worker processes start with "spawn": nothing of the parent (threads, locks, the progress bar)
# leaks into them, and the code behaves the same on every platform.
MP_CONTEXT = "spawn"
LANE_DEPTH = 2  # tasks queued per worker: one running, one ready to start


@dataclass(frozen=True)
class Summary:
    """What a run did, for the closing line and the exit status."""

    documents: int
    failures: tuple[Failure, ...]
    masked_count: int
    report: Path | None
    skipped: int = 0
    chars: int = 0
    seconds: float = 0.0
    batch_mentions: int = 0

    @property
    def failed(self) -> int:
        return len(self.failures)

    def describe(self) -> str:
        where = f"; report: {self.report}" if self.report else ""
        skipped = f", {self.skipped} up to date (skipped)" if self.skipped else ""
        batch = f" ({self.batch_mentions} for batch consistency)" if self.batch_mentions else ""
        rate = f" in {self.seconds:.1f} s" if self.seconds > 0 else ""
        if self.chars and self.seconds > 0:
            rate += f" ({self.chars / self.seconds:,.0f} chars/s)"
        return (f"redact: {self.documents} document(s) masked{skipped}, {self.masked_count} span(s){batch}, "
                f"{self.failed} failed{rate}{where}")


def build_redactor(rules_dir: Path | None, profile: str, decisions: Path | None = None) -> Redactor:
    """Load rules and the segmentation pipeline (with the rule lexicons as user words).

    Start-up allocates millions of objects that live as long as the process (modules, rule
    tables, lexicons); the garbage collector is paused meanwhile and they are then frozen out of
    every later collection (`gc.freeze`), which would otherwise scan them again and again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        from redact.nlp import load_nlp
        from redact.pipeline import Redactor

        ruleset = load_rules(rules_dir, decisions=decisions_file(rules_dir, decisions))
        redactor = Redactor(ruleset, profile, load_nlp(user_words=segmentation_words(ruleset)))
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return redactor


# One short text that touches every start-up cache: gazetteer, villages of a county, dictionary,
# pkuseg tables, person and organisation rules.
WARM_UP_TEXT = "新昌县沙溪镇2023年工作总结：获县委温书记批示，恒达科技公司投资62.54亿元。"


def prepare_caches(rules_dir: Path | None = None, profile: str = "upper") -> None:
    """Derive the start-up caches (redact/cache.py) by masking one short text, so that the
    first real run starts as fast as any other."""
    build_redactor(rules_dir, profile).redact(Document(source=Path("<setup>"), text=WARM_UP_TEXT, format="text"))


def segmentation_words(ruleset: RuleSet) -> tuple[str, ...]:
    """Lexicon words that pkuseg should keep whole (so boundary checks see them as tokens)."""
    from redact.recognizers.lexicon import lexicon_words

    return tuple(sorted(lexicon_words(ruleset.rules)))


def read_all(jobs: list[Job]) -> tuple[list[tuple[Job, Document]], list[Failure]]:
    from redact.report.json_report import Failure

    documents, failures = [], []
    for job in jobs:
        try:
            documents.append((job, format_for(job.source).read(job.source)))
        except InputError as exc:
            failures.append(Failure(job.source, exc.reason))
    return documents, failures


# ---------------------------------------------------------------------------------------- workers
# Module-level state and functions, so that worker processes (spawned) can reach them by name.

_redactor: Redactor | None = None
_redactor_error: str | None = None
_redactor_args: tuple | None = None


def start_worker(rules_dir: Path | None, profile: str, decisions: Path | None) -> None:
    """Worker initializer: build the Redactor (load the model) once per process."""
    global _redactor, _redactor_error, _redactor_args
    if _redactor_args == (rules_dir, profile, decisions):
        return
    _redactor, _redactor_error, _redactor_args = None, None, (rules_dir, profile, decisions)
    try:
        _redactor = build_redactor(rules_dir, profile, decisions)
    except Exception as exc:  # reported with every file rather than breaking the pool
        _redactor_error = f"cannot start: {exc}"


@dataclass(frozen=True)
class Outcome:
    """The result of masking one file, sent back from a worker."""

    index: int
    entry: dict[str, Any] | None = None
    error: str | None = None
    text: str = ""
    masked_text: str = ""
    entities: tuple[Finding, ...] = ()
    output_sha256: str = ""


def mask_file(index: int, job: Job, outdir: Path, batch: tuple[Finding, ...] = ()) -> Outcome:
    """Read, mask (with the batch entities given) and write one file; errors become the outcome."""
    from redact.report.json_report import document_entry

    if _redactor is None:
        return Outcome(index, error=_redactor_error or "no redactor in this process")
    destination = outdir / job.relative
    try:
        fmt = format_for(job.source)
        document = fmt.read(job.source)
        redaction = _redactor.redact(document, {f.text: f for f in batch} or None)
        try:
            fmt.write(document, redaction.edits, destination)
        except OSError as exc:
            raise InputError(job.source, f"cannot write {destination}: {exc.strerror or exc}") from None
        entry = document_entry(redaction, destination)
    except InputError as exc:
        return Outcome(index, error=exc.reason)
    except Exception as exc:  # a bug or a resource problem in one file must not stop the others
        return Outcome(index, error=f"unexpected error: {type(exc).__name__}: {exc}")
    return Outcome(index, entry, None, document.text, redaction.masked_text, own_entities(redaction.masked),
                   sha256_file(destination) or "")


def own_entities(masked: Iterable[Finding]) -> tuple[Finding, ...]:
    """The entities a document contributes to the batch: first mention of each masked surface,
    except a surface spelled like a frequent ordinary word (民生 of 民生科技), which would be
    masked nowhere else and would only send other files to phase 2."""
    entities: dict[str, Finding] = {}
    for finding in masked:
        if finding.label in BATCH_LABELS and finding.length >= MIN_BATCH_LENGTH and finding.origin != BATCH_ORIGIN \
                and not is_ordinary_word_entity(finding.text, finding.label):
            entities.setdefault(finding.text, finding)
    return tuple(entities.values())


Task = tuple[int, Job, tuple[Finding, ...]]


class Workers:
    """Runs `mask_file` tasks: in this process for one job, else in `jobs` worker processes.

    Each worker is a one-process pool ("lane") fed at most two tasks at a time, largest files
    first, so the lanes stay balanced. A file masked again for batch consistency goes back to
    the lane that masked it first, whose memory still holds its analysis (redact/pipeline.py
    `_first_candidates`, redact/fastseg.py chunk memo); an idle lane takes other work first.
    The model is loaded lazily, so a run where every file is up to date loads nothing. A lane
    that dies (killed, out of memory) takes down only the files it held; those are masked again
    one at a time, each in a fresh worker, so that only the file that kills a worker fails.
    """

    def __init__(self, jobs: int, rules_dir: Path | None, profile: str, decisions: Path | None) -> None:
        self.jobs = max(1, jobs)
        self.init_args = (rules_dir, profile, decisions)
        self._lanes: list[ProcessPoolExecutor | None] = []
        self.lane_of: dict[int, int] = {}  # file index → the lane that masked it last

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for executor in self._lanes:
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        self._lanes = []

    def run(self, tasks: list[Task], outdir: Path, done: Callable[[Outcome], None]) -> dict[int, Outcome]:
        if not tasks:
            return {}
        if self.jobs == 1 or (len(tasks) == 1 and not self._lanes):
            return self._run_here(tasks, outdir, done)
        return self._run_in_lanes(tasks, outdir, done)

    def _run_here(self, tasks: list[Task], outdir: Path, done: Callable[[Outcome], None]) -> dict[int, Outcome]:
        start_worker(*self.init_args)  # once per process and settings
        outcomes = {}
        for index, job, batch in tasks:
            outcome = mask_file(index, job, outdir, batch)
            outcomes[index] = outcome
            done(outcome)
        return outcomes

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(MP_CONTEXT),
                                   initializer=start_worker, initargs=self.init_args)

    def _lane(self, lane: int) -> ProcessPoolExecutor:
        while len(self._lanes) <= lane:
            self._lanes.append(None)
        executor = self._lanes[lane]
        if executor is None:
            executor = self._lanes[lane] = self._pool()
        return executor

    def _run_in_lanes(self, tasks: list[Task], outdir: Path, done: Callable[[Outcome], None]) -> dict[int, Outcome]:
        lanes = max(min(self.jobs, len(tasks)), len(self._lanes))
        own: list[deque[Task]] = [deque() for _ in range(lanes)]
        shared: deque[Task] = deque()
        for task in tasks:
            lane = self.lane_of.get(task[0])
            (own[lane] if lane is not None and lane < lanes else shared).append(task)
        in_flight: dict[Future[Outcome], tuple[Task, int, ProcessPoolExecutor]] = {}
        load = [0] * lanes
        outcomes: dict[int, Outcome] = {}
        isolate: list[Task] = []
        breaks = 0

        def next_task(lane: int) -> Task | None:
            if own[lane]:
                return own[lane].popleft()
            if shared:
                return shared.popleft()
            busiest = max(own, key=len)  # steal the smallest file of the busiest lane
            return busiest.pop() if busiest else None

        def feed(lane: int) -> None:
            while load[lane] < LANE_DEPTH:
                task = next_task(lane)
                if task is None:
                    return
                executor = self._lane(lane)
                future = executor.submit(mask_file, task[0], task[1], outdir, task[2])
                in_flight[future] = (task, lane, executor)
                load[lane] += 1

        for lane in range(lanes):
            feed(lane)
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                task, lane, executor = in_flight.pop(future)
                load[lane] -= 1
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    if self._lanes[lane] is executor:
                        executor.shutdown(wait=False, cancel_futures=True)
                        self._lanes[lane] = None
                        breaks += 1
                    isolate.append(task)
                    if breaks <= self.jobs:  # a fresh worker takes over the lane
                        feed(lane)
                    continue
                except Exception as exc:  # e.g. a result that cannot be sent back
                    outcome = Outcome(task[0], error=f"unexpected error: {type(exc).__name__}: {exc}")
                self.lane_of[task[0]] = lane
                outcomes[task[0]] = outcome
                done(outcome)
                feed(lane)
        # Files held by a worker that died, and (after too many deaths) files never started.
        isolate += [*shared, *(task for queue in own for task in queue)]
        for task in sorted(isolate, key=lambda t: t[0]):
            outcomes[task[0]] = outcome = self._run_isolated(task, outdir)
            done(outcome)
        return outcomes

    def _run_isolated(self, task: Task, outdir: Path) -> Outcome:
        """One task alone in a fresh worker, so that a crash names the file that caused it."""
        executor = self._pool()
        try:
            return executor.submit(mask_file, task[0], task[1], outdir, task[2]).result()
        except BrokenProcessPool:
            return Outcome(task[0], error="the worker process died while masking this file (out of memory?)")
        finally:
            executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------------------- batch entities

def batch_entity_set(contributions: Iterable[tuple[str, tuple[Finding, ...]]]) -> dict[str, Finding]:
    """Surface → the finding that confirms it, from (source, entities) in source order: the first
    file that masks a surface provides it, as a finding of origin `batch` naming that file."""
    entities: dict[str, Finding] = {}
    for source, findings in contributions:
        for finding in findings:
            if finding.text not in entities:
                entities[finding.text] = replace(finding, origin=BATCH_ORIGIN,
                                                 reason=f"masked in another file of the batch: {source}")
    return entities


class EntityIndex:
    """Finds which batch entities occur unmasked in a document (one Aho-Corasick pass)."""

    def __init__(self, entities: Mapping[str, Finding]) -> None:
        import ahocorasick

        self.entities = entities
        self.automaton = ahocorasick.Automaton()
        for surface in entities:
            self.automaton.add_word(surface, surface)
        if entities:
            self.automaton.make_automaton()

    def applicable(self, text: str, own: Iterable[str], masked: Iterable[tuple[int, int]]) -> tuple[Finding, ...]:
        """Entities of other files with at least one mention here outside every masked span."""
        if not self.entities:
            return ()
        own = set(own)
        masked = list(masked)
        found: set[str] = set()
        for end_index, surface in self.automaton.iter(text):
            if surface in own or surface in found:
                continue
            start, end = end_index - len(surface) + 1, end_index + 1
            if not any(start < m_end and m_start < end for m_start, m_end in masked):
                found.add(surface)
        return tuple(self.entities[s] for s in sorted(found))


def masked_spans(entry: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    return tuple((f["start"], f["end"]) for f in entry.get("findings", []))


def masked_from_entry(text: str, entry: Mapping[str, Any]) -> str:
    """The masked text of a document from its original text and its report entry."""
    parts, cursor = [], 0
    for f in sorted(entry.get("findings", []), key=lambda f: f["start"]):
        parts += [text[cursor:f["start"]], f["replacement"]]
        cursor = f["end"]
    parts.append(text[cursor:])
    return "".join(parts)


# ----------------------------------------------------------------------------------------- the run

@dataclass(eq=False)
class _File:
    """Everything the run knows about one input."""

    index: int
    job: Job
    size: int
    input_sha256: str | None
    outcome: Outcome | None = None
    first_entities: tuple[Finding, ...] = ()  # what it contributes to the batch (its own entities)
    first_spans: tuple[tuple[int, int], ...] = ()  # what its first pass masked
    batch: tuple[Finding, ...] = ()  # what it borrows from the batch
    resumed: bool = False
    document: Document | None = None  # read for an up-to-date file only

    @property
    def relative(self) -> str:
        return self.job.relative.as_posix()


def run_batch(paths: list[Path], outdir: Path, profile: str, rules_dir: Path | None, report_name: str,
              progress: BatchProgress | None = None, decisions: Path | None = None, jobs: int = 1,
              resume: bool = False) -> Summary:
    """Mask every input into `outdir`; failing files are reported and skipped, never half-written.

    Usage, rule and model errors are raised before anything is written.
    """
    started = time.perf_counter()
    progress = progress or NullProgress()
    all_jobs = collect_jobs(paths)
    check_output_dir(outdir, paths, all_jobs)
    ruleset = load_rules(rules_dir, decisions=decisions_file(rules_dir, decisions))
    if profile not in ruleset.profiles:
        raise UsageError(f"unknown profile {profile!r}; available: {', '.join(sorted(ruleset.profiles))}")
    from redact.model import find_model

    find_model()  # a missing model stops the run here, not in every worker
    settings = settings_fingerprint(ruleset, profile)
    manifest = Manifest.load(outdir)
    files = [_File(i, job, _size(job.source), sha256_file(job.source)) for i, job in enumerate(all_jobs)]
    candidates = [f for f in files if resume and manifest.up_to_date(
        f.relative, f.input_sha256, settings, outdir / f.job.relative)]
    up_to_date = {f.index for f in candidates}
    todo = [f for f in files if f.index not in up_to_date]

    def done(outcome: Outcome) -> None:
        item = files[outcome.index]
        progress.advance(item.relative, len(outcome.text), item.size)

    with Workers(jobs if jobs > 0 else os.cpu_count() or 1, rules_dir, profile, decisions) as workers:
        # Phase 1: every input that is not up to date, largest first (balances the workers).
        progress.phase("masking", len(todo), sum(f.size for f in todo))
        for index, outcome in workers.run(_tasks(todo), outdir, done).items():
            files[index].outcome = outcome
            files[index].first_entities = outcome.entities
            files[index].first_spans = masked_spans(outcome.entry or {})
        # The batch's entities, in source order, from this run and from the up-to-date files.
        for item in candidates:
            item.first_entities = manifest.entities(item.relative)
            item.first_spans = manifest.first_spans(item.relative)
        contributing = sorted((f for f in files if f.index in up_to_date or (f.outcome and f.outcome.entry)),
                              key=lambda f: str(f.job.source))
        entity_index = EntityIndex(batch_entity_set((str(f.job.source), f.first_entities) for f in contributing))
        # Phase 2: files where an entity of another file occurs unmasked; up-to-date files whose
        # borrowed entities changed.
        second: list[_File] = []
        for item in todo:
            if item.outcome and item.outcome.entry:
                item.batch = entity_index.applicable(item.outcome.text, (e.text for e in item.first_entities),
                                                     item.first_spans)
                if item.batch:
                    second.append(item)
        for item in candidates:
            record = manifest.files[item.relative]
            try:
                item.document = format_for(item.job.source).read(item.job.source)
            except InputError:
                second.append(item)
                continue
            item.batch = entity_index.applicable(item.document.text, (e.text for e in item.first_entities),
                                                 item.first_spans)
            if entities_digest(item.batch) == record.get("batch"):
                item.resumed = True
            else:
                second.append(item)
        if second:
            progress.phase("batch consistency", len(second), sum(f.size for f in second))
            for index, outcome in workers.run(_tasks(second), outdir, done).items():
                files[index].outcome = outcome
    progress.close()
    return _report(files, manifest, settings, ruleset, profile, outdir, report_name, started)


def _report(files: list[_File], manifest: Manifest, settings: str, ruleset: RuleSet, profile: str,
            outdir: Path, report_name: str, started: float) -> Summary:
    """Write the report (JSON and HTML) and the manifest; sum up."""
    from redact.report.html_report import render_html
    from redact.report.json_report import Failure, build_report, failure_entry, write_report

    entries: list[dict[str, Any]] = []
    texts: dict[str, tuple[str, str]] = {}
    failures: list[Failure] = []
    written = skipped = chars = 0
    for item in files:
        destination = outdir / item.job.relative
        if item.resumed:
            assert item.document is not None
            entry = dict(manifest.files[item.relative]["entry"], source=str(item.job.source),
                         output=str(destination), resumed=True)
            texts[entry["source"]] = (item.document.text, masked_from_entry(item.document.text, entry))
            skipped += 1
        elif item.outcome is not None and item.outcome.entry is not None:
            entry = item.outcome.entry
            texts[entry["source"]] = (item.outcome.text, item.outcome.masked_text)
            written += 1
            chars += entry.get("chars", 0)
            if item.input_sha256 is not None:
                manifest.record(item.relative, input_sha256=item.input_sha256, settings=settings,
                                batch=entities_digest(item.batch), output_sha256=item.outcome.output_sha256,
                                entities=item.first_entities, first_spans=item.first_spans, entry=entry)
            else:
                manifest.forget(item.relative)
        else:
            error = item.outcome.error if item.outcome and item.outcome.error else "not processed"
            failures.append(Failure(item.job.source, error))
            entry = failure_entry(failures[-1])
            manifest.forget(item.relative)
        entries.append(entry)
    entries.sort(key=lambda e: e["source"])
    ok = [e for e in entries if e.get("status") == "ok"]
    masked_count = sum(len(e.get("findings", [])) for e in ok)
    batch_mentions = sum(1 for e in ok for f in e.get("findings", []) if f.get("origin") == BATCH_ORIGIN)
    report_path = outdir / f"{report_name}.json"
    report = build_report(entries, profile, ruleset.directory)
    write_report(report, report_path)
    write_atomically(outdir / f"{report_name}.html", render_html(report, texts).encode("utf-8"))
    manifest.save()
    failures.sort(key=lambda f: str(f.source))
    return Summary(written, tuple(failures), masked_count, report_path, skipped=skipped, chars=chars,
                   seconds=time.perf_counter() - started, batch_mentions=batch_mentions)


def _tasks(files: list[_File]) -> list[Task]:
    """Largest files first, which balances the workers; the order never shows in the results."""
    return [(f.index, f.job, f.batch) for f in sorted(files, key=lambda f: (-f.size, f.relative))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def scan_batch(paths: list[Path], profile: str, rules_dir: Path | None,
               decisions: Path | None = None) -> Iterator[str]:
    """Lines of a findings table (file, offsets, label, text → replacement, rule, score)."""
    jobs = collect_jobs(paths)
    redactor = build_redactor(rules_dir, profile, decisions)
    documents, failures = read_all(jobs)
    for failure in failures:
        yield f"redact: error: {failure.source}: {failure.error}"
    yield "\t".join(("file", "start", "end", "label", "text", "replacement", "rule", "score"))
    for job, document in documents:
        for edit in redactor.redact(document).edits:
            f = edit.finding
            yield "\t".join((str(job.source), str(f.start), str(f.end), f.label, f.text, edit.new,
                             f.rule_id, f"{f.score:.2f}"))


def explain_text(text: str, profile: str, rules_dir: Path | None,
                 decisions: Path | None = None) -> Iterator[str]:
    """Every candidate in `text` with its rule, score, reason and the decision taken."""
    redactor = build_redactor(rules_dir, profile, decisions)
    redaction = redactor.redact(Document(source=Path("<text>"), text=text, format="text"))
    masked = {(f.start, f.end, f.rule_id) for f in redaction.masked}
    missed = {(n.finding.start, n.finding.end, n.finding.rule_id): n.why for n in redaction.near_misses}
    yield f"profile: {redaction.profile.id}"
    for f in redaction.candidates:
        key = (f.start, f.end, f.rule_id)
        decision = "MASK" if key in masked else f"keep ({missed[key]})" if key in missed else "ignored by profile"
        yield f"{f.start:>4}-{f.end:<4} {f.label:<7} {f.text:<8} {f.rule_id:<20} {f.score:.2f}  {decision}  — {f.reason}"
    for f in redaction.masked:
        if f.origin in ("propagated", BATCH_ORIGIN):
            yield f"{f.start:>4}-{f.end:<4} {f.label:<7} {f.text:<8} {f.rule_id:<20} {f.score:.2f}  MASK  — {f.reason}"
    yield f"masked: {redaction.masked_text}"
