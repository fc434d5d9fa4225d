#!/usr/bin/env python3
"""Score redact's PERSON / PLACE / ORG findings on public Chinese NER test sets.

    python bench/ner_benchmark.py [--datasets msra pd] [--limit N] [--json]
    python bench/ner_benchmark.py --errors PER --show 30      # examples on the terminal only

The sets (../shared/benchmarks/ner, see its README) are for measurement only: nothing from them
may become a lexicon, list or rule, and nothing read from them is written to a file here.

Sentences are joined by "\\n" into documents of `--batch` sentences (one `redact` call each) and
the masked findings are mapped back to sentence offsets. Locality inference therefore runs on
each batch as on any document; newspaper text has no single locality, which is realistic.

redact masks only the proper-name core (沙溪镇 → 沙溪, 恒达科技公司 → 恒达, 温书记 → 温), so the
scores come with two matchings:
- exact: a predicted span equals a gold span of the same type;
- overlap (the fair one for suffix-kept spans): a gold entity is found when a predicted span of
  the same type overlaps it; a prediction is correct when it overlaps a gold entity of that type.

Two views: `masked` (what a user's output hides) and `recognised` (masked, plus the names a
recognizer found with a passing score that only the allow-list keeps: provinces and countries,
which STYLE.md keeps by policy). Recognition quality is the second; the first is the product.
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redact.pipeline import Redaction, Redactor

ROOT = Path(__file__).resolve().parents[1]
NER_DIR = ROOT.parent / "shared" / "benchmarks" / "ner"
# name → (file, column separator)
DATASETS: dict[str, tuple[str, str]] = {
    "msra": ("msra_test_bio.txt", "\t"),
    "pd": ("peoples_daily_ner_test.txt", " "),
    "pd-dev": ("peoples_daily_ner_dev.txt", " "),
}
LABEL_TO_TYPE = {"PLACE": "LOC", "PERSON": "PER", "ORG": "ORG"}
TYPES = ("PER", "LOC", "ORG")
TARGET_RECALL = {"PER": 0.85, "LOC": 0.90, "ORG": 0.75}
TARGET_PRECISION = 0.75
CONTEXT = 12
# Province-level names are kept by design (STYLE.md decision 2); the extra row `LOC-` leaves out
# gold places that redact's own gazetteer lists at province level (country names stay in: the
# project has no list of them).
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class Span:
    """An entity span in sentence coordinates."""

    start: int
    end: int
    type: str

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Sentence:
    """One reconstructed sentence with its gold spans and, after the run, the predicted ones."""

    text: str
    gold: list[Span]
    predicted: list[Span] = field(default_factory=list)
    # Recognised: the masked spans plus those kept only by policy (the allow-list: provinces, countries).
    recognised: list[Span] = field(default_factory=list)
    # Every candidate redact proposed (masked or not) and why those not masked were kept.
    candidates: list[tuple[Span, str]] = field(default_factory=list)


# ---------------------------------------------------------------- reading


def read_bio(path: Path, separator: str) -> list[Sentence]:
    """Sentences from a one-character-per-line BIO file (blank line = end of sentence)."""
    sentences: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            line = line.rstrip("\r\n")
            if not line:
                if chars:
                    sentences.append(Sentence("".join(chars), bio_spans(tags)))
                    chars, tags = [], []
                continue
            char, _, tag = line.rpartition(separator)
            chars.append(char[:1] or " ")
            tags.append(tag.strip())
    if chars:
        sentences.append(Sentence("".join(chars), bio_spans(tags)))
    return sentences


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans from BIO tags; an I- tag without a matching B- starts a new entity."""
    spans: list[Span] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if kind and not (prefix == "I" and label == kind):
            spans.append(Span(start, i, kind))
            kind = ""
        if prefix == "B" or (prefix == "I" and not kind):
            start, kind = i, label
    return spans


# ---------------------------------------------------------------- running redact


@dataclass(frozen=True)
class Batch:
    """Sentences joined by newlines into one document, with each sentence's start offset."""

    first: int
    text: str
    starts: tuple[int, ...]


