"""The HTML review page: unit tests on render_html, and one real headless-Chromium run.

The browser test drives Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
NUL-separated JSON on file descriptors 3 and 4), so it needs no network port and no extra package.
It is skipped only when /usr/bin/chromium is missing (Debian package `chromium`; Chinese glyphs need
`fonts-noto-cjk`).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from redact.documents import Document
from redact.findings import Finding, NearMiss, Replacement
from redact.masking import apply
from redact.pipeline import Redaction
from redact.report.html_report import Entity, render_html, segments
from redact.report.json_report import Failure, build_report, document_entry, failure_entry
from redact.rules import Profile

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CJK_FONTS = {"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"}

ORIGINAL = (
    "新昌县政务服务办公室2023年工作总结\n"
    "一、沙溪镇全年办理事项162.7万件，温书记到沙溪调研。\n"
    "\n"
    "二、沙溪乡村振兴：成交额62.54亿元，联系电话0575-86012345。\n"
    "三、回山镇、儒岙镇与沙溪联动，天姥山景区游客增长12%。"
)
# (needle, occurrence, label, rule, replacement, origin)
SPANS = [
    ("新昌", 0, "PLACE", "division-gazetteer", "XX", "rule"),
    ("沙溪", 0, "PLACE", "division-gazetteer", "XX", "rule"),
    ("162.7", 0, "FIGURE", "figure-large", "XX", "rule"),
    ("温", 0, "PERSON", "surname-title", "X", "rule"),
    ("沙溪", 1, "PLACE", "division-gazetteer", "XX", "propagated"),
    ("沙溪", 2, "PLACE", "division-gazetteer", "XX", "propagated"),
    ("62.54", 0, "FIGURE", "figure-money", "XX", "rule"),
    ("0575-86012345", 0, "CONTACT", "contact-phone", "XXXX", "rule"),
    ("回山", 0, "PLACE", "division-gazetteer", "XX", "rule"),
    ("儒岙", 0, "PLACE", "division-gazetteer", "XX", "rule"),
    ("沙溪", 3, "PLACE", "division-gazetteer", "XX", "propagated"),
]


def locate(text: str, needle: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start


def hand_built_document(source: str, original: str, spans: list[tuple], **extra: Any) -> tuple[dict, str]:
    """A report entry shaped like json_report.document_entry, and the masked text."""
    placed = sorted((locate(original, needle, n), needle, *rest) for needle, n, *rest in spans)
    findings, pieces, cursor, shift = [], [], 0, 0
    for start, needle, label, rule, new, origin in placed:
        end = start + len(needle)
        pieces += [original[cursor:start], new]
        cursor = end
        findings.append({
            "start": start, "end": end, "text": needle, "label": label, "rule_id": rule,
            "recognizer": "HandBuilt", "score": 0.85, "reason": f"{rule} matched {needle}", "origin": origin,
            "figure_class": "money" if label == "FIGURE" else None,
            "context": f"{original[max(0, start - 12):start]}【{needle}】{original[end:end + 12]}".replace("\n", " "),
            "replacement": new, "out_start": start + shift, "out_end": start + shift + len(new),
        })
        shift += len(new) - len(needle)
    masked = "".join(pieces) + original[cursor:]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["label"]] = counts.get(f["label"], 0) + 1
    entry = {"source": source, "output": f"out/{source}", "status": "ok", "format": "text", "profile": "upper",
             "chars": len(original), "counts": dict(sorted(counts.items())), "findings": findings,
             "near_misses": [], **extra}
    return entry, masked


def hand_built_report() -> tuple[dict, dict[str, tuple[str, str]]]:
    """Two masked documents (one with locality, a near miss and a residual risk) and a failed one."""
    entry, masked = hand_built_document(
        "corpus/a.txt", ORIGINAL, SPANS,
        near_misses=[{"start": 0, "end": 0, "text": "天姥山", "label": "PLACE", "rule_id": "scenic-affix",
                      "recognizer": "HandBuilt", "score": 0.42, "reason": "name before 山",
                      "origin": "rule", "figure_class": None, "context": "与沙溪联动，【天姥山】景区游客增长",
                      "why": "score 0.42 below threshold 0.50"}],
        locality={"path": "浙江省/绍兴市/新昌县", "support": 2.11, "evidence": ["沙溪", "回山", "儒岙"]},
    )
    risk = locate(masked, "天姥山", 0)
    entry["residual_risks"] = [{"start": risk, "end": risk + 3, "text": "天姥山", "kind": "landmark",
                                "reason": "a scenic spot that names the county"}]
    entry["near_misses"][0].update(start=locate(ORIGINAL, "天姥山", 0), end=locate(ORIGINAL, "天姥山", 0) + 3)
    second, second_masked = hand_built_document("corpus/b.txt", "一行\n两行\n", [])
    failed = {"source": "corpus/c.doc", "status": "failed", "error": "unsupported format '.doc'; supported: .text, .txt"}
    report = {"schema_version": "1.0", "tool": "redact 0.1.0", "profile": "upper", "rules": "rules",
              "totals": dict(entry["counts"]), "documents": [entry, second, failed]}
    return report, {"corpus/a.txt": (ORIGINAL, masked), "corpus/b.txt": ("一行\n两行\n", second_masked)}


class Page(HTMLParser):
    """Collects marks, the text of each text view, and script/link/src use."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[tuple[str, dict[str, str]]] = []   # (view id, attributes)
        self.views: dict[str, str] = {}
        self.scripts = 0
        self.external: list[str] = []
        self._view: str | None = None
        self._depth = 0
        self._text: list[str] = []
        self._li: list[str] | None = None
        self.items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
        if tag in ("link", "img", "iframe") or "src" in a or (tag == "link" and "href" in a):
            self.external.append(tag)
        if tag == "li":
            self._li = []
        if self._view is not None:
            self._depth += 1
            if tag == "mark":
                self.marks.append((self._view, a))
        elif tag == "div" and "text" in a.get("class", "").split():
            self._view, self._depth, self._text = a["id"], 1, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._li is not None:
            self.items.append("".join(self._li))
            self._li = None
        if self._view is not None:
            self._depth -= 1
            if self._depth == 0:
                self.views[self._view] = "".join(self._text)
                self._view = None

    def handle_data(self, data: str) -> None:
        if self._view is not None:
            self._text.append(data)
        if self._li is not None:
            self._li.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def highlight_classes(page: Page, view: str) -> list[str]:
    return [a["class"] for v, a in page.marks if v == view]


