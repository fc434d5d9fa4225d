"""Review a report: walk its masked entities and near misses, record decisions in a YAML file.

A decisions file is an ordinary rule file (validated by `load_rules`) holding only
- `kind: allow` rules: unmask a term (`decision-allow-N`);
- `kind: lexicon` rules: mask a missed term with its label (`decision-deny-N`).
It lives beside the rules (`RULES/local/decisions.yaml` by default, or `--decisions FILE`) and
is never one of the shipped rule files. The next `redact run` applies it; the report then names
the decision (a finding's `rule_id` is `decision-deny-N`, an allow-listed near miss says
`allow-listed by decision decision-allow-N (FILE)`).

Everything here is pure or file-level; the terminal is injected as `ask`/`say` callables so
that only cli.py imports click and the loop is testable.
"""

from __future__ import annotations

import getpass
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from redact.documents import write_atomically
from redact.errors import RuleError, RuleErrors, UsageError
from redact.rules import (DECISION_LABELS, DEFAULT_RULES_DIR, LOCAL_DECISIONS, check_writable_rule_path,
                          dump_rules, load_rules, read_rule_entries)

Ask = Callable[[str, Sequence[str] | None, str | None], str]
Say = Callable[[str], None]

DECISION_ID = re.compile(r"^decision-(?:allow|deny)-([0-9]+)$")
DECISIONS_HEADER = """\
Review decisions for redact, written by `redact review` and applied by `redact run`, `scan` and
`explain` (from RULES/local/decisions.yaml when it exists, or with `--decisions FILE`).
One rule per decision: `kind: allow` unmasks a term, `kind: lexicon` masks a missed term with
its label. Ids start with `decision-`. Edit freely; `redact review` rewrites this file (comments
other than this header are not kept) and checks it like every other rule file."""

ENTITY_CHOICES = {"k": "keep masked", "u": "unmask", "s": "skip", "a": "add a missed term", "q": "quit"}
NEAR_MISS_CHOICES = {"m": "mask", "s": "skip", "a": "add a missed term", "q": "quit"}
END_CHOICES = {"a": "add a missed term", "q": "quit"}


@dataclass
class ReviewItem:
    """One masked entity (text, label) across all documents, or one near miss."""

    kind: Literal["entity", "near-miss"]
    text: str
    label: str
    mentions: int = 0
    documents: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    score: float = 0.0
    context: str = ""
    why: str = ""
    first: tuple[int, int] = (0, 0)  # (document number, offset) of the first mention

    def add(self, candidate: Mapping[str, Any], source: str) -> None:
        self.mentions += 1
        if source not in self.documents:
            self.documents.append(source)
        if candidate.get("rule_id") and candidate["rule_id"] not in self.rule_ids:
            self.rule_ids.append(candidate["rule_id"])
        self.score = max(self.score, float(candidate.get("score") or 0.0))
        self.context = self.context or str(candidate.get("context", ""))
        self.why = self.why or str(candidate.get("why", ""))

    def describe(self, number: int, total: int) -> list[str]:
        mentions = f"{self.mentions} mention{'s' if self.mentions != 1 else ''}"
        where = f"in {len(self.documents)} document{'s' if len(self.documents) != 1 else ''}"
        rules = f"rule{'s' if len(self.rule_ids) != 1 else ''} {', '.join(self.rule_ids)}"
        what = "near miss: " if self.kind == "near-miss" else ""
        head = f"[{number}/{total}] {what}{self.text} — {self.label}, {mentions} {where}, {rules}, score {self.score:.2f}"
        lines = [head]
        if self.why:
            lines.append(f"    not masked: {self.why}")
        if self.context:
            lines.append(f"    {self.context}")
        return lines


@dataclass(frozen=True)
class Decision:
    """Unmask (`allow`) or mask (`deny`, with a label) one term."""

    action: Literal["allow", "deny"]
    term: str
    label: str | None = None
    note: str = ""


@dataclass
class Outcome:
    """What one review session decided."""

    decisions: list[Decision] = field(default_factory=list)
    kept: int = 0
    skipped: int = 0
    quit: bool = False
    path: Path | None = None
    written: bool = False

    def describe(self) -> str:
        allow = sum(d.action == "allow" for d in self.decisions)
        deny = len(self.decisions) - allow
        done = (f"{len(self.decisions)} decision(s) ({allow} unmask, {deny} mask) written to {self.path}"
                if self.written else "no decision; nothing written")
        return f"review: {done}; {self.kept} kept, {self.skipped} skipped"


