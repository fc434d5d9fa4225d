"""The JSON report as built by json_report.py matches redact/report/schema.json."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

from redact.documents import Document  # noqa: E402
from redact.findings import Finding, NearMiss, Replacement  # noqa: E402
from redact.masking import apply  # noqa: E402
from redact.pipeline import Redaction  # noqa: E402
from redact.report.json_report import (  # noqa: E402
    SCHEMA_VERSION, Failure, build_report, document_entry, failure_entry,
)
from redact.rules import Profile  # noqa: E402

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "redact" / "report" / "schema.json"
TEXT = "沙溪镇召开会议，温书记出席。\n全年成交额62.54亿元，沙溪再创新高。"


def finding(text: str, needle: str, label: str, rule_id: str, *, occurrence: int = 0, **extra) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Finding(start=start, end=start + len(needle), text=needle, label=label, rule_id=rule_id,
                   recognizer="TestRecognizer", score=extra.pop("score", 0.9),
                   reason=extra.pop("reason", f"{rule_id} matched"), **extra)


def redaction(text: str = TEXT, source: str = "docs/a.txt") -> Redaction:
    """A document with a place (twice, once propagated), a surname, a figure and one near miss."""
    masked = (
        finding(text, "沙溪", "PLACE", "division-gazetteer"),
        finding(text, "温", "PERSON", "surname-title"),
        finding(text, "62.54", "FIGURE", "figure-money", figure_class="money"),
        finding(text, "沙溪", "PLACE", "division-gazetteer", occurrence=1, origin="propagated",
                reason="another mention of 沙溪"),
    )
    new = {"PLACE": "XX", "PERSON": "X", "FIGURE": "XX"}
    edits = tuple(sorted((Replacement(f.start, f.end, new[f.label], f) for f in masked), key=lambda e: e.start))
    near = (NearMiss(finding(text, "会议", "ORG", "org-affix", score=0.3), "score 0.30 below threshold 0.50"),)
    return Redaction(locality=None, document=Document(source=Path(source), text=text, format="text"),
                     profile=Profile(id="upper"), candidates=masked + tuple(n.finding for n in near),
                     masked=masked, near_misses=near, edits=edits,
                     masked_text=apply(text, edits))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture()
def report() -> dict:
    ok = document_entry(redaction(), Path("out/docs/a.txt"))
    plain = "没有要遮盖的内容。"
    empty = document_entry(Redaction(locality=None, document=Document(source=Path("docs/b.txt"), text=plain, format="text"),
                                     profile=Profile(id="lower"), candidates=(), masked=(), near_misses=(),
                                     edits=(), masked_text=plain), None)
    failed = failure_entry(Failure(Path("docs/c.doc"), "unsupported format '.doc'; supported: .text, .txt"))
    # JSON round trip: the schema describes the file, not the Python objects.
    return json.loads(json.dumps(build_report([ok, empty, failed], "auto", Path("rules")), ensure_ascii=False))


def errors(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def test_schema_is_valid_2020_12_and_versioned(validator):
    schema = validator.schema
    assert schema["$schema"].endswith("/draft/2020-12/schema")
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_built_report_validates(validator, report):
    assert errors(validator, report) == []
    document = report["documents"][0]
    assert [f["replacement"] for f in document["findings"]] == ["XX", "X", "XX", "XX"]
    masked = redaction().masked_text
    for f in document["findings"]:
        assert masked[f["out_start"]:f["out_end"]] == f["replacement"]
        assert TEXT[f["start"]:f["end"]] == f["text"]


def test_schema_names_every_field_the_builder_writes(validator, report):
    """additionalProperties is false everywhere, so a new key in json_report.py must be documented."""
    defs = validator.schema["$defs"]
    document = report["documents"][0]
    assert set(report) == set(validator.schema["properties"])
    assert set(document) <= set(defs["document"]["properties"])
    assert set(document["findings"][0]) == set(defs["finding"]["properties"])
    assert set(document["near_misses"][0]) == set(defs["near_miss"]["properties"])
    assert set(report["documents"][2]) == set(defs["failed_document"]["properties"])


def test_optional_locality_and_residual_risks(validator, report):
    document = report["documents"][0]
    document["locality"] = {"path": "浙江省/绍兴市/新昌县", "support": 2.11, "evidence": ["儒岙", "回山", "沙溪镇"]}
    document["residual_risks"] = [{"start": 3, "end": 6, "text": "天姥山", "kind": "landmark",
                                   "reason": "a scenic spot that names the county"}]
    report["documents"][1]["locality"] = None
    report["documents"][1]["residual_risks"] = []
    assert errors(validator, report) == []


def test_resumed_entries_and_batch_origin(validator, report):
    """`redact run --resume` carries an up-to-date file's entry over with `resumed: true`; mentions
    masked for batch consistency have origin `batch`."""
    report["documents"][0]["resumed"] = True
    report["documents"][0]["findings"][3]["origin"] = "batch"
    report["documents"][0]["findings"][3]["reason"] = "masked in another file of the batch: docs/b.txt"
    assert errors(validator, report) == []


def test_residual_risks_written_by_the_builder_validate(validator):
    import dataclasses

    from redact.residual import ResidualRisk

    masked = redaction()
    start = masked.masked_text.index("再创新高")
    risk = ResidualRisk(start, start + 4, "再创新高", "watch", "on the watch list (test)")
    entry = document_entry(dataclasses.replace(masked, residual_risks=(risk,)), None)
    report = json.loads(json.dumps(build_report([entry], "upper", Path("rules")), ensure_ascii=False))
    assert errors(validator, report) == []
    written = report["documents"][0]["residual_risks"]
    assert written == [{"start": start, "end": start + 4, "text": "再创新高", "kind": "watch",
                        "reason": "on the watch list (test)"}]
    assert set(written[0]) == set(validator.schema["$defs"]["residual_risk"]["properties"])
    assert masked.masked_text[written[0]["start"]:written[0]["end"]] == "再创新高"


@pytest.mark.parametrize("breakage", [
    lambda r: r.update(schema_version="2.0"),
    lambda r: r["documents"][0].update(resumed="yes"),
    lambda r: r["documents"][2].update(resumed=True),
    lambda r: r["documents"][0]["findings"][0].pop("out_start"),
    lambda r: r["documents"][0]["findings"][0].update(label="CITY"),
    lambda r: r["documents"][0]["findings"][0].update(score=1.5),
    lambda r: r["documents"][0]["near_misses"][0].pop("why"),
    lambda r: r["documents"][0].update(locality="新昌"),
    lambda r: r["documents"][0].update(residual_risks=[{"start": 0, "end": 1, "text": "x"}]),
    lambda r: r["documents"][0].update(unexpected=True),
    lambda r: r["documents"][2].pop("error"),
    lambda r: r["documents"][2].update(status="ok"),
    lambda r: r["totals"].update(PLACE=0),
])
def test_schema_rejects_broken_reports(validator, report, breakage):
    broken = copy.deepcopy(report)
    breakage(broken)
    assert errors(validator, broken), "the schema should reject this report"
