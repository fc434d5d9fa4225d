"""Residual risk: what is still in the masked text that could identify the source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redact.findings import Finding, NearMiss, Replacement
from redact.masking import apply
from redact.residual import ResidualRisk, ResidualScanner, output_offset
from redact.rules import load_rules

GAZETTEER = "\n".join([
    "绍兴市\t绍兴\tprefecture\t浙江省",
    "新昌县\t新昌\tcounty\t浙江省/绍兴市",
    "沙溪镇\t沙溪\ttownship\t浙江省/绍兴市/新昌县",
    "回山镇\t回山\ttownship\t浙江省/绍兴市/新昌县",
    "温州市\t温州\tprefecture\t浙江省",
]) + "\n"


@pytest.fixture(scope="module")
def scanner(tmp_path_factory) -> ResidualScanner:
    """A small rule set: gazetteer, people, a watch list and an allow-list."""
    root = tmp_path_factory.mktemp("rules")
    (root / "profiles").mkdir()
    (root / "profiles" / "upper.yaml").write_text(
        "id: upper\nlabels:\n  PLACE: {style: fixed, placeholder: XX}\n", encoding="utf-8")
    (root / "lexicons").mkdir()
    files = {"divisions.tsv": GAZETTEER, "surnames.txt": "王\n温\n全\n向\n欧阳\n",
             "titles.txt": "副县长\n县长\n市长\n书记\n", "person_stop.txt": "全市\n"}
    for name, content in files.items():
        (root / "lexicons" / name).write_text(content, encoding="utf-8")
    (root / "places.yaml").write_text(
        "rules:\n  - id: division-gazetteer\n    kind: gazetteer\n    label: PLACE\n"
        "    file: lexicons/divisions.tsv\n    levels: [prefecture, county, township]\n"
        "    keep_suffixes: [市, 县, 镇]\n", encoding="utf-8")
    (root / "people.yaml").write_text(
        "rules:\n  - id: person-title\n    kind: person\n    label: PERSON\n    surnames_file: lexicons/surnames.txt\n"
        "    titles_file: lexicons/titles.txt\n    stop_file: lexicons/person_stop.txt\n", encoding="utf-8")
    (root / "watch.yaml").write_text("rules:\n  - id: watch-regions\n    kind: watch\n    terms: [浙南, 辨识度]\n",
                                     encoding="utf-8")
    (root / "allow.yaml").write_text("rules:\n  - id: ok\n    kind: allow\n    terms: [回山]\n", encoding="utf-8")
    return ResidualScanner(load_rules(root))


def risks(scanner: ResidualScanner, text: str, **kwargs) -> list[tuple[str, str]]:
    found = scanner.scan(text, **kwargs)
    for risk in found:
        assert text[risk.start:risk.end] == risk.text  # offsets into the (masked) text
    return [(r.kind, r.text) for r in found]


def test_each_kind_of_risk(scanner):
    text = "获王县长批示。持续领跑温州，目前沙溪镇、新昌县。电话13812345678。浙南。"
    assert risks(scanner, text) == [
        ("surname-title", "王"), ("gazetteer", "温州"), ("gazetteer", "沙溪"), ("gazetteer", "新昌"),
        ("digits", "13812345678"), ("watch", "浙南")]
    reasons = {r.text: r.reason for r in scanner.scan(text)}
    assert reasons["王"] == "surname 「王」 right before the title 「县长」"
    assert "short form" in reasons["温州"] and "浙江省/温州市" in reasons["温州"]
    assert "full name" in reasons["沙溪"]
    assert reasons["浙南"] == "on the watch list (watch-regions)"


def test_what_is_not_a_risk(scanner):
    assert risks(scanner, "XX镇、XX县召开会议，获X县长批示。") == []  # already masked
    assert risks(scanner, "回山镇的回山。") == []  # allow-listed
    assert risks(scanner, "推动创新昌盛。") == []  # 新昌 inside 创新…: a word, not the county
    assert risks(scanner, "2023年12月11日，第1234号。") == []  # fewer than five digits
    assert risks(scanner, "全市长期坚持；向县长汇报。") == []  # 全市…, 向 (a preposition)
    assert risks(scanner, "获欧阳副县长批示。") == [("surname-title", "欧阳")]  # compound surname, nested title


def test_township_short_forms_are_left_to_the_recognizers(scanner):
    assert risks(scanner, "沙溪的经验，绍兴的经验。") == [("gazetteer", "绍兴")]


def test_one_risk_per_span_the_watch_list_first(scanner):
    text = "温州辨识度"
    assert risks(scanner, text) == [("gazetteer", "温州"), ("watch", "辨识度")]


def near_miss(text: str, part: str, score: float, why: str = "score below the threshold", label: str = "PLACE",
              kept: bool = False) -> NearMiss:
    start = text.index(part)
    return NearMiss(Finding(start, start + len(part), part, label, "landmark-suffix", "Test", score, "test"), why, kept)


def test_near_misses_left_in_the_output(scanner):
    original = "沙溪镇的梅棠雅集和下岩贝，金山上。"
    masked_finding = Finding(0, 2, "沙溪", "PLACE", "division-gazetteer", "Test", 0.9, "test")
    edits = [Replacement(0, 2, "XX", masked_finding)]
    masked = apply(original, edits)
    misses = [near_miss(original, "梅棠雅集", 0.6), near_miss(original, "下岩贝", 0.2),
              near_miss(original, "金山", 0.9, why="allow-listed by decision decision-allow-1 (d.yaml)", kept=True),
              near_miss(original, "沙溪镇", 0.5)]  # overlaps the masked 沙溪: not left in the output
    found = scanner.scan(masked, edits, misses)
    assert [(r.kind, r.text, r.start) for r in found] == [("near-miss", "梅棠雅集", 4)]
    assert masked[4:8] == "梅棠雅集"
    assert found[0].reason == ("almost masked as PLACE by landmark-suffix (score 0.60): score below the threshold")


def test_output_offset():
    finding = Finding(2, 4, "沙溪", "PLACE", "r", "Test", 0.9, "test")
    edits = [Replacement(2, 4, "X", finding), Replacement(10, 12, "", finding)]
    assert output_offset(0, 2, edits) == 0
    assert output_offset(5, 7, edits) == 4  # 沙溪 → X shifts by one
    assert output_offset(12, 14, edits) == 9
    assert output_offset(3, 6, edits) is None


def test_report_entries_carry_residual_risks():
    from redact.documents import Document
    from redact.pipeline import Redaction
    from redact.report.json_report import document_entry
    from redact.rules import Profile

    risk = ResidualRisk(0, 2, "浙南", "watch", "on the watch list (watch-regions)")
    redaction = Redaction(Document(source=Path("a.txt"), text="浙南", format="text"), Profile(id="upper"), None,
                          (), (), (), (), "浙南", (risk,))
    entry = json.loads(json.dumps(document_entry(redaction, None)))
    assert entry["residual_risks"] == [{"start": 0, "end": 2, "text": "浙南", "kind": "watch",
                                        "reason": "on the watch list (watch-regions)"}]


def test_the_shipped_watch_list_loads():
    ruleset = load_rules()
    assert ruleset.watch_terms["浙南"] == "watch-regions"
    assert not any(r.id.startswith("watch-") for r in ruleset.rules)  # not a recognizer rule


@pytest.mark.slow
def test_residual_risks_of_a_real_document(redactor_factory):
    from redact.documents import Document

    text = "落实县委“14361”战略，向县长汇报。发挥异地商会作用。获市委温书记批示肯定。"
    redaction = redactor_factory("upper").redact(Document(source=Path("a.txt"), text=text, format="text"))
    assert "X书记" in redaction.masked_text
    found = {(r.kind, r.text) for r in redaction.residual_risks}
    assert {("digits", "14361"), ("watch", "商会"), ("near-miss", "向")} <= found
    for risk in redaction.residual_risks:
        assert redaction.masked_text[risk.start:risk.end] == risk.text
