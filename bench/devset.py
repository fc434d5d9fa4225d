#!/usr/bin/env python3
"""Score redact on the dev set (../shared/devset) with the shared scorer.

    python bench/devset.py [--profile upper] [--json]

Masks doc1 and doc3 with `redact run`, then runs `score.py` against the gold spans and the
corpus's own hand-masked version, and prints recall, leaks, false positives and style
similarity per document, plus recall per entity kind.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"
DOCUMENTS = {"doc1": "doc1_masked_000.txt", "doc3": "doc3_masked_003-copy1.txt"}


def score(doc: str, masked: Path) -> dict:
    command = [sys.executable, str(DEVSET / "score.py"), str(DEVSET / f"{doc}_original.txt"),
               str(DEVSET / f"{doc}_gold.jsonl"), str(masked), "--ref", str(DEVSET / DOCUMENTS[doc]), "--json"]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", default="upper")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not DEVSET.is_dir():
        sys.exit(f"bench/devset.py: {DEVSET} not found (the shared dev set sits beside the clone)")
    redact = Path(sys.executable).with_name("redact")
    results = {}
    with tempfile.TemporaryDirectory() as out:
        inputs = [str(DEVSET / f"{doc}_original.txt") for doc in DOCUMENTS]
        subprocess.run([str(redact), "run", *inputs, "-o", out, "-p", args.profile, "-q"], check=True)
        for doc in DOCUMENTS:
            results[doc] = score(doc, Path(out) / f"{doc}_original.txt")
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    for doc, r in results.items():
        print(f"{doc}: recall {r['recall']} ({r['must_mask']} spans) by kind {r['recall_by_kind']}, "
              f"false-positive runs {r['false_positive_runs']}, style similarity {r['style_similarity']}, "
              f"kept placeholders {r['kept_placeholders']}")
        for leak in r["leaks"]:
            print(f"  leak: {leak}")
        for fp in r["false_positives"]:
            print(f"  false positive: {fp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
