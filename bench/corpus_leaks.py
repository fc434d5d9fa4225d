#!/usr/bin/env python3
"""Check that the leaks STYLE.md §f lists for corpus files 001–004 are masked by redact.

    python bench/corpus_leaks.py [--profile upper] [--corpus ../shared/corpus] [--json]

Masks every file of the shared corpus with `redact run` into a temporary directory, then prints,
per file, each listed name that is still in the output (with a short context), and every
Arabic-digit money figure (…万元, …亿元, …万美元) left in a file that masks some figure of the same
unit (`XX亿元` beside `50亿元` is the inconsistency STYLE.md §h.6 calls the worst leak).

The check list below is written by hand from STYLE.md §f (our own specification of the corpus),
by file. A pattern with a lookahead checks only the proper-name core, because the generic suffix
is kept by design (卫生弄 → XX弄). Always exits 0; the last line is a summary.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CONTEXT = 12


@dataclass(frozen=True)
class Leak:
    """A name STYLE.md §f reports as left unmasked; `pattern` (a regex) defaults to the name."""

    name: str
    kind: str
    pattern: str | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern or re.escape(self.name))


def _leaks(kind: str, *names: str) -> tuple[Leak, ...]:
    """Leaks of one kind; `name=regex` gives a pattern (used for suffix-kept or common-word names)."""
    leaks = []
    for entry in names:
        name, _, pattern = entry.partition("=")
        leaks.append(Leak(name, kind, pattern or None))
    return tuple(leaks)


# File id prefix → the names STYLE.md §f lists for it (001 shares 000 A's list).
LEAKS: dict[str, tuple[Leak, ...]] = {
    "001": (
        *_leaks("place", "沙溪", "天姥", "回山", "儒岙", "下岩贝", "金山上", "梅棠雅集", "双梅"),
        *_leaks("person", "温书记", "王县长"),
        *_leaks("place-derived", "越满意"),
        *_leaks("term", "习近平"),
    ),
    "002": (
        *_leaks("place", "乐清", "温州", "宝丰=宝丰(?=路)", "金宝银宝"),
        *_leaks("region", "滇西"),
        *_leaks("term", "习近平"),
    ),
    "003": (
        # 招商 (平阳)
        *_leaks("place", "平阳", "温州"),
        *_leaks("region", "浙南"),
        *_leaks("org", "科莱", "佩蒂", "盘实", "百联挚高", "汇竑", "可可资本", "中咨海外", "芝光", "玛氏", "百配",
                "微品致远"),
        # 街道 (宁波北仑)
        *_leaks("place", "宁波", "北仑", "向家", "永丰", "算山", "滕家堍", "高塘", "妙林", "岩河", "红梅", "凌霄",
                "杜鹃", "香堇", "太河", "凤洋", "漕头李", "贝碶", "下底贺家", "星阳", "徐姓屋", "岭南=岭南(?=村)",
                "卫生弄=卫生(?=弄)", "里仁", "镇小路=镇小(?=路)"),
        *_leaks("place-derived", "甬上", "杭甬", "艺碶"),
        *_leaks("org", "申洲", "腾未", "问光", "利宇盟", "众鑫", "万泓"),
        # 区交通运输局 (台州椒江), both copies
        *_leaks("place", "台州", "大陈", "望夫礁", "下陈", "上辇", "椒北", "海门=海门(?=港)", "腾云山",
                "路桥=路桥(?=机场)"),
        *_leaks("org", "赛孚", "福兴", "安黎", "中宇"),
        # 市农业农村局 (瑞安)
        *_leaks("person", "刘小涛"),
        *_leaks("place", "桐浦", "北麂", "飞云", "杜山头", "湖岭", "曹村", "云江幽境", "芳庄", "黄金坳", "行己",
                "山坑", "马屿", "瑞溪", "外三甲", "仙降", "垟坑", "东山=东山(?=街道)", "北龙", "铜盘", "云峰", "陶山",
                "棠梨埭", "湖源"),
        *_leaks("org", "浙瑞", "金恩"),
        # 市气象局 (慈溪), 县政务公开, 县乡村振兴局法治建设, 乡政务公开 (文成)
        *_leaks("place", "前湾", "余慈", "余姚", "东横河", "海黄山", "通苏嘉甬", "文成"),
        *_leaks("place-derived", "上林=上林(?=人才)"),
        *_leaks("org", "星鸟"),
        *_leaks("person", "贾志春", "郑志高"),
    ),
    "004": (
        # 交通运输 (无锡滨湖区)
        *_leaks("place", "蠡湖", "敦睦", "前杨", "沪宜", "檀和", "金城=金城(?=路)", "蠡溪", "碧波=碧波(?=路)",
                "新邺", "勤新"),
        *_leaks("place-derived", "滨交", "太湖湾"),
        # 城管局 (政和县)
        *_leaks("person", "廖俊波"),
        *_leaks("place", "塔山", "银针姑娘", "熊城", "渡头洋", "迎宾=迎宾(?=大道)", "北大=北大(?=路)",
                "解放=解放(?=街)", "胜利=胜利(?=街)", "文明=文明(?=路)", "竹茶", "同心=同心(?=公园)"),
        # 商务局
        *_leaks("org", "安通", "自立=自立(?=[、，等])", "恒吉", "新维", "安天", "安遇", "中京", "民生=民生(?=科技)"),
    ),
}

MONEY_UNITS = ("万美元", "亿元", "万元")
PLACEHOLDER = r"(?:XX|X|x+(?:\.x+)?)"
DIGITS = r"(?<![0-9０-９.．])[0-9０-９]+(?:[.．][0-9０-９]+)?"


@dataclass(frozen=True)
class Hit:
    """A listed name or an unmasked figure found in a masked file."""

    what: str
    kind: str
    count: int
    context: str


def context(text: str, start: int, end: int) -> str:
    snippet = f"{text[max(0, start - CONTEXT):start]}[{text[start:end]}]{text[end:end + CONTEXT]}"
    return snippet.replace("\n", "⏎")


def mask_corpus(corpus: Path, outdir: Path, profile: str, rules: Path | None) -> int:
    """Run `redact run` over the corpus into `outdir`; returns its exit status."""
    redact = Path(sys.executable).with_name("redact")
    command = [str(redact), "run", str(corpus), "-o", str(outdir), "-p", profile, "-q"]
    if rules:
        command += ["--rules", str(rules)]
    return subprocess.run(command, check=False).returncode


def leaked_names(text: str, leaks: Sequence[Leak]) -> Iterator[Hit]:
    for leak in leaks:
        matches = list(leak.regex.finditer(text))
        if matches:
            first = matches[0]
            yield Hit(leak.name, leak.kind, len(matches), context(text, first.start(), first.end()))


def unmasked_money(text: str) -> Iterator[Hit]:
    """Digit money figures of a unit that the same text masks elsewhere (XX万元 beside 50万元)."""
    for unit in MONEY_UNITS:
        if not re.search(rf"(?<![A-Za-z]){PLACEHOLDER}{unit}", text):
            continue
        for match in re.finditer(rf"{DIGITS}{unit}", text):
            yield Hit(match.group(), f"money ({unit})", 1, context(text, match.start(), match.end()))


def check_file(source: Path, masked: Path) -> dict:
    """Leaks of one corpus file: listed names still present, unmasked money figures."""
    prefix = source.name[:3]
    leaks = LEAKS.get(prefix, ())
    original = source.read_text(encoding="utf-8")
    text = masked.read_text(encoding="utf-8") if masked.is_file() else ""
    in_input = sum(1 for leak in leaks if leak.regex.search(original))
    return {"file": source.name, "listed": len(leaks), "listed_in_input": in_input, "masked_ok": masked.is_file(),
            "names": [h.__dict__ for h in leaked_names(text, leaks)],
            "money": [h.__dict__ for h in unmasked_money(text)]}


def print_file(result: dict) -> None:
    names, money = result["names"], result["money"]
    print(f"\n== {result['file']}: {len(names)} of {result['listed_in_input']} listed names present in the input "
          f"survive ({result['listed']} listed); unmasked money beside masked: {len(money)}")
    if not result["masked_ok"]:
        print("  (no masked output: redact failed on this file)")
    for hit in names:
        print(f"  name  {hit['what']:<8} {hit['kind']:<13} ×{hit['count']:<3} {hit['context']}")
    for hit in money:
        print(f"  money {hit['what']:<12} {hit['context']}")


def summary_line(results: Sequence[dict]) -> str:
    names = sum(len(r["names"]) for r in results)
    files = sum(1 for r in results if r["names"])
    money = sum(len(r["money"]) for r in results)
    return f"corpus leaks: {names} names in {files} files; unmasked money beside masked: {money}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"corpus directory (default {CORPUS})")
    parser.add_argument("--profile", default="upper")
    parser.add_argument("--rules", type=Path, help="rules directory (default: the shipped rules)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (summary included)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sources = sorted(args.corpus.glob("*.txt"))
    if not sources:
        print(f"bench/corpus_leaks.py: no .txt files in {args.corpus}", file=sys.stderr)
        print(summary_line([]))
        return 0
    with tempfile.TemporaryDirectory() as out:
        status = mask_corpus(args.corpus, Path(out), args.profile, args.rules)
        if status:
            print(f"bench/corpus_leaks.py: redact run exited with status {status}", file=sys.stderr)
        results = [check_file(source, Path(out) / source.name) for source in sources]
    if args.json:
        print(json.dumps({"profile": args.profile, "files": results, "summary": summary_line(results)},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"profile {args.profile}; check list: STYLE.md §f, files 001–004")
    for result in results:
        print_file(result)
    print()
    print(summary_line(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
