"""Word `.docx` documents: every story part is read into one text and masked run by run.

The text is built at the XML level so that every container is handled the same way: the body
(including tables, nested tables, text boxes and content controls), every header and footer
(default, first-page and even-page, of every section), footnotes, endnotes and comments. Each
`w:p` becomes one line of `Document.text`; its text is the concatenation of the `w:t`
(and `w:delText`) elements of the runs it owns, with `w:tab` as "\\t", `w:br`/`w:cr` as "\\n"
and `w:noBreakHyphen` as "-". A paragraph nested inside another one (a text box anchored in
a run) is a line of its own, after the paragraph that anchors it.

`payload["segments"]` maps every text range to the atom that produced it (see `Segment`);
`write` re-opens the original bytes kept in `payload["source"]`, finds the same atoms again
and edits their text, so a run's formatting (`w:rPr`) is never touched and an entity split
across runs is still masked completely.
"""

from __future__ import annotations

import bisect
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part, XmlPart
from lxml import etree

from redact.documents.base import Document, read_input, write_atomically
from redact.errors import InputError
from redact.findings import Replacement

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_P, W_R = _w("p"), _w("r")
EDITABLE = (_w("t"), _w("delText"))
FIXED = {_w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}
ATOM_TAGS = (*EDITABLE, *FIXED)

# Story parts, in the order their text appears in `Document.text` (the body comes first, so
# the document's title line is the first line of the text).
STORY_TYPES = (CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES,
               CT.WML_ENDNOTES, CT.WML_COMMENTS)

CORE_PROPERTIES_CLEARED = ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category")
APP_PROPERTIES_CLEARED = ("Company", "Manager")


@dataclass(frozen=True)
class Segment:
    """`Document.text[start:end]` comes from one atom (a `w:t`, `w:delText`, `w:tab` … element).

    Atoms are addressed by position so that the map survives re-opening the package: `part` is
    the part name (`/word/document.xml`, `/word/header1.xml` …), `atom` the index of the element
    among the part's atoms in document order, `paragraph` and `run` the indexes of its `w:p`
    and `w:r` among all paragraphs and runs of the part. `editable` is False for atoms that
    stand for one fixed character (tab, break), which a replacement leaves in place.
    """

    start: int
    end: int
    part: str
    atom: int
    paragraph: int
    run: int
    editable: bool


@dataclass
class _Story:
    """One story part while reading or writing: its XML root and its atoms in document order."""

    part: Part
    root: Any
    atoms: list[Any]


def _open(path: Path, data: bytes) -> Any:
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"not a readable .docx package ({exc}); a .doc renamed to .docx or an "
                               "encrypted file must be converted or decrypted first") from None
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(path, f"not a valid Word document: {exc}") from None


def _natural(partname: str) -> list[Any]:
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", partname)]


def _story_parts(document: Any) -> list[Part]:
    main = document.part
    others = [p for p in main.package.iter_parts() if p is not main and p.content_type in STORY_TYPES]
    others.sort(key=lambda p: (STORY_TYPES.index(p.content_type), _natural(str(p.partname))))
    return [main, *others]


def _root(part: Part) -> Any:
    """The live XML of a part; parts python-docx keeps as plain bytes are parsed here."""
    if isinstance(part, XmlPart):
        return part.element
    return etree.fromstring(part.blob)


def _atoms(root: Any) -> list[Any]:
    return [el for el in root.iter(*ATOM_TAGS) if (parent := el.getparent()) is not None and parent.tag == W_R]


def _stories(document: Any) -> list[_Story]:
    stories = []
    for part in _story_parts(document):
        root = _root(part)
        stories.append(_Story(part, root, _atoms(root)))
    return stories


def _atom_text(atom: Any) -> str:
    if atom.tag in FIXED:
        return FIXED[atom.tag]
    return atom.text or ""


def _owning_paragraph(atom: Any) -> Any | None:
    return next(atom.iterancestors(W_P), None)