# ---------------------------------------------------------------- unit tests on render_html


def test_one_highlight_per_finding_and_text_preserved():
    report, texts = hand_built_report()
    html = render_html(report, texts)
    page = parse(html)
    findings = report["documents"][0]["findings"]
    hl = [a for v, a in page.marks if "hl" in a["class"].split()]
    assert len(hl) == len(findings) == html.count('class="hl ')
    assert len(highlight_classes(page, "doc-0-masked")) == len(findings)
    assert len(highlight_classes(page, "doc-0-original")) == len(findings)
    assert all("hl" not in c.split() for c in highlight_classes(page, "doc-0-original"))
    # each placeholder is highlighted with its label and carries the original text, rule, score, reason
    for attrs, finding in zip((a for v, a in page.marks if v == "doc-0-masked"), findings):
        assert attrs["class"] == f"hl label-{finding['label']}"
        assert attrs["data-text"] == finding["text"] and attrs["data-rule"] == finding["rule_id"]
        assert attrs["data-score"] == "0.85" and attrs["data-reason"] == finding["reason"]
        assert attrs["tabindex"] == "0"
    # the views are the texts, line breaks and all (no template whitespace leaks in)
    assert page.views["doc-0-masked"] == texts["corpus/a.txt"][1]
    assert page.views["doc-0-original"] == ORIGINAL
    assert page.views["doc-1-masked"] == "一行\n两行\n"
    assert "white-space: pre-wrap" in html


def test_text_and_attributes_are_escaped():
    evil = 'a<script>alert(1)</script>"><img src=x onerror=alert(2)>沙溪&amp;\n第二行'
    entry, masked = hand_built_document("<script>x</script>.txt", evil, [("沙溪", 0, "PLACE", "r-one", "XX", "rule")])
    entry["findings"][0]["reason"] = '"><script>alert(3)</script>'
    entry["near_misses"] = [dict(entry["findings"][0], why="<b>bold</b>", context="<i>x</i>")]
    report = {"schema_version": "1.0", "tool": "redact 0.1.0", "profile": "upper", "rules": "rules",
              "totals": entry["counts"], "documents": [entry]}
    html = render_html(report, {entry["source"]: (evil, masked)})
    page = parse(html)
    assert page.scripts == 1
    assert "<script>alert" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp;" in html
    assert page.external == []
    assert page.views["doc-0-original"] == evil


def test_failed_files_are_listed_with_their_error():
    report, texts = hand_built_report()
    html = render_html(report, texts)
    assert "Failed files" in html
    assert "corpus/c.doc" in html
    assert "unsupported format &#39;.doc&#39;; supported: .text, .txt" in html
    assert "2 documents masked, <strong>1 failed</strong>" in html


