#!/usr/bin/env python3
"""Throughput, memory and start-up time of redact, against the segmenters it is built on.

    python bench/throughput.py [--size-mb 2] [--repeat N] [--json] [--no-cache-start]

Builds a corpus of at least SIZE MB from ../shared/corpus (its documents repeated; every copy's
paragraphs are numbered, so no two copies are identical and no memo can skip a repeat), then
measures, each in a fresh process:

  (a) `redact run CORPUS -o OUT -q --jobs 1`, end to end (start-up, reports and all)
  (b) the same with `--jobs 2`
  (c) pkuseg segmentation alone: spacy_pkuseg's default model as shipped, `cut()` per document
  (d) a jieba part-of-speech pass (`jieba.posseg.cut`), the common quick alternative

as characters per second, the peak RSS (VmHWM) of each process that masks documents, and the
cold start of `redact scan` on a one-line file (median of 3). (c) and (d) exclude their model
loading; (a) and (b) include everything. Prints a table and the ratios against the targets.
`--no-cache-start` also times the cold start with the start-up caches off (REDACT_NO_CACHE=1),
i.e. before they existed. `--repeat N` runs (a)-(d) N times and keeps the fastest of each (on a
shared machine, other work only ever slows a run down).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REDACT = Path(sys.executable).with_name("redact")
TARGETS = {"a/c": 0.8, "a/d": 1.0, "b/a": 1.8}
RSS_TARGET_MB = 1024
COLD_START_TARGET_S = 2.0

SEGMENT_PKUSEG = """
import json, sys, time
from pathlib import Path
import spacy_pkuseg
from redact.model import find_model
files = [Path(p) for p in sys.argv[1:]]
texts = [f.read_text(encoding="utf-8") for f in files]
started = time.perf_counter()
seg = spacy_pkuseg.pkuseg(str(find_model()))
loaded = time.perf_counter()
words = sum(len(seg.cut(t)) for t in texts)
done = time.perf_counter()
print(json.dumps({"load": loaded - started, "seconds": done - loaded, "chars": sum(map(len, texts)), "words": words}))
"""

SEGMENT_JIEBA = """
import json, logging, sys, time
from pathlib import Path
import jieba, jieba.posseg
jieba.setLogLevel(logging.WARNING)
files = [Path(p) for p in sys.argv[1:]]
texts = [f.read_text(encoding="utf-8") for f in files]
started = time.perf_counter()
jieba.initialize()
loaded = time.perf_counter()
words = sum(1 for t in texts for _ in jieba.posseg.cut(t))
done = time.perf_counter()
print(json.dumps({"load": loaded - started, "seconds": done - loaded, "chars": sum(map(len, texts)), "words": words}))
"""


def build_corpus(target: Path, size_bytes: int) -> list[Path]:
    """Copies of the shared documents, paragraphs numbered per copy, until `size_bytes`."""
    sources = sorted(CORPUS.glob("*.txt"))
    if not sources:
        sys.exit(f"bench/throughput.py: no .txt files in {CORPUS}")
    texts = [(s.stem, s.read_text(encoding="utf-8")) for s in sources]
    files, total, copy = [], 0, 0
    while total < size_bytes:
        copy += 1
        for stem, text in texts:
            lines = [f"（{copy}-{n}）{line}" if line.strip() else line for n, line in enumerate(text.split("\n"))]
            path = target / f"{stem}_{copy:03d}.txt"
            data = "\n".join(lines).encode("utf-8")
            path.write_bytes(data)
            files.append(path)
            total += len(data)
    return files


class PeakMemory:
    """Polls /proc for a process tree and keeps each process's VmHWM (peak resident set)."""

    def __init__(self, root_pid: int) -> None:
        self.root = root_pid
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.1)

    def sample(self) -> None:
        for pid in self._tree():
            status = _read(f"/proc/{pid}/status")
            cmdline = _read(f"/proc/{pid}/cmdline").replace("\0", " ").strip()
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    kb = int(line.split()[1])
                    if kb > self.peaks.get(pid, ("", 0))[1]:
                        self.peaks[pid] = (cmdline, kb)

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _read(f"/proc/{entry}/stat")
                if stat:
                    ppid = int(stat.rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def workers_mb(self, jobs: int) -> list[float]:
        """Peak RSS of the processes that mask: the run itself (1 job) or its worker processes."""
        if jobs == 1:
            return [self.peaks.get(self.root, ("", 0))[1] / 1024]
        return sorted((kb / 1024 for pid, (cmd, kb) in self.peaks.items()
                       if pid != self.root and "multiprocessing" in cmd and "resource_tracker" not in cmd),
                      reverse=True)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def run_redact(corpus: Path, out: Path, jobs: int) -> dict:
    command = [str(REDACT), "run", str(corpus), "-o", str(out), "-q", "--jobs", str(jobs)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    memory.stop()
    if process.returncode != 0:
        sys.exit(f"bench/throughput.py: {' '.join(command)} failed ({process.returncode}): {stderr.strip()}")
    report = json.loads((out / "redact-report.json").read_text(encoding="utf-8"))
    chars = sum(d.get("chars", 0) for d in report["documents"])
    return {"seconds": seconds, "chars": chars, "rss_mb": memory.workers_mb(jobs),
            "batch": sum(1 for d in report["documents"] for f in d.get("findings", []) if f["origin"] == "batch")}


def run_script(script: str, files: list[Path]) -> dict:
    result = subprocess.run([sys.executable, "-c", script, *map(str, files)], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        sys.exit(f"bench/throughput.py: segmenter run failed: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)


def cold_start(one_line: Path, runs: int = 3, env: dict | None = None) -> float:
    """Median wall time of `redact scan` on a one-line file (after one untimed warm-up run)."""
    command = [str(REDACT), "scan", str(one_line)]
    subprocess.run(command, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=float, default=2.0, help="corpus size in MB (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of (a)-(d), the fastest kept (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--no-cache-start", action="store_true",
                        help="also time the cold start without the start-up caches (REDACT_NO_CACHE=1)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"bench/throughput.py: skipped: {CORPUS} not found (the shared corpus sits beside the clone)")
        return 0
    with tempfile.TemporaryDirectory(prefix="redact-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        files = build_corpus(corpus, int(args.size_mb * 1024 * 1024))
        one_line = work / "one.txt"
        one_line.write_text("获市委温书记批示肯定，目前沙溪镇农民集中居住区建设项目已开工。\n", encoding="utf-8")
        results: dict = {"corpus_files": len(files), "corpus_bytes": sum(f.stat().st_size for f in files)}
        results["cold_start_s"] = cold_start(one_line)
        if args.no_cache_start:
            results["cold_start_no_cache_s"] = cold_start(one_line, env={**os.environ, "REDACT_NO_CACHE": "1"})
        runs: dict[str, list[dict]] = {key: [] for key in "abcd"}
        for attempt in range(max(1, args.repeat)):
            runs["a"].append(run_redact(corpus, work / f"out1-{attempt}", 1))
            runs["b"].append(run_redact(corpus, work / f"out2-{attempt}", 2))
            runs["c"].append(run_script(SEGMENT_PKUSEG, files))
            runs["d"].append(run_script(SEGMENT_JIEBA, files))
        for key, measured in runs.items():
            results[key] = min(measured, key=lambda m: m["seconds"])
    for key in "abcd":
        results[key]["chars_per_s"] = results[key]["chars"] / results[key]["seconds"]
    rate = {key: results[key]["chars_per_s"] for key in "abcd"}
    results["ratios"] = {"a/c": rate["a"] / rate["c"], "a/d": rate["a"] / rate["d"], "b/a": rate["b"] / rate["a"]}
    results["load"] = os.getloadavg()
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print_table(results)
    return 0


def print_table(r: dict) -> None:
    chars = r["c"]["chars"]
    print(f"corpus: {r['corpus_files']} files, {r['corpus_bytes'] / 1e6:.2f} MB, {chars:,} characters; "
          f"{os.cpu_count()} CPUs, load average {r['load'][0]:.1f}")
    print()
    print("| measurement | seconds | chars/s | peak RSS per worker |")
    print("|---|---:|---:|---:|")
    rss = lambda key: ", ".join(f"{mb:.0f} MB" for mb in r[key]["rss_mb"]) or "?"  # noqa: E731
    print(f"| (a) `redact run --jobs 1` (end to end) | {r['a']['seconds']:.1f} | {r['a']['chars_per_s']:,.0f} | {rss('a')} |")
    print(f"| (b) `redact run --jobs 2` (end to end) | {r['b']['seconds']:.1f} | {r['b']['chars_per_s']:,.0f} | {rss('b')} |")
    print(f"| (c) pkuseg `cut` alone (load {r['c']['load']:.1f} s not counted) | {r['c']['seconds']:.1f} "
          f"| {r['c']['chars_per_s']:,.0f} | |")
    print(f"| (d) jieba `posseg.cut` (load {r['d']['load']:.1f} s not counted) | {r['d']['seconds']:.1f} "
          f"| {r['d']['chars_per_s']:,.0f} | |")
    cold = f"{r['cold_start_s']:.2f} s"
    if "cold_start_no_cache_s" in r:
        cold += f" (without the start-up caches: {r['cold_start_no_cache_s']:.2f} s)"
    print(f"| cold start, `redact scan` one line (median of 3) | {cold} | | |")
    print()
    for name, value in r["ratios"].items():
        target = TARGETS[name]
        print(f"{name} = {value:.2f}  (target ≥ {target}: {'ok' if value >= target else 'MISSED'})")
    worst = max([*r["a"]["rss_mb"], *r["b"]["rss_mb"]] or [0])
    print(f"peak RSS per worker = {worst:.0f} MB  (target ≤ {RSS_TARGET_MB} MB: "
          f"{'ok' if worst <= RSS_TARGET_MB else 'MISSED'})")
    print(f"cold start = {r['cold_start_s']:.2f} s  (target ≤ {COLD_START_TARGET_S} s: "
          f"{'ok' if r['cold_start_s'] <= COLD_START_TARGET_S else 'MISSED'})")
    print(f"batch consistency masked {r['a']['batch']} mention(s) found only in other files")


if __name__ == "__main__":
    sys.exit(main())
