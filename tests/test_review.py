"""The review loop: report → items, decisions → a validated YAML rule file, and the next run applies it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from redact.cli import main
from redact.errors import RuleErrors, UsageError
from redact.review import (Decision, apply_decision, next_decision_number, read_decisions, review_items,
                           review_loop, review_report, write_decisions)
from redact.rules import (DEFAULT_RULES_DIR, LOCAL_DECISIONS, LexiconRule, check_writable_rule_path,
                          decisions_file, load_rules)


def candidate(text: str, label: str, start: int, rule_id: str = "division-gazetteer", score: float = 0.9,
              **extra) -> dict:
    return {"start": start, "end": start + len(text), "text": text, "label": label, "rule_id": rule_id,
            "recognizer": "Test", "score": score, "reason": "test", "origin": extra.pop("origin", "rule"),
            "figure_class": None, "context": f"……【{text}】……", **extra}


def make_report(rules: Path = DEFAULT_RULES_DIR) -> dict:
    """Two documents: 沙溪 in both (3 mentions), 温 (PERSON) and 天姥 in one, near misses of every sort."""
    first = {"source": "a.txt", "status": "ok", "findings": [
        candidate("沙溪", "PLACE", 2), candidate("温", "PERSON", 10, "person-title", 0.85),
        candidate("沙溪", "PLACE", 20, origin="propagated")],
        "near_misses": [candidate("金山", "PLACE", 30, score=0.4, why="score 0.40 below the threshold 0.50",
                                  kept=False),
                        candidate("浙江", "PLACE", 40, why="allow-listed by provinces-and-country", kept=True),
                        candidate("沙溪", "ORG", 50, "org-affix", 0.3, why="score 0.30 below the threshold 0.50",
                                  kept=False)]}
    second = {"source": "b.txt", "status": "ok", "findings": [
        candidate("天姥", "PLACE", 1, "landmark-suffix", 0.6), candidate("沙溪", "PLACE", 5)],
        "near_misses": [candidate("向", "PERSON", 9, "person-title", 0.3, why="score 0.30 below the threshold 0.50",
                                  kept=False)]}
    failed = {"source": "c.doc", "status": "failed", "error": "unsupported format"}
    return {"schema_version": "1.0", "tool": "redact 0.1.0", "profile": "upper", "rules": str(rules),
            "totals": {}, "documents": [first, second, failed]}


def rules_dir(root: Path) -> Path:
    """A minimal valid rules directory (one profile, one lexicon)."""
    (root / "profiles").mkdir(parents=True)
    (root / "profiles" / "upper.yaml").write_text(
        "id: upper\nlabels:\n  PLACE: {style: fixed, placeholder: XX}\n", encoding="utf-8")
    (root / "places.yaml").write_text("rules:\n  - {id: places, kind: lexicon, label: PLACE, terms: [沙溪]}\n",
                                      encoding="utf-8")
    return root


def shipped_fingerprint() -> dict[str, str]:
    return {str(p.relative_to(DEFAULT_RULES_DIR)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(DEFAULT_RULES_DIR.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- report → items

def test_entities_are_grouped_across_documents_then_near_misses():
    items = review_items(make_report())
    assert [(i.kind, i.text, i.label) for i in items] == [
        ("entity", "沙溪", "PLACE"), ("entity", "温", "PERSON"), ("entity", "天姥", "PLACE"),
        ("near-miss", "金山", "PLACE"), ("near-miss", "向", "PERSON")]
    sha = items[0]
    assert (sha.mentions, sha.documents, sha.rule_ids, sha.score) == (3, ["a.txt", "b.txt"], ["division-gazetteer"], 0.9)
    assert items[3].why == "score 0.40 below the threshold 0.50"
    lines = sha.describe(1, len(items))
    assert lines[0] == "[1/5] 沙溪 — PLACE, 3 mentions in 2 documents, rule division-gazetteer, score 0.90"
    assert lines[1] == "    ……【沙溪】……"


def test_decided_terms_are_not_asked_again():
    assert [i.text for i in review_items(make_report(), decided={"沙溪", "金山"})] == ["温", "天姥", "向"]


# ---------------------------------------------------------------- decisions

def test_apply_decision_adds_one_rule_per_decision():
    entries = apply_decision([], Decision("allow", "沙溪", note="was masked"), "ann", "2024-01-02")
    entries = apply_decision(entries, Decision("deny", "天姥", "PLACE"), "ann", "2024-01-02")
    assert entries == [
        {"id": "decision-allow-1", "kind": "allow", "terms": ["沙溪"],
         "description": "unmask 「沙溪」; was masked; reviewed by ann, 2024-01-02"},
        {"id": "decision-deny-2", "kind": "lexicon", "label": "PLACE", "terms": ["天姥"], "score": 1.0,
         "description": "mask as PLACE 「天姥」; reviewed by ann, 2024-01-02"}]
    assert apply_decision(entries, Decision("allow", "沙溪")) == entries  # already decided
    assert next_decision_number(entries) == 3


def test_a_new_decision_replaces_a_conflicting_one():
    entries = apply_decision([], Decision("deny", "天姥", "PLACE"))
    flipped = apply_decision(entries, Decision("allow", "天姥"))
    assert [(e["id"], e["kind"], e["terms"]) for e in flipped] == [("decision-allow-2", "allow", ["天姥"])]
    relabelled = apply_decision(entries, Decision("deny", "天姥", "ORG"))
    assert [(e["id"], e["label"]) for e in relabelled] == [("decision-deny-2", "ORG")]
    shared = [{"id": "decision-allow-7", "kind": "allow", "terms": ["甲", "乙"]}]
    assert apply_decision(shared, Decision("deny", "甲", "PLACE"))[0]["terms"] == ["乙"]
    with pytest.raises(UsageError, match="cannot mask"):
        apply_decision([], Decision("deny", "62.5", "FIGURE"))


def test_written_decisions_are_valid_rules_and_earlier_ones_are_kept(tmp_path):
    rules = rules_dir(tmp_path / "rules")
    path = tmp_path / "review" / "decisions.yaml"
    write_decisions(path, apply_decision([], Decision("deny", "天姥", "PLACE")), rules)
    entries = apply_decision(read_decisions(path), Decision("allow", "金山"))
    text = write_decisions(path, entries, rules)
    assert text.startswith("# Review decisions for redact") and "terms: [天姥]" in text
    ruleset = load_rules(rules, decisions=path)
    deny = next(r for r in ruleset.rules if r.id == "decision-deny-1")
    assert isinstance(deny, LexiconRule) and deny.terms == ("天姥",) and deny.label == "PLACE"
    assert ruleset.allow_terms["金山"] == "decision-allow-2"
    assert ruleset.is_decision("decision-allow-2") and not ruleset.is_decision("places")
    assert ruleset.allow_reasons()["金山"] == f"decision decision-allow-2 ({path})"


def test_an_invalid_decisions_file_is_refused_and_nothing_is_written(tmp_path):
    rules = rules_dir(tmp_path / "rules")
    path = tmp_path / "decisions.yaml"
    clash = [{"id": "places", "kind": "allow", "terms": ["沙溪"]}]  # not a decision id
    with pytest.raises(RuleErrors) as caught:
        write_decisions(path, clash, rules)
    assert [(e.path, e.rule_id) for e in caught.value.errors] == [(path, "places")]
    assert "decision id starts with" in caught.value.errors[0].reason
    assert not path.exists()


@pytest.mark.parametrize(("content", "message"), [
    ("rules:\n  - {id: decision-a, kind: affix, label: PLACE, suffixes: [镇]}\n", "holds only allow and lexicon"),
    ("rules:\n  - {id: mine, kind: allow, terms: [沙溪]}\n", "a decision id starts with 'decision-'"),
    ("rules:\n  - {id: decision-deny-1, kind: lexicon, label: FIGURE, terms: ['62.5']}\n", "label: a decision masks"),
    ("rules:\n  - {id: decision-deny-1, kind: lexicon, label: PLACE, terms: [沙溪], colour: red}\n",
     "colour: unknown key"),
    ("rules:\n  - {id: places, kind: allow, terms: [沙溪]}\n", "decision id"),
    ("rules: [", "invalid YAML"),
])
def test_decisions_are_validated_like_rules(tmp_path, content, message):
    rules = rules_dir(tmp_path / "rules")
    path = tmp_path / "decisions.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleErrors) as caught:
        load_rules(rules, decisions=path)
    assert any(message in e.reason and e.path == path for e in caught.value.errors), caught.value


def test_a_missing_decisions_file_is_an_error_only_when_named(tmp_path):
    rules = rules_dir(tmp_path / "rules")
    with pytest.raises(RuleErrors, match="decisions file does not exist"):
        load_rules(rules, decisions=tmp_path / "nope.yaml")
    assert decisions_file(rules) is None
    local = rules / LOCAL_DECISIONS
    local.parent.mkdir()
    local.write_text("rules: []\n", encoding="utf-8")
    assert decisions_file(rules) == local
    assert decisions_file(rules, tmp_path / "other.yaml") == tmp_path / "other.yaml"
    assert load_rules(rules, decisions=decisions_file(rules)).decisions == local
    assert [r.id for r in load_rules(rules).rules] == ["places"]  # local/ is not a rule file by itself


def test_shipped_rules_are_never_written(tmp_path):
    before = shipped_fingerprint()
    for target in (DEFAULT_RULES_DIR / "allow.yaml", DEFAULT_RULES_DIR / "decisions.yaml",
                   DEFAULT_RULES_DIR / "profiles" / "upper.yaml", DEFAULT_RULES_DIR / "lexicons" / "x.yaml"):
        with pytest.raises(UsageError, match="shipped rules"):
            write_decisions(target, apply_decision([], Decision("allow", "沙溪")))
    check_writable_rule_path(DEFAULT_RULES_DIR / LOCAL_DECISIONS)  # allowed (not written here)
    own = rules_dir(tmp_path / "rules")
    for target in (own / "decisions.yaml", own / "profiles" / "d.yaml"):
        with pytest.raises(UsageError, match="cannot be one of the rule files"):
            check_writable_rule_path(target, own)
    report = tmp_path / "report.json"
    report.write_text(json.dumps(make_report()), encoding="utf-8")
    with pytest.raises(UsageError):
        review_report(report, lambda *_: "u", lambda _: None, decisions_path=DEFAULT_RULES_DIR / "allow.yaml")
    assert shipped_fingerprint() == before


# ---------------------------------------------------------------- the loop

def scripted(*answers: str):
    """An `ask` that replies from a script and records the questions."""
    replies = iter(answers)
    asked: list[tuple[str, tuple[str, ...] | None, str | None]] = []

    def ask(question, choices, default):
        asked.append((question, tuple(choices) if choices else None, default))
        return next(replies)

    return ask, asked


def test_loop_records_unmask_mask_and_added_terms():
    items = review_items(make_report())
    ask, asked = scripted("u", "k", "a", "梅棠雅集", "PLACE", "s", "m", "PLACE", "q")
    said: list[str] = []
    outcome = review_loop(items, ask, said.append)
    assert [(d.action, d.term, d.label) for d in outcome.decisions] == [
        ("allow", "沙溪", None), ("deny", "梅棠雅集", "PLACE"), ("deny", "金山", "PLACE")]
    assert (outcome.kept, outcome.skipped, outcome.quit) == (1, 1, True)
    assert asked[0] == ("[k]eep masked / [u]nmask / [s]kip / [a]dd a missed term / [q]uit",
                        ("k", "u", "s", "a", "q"), "s")
    assert asked[7][1:] == (("PLACE", "PERSON", "ORG", "CONTACT", "SECRET"), "PLACE")  # default from the near miss
    assert said[0].startswith("[1/5] 沙溪")


def test_review_command_writes_the_decisions_file(tmp_path):
    report = tmp_path / "out" / "redact-report.json"
    report.parent.mkdir()
    report.write_text(json.dumps(make_report(), ensure_ascii=False), encoding="utf-8")
    decisions = tmp_path / "local" / "decisions.yaml"
    before = shipped_fingerprint()
    result = CliRunner().invoke(main, ["review", str(report), "--decisions", str(decisions)], input="u\nk\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "[1/5] 沙溪 — PLACE, 3 mentions" in result.output
    assert f"1 decision(s) (1 unmask, 0 mask) written to {decisions}; 1 kept, 1 skipped" in result.output
    entries = read_decisions(decisions)
    assert [(e["id"], e["kind"], e["terms"]) for e in entries] == [("decision-allow-1", "allow", ["沙溪"])]
    assert load_rules(decisions=decisions).allow_terms["沙溪"] == "decision-allow-1"
    # a second session keeps the first decision and does not ask about 沙溪 again
    again = CliRunner().invoke(main, ["review", str(report), "--decisions", str(decisions)],
                               input="u\nq\n")
    assert again.exit_code == 0, again.output
    assert "[1/4] 温 — PERSON" in again.output
    assert [e["terms"] for e in read_decisions(decisions)] == [["沙溪"], ["温"]]
    assert shipped_fingerprint() == before


def test_review_command_reports_a_broken_decisions_file(tmp_path):
    report = tmp_path / "redact-report.json"
    report.write_text(json.dumps(make_report()), encoding="utf-8")
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("rules: [", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(report), "--decisions", str(decisions)], input="q\n")
    assert result.exit_code == 2
    assert "redact: rule error:" in result.stderr and "invalid YAML" in result.stderr
    assert decisions.read_text(encoding="utf-8") == "rules: ["


def test_review_command_rejects_a_file_that_is_not_a_report(tmp_path):
    bogus = tmp_path / "x.json"
    bogus.write_text("[1, 2]", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(bogus), "--decisions", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2 and "not a redact report" in result.stderr


# ---------------------------------------------------------------- run → review → run

def masked_report(redactor, source: Path, rules: Path) -> tuple[dict, str]:
    """What `redact run` reports for one file (built here: batch.py keeps one redactor per process)."""
    from redact.documents import TextFormat
    from redact.report.json_report import build_report, document_entry

    redaction = redactor.redact(TextFormat().read(source))
    return build_report([document_entry(redaction, None)], "upper", rules), redaction.masked_text


@pytest.mark.slow
def test_decisions_apply_to_the_next_run(redactor_factory, tmp_path):
    from redact.batch import build_redactor

    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    source.write_text("目前沙溪镇农民集中居住区建设项目。开设“岙坑馨大讲堂”。", encoding="utf-8")
    decisions = tmp_path / "decisions.yaml"
    runner = CliRunner()
    missing = runner.invoke(main, ["run", str(source.parent), "-o", str(tmp_path / "out0"), "-q",
                                   "--decisions", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "decisions file does not exist" in missing.stderr  # named but missing
    assert not (tmp_path / "out0").exists()
    report, masked = masked_report(redactor_factory("upper"), source, DEFAULT_RULES_DIR)
    assert masked == "目前XX镇农民集中居住区建设项目。开设“岙坑馨大讲堂”。"
    report_path = tmp_path / "out1" / "redact-report.json"
    report_path.parent.mkdir()
    report_path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    # 沙溪 is the only entity: unmask it; then add 岙坑 by hand and quit.
    result = runner.invoke(main, ["review", str(report_path), "--decisions", str(decisions)],
                           input="u\na\n岙坑\nplace\nq\n")
    assert result.exit_code == 0, result.output
    report, masked = masked_report(build_redactor(None, "upper", decisions), source, DEFAULT_RULES_DIR)
    assert masked == "目前沙溪镇农民集中居住区建设项目。开设“XX馨大讲堂”。"
    document = report["documents"][0]
    assert [(f["text"], f["rule_id"]) for f in document["findings"]] == [("岙坑", "decision-deny-2")]
    whys = {n["why"] for n in document["near_misses"] if n["text"] == "沙溪"}
    assert whys == {f"allow-listed by decision decision-allow-1 ({decisions})"}
    assert not any(r["text"] == "沙溪" for r in document["residual_risks"])  # decided safe