# ---------------------------------------------------------------- report → items

def load_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the report: {exc}") from None
    if not isinstance(report, dict) or not isinstance(report.get("documents"), list):
        raise UsageError(f"{path}: not a redact report (no `documents` list)")
    return report


def review_items(report: Mapping[str, Any], decided: Iterable[str] = ()) -> list[ReviewItem]:
    """Masked entities grouped by (text, label) across documents, most mentioned first; then near
    misses not already masked elsewhere or allow-listed, highest score first. Terms in `decided`
    (already in the decisions file) are left out."""
    decided = set(decided)
    entities: dict[tuple[str, str], ReviewItem] = {}
    near: dict[tuple[str, str], ReviewItem] = {}
    for number, document in enumerate(report.get("documents", [])):
        if document.get("status") != "ok":
            continue
        source = str(document.get("source", ""))
        for finding in document.get("findings", []):
            key = (finding["text"], finding["label"])
            item = entities.setdefault(key, ReviewItem("entity", *key, first=(number, finding.get("start", 0))))
            item.add(finding, source)
        for miss in document.get("near_misses", []):
            if miss.get("kept"):
                continue
            key = (miss["text"], miss["label"])
            item = near.setdefault(key, ReviewItem("near-miss", *key, first=(number, miss.get("start", 0))))
            item.add(miss, source)
    masked_texts = {text for text, _ in entities}
    ordered = sorted((i for i in entities.values() if i.text not in decided), key=lambda i: (-i.mentions, i.first))
    ordered += sorted((i for i in near.values() if i.text not in decided and i.text not in masked_texts),
                      key=lambda i: (-i.score, i.first))
    return ordered


# ---------------------------------------------------------------- decisions

def next_decision_number(entries: Iterable[Mapping[str, Any]]) -> int:
    numbers = [int(m.group(1)) for e in entries if (m := DECISION_ID.match(str(e.get("id", ""))))]
    return max(numbers, default=0) + 1


def _conflicts(entry: Mapping[str, Any], decision: Decision) -> bool:
    """Whether `entry` decides `decision.term` differently (the other action, or another label)."""
    if decision.action == "allow":
        return entry.get("kind") == "lexicon"
    return entry.get("kind") == "allow" or (entry.get("kind") == "lexicon" and entry.get("label") != decision.label)


def apply_decision(entries: Sequence[Mapping[str, Any]], decision: Decision, who: str = "", when: str = ""
                   ) -> list[dict[str, Any]]:
    """The decisions file's rules after `decision`: the term is removed from conflicting decisions
    (a rule left without terms is dropped), then added as its own rule unless already decided."""
    result: list[dict[str, Any]] = []
    for entry in entries:
        entry = dict(entry)
        terms = list(entry.get("terms") or [])
        if decision.term in terms and _conflicts(entry, decision):
            terms.remove(decision.term)
            if not terms and not entry.get("terms_file"):
                continue
            entry["terms"] = terms
        result.append(entry)
    for entry in result:
        if decision.term in (entry.get("terms") or []) and not _conflicts(entry, decision) and entry.get("kind") in (
                "allow", "lexicon"):
            return result
    number = next_decision_number(entries)
    verb = "unmask" if decision.action == "allow" else f"mask as {decision.label}"
    signed = ", ".join(part for part in (f"reviewed by {who}" if who else "", when) if part)
    description = "; ".join(part for part in (f"{verb} 「{decision.term}」", decision.note, signed) if part)
    if decision.action == "allow":
        rule = {"id": f"decision-allow-{number}", "kind": "allow", "terms": [decision.term]}
    else:
        if decision.label not in DECISION_LABELS:
            raise UsageError(f"cannot mask 「{decision.term}」 as {decision.label!r}; "
                             f"choose one of {', '.join(DECISION_LABELS)}")
        rule = {"id": f"decision-deny-{number}", "kind": "lexicon", "label": decision.label,
                "terms": [decision.term], "score": 1.0}
    rule["description"] = description
    return [*result, rule]


def read_decisions(path: Path) -> list[dict[str, Any]]:
    """The rules of an existing decisions file (none when it does not exist yet)."""
    return read_rule_entries(path) if Path(path).is_file() else []


