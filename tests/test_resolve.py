"""Resolution: profile filters, thresholds, allow-list, overlaps, protected spans, propagation."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from redact.allowed_phrases import AllowedPhrases
from redact.findings import Finding
from redact.resolve import ResolveSettings, choose_non_overlapping, propagate, resolve
from redact.rules import LabelMask, Profile

MASK = LabelMask(style="fixed", placeholder="XX")
UPPER = Profile(id="upper", threshold=0.5, labels={"PLACE": MASK},
                figure_classes=("money", "magnitude", "measure"))
LOWER = Profile(id="lower", threshold=0.5, labels={"PLACE": MASK},
                figure_classes=("money", "magnitude", "measure", "percent", "count", "date", "year",
                                "ordinal", "version", "number"),
                keep_reporting_years=True)


def settings(profile: Profile = UPPER, **kwargs) -> ResolveSettings:
    return ResolveSettings(profile=profile, **kwargs)


def at(text: str, part: str, occurrence: int = 0, *, label: str = "PLACE", rule_id: str = "r",
       score: float = 0.9, figure_class: str | None = None, length: int | None = None) -> Finding:
    """A finding on the `occurrence`-th `part` of `text` (or its first `length` characters)."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    end = start + (len(part) if length is None else length)
    return Finding(start=start, end=end, text=text[start:end], label=label, rule_id=rule_id,
                   recognizer="test", score=score, reason="test", figure_class=figure_class)


def masked_texts(resolution) -> list[tuple[int, str]]:
    return [(f.start, f.text) for f in resolution.masked]


# ---------------------------------------------------------------- overlaps

@pytest.mark.parametrize(("candidates", "expected_rule"), [
    # longest span wins, whatever its score
    ([dict(part="沙溪镇", rule_id="a", score=0.6), dict(part="沙溪", rule_id="b", score=0.99)], "a"),
    # equal spans: highest score wins
    ([dict(part="沙溪", rule_id="a", score=0.7), dict(part="沙溪", rule_id="b", score=0.9)], "b"),
    # equal spans and scores: smallest rule id wins
    ([dict(part="沙溪", rule_id="b", score=0.9), dict(part="沙溪", rule_id="a", score=0.9)], "a"),
    # partial overlap, equal length: score, then rule id
    ([dict(part="前沙", rule_id="a", score=0.9), dict(part="沙溪", rule_id="b", score=0.95)], "b"),
    ([dict(part="前沙", rule_id="b", score=0.9), dict(part="沙溪", rule_id="a", score=0.9)], "a"),
])
def test_overlap_resolution_order(candidates, expected_rule):
    text = "目前沙溪镇农民"
    findings = [at(text, c["part"], rule_id=c["rule_id"], score=c["score"]) for c in candidates]
    for order in (findings, findings[::-1]):
        chosen, rejected = choose_non_overlapping(order)
        assert [f.rule_id for f in chosen] == [expected_rule]
        assert len(rejected) == len(findings) - 1


def test_non_overlapping_findings_all_kept_in_text_order():
    text = "沙溪、回山、儒岙"
    findings = [at(text, "儒岙"), at(text, "沙溪"), at(text, "回山")]
    chosen, rejected = choose_non_overlapping(findings)
    assert [f.text for f in chosen] == ["沙溪", "回山", "儒岙"] and rejected == []


def test_adjacent_findings_do_not_overlap():
    text = "回山儒岙"
    chosen, _ = choose_non_overlapping([at(text, "回山"), at(text, "儒岙")])
    assert len(chosen) == 2


def test_partly_overlapped_finding_is_a_near_miss_contained_one_is_not():
    text = "目前沙溪镇农民"
    contained = at(text, "沙溪", rule_id="short")
    partial = at(text, "前沙", rule_id="partial")
    longest = at(text, "沙溪镇", rule_id="long")
    result = resolve([contained, partial, longest], text, settings())
    assert masked_texts(result) == [(2, "沙溪镇")]
    assert [(n.finding.rule_id, n.why) for n in result.near_misses] == [
        ("partial", "overlaps a longer or stronger finding")]


# ---------------------------------------------------------------- threshold and allow-list

@pytest.mark.parametrize(("score", "masked", "why"), [
    (0.9, True, None),
    (0.5, True, None),
    (0.49, False, "score 0.49 below the threshold 0.50"),
    (0.1, False, "score 0.10 below the threshold 0.50"),
])
def test_threshold(score, masked, why):
    text = "目前沙溪镇农民"
    result = resolve([at(text, "沙溪", score=score)], text, settings())
    assert bool(result.masked) is masked
    assert [n.why for n in result.near_misses] == ([why] if why else [])


