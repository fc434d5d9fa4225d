"""Split a compilation file into its documents, so each gets its own locality.

Compilations (汇编) put several offices' reports in one file; STYLE.md §h asks to decide per
document. A document starts at a title line: a short line naming a work summary or plan
(…2023年工作总结和2024年工作思路), which is neither an outline heading (一、 （二） 1.) nor a
table-of-contents entry (title, TAB, page number).
"""

from __future__ import annotations

import re

TITLE_LINE = re.compile(
    r"^(?![一二三四五六七八九十]+、|[（(]|[0-9０-９]+[、.．])"
    r"[^\t\n]{0,40}(?:工作总结|工作思路|工作安排|工作打算|工作要点|工作计划)[^\t\n]{0,24}$",
    re.MULTILINE)
MIN_DOCUMENT_CHARS = 300


def document_spans(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each document in `text`; the whole text when there is only one."""
    starts = [0]
    for match in TITLE_LINE.finditer(text):
        if match.start() - starts[-1] >= MIN_DOCUMENT_CHARS:
            starts.append(match.start())
    ends = [*starts[1:], len(text)]
    return list(zip(starts, ends))