def write_decisions(path: Path, entries: Sequence[Mapping[str, Any]], rules_dir: Path | None = None) -> str:
    """Check `entries` with `load_rules` (as the decisions file of `rules_dir`), then write them
    atomically. Refuses a path among the shipped rules (outside `local/`). Returns the text."""
    path = Path(path)
    rules_dir = Path(rules_dir or DEFAULT_RULES_DIR)
    check_writable_rule_path(path, rules_dir)
    text = dump_rules([dict(e) for e in entries], DECISIONS_HEADER)
    with tempfile.TemporaryDirectory(prefix="redact-decisions-") as scratch:
        candidate = Path(scratch) / path.name
        candidate.write_text(text, encoding="utf-8")
        try:
            load_rules(rules_dir, decisions=candidate)
        except RuleErrors as exc:
            raise RuleErrors([RuleError(path if e.path == candidate else e.path, e.rule_id,
                                        e.reason.replace(str(candidate), str(path))) for e in exc.errors]) from None
    write_atomically(path, text.encode("utf-8"))
    return text


def default_decisions_path(rules_dir: Path) -> Path:
    return Path(rules_dir) / LOCAL_DECISIONS


def report_rules_dir(report: Mapping[str, Any]) -> Path:
    """The rules directory the report's run used, when it still exists; else the shipped rules."""
    recorded = report.get("rules")
    if isinstance(recorded, str) and recorded and Path(recorded).is_dir():
        return Path(recorded)
    return DEFAULT_RULES_DIR


# ---------------------------------------------------------------- the interactive loop

def menu(choices: Mapping[str, str]) -> str:
    return " / ".join(f"[{key}]{name[1:] if name.startswith(key) else ' ' + name}" for key, name in choices.items())


def ask_missed_term(ask: Ask) -> Decision | None:
    term = ask("term to mask (without its generic suffix: 沙溪, not 沙溪镇)", None, None).strip()
    if not term:
        return None
    label = ask(f"label ({', '.join(DECISION_LABELS)})", DECISION_LABELS, "PLACE")
    return Decision("deny", term, label.upper(), "added by hand")


def review_loop(items: Sequence[ReviewItem], ask: Ask, say: Say) -> Outcome:
    """Ask about each item; `q` stops (what was decided so far is kept)."""
    outcome = Outcome()

    def add() -> None:
        decision = ask_missed_term(ask)
        if decision:
            outcome.decisions.append(decision)
            say(f"    → mask 「{decision.term}」 as {decision.label}")

    for number, item in enumerate(items, start=1):
        for line in item.describe(number, len(items)):
            say(line)
        choices = ENTITY_CHOICES if item.kind == "entity" else NEAR_MISS_CHOICES
        answer = ask(menu(choices), list(choices), "s").lower()
        while answer == "a":
            add()
            answer = ask(menu(choices), list(choices), "s").lower()
        rules = ", ".join(item.rule_ids)
        if answer == "q":
            outcome.quit = True
            return outcome
        if answer == "k":
            outcome.kept += 1
        elif answer == "u":
            outcome.decisions.append(Decision("allow", item.text, note=f"was masked as {item.label} by {rules}"))
        elif answer == "m":
            default = item.label if item.label in DECISION_LABELS else "PLACE"
            label = ask(f"label ({', '.join(DECISION_LABELS)})", DECISION_LABELS, default).upper()
            outcome.decisions.append(Decision("deny", item.text, label,
                                              f"near miss of {rules} (score {item.score:.2f})"))
        else:
            outcome.skipped += 1
    while ask(menu(END_CHOICES), list(END_CHOICES), "q").lower() == "a":
        add()
    return outcome


def review_report(report_path: Path, ask: Ask, say: Say, decisions_path: Path | None = None,
                  rules_dir: Path | None = None, who: str | None = None, when: str | None = None) -> Outcome:
    """The whole review: read the report and the decisions so far, ask, write the decisions file."""
    report = load_report(report_path)
    rules_dir = Path(rules_dir) if rules_dir else report_rules_dir(report)
    path = Path(decisions_path) if decisions_path else default_decisions_path(rules_dir)
    check_writable_rule_path(path, rules_dir)  # before anything is asked
    existing = read_decisions(path)
    decided = {t for e in existing for t in (e.get("terms") or []) if isinstance(t, str)}
    items = review_items(report, decided)
    say(f"{len(items)} item(s) to review in {report_path}; decisions go to {path}")
    outcome = review_loop(items, ask, say)
    outcome.path = path
    if outcome.decisions:
        entries: list[dict[str, Any]] = list(existing)
        who = who if who is not None else _user()
        when = when if when is not None else date.today().isoformat()
        for decision in outcome.decisions:
            entries = apply_decision(entries, decision, who, when)
        write_decisions(path, entries, rules_dir)
        outcome.written = True
    return outcome


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