def test_page_is_self_contained():
    report, texts = hand_built_report()
    html = render_html(report, texts)
    assert not re.search(r"https?://", html)
    assert not re.search(r"//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I)
    assert "@import" not in html and "url(" not in html and "@font-face" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert parse(html).external == []
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif' in html
    assert "line-break: strict; word-break: normal; overflow-wrap: anywhere" in html


def test_overview_entities_near_misses_locality_and_residual_risks():
    report, texts = hand_built_report()
    html = render_html(report, texts)
    page = parse(html)
    assert "沙溪 — 4 mentions, PLACE, rule division-gazetteer → XX (3 propagated) next" in page.items
    assert any(i.startswith("温 — 1 mention, PERSON, rule surname-title") for i in page.items)
    assert "score 0.42 below threshold 0.50" in html and "scenic-affix" in html
    assert "Probable locality: 新昌县" in html and "沙溪、回山、儒岙" in html
    assert html.index("Probable locality") < html.index('id="doc-0-masked"')
    assert "Residual risks" in html and "a scenic spot that names the county" in html
    assert "与沙溪联动，【天姥山】景区" in html  # near-miss context
    assert "XX联动，【天姥山】景区" in html  # residual-risk context, from the masked text
    # keyboard: real buttons, one toggle per document with text
    assert html.count('<button type="button" class="toggle"') == 2
    assert ":focus-visible" in html


def test_names_kept_by_policy_are_grouped_apart_from_near_misses():
    report, texts = hand_built_report()
    entry = report["documents"][0]
    kept = {"start": 0, "end": 2, "text": "浙江", "label": "PLACE", "rule_id": "division-gazetteer",
            "recognizer": "HandBuilt", "score": 0.9, "reason": "province", "origin": "rule", "figure_class": None,
            "context": "【浙江】", "why": "allow-listed by provinces-and-country", "kept": True}
    entry["near_misses"] += [kept, dict(kept, start=5, end=7)]
    page = render_html(report, texts)
    assert "Recognised and kept by policy (1 name)" in page
    assert re.search(r"<td lang=\"zh-CN\">浙江</td>.*?<td class=\"num\">2</td>", page)
    # the overview and the document count only the near misses a reviewer has to look at
    assert "1 near miss<" in page
    assert page.count("allow-listed by provinces-and-country") == 1


def test_document_without_findings_or_text():
    report, _ = hand_built_report()
    html = render_html(report, {})
    assert "not available" in html
    assert 'class="hl' not in html


def test_report_built_by_json_report():
    text = "沙溪镇召开会议，温书记出席。\n沙溪再创新高。"
    masked = tuple(Finding(s, s + len(t), t, label, rule, "R", 0.9, "why", origin=o) for s, t, label, rule, o in (
        (0, "沙溪", "PLACE", "division-gazetteer", "rule"), (8, "温", "PERSON", "surname-title", "rule"),
        (15, "沙溪", "PLACE", "division-gazetteer", "propagated")))
    edits = tuple(Replacement(f.start, f.end, "X" * len(f.text), f) for f in masked)
    near = (NearMiss(Finding(5, 7, "会议", "ORG", "org-affix", "R", 0.3, "affix"), "score below threshold"),)
    redaction = Redaction(Document(Path("d/a.txt"), text, "text"), Profile(id="upper"), None, masked, masked, near,
                          edits, apply(text, edits))
    report = build_report([document_entry(redaction, Path("out/a.txt")),
                           failure_entry(Failure(Path("d/b.bin"), "cannot read"))], "upper", Path("rules"))
    html = render_html(report, {"d/a.txt": (text, redaction.masked_text)})
    page = parse(html)
    assert len([a for _, a in page.marks if "hl" in a["class"].split()]) == 3
    assert page.views["doc-0-masked"] == "XX镇召开会议，X书记出席。\nXX再创新高。"
    assert "d/b.bin" in html and "cannot read" in html


def test_segments_never_drop_a_span():
    spans = [(0, 2, {"a": 1}, 0, 0), (1, 3, {"a": 2}, 1, 0), (9, 12, {"a": 3}, 2, 0)]
    parts = segments("abcdef", spans)
    assert [p.index for p in parts if p.mark is not None] == [0, 1, 2]
    assert "".join(p.text for p in parts) == "abcdef"
    assert Entity("沙溪", "PLACE", 0, 4, 3, ["division-gazetteer"], ["XX"]).summary() == \
        "沙溪 — 4 mentions, PLACE, rule division-gazetteer"


# ---------------------------------------------------------------- real browser


class DevTools:
    """A minimal DevTools-protocol client over Chromium's --remote-debugging-pipe."""

    def __init__(self, profile_dir: Path) -> None:
        self.log = profile_dir.with_name("chromium.log")
        self._log = self.log.open("wb")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Move the child's ends above 4 so that placing them on 3 and 4 cannot clobber one another.
        child_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)
        to_browser_r, from_browser_w = child_r, child_w
        args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe",
                f"--user-data-dir={profile_dir}", "about:blank"]
        # The browser reads commands on fd 3 and writes replies on fd 4 (os.dup2 makes them inheritable).
        launcher = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", launcher, str(to_browser_r), str(from_browser_w), *args],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self._log)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError(f"Chromium exited: {self.log.read_text(errors='replace')[-2000:]}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        self._log.close()


def problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and browser log errors (CSP violations, failed loads)."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"uncaught: {params['exceptionDetails'].get('exception', {}).get('description') or params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params['type']}: {[a.get('value', a.get('description')) for a in params.get('args', [])]}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"log {params['entry']['level']}: {params['entry']['text']}")
    return found


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium (Debian package `chromium`)")
def test_in_headless_chromium(tmp_path):
    report, texts = hand_built_report()
    finding_count = sum(len(d.get("findings", [])) for d in report["documents"])
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(report, texts), encoding="utf-8")
    browser = DevTools(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "DOM", "CSS"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1280, "height": 2000, "deviceScaleFactor": 1, "mobile": False}, session=session)
        browser.send("Page.navigate", {"url": page_file.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")

        def screenshot(name: str) -> bytes:
            """Save the viewport (1280×2000) into the pytest tmp dir and tests/artifacts/."""
            data = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
            ARTIFACTS.mkdir(exist_ok=True)
            for folder in (tmp_path, ARTIFACTS):
                (folder / name).write_bytes(data)
            return data

        shot = screenshot("html_report.png")
        shutil.copy(page_file, ARTIFACTS / "html_report.html")

        def evaluate(expression: str) -> Any:
            result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                       "awaitPromise": True}, session=session)
            assert "exceptionDetails" not in result, result["exceptionDetails"]
            return result["result"].get("value")

        assert evaluate("document.documentElement.classList.contains('js')"), "the page script did not run"
        assert evaluate("document.querySelectorAll('.hl').length") == finding_count
        assert evaluate("document.querySelectorAll('#doc-0-masked .hl').length") == len(report["documents"][0]["findings"])
        # Chinese is drawn with a CJK font from the stack, not a Latin fallback (which would show boxes)
        root = browser.send("DOM.getDocument", session=session)["root"]["nodeId"]
        node = browser.send("DOM.querySelector", {"nodeId": root, "selector": "#doc-0-masked"}, session=session)["nodeId"]
        fonts = browser.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
        assert any(f["familyName"] in CJK_FONTS for f in fonts), \
            f"Chinese text is rendered with {fonts}; install a CJK font (Debian package fonts-noto-cjk)"

        # keyboard: Tab to the first highlight, the side panel shows its original text, rule and reason
        evaluate("document.querySelector('#doc-0 .toggle').focus(); true")
        for kind in ("keyDown", "keyUp"):
            browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Tab", "code": "Tab",
                                                    "windowsVirtualKeyCode": 9}, session=session)
        assert evaluate("document.activeElement.matches('#doc-0-masked .hl')")
        first = report["documents"][0]["findings"][0]
        assert evaluate("document.querySelector('#doc-0 [data-k=text]').textContent") == first["text"]
        assert evaluate("document.querySelector('#doc-0 [data-k=rule]').textContent") == first["rule_id"]
        assert evaluate("document.querySelector('#doc-0 [data-k=reason]').textContent") == first["reason"]
        assert evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"

        # the toggle is a real button: Enter on it switches to the original text and back
        evaluate("document.querySelector('#doc-0 .toggle').focus(); true")
        for kind in ("keyDown", "keyUp"):
            browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                    "windowsVirtualKeyCode": 13, **({"text": "\r"} if kind == "keyDown" else {})},
                         session=session)
        assert evaluate("document.querySelector('#doc-0-original').hidden") is False
        assert evaluate("document.querySelector('#doc-0-masked').hidden") is True
        assert evaluate("document.querySelector('#doc-0 .toggle').getAttribute('aria-pressed')") == "true"
        assert evaluate("document.querySelector('#doc-0-original').innerText") == ORIGINAL
        screenshot("html_report_original.png")
        evaluate("document.querySelector('#doc-0 .toggle').click(); true")
        assert evaluate("document.querySelector('#doc-0-masked').hidden") is False

        # "next" cycles through the mentions of an entity
        evaluate("document.querySelector('#doc-0 button.next[data-e=\"0\"]').click(); true")
        evaluate("document.querySelector('#doc-0 button.next[data-e=\"0\"]').click(); true")
        assert evaluate("document.activeElement.dataset.text") == "沙溪"
        second_mention = [i for i, f in enumerate(report["documents"][0]["findings"]) if f["text"] == "沙溪"][1]
        assert evaluate("document.activeElement.dataset.f") == str(second_mention)

        screenshot("html_report_selected.png")
        errors = problems(browser.events)
    finally:
        browser.close()
    assert shot.startswith(b"\x89PNG") and len(shot) > 10_000
    assert errors == [], errors
