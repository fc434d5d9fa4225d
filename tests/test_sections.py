"""Compilation files split into documents at their title lines."""

from __future__ import annotations

from redact.sections import document_spans

BODY = "全面推进政务服务改革，取得明显成效。" * 20


def test_single_document_is_one_span() -> None:
    text = "县政务服务办公室2023年工作总结和2024年工作思路\n" + BODY
    assert document_spans(text) == [(0, len(text))]


def test_compilation_splits_at_titles_not_at_headings_or_toc() -> None:
    first = "目录\n市气象局2023年工作总结及2024年工作思路\t41\n街道2023年工作总结和2024年工作思路\n" + BODY + "\n一、2023年工作总结\n" + BODY + "\n"
    second = "市农业农村局2023年工作总结和2024年工作思路\n（二）整体工作总结\n" + BODY
    spans = document_spans(first + second)
    assert spans == [(0, len(first)), (len(first), len(first + second))]
