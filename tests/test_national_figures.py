"""National figures, doctrines and models through the whole pipeline: recognised, and kept, since the
thinkers and leaders named in the doctrines and campaigns of the whole country (毛泽东思想,
学雷锋) identify no locality, while the local officials beside them are masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact.documents import Document

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("text", "masked"), [
    ("坚持以马克思列宁主义、毛泽东思想、邓小平理论为指导。", "坚持以马克思列宁主义、毛泽东思想、邓小平理论为指导。"),
    ("深入开展学雷锋活动，弘扬焦裕禄精神，局长贾志春说。", "深入开展学雷锋活动，弘扬焦裕禄精神，局长XXX说。"),
])
def test_national_figures_are_kept(redactor_factory, text: str, masked: str) -> None:
    redaction = redactor_factory("upper").redact(Document(source=Path("doc.txt"), text=text, format="text"))
    assert redaction.masked_text == masked
    kept = {n.finding.text for n in redaction.near_misses if n.kept and n.finding.label == "PERSON"}
    assert kept & {"毛泽东", "邓小平", "焦裕禄"}


@pytest.mark.parametrize(("text", "masked"), [
    ("坚持和发展新时代“枫桥经验”，弘扬延安精神、井冈山精神，学习晋江经验。", "坚持和发展新时代“枫桥经验”，弘扬延安精神、井冈山精神，学习晋江经验。"),
    ("学习晋江经验，组织赴晋江市考察。", "学习XX经验，组织赴XX市考察。"),  # named elsewhere: masked in every mention
])
def test_national_models_named_after_a_place_are_kept(redactor_factory, text: str, masked: str) -> None:
    redaction = redactor_factory("upper").redact(Document(source=Path("doc.txt"), text=text, format="text"))
    assert redaction.masked_text == masked