def test_allow_listed_is_a_near_miss():
    text = "浙江省新昌县"
    result = resolve([at(text, "浙江", score=0.99), at(text, "新昌")], text,
                     settings(allow_terms=frozenset({"浙江"})))
    assert masked_texts(result) == [(3, "新昌")]
    assert [(n.finding.text, n.why, n.kept) for n in result.near_misses] == [("浙江", "allow-listed", True)]


def test_a_rule_may_keep_what_it_recognises():
    text = "市委组织部和沙溪镇"
    body = replace(at(text, "市委组织部", label="ORG"), kept="a body named by its function alone")
    result = resolve([body, at(text, "沙溪", score=0.3)], text, settings())
    assert result.masked == ()
    assert [(n.finding.text, n.why, n.kept) for n in result.near_misses] == [
        ("市委组织部", "kept by its rule: a body named by its function alone", True),
        ("沙溪", "score 0.30 below the threshold 0.50", False)]


def test_an_allow_listed_phrase_keeps_the_names_inside_it_only_there():
    text = "学习晋江经验，参观沙溪镇"
    allow = {"晋江经验": "national-models"}
    result = resolve([at(text, "晋江"), at(text, "沙溪")], text,
                     settings(allow_terms=allow, allowed_phrases=AllowedPhrases(allow).occurrences(text)))
    assert masked_texts(result) == [(9, "沙溪")]
    assert [(n.finding.text, n.why, n.kept) for n in result.near_misses] == [
        ("晋江", "allow-listed by national-models (inside 「晋江经验」)", True)]


def test_a_name_confirmed_elsewhere_is_masked_inside_an_allow_listed_phrase_too():
    text = "学习晋江经验，赴晋江市"  # the document names the place itself: the phrase names it too
    allow = {"晋江经验": "national-models"}
    result = resolve([at(text, "晋江"), at(text, "晋江", 1)], text,
                     settings(allow_terms=allow, allowed_phrases=AllowedPhrases(allow).occurrences(text)))
    assert masked_texts(result) == [(2, "晋江"), (8, "晋江")]


def test_allow_list_is_checked_before_the_threshold():
    text = "浙江省"
    result = resolve([at(text, "浙江", score=0.1)], text, settings(allow_terms=frozenset({"浙江"})))
    assert [n.why for n in result.near_misses] == ["allow-listed"]


def test_near_misses_do_not_block_a_weaker_overlapping_finding():
    text = "目前沙溪镇农民"
    weak_long = at(text, "沙溪镇", score=0.2, rule_id="a")
    good_short = at(text, "沙溪", score=0.8, rule_id="b")
    result = resolve([weak_long, good_short], text, settings())
    assert masked_texts(result) == [(2, "沙溪")]
    assert [n.finding.rule_id for n in result.near_misses] == ["a"]


# ---------------------------------------------------------------- figures and years

@pytest.mark.parametrize(("profile", "figure_class", "masked"), [
    (UPPER, "money", True),
    (UPPER, "magnitude", True),
    (UPPER, "measure", True),
    (UPPER, "percent", False),
    (UPPER, "count", False),
    (UPPER, "date", False),
    (UPPER, "year", False),
    (UPPER, "code", False),
    (UPPER, "version", False),
    (UPPER, None, False),
    (LOWER, "percent", True),
    (LOWER, "count", True),
    (LOWER, "date", True),
    (LOWER, "version", True),
    (LOWER, "code", False),
])
def test_figure_classes_filtered_by_profile(profile, figure_class, masked):
    text = "数字1234在这里"
    finding = at(text, "1234", label="FIGURE", figure_class=figure_class)
    result = resolve([finding], text, settings(profile))
    assert bool(result.masked) is masked
    assert result.near_misses == ()  # filtered by the profile: not even a near miss


@pytest.mark.parametrize(("profile", "year", "masked"), [
    (LOWER, "2023", False),
    (LOWER, "2022", False),
    (LOWER, "2021", True),
    (LOWER.model_copy(update={"keep_reporting_years": False}), "2023", True),
])
def test_reporting_years(profile, year, masked):
    text = f"截至{year}年底"
    finding = at(text, year, label="FIGURE", figure_class="year")
    result = resolve([finding], text, settings(profile, reporting_years=frozenset({"2022", "2023", "2024"})))
    assert bool(result.masked) is masked


def test_figures_are_not_propagated():
    text = "增收35万元，共35项"
    result = resolve([at(text, "35", label="FIGURE", figure_class="money")], text, settings())
    assert masked_texts(result) == [(2, "35")]


