"""Document formats: read a file into one analysable text, write the masked version back."""

from __future__ import annotations

from pathlib import Path

from redact.documents.base import Document, DocumentFormat, write_atomically
from redact.documents.docx import DocxFormat
from redact.documents.markdown import MarkdownFormat
from redact.documents.text import TextFormat
from redact.errors import InputError

FORMATS: dict[str, DocumentFormat] = {
    ".txt": TextFormat(),
    ".text": TextFormat(),
    ".docx": DocxFormat(),
    ".md": MarkdownFormat(),
    ".markdown": MarkdownFormat(),
}


def format_for(path: Path) -> DocumentFormat:
    """The reader/writer for a file, by extension; unsupported formats are an InputError."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        supported = ", ".join(sorted(FORMATS))
        raise InputError(path, f"unsupported format {path.suffix or '(no extension)'!r}; supported: {supported}") from None


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


__all__ = ["Document", "DocumentFormat", "FORMATS", "format_for", "is_supported", "write_atomically"]