def make_batches(sentences: Sequence[Sentence], size: int) -> Iterator[Batch]:
    """Consecutive groups of `size` sentences, each joined into one text."""
    for first in range(0, len(sentences), size):
        chunk = sentences[first:first + size]
        starts, offset = [], 0
        for sentence in chunk:
            starts.append(offset)
            offset += len(sentence.text) + 1
        yield Batch(first, "\n".join(s.text for s in chunk), tuple(starts))


def locate(batch: Batch, start: int, end: int) -> tuple[int, int, int] | None:
    """(sentence index in the batch, start, end) of a document span; None if it crosses sentences."""
    index = bisect.bisect_right(batch.starts, start) - 1
    base = batch.starts[index]
    limit = batch.starts[index + 1] - 1 if index + 1 < len(batch.starts) else len(batch.text)
    if end > limit:
        return None
    return index, start - base, end - base


def run_redact(redactor: Redactor, name: str, sentences: Sequence[Sentence], size: int, progress: bool) -> None:
    """Fill `predicted` and `candidates` of every sentence from redact's findings."""
    from redact.documents import Document

    batches = list(make_batches(sentences, size))
    for done, batch in enumerate(batches, start=1):
        document = Document(source=Path(f"<{name}-{batch.first}>"), text=batch.text, format="text")
        record(redactor.redact(document), batch, sentences)
        if progress:
            print(f"\r{name}: batch {done}/{len(batches)}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)


def record(redaction: Redaction, batch: Batch, sentences: Sequence[Sentence]) -> None:
    """Move one batch's masked findings and candidates (with their decision) to its sentences."""
    why = {(n.finding.start, n.finding.end, n.finding.label): n.why for n in redaction.near_misses}
    masked_keys = {(f.start, f.end, f.label) for f in redaction.masked}
    for finding in redaction.masked:
        placed = _place(batch, finding.start, finding.end, finding.label)
        if placed:
            sentences[batch.first + placed[0]].predicted.append(placed[1])
            sentences[batch.first + placed[0]].recognised.append(placed[1])
    for near_miss in redaction.near_misses:
        placed = _place(batch, near_miss.finding.start, near_miss.finding.end, near_miss.finding.label)
        if placed and near_miss.kept:
            sentences[batch.first + placed[0]].recognised.append(placed[1])
    for finding in redaction.candidates:
        placed = _place(batch, finding.start, finding.end, finding.label)
        if placed:
            key = (finding.start, finding.end, finding.label)
            decision = "masked" if key in masked_keys else why.get(key, "not chosen by resolution")
            sentences[batch.first + placed[0]].candidates.append((placed[1], f"{finding.rule_id}: {decision}"))


def _place(batch: Batch, start: int, end: int, label: str) -> tuple[int, Span] | None:
    """(sentence index in the batch, span in sentence offsets) of a PLACE/PERSON/ORG finding."""
    kind = LABEL_TO_TYPE.get(label)
    located = locate(batch, start, end) if kind else None
    if not located:
        return None
    index, s, e = located
    return index, Span(s, e, kind)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    """Precision / recall / F1 with the counts they come from."""

    gold: int
    predicted: int
    found: int  # gold entities matched
    correct: int  # predictions matched

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"found": self.found, "correct": self.correct, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def unique(spans: Iterable[Span]) -> list[Span]:
    return sorted(set(spans), key=lambda s: (s.start, s.end, s.type))


def province_names(rules_dir: Path) -> frozenset[str]:
    """Province-level names and short forms from redact's gazetteer (not from the benchmark)."""
    names: set[str] = set()
    gazetteer = rules_dir / "lexicons" / "admin_divisions.tsv"
    if not gazetteer.is_file():
        return frozenset()
    for line in gazetteer.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if not line.startswith("#") and len(columns) >= 3 and columns[2] == "province":
            names.update(c for c in columns[:2] if c)
    return frozenset(names)


def is_province(text: str, provinces: frozenset[str]) -> bool:
    core = next((text[:-len(x)] for x in PROVINCE_SUFFIXES if text.endswith(x) and len(text) > len(x)), text)
    return text in provinces or core in provinces


def score_type(sentences: Iterable[Sentence], kind: str | None, excluded: frozenset[str] = frozenset(),
               view: str = "predicted") -> tuple[Score, Score]:
    """(exact, overlap) scores for one type (None = all three types, micro-averaged).

    Gold entities whose text is a province-level name in `excluded` are left out, and so are
    the predictions that overlap them.
    """
    gold = predicted = exact_hits = found = correct = 0
    for sentence in sentences:
        g = [s for s in sentence.gold if s.type in TYPES and (kind is None or s.type == kind)]
        dropped = [s for s in g if excluded and is_province(sentence.text[s.start:s.end], excluded)]
        g = [s for s in g if s not in dropped]
        p = [s for s in unique(getattr(sentence, view)) if (kind is None or s.type == kind)
             and not any(s.overlaps(d) for d in dropped)]
        gold += len(g)
        predicted += len(p)
        exact_hits += len(set(g) & set(p))
        found += sum(1 for x in g if any(x.overlaps(y) and x.type == y.type for y in p))
        correct += sum(1 for y in p if any(y.overlaps(x) and x.type == y.type for x in g))
    return Score(gold, predicted, exact_hits, exact_hits), Score(gold, predicted, found, correct)


def dataset_result(sentences: Sequence[Sentence], seconds: float, provinces: frozenset[str]) -> dict:
    chars = sum(len(s.text) for s in sentences)
    views = {}
    for view in ("recognised", "predicted"):
        types = {}
        rows = [("PER", "PER", frozenset()), ("LOC", "LOC", frozenset()), ("LOC", "LOC-", provinces),
                ("ORG", "ORG", frozenset()), (None, "ALL", frozenset())]
        for kind, row, excluded in rows:
            if row == "LOC-" and not provinces:
                continue
            exact, overlap = score_type(sentences, kind, excluded, view)
            types[row] = {"gold": exact.gold, "predicted": exact.predicted,
                          "exact": exact.as_dict(), "overlap": overlap.as_dict()}
        views["masked" if view == "predicted" else view] = types
    return {"sentences": len(sentences), "chars": chars, "seconds": round(seconds, 1),
            "chars_per_s": round(chars / seconds) if seconds else None, **views}


# ---------------------------------------------------------------- printing


def target_note(kind: str, overlap: dict) -> str:
    if kind == "LOC-":
        return "LOC without province-level gold names (kept by design)"
    if kind not in TARGET_RECALL:
        return ""
    r_ok = overlap["recall"] >= TARGET_RECALL[kind]
    p_ok = overlap["precision"] >= TARGET_PRECISION
    return (f"R≥{TARGET_RECALL[kind]:.2f} {'ok' if r_ok else 'MISS'}, "
            f"P≥{TARGET_PRECISION:.2f} {'ok' if p_ok else 'MISS'}")


def print_table(name: str, result: dict) -> None:
    print(f"\n== {name}: {result['sentences']} sentences, {result['chars']} chars, "
          f"{result['seconds']} s, {result['chars_per_s']} chars/s")
    for view in ("recognised", "masked"):
        print(f"-- {view}")
        print_rows(result[view])


def print_rows(types: dict) -> None:
    print(f"{'type':<4} {'gold':>5} {'pred':>5} | {'exact P':>7} {'R':>6} {'F1':>6} | "
          f"{'overlap P':>9} {'R':>6} {'F1':>6} | targets (overlap)")
    for kind, row in types.items():
        e, o = row["exact"], row["overlap"]
        print(f"{kind:<4} {row['gold']:>5} {row['predicted']:>5} | {e['precision']:>7.3f} {e['recall']:>6.3f} "
              f"{e['f1']:>6.3f} | {o['precision']:>9.3f} {o['recall']:>6.3f} {o['f1']:>6.3f} | "
              f"{target_note(kind, o)}")


def print_legend() -> None:
    print("\nOverlap matching is the fair one for redact: it masks only the proper-name core and keeps the "
          "generic suffix (沙溪镇 → 沙溪, 恒达科技公司 → 恒达, 温书记 → 温), so exact matching undercounts. "
          f"Targets: recall PER ≥ {TARGET_RECALL['PER']}, LOC ≥ {TARGET_RECALL['LOC']}, "
          f"ORG ≥ {TARGET_RECALL['ORG']}; precision ≥ {TARGET_PRECISION} for each type.")


# ---------------------------------------------------------------- error analysis (terminal only)


def context(text: str, start: int, end: int) -> str:
    return f"{text[max(0, start - CONTEXT):start]}[{text[start:end]}]{text[end:end + CONTEXT]}"


def miss_reason(sentence: Sentence, gold: Span) -> str:
    """Why a gold entity was missed: other type, a rejected candidate, or nothing proposed."""
    other = [p for p in sentence.predicted if p.overlaps(gold) and p.type != gold.type]
    if other:
        return f"found as {other[0].type}"
    near = [why for span, why in sentence.candidates if span.overlaps(gold) and not why.endswith(": masked")]
    if near:
        return f"candidate kept ({near[0]})"
    return "no candidate"


def spurious_reason(sentence: Sentence, pred: Span) -> str:
    other = [g for g in sentence.gold if g.overlaps(pred)]
    return f"gold is {other[0].type}" if other else "no gold entity"


def print_errors(name: str, sentences: Sequence[Sentence], kind: str, show: int) -> None:
    """Missed and spurious examples of one type, with a breakdown by reason."""
    missed, spurious = [], []
    for sentence in sentences:
        predicted = unique(sentence.predicted)
        for gold in sentence.gold:
            if gold.type == kind and not any(gold.overlaps(p) and p.type == kind for p in predicted):
                missed.append((miss_reason(sentence, gold), context(sentence.text, gold.start, gold.end)))
        for pred in predicted:
            if pred.type == kind and not any(pred.overlaps(g) and g.type == kind for g in sentence.gold):
                spurious.append((spurious_reason(sentence, pred), context(sentence.text, pred.start, pred.end)))
    for title, items in (("missed", missed), ("spurious", spurious)):
        reasons = Counter(_reason_class(r) for r, _ in items)
        print(f"\n-- {name} {kind} {title}: {len(items)}  by reason: "
              + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
        for reason, shown in items[:show]:
            print(f"  {shown}    ({reason})")


def _reason_class(reason: str) -> str:
    return reason.split(" (", 1)[0]


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Error examples go to the terminal only; never save them to a file.")
    parser.add_argument("--datasets", nargs="+", choices=sorted(DATASETS), default=["msra", "pd"])
    parser.add_argument("--limit", type=int, help="only the first N sentences of each set")
    parser.add_argument("--batch", type=int, default=200, help="sentences per redact document (default 200)")
    parser.add_argument("--profile", default="upper")
    parser.add_argument("--rules", type=Path, help="rules directory (default: the shipped rules)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    output.add_argument("--errors", choices=TYPES, help="also print missed and spurious examples of this type")
    parser.add_argument("--show", type=int, default=30, help="examples per list with --errors (default 30)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not NER_DIR.is_dir():
        sys.exit(f"bench/ner_benchmark.py: {NER_DIR} not found (the shared benchmarks sit beside the clone)")
    from redact.batch import build_redactor

    started = time.perf_counter()
    redactor = build_redactor(args.rules, args.profile)
    load_seconds = time.perf_counter() - started
    provinces = province_names(redactor.ruleset.directory)
    results: dict[str, dict] = {}
    runs: dict[str, list[Sentence]] = {}
    for name in args.datasets:
        filename, separator = DATASETS[name]
        runs[name] = sentences = read_bio(NER_DIR / filename, separator)[:args.limit]
        started = time.perf_counter()
        run_redact(redactor, name, sentences, args.batch, progress=not (args.quiet or args.json))
        results[name] = dataset_result(sentences, time.perf_counter() - started, provinces)
    summary = {"profile": args.profile, "limit": args.limit, "batch": args.batch,
               "load_seconds": round(load_seconds, 1), "datasets": results,
               "targets": {"recall": TARGET_RECALL, "precision": TARGET_PRECISION, "matching": "overlap"}}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(f"\nprofile {args.profile}; pipeline loaded in {summary['load_seconds']} s; "
          f"{args.batch} sentences per document" + (f"; first {args.limit} sentences only" if args.limit else ""))
    for name, result in results.items():
        print_table(name, result)
    print_legend()
    if args.errors:
        for name, sentences in runs.items():
            print_errors(name, sentences, args.errors, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