def _extract(stories: list[_Story]) -> tuple[str, tuple[Segment, ...]]:
    """The document text and the segment map, one line per paragraph of every story part."""
    lines: list[str] = []
    segments: list[Segment] = []
    offset = 0
    for story in stories:
        paragraphs = list(story.root.iter(W_P))
        paragraph_index = {id(p): i for i, p in enumerate(paragraphs)}
        runs = list(story.root.iter(W_R))  # keeps the proxies (and so their ids) alive
        run_index = {id(r): i for i, r in enumerate(runs)}
        owned: dict[int, list[int]] = {i: [] for i in range(len(paragraphs))}
        orphans: list[int] = []
        for number, atom in enumerate(story.atoms):
            paragraph = _owning_paragraph(atom)
            (orphans if paragraph is None else owned[paragraph_index[id(paragraph)]]).append(number)
        groups = [(i, owned[i]) for i in range(len(paragraphs))]
        if orphans:
            groups.append((-1, orphans))
        name = str(story.part.partname)
        for paragraph, numbers in groups:
            if lines:
                offset += 1  # the "\n" joining this line to the previous one
            pieces = []
            for number in numbers:
                atom = story.atoms[number]
                piece = _atom_text(atom)
                if piece:
                    segments.append(Segment(offset, offset + len(piece), name, number, paragraph,
                                            run_index[id(atom.getparent())], atom.tag in EDITABLE))
                pieces.append(piece)
                offset += len(piece)
            lines.append("".join(pieces))
    return "\n".join(lines), tuple(segments)


def _overlapping(segments: Sequence[Segment], starts: Sequence[int], start: int, end: int) -> Iterator[Segment]:
    """The segments sharing a character with `[start, end)`, or touching `start` if it is empty."""
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    for index in range(first, len(segments)):
        segment = segments[index]
        if segment.start > end or (segment.start == end and start != end):
            break
        if start == end:
            if segment.start <= start <= segment.end:
                yield segment
        elif segment.start < end and start < segment.end:
            yield segment


def _plan(segments: Sequence[Segment], edits: Sequence[Replacement]) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
    """For every atom to change, its local edits `(from, to, new)`.

    The replacement text goes into the first editable atom the replacement covers; the covered
    characters of the following atoms are removed. Fixed atoms (tab, break) are left in place.
    """
    starts = [s.start for s in segments]
    plan: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    cursor = -1
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < cursor:
            continue  # overlaps an edit already planned
        cursor = edit.end
        first = True
        for segment in _overlapping(segments, starts, edit.start, edit.end):
            if not segment.editable:
                continue
            lo = max(edit.start, segment.start) - segment.start
            hi = min(edit.end, segment.end) - segment.start
            plan.setdefault((segment.part, segment.atom), []).append((lo, hi, edit.new if first else ""))
            first = False
            if edit.start == edit.end:
                break
    return plan


def _apply_plan(stories: list[_Story], plan: dict[tuple[str, int], list[tuple[int, int, str]]]) -> None:
    by_name = {str(story.part.partname): story for story in stories}
    changed: set[str] = set()
    for (name, number), changes in plan.items():
        atom = by_name[name].atoms[number]
        text = atom.text or ""
        for lo, hi, new in sorted(changes, reverse=True):
            text = text[:lo] + new + text[hi:]
        atom.text = text
        atom.set(XML_SPACE, "preserve")
        changed.add(name)
    for name in changed:
        story = by_name[name]
        if not isinstance(story.part, XmlPart):
            story.part._blob = etree.tostring(story.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clear_properties(document: Any) -> None:
    core = document.core_properties
    for name in CORE_PROPERTIES_CLEARED:
        setattr(core, name, "")
    for rel in document.part.package.rels.values():
        if rel.is_external or rel.reltype != RT.EXTENDED_PROPERTIES:
            continue
        part = rel.target_part
        root = _root(part)
        for name in APP_PROPERTIES_CLEARED:
            for element in root.iter(f"{{{EXTENDED_NS}}}{name}"):
                element.text = ""
        # Word repeats the document title in TitlesOfParts.
        for titles in root.iter(f"{{{EXTENDED_NS}}}TitlesOfParts"):
            for element in titles.iter(f"{{{VT_NS}}}lpstr"):
                element.text = ""
        if not isinstance(part, XmlPart):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class DocxFormat:
    """`.docx` files (Office Open XML word-processing documents)."""

    name = "docx"

    def read(self, path: Path) -> Document:
        data = read_input(path)
        text, segments = _extract(_stories(_open(path, data)))
        return Document(source=path, text=text, format=self.name,
                        payload={"source": data, "segments": segments})

    def write(self, document: Document, edits: Sequence[Replacement], destination: Path) -> None:
        package = _open(document.source, document.payload["source"])
        stories = _stories(package)
        text, segments = _extract(stories)
        if text != document.text or segments != document.payload["segments"]:
            raise InputError(document.source, "the document changed between reading and writing")
        _apply_plan(stories, _plan(segments, edits))
        _clear_properties(package)
        buffer = io.BytesIO()
        package.save(buffer)
        write_atomically(destination, buffer.getvalue())
