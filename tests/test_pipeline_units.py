"""The pure helpers of the pipeline: the reporting years and the vendor spans (no model loaded)."""

from __future__ import annotations

import pytest

from redact.findings import Finding, Replacement
from redact.masking import apply
from redact.pipeline import edited_sentences, protected_spans, reporting_years


@pytest.mark.parametrize(("text", "expected"), [
    ("县政务服务办公室2023年工作总结和2024年工作思路\n一、2023年主要工作\n2019年以来", {"2022", "2023", "2024"}),
    ("市政建设中心2023年工作总结\n正文2024年", {"2022", "2023"}),
    ("区交通运输局2023年度工作总结及2024年工作思路\t19\n", {"2022", "2023", "2024"}),
    # leading blank lines and spaces before the title are skipped
    ("\n\n  政务服务中心2023年工作总结和2024年工作思路\n", {"2022", "2023", "2024"}),
    ("\r\n县2023年政务公开工作总结\r\n", {"2022", "2023"}),
    # only the title line counts
    ("工作总结\n2023年主要工作", set()),
    ("", set()),
    # a number not followed by 年 is not a year; nor is a longer number
    ("2023工作总结", set()),
    ("编号12023年", set()),
    ("1999年工作总结", {"1998", "1999"}),
])
def test_reporting_years(text, expected):
    assert reporting_years(text) == frozenset(expected)


def test_reporting_years_only_read_the_start_of_a_long_title():
    text = "县" * 100 + "2023年工作总结"
    assert reporting_years(text) == frozenset()


@pytest.mark.parametrize(("text", "expected"), [
    ("前言\n##paidbegin##二、正文\n##paidend##", ["##paidbegin##", "##paidend##"]),
    ("落实落地##paidbegin##，推动", ["##paidbegin##"]),
    ("宁波等地出##paidbegin##台力度更大", ["##paidbegin##"]),
    ("##paidend##", ["##paidend##"]),
    ("没有标记", []),
    ("##paid##、#paidbegin#、##PAIDBEGIN##", []),
])
def test_protected_spans(text, expected):
    spans = protected_spans(text)
    assert [text[start:end] for start, end in spans] == expected
    assert list(spans) == sorted(spans)


def test_protected_span_offsets_are_exact():
    text = "前言\n##paidbegin##二、正文\n##paidend##"
    assert protected_spans(text) == ((3, 16), (21, 32))


def _edit(start: int, end: int, new: str) -> Replacement:
    finding = Finding(start, end, "x" * (end - start), "PLACE", "r", "R", 1.0, "")
    return Replacement(start, end, new, finding)


@pytest.mark.parametrize(("original", "edits", "expected"), [
    # one placeholder: the sentence (with its 。) that holds it
    ("甲乙丙。沙溪镇好。丁戊", [(4, 6, "XX")], ["XX镇好。"]),
    # offsets shift with earlier edits of another length; line ends split sentences too
    ("温州市。\n平阳县很好！无关", [(0, 2, "X"), (5, 7, "XX")], ["X市。", "XX县很好！"]),
    # a deletion touches the sentence it lies in; the last sentence runs to the end
    ("无关。删掉这里", [(5, 7, "")], ["删掉"]),
    # a sentence end masked with its sentences leaves one sentence; two placeholders in a row
    ("甲。乙", [(0, 3, "XXX")], ["XXX"]),
    ("甲。乙", [(0, 1, "X"), (2, 3, "X")], ["X。", "X"]),
    ("无关。", [], []),
])
def test_edited_sentences(original, edits, expected):
    replacements = [_edit(*e) for e in edits]
    masked = apply(original, replacements)
    assert [masked[a:b] for a, b in edited_sentences(masked, replacements)] == expected
