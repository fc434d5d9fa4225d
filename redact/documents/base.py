"""The document abstraction shared by every format."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from redact.errors import InputError
from redact.findings import Replacement


@dataclass(frozen=True)
class Document:
    """A file's analysable text plus what its format needs to write it back.

    `text` is what recognizers see; offsets in findings refer to it. `payload` is
    format-specific (encoding and BOM for text, the parsed package for docx …).
    """

    source: Path
    text: str
    format: str
    payload: dict[str, Any] = field(default_factory=dict, compare=False)


class DocumentFormat(Protocol):
    """Reads a file into a Document and writes a masked Document to a new file."""

    name: str

    def read(self, path: Path) -> Document: ...

    def write(self, document: Document, edits: Sequence[Replacement], destination: Path) -> None: ...


def read_input(path: Path) -> bytes:
    """The bytes of an input file; an unreadable one is an InputError."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def write_atomically(destination: Path, data: bytes) -> None:
    """Write to a temporary file beside `destination`, then rename it into place."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
