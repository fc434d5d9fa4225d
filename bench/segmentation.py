#!/usr/bin/env python3
"""Segmentation speed of redact's pkuseg (redact/fastseg.py, redact/crf.py) against spacy_pkuseg
as shipped, a check that both cut every text into the same words, and what a new process pays.

    python bench/segmentation.py [--size-mb 1] [--repeat N] [--compare-with DIR]

Builds a corpus of at least SIZE MB from ../shared/corpus (its documents repeated; every copy's
paragraphs are numbered, so no two copies are identical and no memo can skip a repeat), then
measures characters per second, each document cut once, model loading excluded:

  cut        `cut()` of whole documents: spacy_pkuseg.pkuseg(model) against
             `load_nlp().tokenizer.pkuseg_seg` (user dictionary, CRF, post-processing)
  cut+lex    the same with the lexicon words as user dictionary (what `redact run` segments with)
  crf        the CRF alone on the pieces pkuseg cuts (`pkuseg._cut` per piece against one
             `Crf.segment` per document)
  crf cold   the same on the first copy only, with a new segmenter (its memos empty)

Every text's words are compared (cut, cut+lex and crf); a difference exits with status 1.
`--repeat N` times each N times and keeps the fastest.

Then, per process (each row a new Python process, spaCy and numpy imported beforehand; the
fastest of 3 for the times, the model's cache files already built): the time to load the
segmenter (`redact.nlp._segmenter`), to cut a short text first, then a 20k-character document,
then characters per second cutting the whole corpus, and the process's peak RSS and its private
(anonymous) memory after it: what each worker of `redact run --jobs N` adds (RSS also counts
the pages of the memory-mapped model files it touched, which all processes share). `--compare-with DIR` measures the same with the `redact` package found in DIR (a copy of
another version, e.g. DIR/redact/…) in a second row.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def build_corpus(size_bytes: int) -> tuple[list[str], list[str]]:
    """(all documents, the first copy's): copies of the shared documents, paragraphs numbered
    per copy, until `size_bytes`."""
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if not sources:
        sys.exit(f"bench/segmentation.py: no .txt files in {CORPUS}")
    texts: list[str] = []
    total, copy = 0, 0
    while total < size_bytes:
        copy += 1
        for text in sources:
            lines = [f"（{copy}-{n}）{line}" if line.strip() else line for n, line in enumerate(text.split("\n"))]
            texts.append("\n".join(lines))
            total += len(texts[-1].encode("utf-8"))
    return texts, texts[:len(sources)]


def timed(run: Callable[[], list], repeat: int) -> tuple[float, list]:
    best, result = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def fresh_segmenter(user_words: tuple[str, ...]):
    """A new segmenter (memos empty)."""
    from redact.fastseg import PrefixPreprocesser, fast_segmenter
    from redact.model import find_model

    segmenter = fast_segmenter(find_model())
    if segmenter is None:
        sys.exit("bench/segmentation.py: the start-up caches are off (REDACT_NO_CACHE)")
    segmenter.preprocesser = PrefixPreprocesser(user_words)
    return segmenter


SHORT_TEXT = "沙溪镇人民政府关于召开工作会议的通知"
LONG_CHARS = 20000
PROBES = 3


def probe(size_bytes: int) -> dict[str, float]:
    """What this (new) process pays: see the module's doc. Printed as JSON by `--probe`."""
    texts, _ = build_corpus(size_bytes)
    long_text = "".join(texts)[:LONG_CHARS]
    import numpy  # noqa: F401  (imports are not what is measured)
    import spacy  # noqa: F401

    from redact import nlp
    from redact.model import find_model

    model_dir = find_model().resolve()
    started = time.perf_counter()
    segmenter = nlp._segmenter(model_dir)
    loaded = time.perf_counter()
    segmenter.cut(SHORT_TEXT)
    short = time.perf_counter()
    getattr(segmenter, "begin_document", lambda _: None)(None)
    segmenter.cut(long_text)
    long = time.perf_counter()
    for text in texts:
        getattr(segmenter, "begin_document", lambda _: None)(None)
        segmenter.cut(text)
    done = time.perf_counter()
    return {"load": loaded - started, "short": short - loaded, "long": long - short,
            "rate": sum(map(len, texts)) / (done - long),
            "peak": peak_rss_mb(), "private": private_mb()}


def proc_fields(name: str) -> dict[str, str]:
    """`Field: value` lines of /proc/self/`name` (empty where there is no /proc)."""
    try:
        with open(f"/proc/self/{name}", encoding="ascii") as handle:
            return dict(line.split()[:2] for line in handle if len(line.split()) >= 2)
    except (OSError, ValueError):
        return {}


def peak_rss_mb() -> float:
    """The process's peak RSS (MB): VmHWM, which a new program starts afresh (ru_maxrss, the
    fallback, keeps the peak of the process that forked this one)."""
    peak = proc_fields("status").get("VmHWM:")
    return int(peak) / 1024 if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def private_mb() -> float:
    """The process's anonymous memory (MB; NaN where /proc/self/smaps_rollup is unavailable):
    what no other process can share, unlike the pages of mapped files (the page cache's)."""
    anonymous = proc_fields("smaps_rollup").get("Anonymous:")
    return int(anonymous) / 1024 if anonymous else float("nan")


def process_rows(size_mb: float, compare_with: Path | None) -> list[tuple[str, dict[str, float]]]:
    """(name, best figures of PROBES new processes) for this tree and `compare_with`."""
    rows = []
    for name, path in [("redact", None), (str(compare_with), compare_with)][:2 if compare_with else 1]:
        env = dict(os.environ)
        if path is not None:
            env["PYTHONPATH"] = os.pathsep.join([str(path), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        command = [sys.executable, str(Path(__file__).resolve()), "--probe", "--size-mb", str(size_mb)]
        runs = [json.loads(subprocess.run(command, env=env, cwd="/", check=True, capture_output=True, text=True)
                           .stdout.splitlines()[-1]) for _ in range(PROBES)]
        best = {key: min(run[key] for run in runs) for key in ("load", "short", "long", "peak", "private")}
        best["rate"] = max(run["rate"] for run in runs)
        rows.append((name, best))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0, help="corpus size in MB (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="timings of each row, the fastest kept")
    parser.add_argument("--compare-with", type=Path, metavar="DIR",
                        help="also measure a new process with the redact package found in DIR")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)  # one process's figures
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"bench/segmentation.py: skipped: {CORPUS} not found (the shared corpus sits beside the clone)")
        return 0
    if args.probe:
        print(json.dumps(probe(int(args.size_mb * 1_000_000))))
        return 0

    import spacy_pkuseg

    from redact.batch import segmentation_words
    from redact.model import find_model
    from redact.nlp import load_nlp
    from redact.rules import load_rules

    texts, first_copy = build_corpus(int(args.size_mb * 1_000_000))
    chars, first_chars = sum(map(len, texts)), sum(map(len, first_copy))
    lexicon = segmentation_words(load_rules(None))
    with contextlib.redirect_stderr(io.StringIO()):  # pkuseg's notice that it reads features.pkl
        shipped = spacy_pkuseg.pkuseg(str(find_model()))
    shipped_lex = copy.copy(shipped)
    shipped_lex.preprocesser = spacy_pkuseg.Preprocesser(sorted(lexicon))
    ours = load_nlp().tokenizer.pkuseg_seg
    ours_lex = load_nlp(None, lexicon).tokenizer.pkuseg_seg
    pieces = [text.split() for text in texts]

    def cut_all(segmenter) -> Callable[[], list]:
        def run() -> list:
            words = []
            for text in texts:
                getattr(segmenter, "begin_document", lambda _: None)(None)
                words.append(segmenter.cut(text))
            return words
        return run

    piece_chars = sum(len(p) for doc in pieces for p in doc)
    first_piece_chars = sum(len(p) for doc in pieces[:len(first_copy)] for p in doc)
    rows = []
    differ = 0
    for name, reference, candidate, size in [
        ("cut", cut_all(shipped), cut_all(ours), chars),
        ("cut+lex", cut_all(shipped_lex), cut_all(ours_lex), chars),
        ("crf", lambda: [[shipped._cut(p) for p in doc] for doc in pieces],
         lambda: [ours.crf.segment(doc) for doc in pieces], piece_chars),
    ]:
        shipped_seconds, expected = timed(reference, args.repeat)
        our_seconds, got = timed(candidate, args.repeat)
        wrong = sum(a != b for a, b in zip(expected, got))
        differ += wrong
        rows.append((name, size / shipped_seconds, size / our_seconds, wrong, len(expected)))

    def cold() -> float:
        segmenter = fresh_segmenter(())
        started = time.perf_counter()
        for doc in pieces[:len(first_copy)]:
            segmenter.crf.segment(doc)
        return time.perf_counter() - started

    cold_seconds = min(cold() for _ in range(args.repeat))
    rows.append(("crf cold", rows[-1][1], first_piece_chars / cold_seconds, 0, 0))

    print(f"corpus: {len(texts)} documents, {chars} characters ({args.size_mb:g} MB+), "
          f"first copy {first_chars} characters")
    print(f"{'':10} {'shipped chars/s':>16} {'redact chars/s':>15} {'ratio':>7}   identical")
    for name, theirs, mine, wrong, count in rows:
        same = f"{count - wrong}/{count} documents" if count else "(timing only)"
        print(f"{name:10} {theirs:16,.0f} {mine:15,.0f} {mine / theirs:7.2f}   {same}")
    print(f"\nper process (best of {PROBES} new processes; first cuts: {len(SHORT_TEXT)} characters, "
          f"then {LONG_CHARS}; then the corpus):")
    print(f"{'':10} {'load s':>8} {'1st short s':>12} {'1st 20k s':>10} {'chars/s':>10} {'peak RSS MB':>12} "
          f"{'private MB':>11}")
    for name, figures in process_rows(args.size_mb, args.compare_with):
        print(f"{name:10} {figures['load']:8.3f} {figures['short']:12.3f} {figures['long']:10.3f} "
              f"{figures['rate']:10,.0f} {figures['peak']:12,.0f} {figures['private']:11,.0f}")
    if differ:
        print(f"bench/segmentation.py: {differ} documents segmented differently", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
