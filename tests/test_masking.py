"""Placeholders per masking style, replacements per profile, and applying edits to a text."""

from __future__ import annotations

import pytest

from redact.findings import Finding, Replacement
from redact.masking import apply, placeholder_for, replacements
from redact.rules import LabelMask, Profile

FIXED_UPPER = LabelMask(style="fixed", placeholder="XX")
FIXED_LOWER = LabelMask(style="fixed", placeholder="xx")
PER_CHAR_UPPER = LabelMask(style="per_char", placeholder="X")
PER_CHAR_LOWER = LabelMask(style="per_char", placeholder="x")
PER_DIGIT = LabelMask(style="per_digit", placeholder="x")

UPPER = Profile(id="upper", labels={
    "PLACE": FIXED_UPPER, "ORG": FIXED_UPPER, "PERSON": PER_CHAR_UPPER,
    "FIGURE": FIXED_UPPER, "CONTACT": FIXED_UPPER, "SECRET": FIXED_UPPER})
LOWER = Profile(id="lower", labels={
    "PLACE": FIXED_LOWER, "ORG": FIXED_LOWER, "PERSON": PER_CHAR_LOWER,
    "FIGURE": PER_DIGIT, "CONTACT": PER_DIGIT, "SECRET": FIXED_LOWER})


def finding(text: str, start: int = 0, label: str = "PLACE", replacement: str | None = None) -> Finding:
    return Finding(start=start, end=start + len(text), text=text, label=label, rule_id="t",
                   recognizer="test", score=0.9, reason="test", replacement=replacement)


