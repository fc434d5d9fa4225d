"""The HTML review report: one self-contained page a person can read and act on.

Built from the JSON report (so both always agree) plus each document's original and masked text.
Every masked finding is one `<mark class="hl">` in the masked view; the original view marks the
same findings with `<mark class="src">`, so counting `.hl` counts findings. No network, no
external files: CSS and JS are inline and the Content-Security-Policy forbids any fetch.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jinja2

TEMPLATE = "report.html.j2"
CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Segment:
    """A run of text; `mark` is the finding (or near miss) it highlights, if any."""

    text: str
    mark: Mapping[str, Any] | None = None
    index: int = -1
    entity: int = -1


@dataclass
class Entity:
    """All masked mentions of one (text, label) in a document."""

    text: str
    label: str
    first: int
    mentions: int = 0
    propagated: int = 0
    rules: list[str] = field(default_factory=list)
    replacements: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """`沙溪 — 4 mentions, PLACE, rule division-gazetteer`."""
        mentions = f"{self.mentions} mention{'s' if self.mentions != 1 else ''}"
        rules = f"rule{'s' if len(self.rules) != 1 else ''} {', '.join(self.rules)}"
        return f"{self.text} — {mentions}, {self.label}, {rules}"


def segments(text: str, spans: Iterable[tuple[int, int, Mapping[str, Any], int, int]]) -> list[Segment]:
    """`text` cut into plain runs and one marked run per span (spans sorted, clipped, never dropped).

    A span that overlaps the previous one or lies past the end of the text still gets its own
    (possibly empty) marked run, so the number of marks always equals the number of spans.
    """
    result: list[Segment] = []
    cursor = 0
    for start, end, mark, index, entity in sorted(spans, key=lambda s: (s[0], s[1])):
        start = min(max(start, cursor), len(text))
        end = min(max(end, start), len(text))
        if start > cursor:
            result.append(Segment(text[cursor:start]))
        result.append(Segment(text[start:end], mark, index, entity))
        cursor = end
    if cursor < len(text):
        result.append(Segment(text[cursor:]))
    return result


def entities(findings: list[Mapping[str, Any]]) -> tuple[list[Entity], list[int]]:
    """Findings grouped by (text, label), most mentioned first, and each finding's entity number."""
    groups: dict[tuple[str, str], Entity] = {}
    for finding in findings:
        key = (finding["text"], finding["label"])
        entity = groups.setdefault(key, Entity(finding["text"], finding["label"], finding["start"]))
        entity.mentions += 1
        entity.propagated += finding.get("origin") == "propagated"
        if finding["rule_id"] not in entity.rules:
            entity.rules.append(finding["rule_id"])
        if finding.get("replacement") not in entity.replacements:
            entity.replacements.append(finding.get("replacement", ""))
    ordered = sorted(groups.values(), key=lambda e: (-e.mentions, e.first))
    number = {(e.text, e.label): i for i, e in enumerate(ordered)}
    return ordered, [number[(f["text"], f["label"])] for f in findings]


def excerpt(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    snippet = f"{text[max(0, start - width):start]}【{text[start:end]}】{text[end:end + width]}"
    return snippet.replace("\r", " ").replace("\n", " ")


def residual_rows(risks: list[Mapping[str, Any]], original: str | None, masked: str | None) -> list[dict[str, Any]]:
    """Residual risks with a context excerpt from whichever text their offsets point into."""
    rows = []
    for risk in risks:
        start, end, text = risk.get("start", 0), risk.get("end", 0), risk.get("text", "")
        where = next((t for t in (masked, original) if t is not None and t[start:end] == text), None)
        rows.append(dict(risk, context=excerpt(where, start, end) if where is not None else ""))
    return rows


def kept_groups(near_misses: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Names recognised but kept by a policy (provinces, countries, national bodies, 市委 …),
    one row per text, label and reason with its number of mentions, most mentioned first."""
    counts = Counter((n["text"], n["label"], n["why"]) for n in near_misses if n.get("kept"))
    return [{"text": text, "label": label, "why": why, "mentions": mentions}
            for (text, label, why), mentions in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def locality_items(locality: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The locality object as (key, readable value) pairs."""
    items = []
    for key, value in locality.items():
        if isinstance(value, str):
            shown = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
            shown = "、".join(str(v) for v in value)
        else:
            shown = json.dumps(value, ensure_ascii=False)
        items.append((str(key), shown))
    return items


def locality_name(locality: Mapping[str, Any] | None) -> str:
    """The home division's own name: the last part of its path (浙江省/绍兴市/新昌县 → 新昌县)."""
    path = (locality or {}).get("path")
    return path.rsplit("/", 1)[-1] if isinstance(path, str) else ""


def document_view(number: int, entry: Mapping[str, Any], texts: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    """What the template needs for one document."""
    view: dict[str, Any] = {"id": f"doc-{number}", "entry": entry, "ok": entry.get("status") == "ok"}
    if not view["ok"]:
        return view
    findings = entry.get("findings", [])
    near_misses = [n for n in entry.get("near_misses", []) if not n.get("kept")]
    original, masked = texts.get(entry["source"], (None, None))
    groups, entity_of = entities(findings)
    view.update(entities=groups, near_misses=near_misses, kept=kept_groups(entry.get("near_misses", [])), has_text=original is not None and masked is not None,
                locality=entry.get("locality"), locality_items=locality_items(entry.get("locality") or {}),
                residual_risks=residual_rows(entry.get("residual_risks") or [], original, masked),
                has_residual=entry.get("residual_risks") is not None)
    if view["has_text"]:
        view["masked"] = segments(masked, ((f["out_start"], f["out_end"], f, i, entity_of[i])
                                           for i, f in enumerate(findings)))
        view["original"] = segments(original, ((f["start"], f["end"], f, i, entity_of[i])
                                               for i, f in enumerate(findings)))
    return view


def environment() -> jinja2.Environment:
    source = resources.files("redact.report").joinpath(TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.DictLoader({TEMPLATE: source}), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["score"] = lambda value: f"{float(value):.2f}" if value is not None else ""
    return env


def render_html(report: Mapping[str, Any], texts: Mapping[str, tuple[str, str]]) -> str:
    """The review page for `report`; `texts` maps each document's `source` to (original, masked)."""
    documents = [document_view(i, entry, texts) for i, entry in enumerate(report.get("documents", []))]
    labels = sorted({label for d in documents if d["ok"] for label in d["entry"].get("counts", {})}
                    | set(report.get("totals", {})))
    return environment().get_template(TEMPLATE).render(
        report=report, documents=documents, labels=labels,
        ok=[d for d in documents if d["ok"]], failed=[d for d in documents if not d["ok"]],
        locality_name=locality_name,
    )
