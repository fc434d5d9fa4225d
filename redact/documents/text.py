"""Plain-text documents: UTF-8 (with or without BOM) or GB18030, line endings kept as they are."""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from pathlib import Path

from redact.documents.base import Document, read_input, write_atomically
from redact.errors import InputError
from redact.findings import Replacement
from redact.masking import apply

ENCODINGS = ("utf-8", "gb18030")


def decode(path: Path, data: bytes) -> tuple[str, str, bool]:
    """`(text, encoding, had_bom)`; binary or undecodable content is an InputError."""
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks like a binary file (contains NUL bytes)")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8", True
        except UnicodeDecodeError as exc:
            raise InputError(path, f"starts with a UTF-8 BOM but is not valid UTF-8 (byte {exc.start})") from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding, False
        except UnicodeDecodeError:
            continue
    raise InputError(path, "cannot decode as UTF-8 or GB18030")


class TextFormat:
    """`.txt` files."""

    name = "text"

    def read(self, path: Path) -> Document:
        text, encoding, bom = decode(path, read_input(path))
        return Document(source=path, text=text, format=self.name, payload={"encoding": encoding, "bom": bom})

    def write(self, document: Document, edits: Sequence[Replacement], destination: Path) -> None:
        masked = apply(document.text, edits)
        data = masked.encode(document.payload["encoding"])
        if document.payload["bom"]:
            data = codecs.BOM_UTF8 + data
        write_atomically(destination, data)
