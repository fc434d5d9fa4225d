"""Markdown documents: masked like plain text, without breaking the markup.

`Document.text` is the whole file, exactly as decoded (UTF-8 with or without BOM, or GB18030;
CRLF kept). `payload["protected"]` lists the `(start, end)` spans that must stay as they are:

* fenced code blocks (whole lines, fences included) and inline code spans;
* link and image destinations (`[text](URL "title")`: the URL only; the text and the title are
  masked like any text), reference definitions' URLs, autolinks (`<http://…>`, `<a@b.c>`)
  and the ASCII part of bare URLs (`http://…`, `www.…`);
* raw HTML tags (`<span class="x">`, `</div>`, `<!--`/`-->` delimiters, declarations,
  processing instructions) but not the text between them; character references (`&amp;`);
* the `|` cell separators of tables.

Block structure (code blocks, tables) comes from markdown-it-py's block token line maps; inline
structure from regular expressions run over the text with the code blocks blanked out.
`write` drops every replacement that overlaps a protected span and backslash-escapes ASCII
markup characters in the replacement text, so a placeholder such as `*` cannot turn into
emphasis.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from collections.abc import Sequence
from pathlib import Path

from markdown_it import MarkdownIt

from redact.documents.base import Document, write_atomically
from redact.documents.text import TextFormat
from redact.findings import Replacement
from redact.masking import apply

Span = tuple[int, int]

LINE_BREAK = re.compile(r"\r\n|\r|\n")
PROTECTED_BLOCKS = ("fence",)
BLANK_LINE = r"\r?\n[ \t]*\r?\n"
INLINE = re.compile(
    r"""
    (?P<refdef>^[ ]{0,3}\[(?:[^\]\\\r\n]|\\.)+\]:[ \t]*(?:\r?\n[ \t]*)?)
        (?P<refdest><[^<>\r\n]*>|\S+)
    | (?<![`\\])(?P<code>(?P<ticks>`+)(?!`)(?:(?!"""
    + BLANK_LINE
    + r""")[\s\S])*?(?<!`)(?P=ticks)(?!`))
    | (?P<autolink><[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>
        | <[A-Za-z0-9.!\#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?
           (?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>)
    | (?P<tag></?[A-Za-z][A-Za-z0-9-]*
        (?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*/?>
        | <!--|-->|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>)
    | \]\([ \t]*(?:\r?\n[ \t]*)?(?P<dest><[^<>\r\n]*>|(?:[^\s()\\<]|\\.|\((?:[^\s()\\]|\\.)*\))+)
    | (?P<url>(?<![A-Za-z0-9])(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?\#@!$&'*+,;=%]+)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    """,
    re.VERBOSE | re.MULTILINE,
)
PROTECTED_GROUPS = ("refdest", "code", "autolink", "tag", "dest", "url", "entity")
URL_TRAILING = ".,:;!?'*_~"
TABLE_PIPE = re.compile(r"(?<!\\)\|")
MARKUP_CHARACTERS = re.compile(r"([\\`*_\[\]<>|~#!])")

PARSER = MarkdownIt("commonmark").enable("table")


def _line_starts(text: str) -> list[int]:
    """Offset of the start of every line, as markdown-it counts lines (CRLF, CR or LF), plus the end."""
    return [0, *(m.end() for m in LINE_BREAK.finditer(text)), len(text)]


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def protected_spans(text: str) -> tuple[Span, ...]:
    """The spans of a Markdown text that masking must leave untouched (sorted, merged)."""
    starts = _line_starts(text)

    def lines(first: int, last: int) -> Span:
        return starts[min(first, len(starts) - 1)], starts[min(last, len(starts) - 1)]

    spans: list[Span] = []
    tables: list[Span] = []
    for token in PARSER.parse(text):
        if token.map is None:
            continue
        if token.type in PROTECTED_BLOCKS:
            spans.append(lines(*token.map))
        elif token.type == "table_open":
            tables.append(lines(*token.map))

    scan = list(text)
    for start, end in spans:  # blank code blocks out, keeping offsets and line breaks
        scan[start:end] = (c if c in "\r\n" else " " for c in text[start:end])
    scan_text = "".join(scan)

    for match in INLINE.finditer(scan_text):
        for group in PROTECTED_GROUPS:
            if match.group(group) is None:
                continue
            start, end = match.span(group)
            if group == "url":
                end = start + len(match.group(group).rstrip(URL_TRAILING))
            spans.append((start, end))
            break
    for start, end in tables:
        spans.extend(m.span() for m in TABLE_PIPE.finditer(scan_text, start, end))
    return _merge(spans)


def overlaps(edit: Replacement, spans: Sequence[Span]) -> bool:
    if edit.start == edit.end:
        return any(start < edit.start < end for start, end in spans)
    return any(edit.start < end and start < edit.end for start, end in spans)


def escape(new: str) -> str:
    """Replacement text with ASCII markup characters backslash-escaped."""
    return MARKUP_CHARACTERS.sub(r"\\\1", new)


class MarkdownFormat:
    """`.md` / `.markdown` files."""

    name = "markdown"

    def read(self, path: Path) -> Document:
        """Read as plain text (encoding, BOM and line endings kept), plus the markup to protect."""
        document = TextFormat().read(path)
        return replace(document, format=self.name,
                       payload={**document.payload, "protected": protected_spans(document.text)})

    def write(self, document: Document, edits: Sequence[Replacement], destination: Path) -> None:
        protected = document.payload["protected"]
        kept = [Replacement(e.start, e.end, escape(e.new), e.finding) for e in edits if not overlaps(e, protected)]
        masked = apply(document.text, kept)
        data = masked.encode(document.payload["encoding"])
        if document.payload["bom"]:
            data = codecs.BOM_UTF8 + data
        write_atomically(destination, data)
