"""Markdown: masking changes the prose and leaves the markup (URLs, code, HTML, tables) intact."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from markdown_it import MarkdownIt

from redact.documents import format_for
from redact.documents.markdown import MarkdownFormat, protected_spans
from redact.findings import Finding, Replacement

SAMPLE = "\n".join([
    "# 沙溪镇2023年工作总结",
    "",
    "详见[沙溪镇](http://example.org/沙溪 \"沙溪镇官网\")及![沙溪地图](img/沙溪.png)。",
    "命令 `grep 沙溪` 与 ``a ` 沙溪`` 保持原样，<http://沙溪.example.org/> 也是。",
    "<span title=\"沙溪\">沙溪镇</span>政府 &amp; 沙溪村。",
    "网址 http://example.org/shaxi 后接沙溪。",
    "",
    "| 地点 | 金额 |",
    "|------|------|",
    "| 沙溪镇 | 100 |",
    "",
    "```python",
    "town = \"沙溪\"  # 沙溪",
    "```",
    "",
    "[官网]: http://example.org/沙溪/index.html",
    "末行沙溪。",
    "",
])


def place(text: str, start: int, end: int) -> Finding:
    return Finding(start=start, end=end, text=text[start:end], label="PLACE", rule_id="test.place",
                   recognizer="test", score=1.0, reason="test")


def mask_all(text: str, needle: str = "沙溪", new: str = "XX") -> list[Replacement]:
    return [Replacement(m.start(), m.end(), new, place(text, m.start(), m.end()))
            for m in re.finditer(re.escape(needle), text)]


def roundtrip(tmp_path: Path, data: bytes, edits_for=mask_all, name: str = "doc.md") -> tuple[bytes, str]:
    source = tmp_path / name
    source.write_bytes(data)
    document = MarkdownFormat().read(source)
    out = tmp_path / "out" / name
    MarkdownFormat().write(document, edits_for(document.text), out)
    assert source.read_bytes() == data
    return out.read_bytes(), document.text


def masked_sample(tmp_path: Path) -> str:
    data, _ = roundtrip(tmp_path, SAMPLE.encode("utf-8"))
    return data.decode("utf-8")


def test_registered() -> None:
    assert isinstance(format_for(Path("a.md")), MarkdownFormat)
    assert isinstance(format_for(Path("b.Markdown")), MarkdownFormat)


def test_link_text_masked_url_kept(tmp_path: Path) -> None:
    out = masked_sample(tmp_path)
    assert "详见[XX镇](http://example.org/沙溪 \"XX镇官网\")" in out
    assert "![XX地图](img/沙溪.png)" in out
    assert "[官网]: http://example.org/沙溪/index.html" in out
    assert "<http://沙溪.example.org/>" in out
    assert "# XX镇2023年工作总结" in out and "末行XX。" in out


def test_code_untouched(tmp_path: Path) -> None:
    out = masked_sample(tmp_path)
    assert "命令 `grep 沙溪` 与 ``a ` 沙溪`` 保持原样" in out
    assert "```python\ntown = \"沙溪\"  # 沙溪\n```" in out


def test_html_tags_kept_content_masked(tmp_path: Path) -> None:
    out = masked_sample(tmp_path)
    assert "<span title=\"沙溪\">XX镇</span>政府 &amp; XX村。" in out
    assert "网址 http://example.org/shaxi 后接XX。" in out


def test_table_row_masked_without_breaking_pipes(tmp_path: Path) -> None:
    out = masked_sample(tmp_path)
    assert "| XX镇 | 100 |" in out

    def greedy(text: str) -> list[Replacement]:  # a bad span that swallows a pipe is dropped
        start = text.index("沙溪镇 |")
        return [Replacement(start, start + 5, "XX", place(text, start, start + 5))]

    data, _ = roundtrip(tmp_path, SAMPLE.encode("utf-8"), greedy, name="greedy.md")
    assert "| 沙溪镇 | 100 |" in data.decode("utf-8")
    masked = MarkdownIt("commonmark").enable("table").parse(out)
    assert [t.type for t in masked].count("td_open") == 2


def test_protected_spans_in_payload(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(SAMPLE, encoding="utf-8")
    document = MarkdownFormat().read(source)
    spans = document.payload["protected"]
    assert spans == protected_spans(SAMPLE)
    texts = [SAMPLE[s:e] for s, e in spans]
    assert "http://example.org/沙溪" in texts and "`grep 沙溪`" in texts and "img/沙溪.png" in texts
    assert any(t.startswith("```python") for t in texts)
    assert all(a_end < b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_crlf_and_bom_preserved(tmp_path: Path) -> None:
    text = SAMPLE.replace("\n", "\r\n")
    data, read_text = roundtrip(tmp_path, codecs.BOM_UTF8 + text.encode("utf-8"))
    assert read_text == text
    assert data.startswith(codecs.BOM_UTF8)
    out = data[len(codecs.BOM_UTF8):].decode("utf-8")
    assert out.count("\r\n") == text.count("\r\n") and "\n" not in out.replace("\r\n", "")
    assert "详见[XX镇](http://example.org/沙溪" in out
    assert "```python\r\ntown = \"沙溪\"  # 沙溪\r\n```" in out
    assert "| XX镇 | 100 |\r\n" in out


def test_gb18030_preserved(tmp_path: Path) -> None:
    data, _ = roundtrip(tmp_path, SAMPLE.encode("gb18030"))
    assert not data.startswith(codecs.BOM_UTF8)
    out = data.decode("gb18030")
    assert "详见[XX镇](http://example.org/沙溪" in out


def test_markup_characters_in_placeholders_are_escaped(tmp_path: Path) -> None:
    data, _ = roundtrip(tmp_path, "沙溪镇和沙溪村\n".encode(), lambda t: mask_all(t, new="**"))
    assert data.decode() == "\\*\\*镇和\\*\\*村\n"
