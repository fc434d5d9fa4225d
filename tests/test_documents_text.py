"""Plain-text documents: encodings, BOM, line endings, refusals, atomic writes."""

from __future__ import annotations

import codecs
import os

import pytest

from redact.documents import FORMATS, format_for, is_supported, write_atomically
from redact.documents.text import TextFormat, decode
from redact.errors import InputError
from redact.findings import Finding, Replacement

TEXT = "县政务服务办公室2023年工作总结\n目前沙溪镇农民集中居住区建设项目\n"
MASKED = "县政务服务办公室2023年工作总结\n目前XX镇农民集中居住区建设项目\n"


def edit_for(text: str, part: str, new: str) -> Replacement:
    start = text.index(part)
    finding = Finding(start=start, end=start + len(part), text=part, label="PLACE", rule_id="t",
                      recognizer="test", score=0.9, reason="test")
    return Replacement(start, start + len(part), new, finding)


@pytest.mark.parametrize(("raw", "text", "encoding", "bom"), [
    (TEXT.encode("utf-8"), TEXT, "utf-8", False),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT, "utf-8", True),
    (TEXT.encode("gb18030"), TEXT, "gb18030", False),
    (TEXT.replace("\n", "\r\n").encode("utf-8"), TEXT.replace("\n", "\r\n"), "utf-8", False),
    (TEXT.replace("\n", "\r\n").encode("gb18030"), TEXT.replace("\n", "\r\n"), "gb18030", False),
    (b"", "", "utf-8", False),
    (codecs.BOM_UTF8, "", "utf-8", True),
    ("岙垟𠀋".encode("gb18030"), "岙垟𠀋", "gb18030", False),   # 4-byte GB18030 sequences
])
def test_read(tmp_path, raw, text, encoding, bom):
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    document = TextFormat().read(path)
    assert document.text == text
    assert document.payload == {"encoding": encoding, "bom": bom}
    assert document.format == "text" and document.source == path


@pytest.mark.parametrize(("encode", "newline"), [
    (lambda t: t.encode("utf-8"), "\n"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "\n"),
    (lambda t: t.encode("gb18030"), "\n"),
    (lambda t: t.encode("utf-8"), "\r\n"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "\r\n"),
    (lambda t: t.encode("gb18030"), "\r\n"),
])
def test_round_trip_keeps_encoding_bom_and_line_endings(tmp_path, encode, newline):
    original = TEXT.replace("\n", newline)
    expected = MASKED.replace("\n", newline)
    source = tmp_path / "in" / "doc.txt"
    source.parent.mkdir()
    source.write_bytes(encode(original))
    before = source.read_bytes()
    text_format = TextFormat()
    document = text_format.read(source)
    destination = tmp_path / "out" / "doc.txt"
    text_format.write(document, [edit_for(document.text, "沙溪", "XX")], destination)
    assert destination.read_bytes() == encode(expected)
    assert source.read_bytes() == before          # the input is never modified
    assert text_format.read(destination).payload == document.payload


def test_write_without_edits_reproduces_the_file(tmp_path):
    raw = codecs.BOM_UTF8 + "第一行\r\n第二行\n第三行\r".encode("utf-8")
    source = tmp_path / "doc.txt"
    source.write_bytes(raw)
    document = TextFormat().read(source)
    TextFormat().write(document, [], tmp_path / "copy.txt")
    assert (tmp_path / "copy.txt").read_bytes() == raw


@pytest.mark.parametrize(("raw", "reason"), [
    (b"PK\x03\x04\x00\x00binary", "looks like a binary file (contains NUL bytes)"),
    ("文本\x00文本".encode("utf-8"), "looks like a binary file (contains NUL bytes)"),
    (codecs.BOM_UTF8 + b"abc\xff\xfe", "starts with a UTF-8 BOM but is not valid UTF-8 (byte 3)"),
    (b"\x81\x30\xff\xff", "cannot decode as UTF-8 or GB18030"),
])
def test_unreadable_content_is_an_input_error(tmp_path, raw, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(InputError) as caught:
        TextFormat().read(path)
    assert caught.value.reason == reason
    assert caught.value.path == path
    assert str(caught.value) == f"{path}: {reason}"


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        TextFormat().read(tmp_path / "missing.txt")
    assert caught.value.reason == "cannot read: No such file or directory"


def test_decode_prefers_utf8():
    assert decode(None, "沙溪".encode("utf-8")) == ("沙溪", "utf-8", False)


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    destination = tmp_path / "out" / "nested" / "doc.txt"
    write_atomically(destination, "第一版".encode("utf-8"))
    write_atomically(destination, "第二版".encode("utf-8"))
    assert destination.read_text(encoding="utf-8") == "第二版"
    assert sorted(os.listdir(destination.parent)) == ["doc.txt"]


def test_failed_write_leaves_no_temporary_file_and_keeps_the_old_one(tmp_path):
    destination = tmp_path / "doc.txt"
    destination.write_text("旧内容", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(destination, "不是字节")  # type: ignore[arg-type]
    assert destination.read_text(encoding="utf-8") == "旧内容"
    assert os.listdir(tmp_path) == ["doc.txt"]


def test_unencodable_masked_text_leaves_no_temporary_file(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_bytes(TEXT.encode("gb18030"))
    document = TextFormat().read(source)
    # GB18030 encodes every Unicode character; a lone surrogate is the only failure
    with pytest.raises(UnicodeEncodeError):
        TextFormat().write(document, [edit_for(document.text, "沙溪", "\ud800")], tmp_path / "out.txt")
    assert os.listdir(tmp_path) == ["doc.txt"]


@pytest.mark.parametrize(("name", "supported"), [
    ("a.txt", True), ("a.TXT", True), ("a.text", True), ("a.exe", False), ("README", False),
])
def test_supported_formats(tmp_path, name, supported):
    assert is_supported(tmp_path / name) is supported


@pytest.mark.parametrize(("name", "shown"), [("a.exe", "'.exe'"), ("README", "'(no extension)'")])
def test_unsupported_format_is_an_input_error(tmp_path, name, shown):
    with pytest.raises(InputError) as caught:
        format_for(tmp_path / name)
    supported = ", ".join(sorted(FORMATS))  # other formats are added over time
    assert ".text" in supported and ".txt" in supported
    assert caught.value.reason == f"unsupported format {shown}; supported: {supported}"


def test_txt_files_use_the_text_format(tmp_path):
    assert isinstance(format_for(tmp_path / "a.txt"), TextFormat)
