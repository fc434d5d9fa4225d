"""Golden whole-document tests: input → expected masked output and report summary.

Regenerate the expected files only deliberately: `pytest tests/test_golden.py --regen-golden`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redact.documents import TextFormat

CASES = Path(__file__).parent / "data" / "cases"
DOCUMENTS = sorted(CASES.glob("*/input.txt"))


def summary(redaction) -> dict:
    return {
        "profile": redaction.profile.id,
        "locality": redaction.locality.path if redaction.locality else None,
        "masked": [[f.start, f.end, f.text, f.label, f.rule_id, f.origin] for f in redaction.masked],
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", DOCUMENTS, ids=lambda p: p.parent.name)
def test_golden_document(case: Path, redactor_factory, request) -> None:
    profile = (case.parent / "profile").read_text(encoding="utf-8").strip()
    redaction = redactor_factory(profile).redact(TextFormat().read(case))
    expected_text = case.parent / "expected.txt"
    expected_report = case.parent / "expected.json"
    if request.config.getoption("--regen-golden"):
        expected_text.write_text(redaction.masked_text, encoding="utf-8")
        expected_report.write_text(json.dumps(summary(redaction), ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    assert redaction.masked_text == expected_text.read_text(encoding="utf-8")
    assert summary(redaction) == json.loads(expected_report.read_text(encoding="utf-8"))
