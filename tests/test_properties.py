"""Hypothesis properties of the whole pipeline on generated administrative prose."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redact.documents import Document

pytestmark = pytest.mark.slow

PLACES = ["沙溪镇", "回山镇", "台州市", "下陈街道", "新昌县", "腾云山大桥", "恒达科技公司"]
PEOPLE = ["温书记", "王县长", "局长贾志春任组长", "廖俊波同志"]
FIGURES = ["162.7万件", "62.54亿元", "17.4万亩", "94.51%", "493项", "6月21日", "“14361”"]
FILLER = ["，", "。", "全面推进政务服务改革", "在", "召开现场会", "获批示肯定", "完成投资", "建设项目", "\n", "、"]
sentences = st.lists(st.sampled_from(PLACES + PEOPLE + FIGURES + FILLER), min_size=1, max_size=25).map("".join)


def redact_text(redactor, text: str):
    return redactor.redact(Document(source=Path("<generated>"), text=text, format="text"))


@pytest.mark.parametrize("profile", ["upper", "lower"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=sentences)
def test_masking_masked_text_changes_nothing(redactor_factory, profile: str, text: str) -> None:
    redactor = redactor_factory(profile)
    once = redact_text(redactor, text).masked_text
    assert redact_text(redactor, once).masked_text == once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=sentences)
def test_no_masked_entity_text_survives(redactor_factory, text: str) -> None:
    redaction = redact_text(redactor_factory("upper"), text)
    for finding in redaction.masked:
        if finding.label in {"PLACE", "ORG"} and finding.length >= 2:
            assert finding.text not in redaction.masked_text, finding


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=sentences)
def test_spans_in_bounds_non_overlapping_and_deterministic(redactor_factory, text: str) -> None:
    redactor = redactor_factory("upper")
    first, second = redact_text(redactor, text), redact_text(redactor, text)
    assert first.masked == second.masked and first.masked_text == second.masked_text
    previous_end = 0
    for finding in first.masked:
        assert 0 <= finding.start < finding.end <= len(text) and finding.start >= previous_end
        assert text[finding.start:finding.end] == finding.text
        previous_end = finding.end
