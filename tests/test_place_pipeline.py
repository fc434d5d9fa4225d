"""Places through the whole pipeline (real segmenter), on made-up sentences in the style of the
corpus: placeholders of masked people anchor no list of places in the re-analysis pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact.documents import Document
from redact.findings import BATCH_ORIGIN, Finding, Replacement
from redact.pipeline import weak_placeholders

pytestmark = pytest.mark.slow


def redact(redactor_factory, text: str):
    return redactor_factory("upper").redact(Document(source=Path("place.txt"), text=text, format="text"))


def test_a_masked_person_does_not_make_the_names_listed_after_it_places(redactor_factory):
    redaction = redact(redactor_factory, "县长王强出席。会后王强、张伟、刘洋参加座谈。")
    assert {f.label for f in redaction.masked} == {"PERSON"}
    assert "张伟、刘洋" in redaction.masked_text


def test_a_masked_place_still_anchors_its_list(redactor_factory):
    redaction = redact(redactor_factory, "城关镇出席。会后城关、梅棠雅集等参加座谈。")
    assert "梅棠雅集" not in redaction.masked_text


def _edit(start: int, end: int, new: str, label: str, origin: str = "rule") -> Replacement:
    finding = Finding(start, end, "x" * (end - start), label, "r", "R", 0.9, "r", origin=origin)
    return Replacement(start, end, new, finding)


def test_weak_placeholders_are_those_of_persons_and_of_names_borrowed_from_the_batch():
    edits = [_edit(0, 3, "XX", "PLACE"), _edit(5, 7, "XX", "PERSON"), _edit(10, 14, "XX", "FIGURE"),
             _edit(16, 18, "XX", "PLACE", origin=BATCH_ORIGIN), _edit(20, 22, "XX", "PLACE", origin="propagated")]
    assert weak_placeholders(edits) == [4, 13]


@pytest.mark.parametrize(("text", "masked"), [
    # a theme park names its place, and a common word listed with it and a suffix is a name too
    ("建设竹茶主题公园、同心公园等相关绿地。", "建设XX主题公园、XX公园等相关绿地。"),
    ("建设健身主题公园。", "建设健身主题公园。"),
    # a county short form that is an ordinary word, made a place by its context
    ("组织干部赴平遥古城参观学习。", "组织干部赴XX古城参观学习。"),
    ("道路平遥，风景优美。", "道路平遥，风景优美。"),
    # a place chained to another one: the smaller after it, the larger before it
    ("部分地块群众拆迁意愿不强，XX社漕头李区块征迁项目丈量率达标。", "部分地块群众拆迁意愿不强，XX社XX区块征迁项目丈量率达标。"),
    ("xx乡金宝银宝传统村落创成AA级景区。", "xx乡XX传统村落创成AA级景区。"),
    ("二是建设渡头洋河滨公园樱花园。", "二是建设XXXX公园樱花园。"),
    # a district named after its street, even one named by an ordinary word
    ("在和平路片区改造中进行试点。", "在XX路片区改造中进行试点。"),
])
def test_places_in_context(redactor_factory, text, masked):
    assert redact(redactor_factory, text).masked_text == masked