# ---------------------------------------------------------------- placeholders and protected spans

@pytest.mark.parametrize(("text", "part", "label"), [
    ("目前XX镇农民", "XX", "PLACE"),
    ("目前xx镇农民", "xx", "PLACE"),
    ("获X书记批示", "X", "PERSON"),
    ("获xxx批示", "xxx", "PERSON"),
])
def test_placeholder_only_findings_are_dropped(text, part, label):
    result = resolve([at(text, part, label=label)], text, settings())
    assert result.masked == () and result.near_misses == ()


def test_mixed_placeholder_finding_is_kept():
    text = "XX沙溪"
    result = resolve([at(text, "XX沙溪")], text, settings())
    assert masked_texts(result) == [(0, "XX沙溪")]


@pytest.mark.parametrize(("protected", "masked"), [
    (((0, 13),), [(15, "沙溪")]),          # the finding is outside the protected span
    (((15, 19),), []),                      # the finding is inside
    (((16, 18),), []),                      # the protected span cuts the finding
])
def test_protected_spans(protected, masked):
    text = "##paidbegin##目前沙溪镇"
    result = resolve([at(text, "沙溪")], text, settings(protected=protected))
    assert masked_texts(result) == masked
    assert result.near_misses == ()


# ---------------------------------------------------------------- propagation

def test_confirmed_entity_masks_every_other_mention():
    text = "目前沙溪镇农民集中居住，沙溪的经验，推广沙溪模式"
    result = resolve([at(text, "沙溪")], text, settings())
    assert masked_texts(result) == [(2, "沙溪"), (12, "沙溪"), (20, "沙溪")]
    assert [f.origin for f in result.masked] == ["rule", "propagated", "propagated"]
    assert result.masked[1].reason == "another mention of 「沙溪」 confirmed at 2 (r)"
    assert {(f.label, f.rule_id, f.score) for f in result.masked} == {("PLACE", "r", 0.9)}


def test_propagation_starts_from_any_mention():
    text = "沙溪的经验；目前沙溪镇"
    result = resolve([at(text, "沙溪", 1)], text, settings())
    assert masked_texts(result) == [(0, "沙溪"), (8, "沙溪")]


@pytest.mark.parametrize("label", ["PLACE", "ORG", "PERSON", "CONTACT", "SECRET"])
def test_propagated_labels(label):
    text = "贾志春任组长，贾志春说"
    result = resolve([at(text, "贾志春", label=label)], text, settings())
    assert len(result.masked) == 2


@pytest.mark.parametrize("label", ["FIGURE", "TERM"])
def test_labels_not_propagated(label):
    text = "习近平新时代，习近平"
    finding = at(text, "习近平", label=label, figure_class="money", rule_id="t")
    result = resolve([finding], text, settings(active_term_rules=frozenset({"t"})))
    assert len(result.masked) == 1


def test_propagation_skips_protected_spans():
    text = "目前沙溪镇；沙溪；沙溪"
    protected = ((6, 8),)
    result = resolve([at(text, "沙溪")], text, settings(protected=protected))
    assert masked_texts(result) == [(2, "沙溪"), (9, "沙溪")]


def test_single_characters_are_not_propagated():
    text = "获市委温书记批示，温州市"
    result = resolve([at(text, "温", label="PERSON")], text, settings())
    assert masked_texts(result) == [(3, "温")]


def test_a_mention_inside_a_longer_kept_name_is_not_propagated():
    text = "弘扬焦裕禄精神，修建裕禄大道"
    figure = at(text, "焦裕禄", label="PERSON")
    result = resolve([figure, at(text, "裕禄", 1)], text, settings(allow_terms={"焦裕禄": "national-figures"}))
    assert masked_texts(result) == [(10, "裕禄")]


def test_allow_listed_terms_are_not_propagated():
    text = "浙江省；浙江"
    result = resolve([at(text, "浙江")], text, settings(allow_terms=frozenset({"浙江"})))
    assert result.masked == ()


def test_propagation_does_not_overlap_accepted_findings():
    text = "沙溪镇和沙溪口"
    long = at(text, "沙溪口", rule_id="long")
    short = at(text, "沙溪", rule_id="short")
    result = resolve([long, short], text, settings())
    # 沙溪 in 沙溪口 is already covered by the longer finding
    assert masked_texts(result) == [(0, "沙溪"), (4, "沙溪口")]