def find(text: str, part: str, label: str, occurrence: int = 0, replacement: str | None = None) -> Finding:
    """The finding for the `occurrence`-th `part` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    return finding(part, start, label, replacement)


@pytest.mark.parametrize(("text", "mask", "expected"), [
    # fixed: two placeholder characters whatever the length (STYLE §a3)
    ("沙溪", FIXED_UPPER, "XX"),
    ("腾云山", FIXED_UPPER, "XX"),
    ("162.7", FIXED_UPPER, "XX"),
    ("下岩贝金山上", FIXED_LOWER, "xx"),
    # per_char: one placeholder per character (surnames, full names)
    ("温", PER_CHAR_UPPER, "X"),
    ("贾志春", PER_CHAR_UPPER, "XXX"),
    ("欧阳", PER_CHAR_LOWER, "xx"),
    # per_digit: each Arabic digit, the rest kept
    ("17.4", PER_DIGIT, "xx.x"),
    ("94.51", PER_DIGIT, "xx.xx"),
    ("2023", PER_DIGIT, "xxxx"),
    ("-3.5", PER_DIGIT, "-x.x"),
    ("0571-87654321", PER_DIGIT, "xxxx-xxxxxxxx"),
    ("1/3", PER_DIGIT, "x/x"),
    ("１７．４", PER_DIGIT, "xx．x"),
    ("１２３", PER_DIGIT, "xxx"),
    ("十四五", PER_DIGIT, "十四五"),
    ("B2C", PER_DIGIT, "BxC"),
])
def test_placeholder_for(text, mask, expected):
    assert placeholder_for(finding(text), mask) == expected


@pytest.mark.parametrize(("text", "mask"), [
    ("XX", FIXED_UPPER),
    ("xx", FIXED_LOWER),
    ("X", PER_CHAR_UPPER),
    ("xxx", PER_CHAR_LOWER),
    ("xx.x", PER_DIGIT),
    ("xxx%", PER_DIGIT),
])
def test_placeholder_of_a_placeholder_is_itself(text, mask):
    assert placeholder_for(finding(text), mask) == text


@pytest.mark.parametrize(("profile", "label", "text", "expected"), [
    (UPPER, "PLACE", "沙溪", "XX"),
    (UPPER, "PERSON", "温", "X"),
    (UPPER, "PERSON", "贾志春", "XXX"),
    (UPPER, "FIGURE", "62.54", "XX"),
    (UPPER, "CONTACT", "13812345678", "XX"),
    (LOWER, "PLACE", "沙溪", "xx"),
    (LOWER, "PERSON", "贾志春", "xxx"),
    (LOWER, "FIGURE", "17.4", "xx.x"),
    (LOWER, "CONTACT", "0571-87654321", "xxxx-xxxxxxxx"),
    (LOWER, "SECRET", "wsx2023", "xx"),
])
def test_replacements_follow_the_profile(profile, label, text, expected):
    [edit] = replacements([finding(text, 5, label)], profile)
    assert (edit.start, edit.end, edit.new) == (5, 5 + len(text), expected)


@pytest.mark.parametrize(("text", "replacement", "expected"), [
    ("习近平", "A", "A"),
    ("党", "D", "D"),
    ("微信", "AAA", "AAA"),
    ("习近平总书记", "", ""),       # deletion
    ("习近平", None, ""),            # no replacement text: deleted too
])
def test_term_replacement(text, replacement, expected):
    for profile in (UPPER, LOWER):
        [edit] = replacements([finding(text, 0, "TERM", replacement)], profile)
        assert edit.new == expected


@pytest.mark.parametrize(("text", "parts", "profile", "expected"), [
    ("目前沙溪镇农民", [("沙溪", "PLACE")], UPPER, "目前XX镇农民"),
    ("获市委温书记批示肯定", [("温", "PERSON")], UPPER, "获市委X书记批示肯定"),
    ("全县共办理162.7万件，成交额62.54亿元",
     [("162.7", "FIGURE"), ("62.54", "FIGURE")], UPPER, "全县共办理XX万件，成交额XX亿元"),
    ("利用本乡17.4万亩的山场优势", [("17.4", "FIGURE")], LOWER, "利用本乡xx.x万亩的山场优势"),
    ("局长贾志春任组长，副局长郑志高任副组长",
     [("贾志春", "PERSON"), ("郑志高", "PERSON")], LOWER, "局长xxx任组长，副局长xxx任副组长"),
    # edits at the very start and end, and adjacent edits
    ("沙溪镇", [("沙溪", "PLACE")], UPPER, "XX镇"),
    ("回山儒岙", [("回山", "PLACE"), ("儒岙", "PLACE")], UPPER, "XXXX"),
    ("电话13812345678", [("13812345678", "CONTACT")], LOWER, "电话xxxxxxxxxxx"),
    # no edits at all
    ("没有需要遮盖的内容", [], UPPER, "没有需要遮盖的内容"),
])
def test_apply(text, parts, profile, expected):
    findings = [find(text, part, label) for part, label in parts]
    assert apply(text, replacements(findings, profile)) == expected


def test_apply_with_term_deletion_and_replacement():
    text = "深入贯彻习近平总书记重要讲话，全面从严治党，用好微信群"
    findings = [find(text, "习近平总书记", "TERM", replacement=""),
                find(text, "党", "TERM", replacement="D"),
                find(text, "微信", "TERM", replacement="AAA")]
    assert apply(text, replacements(findings, UPPER)) == "深入贯彻重要讲话，全面从严治D，用好AAA群"


def test_apply_sorts_edits():
    text = "沙溪和回山"
    edits = [Replacement(3, 5, "YY", finding("回山", 3)), Replacement(0, 2, "XX", finding("沙溪", 0))]
    assert apply(text, edits) == "XX和YY"


def test_apply_keeps_line_endings_and_markers():
    text = "##paidbegin##\r\n目前沙溪镇\r\n##paidend##"
    assert apply(text, replacements([find(text, "沙溪", "PLACE")], UPPER)) == "##paidbegin##\r\n目前XX镇\r\n##paidend##"


@pytest.mark.parametrize(("masked", "parts", "profile"), [
    ("目前XX镇农民", [("XX", "PLACE")], UPPER),
    ("获市委X书记批示肯定", [("X", "PERSON")], UPPER),
    ("全县共办理XX万件", [("XX", "FIGURE")], UPPER),
    ("利用本乡xx.x万亩", [("xx.x", "FIGURE")], LOWER),
    ("局长xxx任组长", [("xxx", "PERSON")], LOWER),
    ("入驻xx区金城路xxx号", [("xx", "PLACE"), ("xxx", "FIGURE")], LOWER),
])
def test_masking_placeholders_changes_nothing(masked, parts, profile):
    findings = [find(masked, part, label) for part, label in parts]
    assert apply(masked, replacements(findings, profile)) == masked


@pytest.mark.parametrize(("text", "parts", "profile"), [
    ("目前沙溪镇农民", [("沙溪", "PLACE")], UPPER),
    ("利用本乡17.4万亩，率94.51%", [("17.4", "FIGURE"), ("94.51", "FIGURE")], LOWER),
    ("局长贾志春任组长", [("贾志春", "PERSON")], LOWER),
])
def test_masking_twice_equals_masking_once(text, parts, profile):
    """Masking the masked text again at the same (shifted) places gives the same text."""
    once = apply(text, replacements([find(text, p, label) for p, label in parts], profile))
    placeholders = [(placeholder_for(finding(p), profile.labels[label]), label) for p, label in parts]
    seen: dict[str, int] = {}
    again_findings = []
    for placeholder, label in placeholders:
        again_findings.append(find(once, placeholder, label, seen.get(placeholder, 0)))
        seen[placeholder] = seen.get(placeholder, 0) + 1
    assert apply(once, replacements(again_findings, profile)) == once
