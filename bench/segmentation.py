#!/usr/bin/env python3
"""Segmentation speed of redact's pkuseg (redact/fastseg.py, redact/crf.py) against spacy_pkuseg
as shipped, and a check that both cut every text into the same words.

    python bench/segmentation.py [--size-mb 1] [--repeat N]

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
Features are loaded before timing (pkuseg as shipped has them all in memory). `--repeat N`
times each N times and keeps the fastest.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
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
    """A new segmenter (memos empty) with the features of every corpus character loaded."""
    from redact.fastseg import PrefixPreprocesser, lazy_segmenter
    from redact.model import find_model

    segmenter = lazy_segmenter(find_model())
    if segmenter is None:
        sys.exit("bench/segmentation.py: the start-up caches are off (REDACT_NO_CACHE)")
    segmenter.preprocesser = PrefixPreprocesser(user_words)
    return segmenter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0, help="corpus size in MB (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="timings of each row, the fastest kept")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"bench/segmentation.py: skipped: {CORPUS} not found (the shared corpus sits beside the clone)")
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
    ours.lazy.ensure("".join(texts))
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
        segmenter.lazy.ensure("".join(first_copy))
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
    if differ:
        print(f"bench/segmentation.py: {differ} documents segmented differently", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