def test_longer_entity_wins_a_shared_start_in_propagation():
    text = "沙溪镇；沙溪口村；沙溪口"
    result = resolve([at(text, "沙溪"), at(text, "沙溪口")], text, settings())
    assert masked_texts(result) == [(0, "沙溪"), (4, "沙溪口"), (9, "沙溪口")]


def test_an_ordinary_word_entity_is_masked_again_only_in_the_same_context():
    text = "引导民生科技入驻，民生科技园建成，保障民生，民生实事。"
    result = resolve([at(text, "民生", label="ORG")], text, settings())
    assert masked_texts(result) == [(2, "民生"), (9, "民生")]  # 民生科…, not 保障民生 or 民生实事


def test_a_place_spelled_like_a_word_tagged_as_a_name_is_masked_again_only_in_the_same_context():
    text = "完成光荣路拓宽，光荣路通车，他光荣退休。记者马朝旭报道，马朝旭说。"
    result = resolve([at(text, "光荣"), at(text, "马朝旭", label="PERSON")], text, settings())
    assert masked_texts(result) == [(2, "光荣"), (8, "光荣"), (22, "马朝旭"), (28, "马朝旭")]  # not 光荣退休


def test_an_ordinary_word_borrowed_from_another_file_is_not_propagated():
    text = "保障民生，民生科技入驻，永丰片区。"
    borrowed = (replace(at("民生科技", "民生", label="ORG"), origin="batch"),
                replace(at("永丰、", "永丰"), origin="batch"))
    result = resolve([], text, settings(extra_entities=borrowed))
    assert masked_texts(result) == [(12, "永丰")]  # a rare word (43 uses) still is


def test_propagate_without_entities_returns_input():
    text = "没有实体"
    assert propagate([], text, settings()) == []


# ---------------------------------------------------------------- determinism

def _document():
    text = "目前沙溪镇农民；沙溪的经验；获市委温书记批示；增收35万元；浙江省；率94.51%"
    findings = [
        at(text, "沙溪", rule_id="admin-suffix", score=0.75),
        at(text, "沙溪镇", rule_id="gazetteer", score=0.6, length=2),
        at(text, "前沙", rule_id="noise", score=0.75),
        at(text, "温", label="PERSON", rule_id="person"),
        at(text, "35", label="FIGURE", figure_class="money", rule_id="figures"),
        at(text, "94.51", label="FIGURE", figure_class="percent", rule_id="figures"),
        at(text, "浙江", rule_id="gazetteer"),
        at(text, "镇农", rule_id="weak", score=0.2),
        at(text, "镇农", rule_id="weak-too", score=0.2),
        at(text, "经验", rule_id="weak", score=0.3),
    ]
    return text, findings, settings(allow_terms=frozenset({"浙江"}))


def test_same_input_same_output():
    text, findings, config = _document()
    assert resolve(findings, text, config) == resolve(findings, text, config)


@pytest.mark.parametrize("seed", range(20))
def test_input_order_does_not_matter(seed):
    text, findings, config = _document()
    expected = resolve(findings, text, config)
    shuffled = findings[:]
    random.Random(seed).shuffle(shuffled)
    assert resolve(shuffled, text, config) == expected


def test_determinism_document_result():
    text, findings, config = _document()
    result = resolve(findings, text, config)
    assert [(f.start, f.text, f.rule_id, f.origin) for f in result.masked] == [
        (2, "沙溪", "admin-suffix", "rule"),
        (8, "沙溪", "admin-suffix", "propagated"),
        (17, "温", "person", "rule"),
        (25, "35", "figures", "rule"),
    ]


@pytest.mark.parametrize(("text", "start", "end", "cuts"), [
    ("推进创新昌盛", 3, 5, True),     # 创新 spans the left edge
    ("在新昌召开", 1, 3, False),
    ("目前沙溪镇农民", 2, 4, False),
    ("王县长台州市", 3, 5, False),    # 州市 is a word, but 市 is the name's own suffix
    ("成功促成科莱及其", 4, 6, False),  # 成科 is a rare word, and 促成 takes 成
    ("优化营商城建设", 3, 5, True),     # 营商 is rare, but nothing else takes 营
    ("通苏嘉甬铁路桥建设", 5, 7, True),  # 铁路 is frequent
    ("画好融合发展同心圆", 6, 8, True),  # 同心圆 is a word of its own (32 uses)
    ("温州人在外创业", 0, 2, False),  # 温州人 is listed, but only 3 times: noise
])
def test_propagation_never_cuts_a_dictionary_word(text: str, start: int, end: int, cuts: bool) -> None:
    from redact.resolve import cuts_a_word

    assert cuts_a_word(text, start, end) is cuts
