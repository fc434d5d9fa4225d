"""`.docx` in, `.docx` out: every container is read, masking works across runs, metadata is cleared."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from redact.documents import format_for
from redact.documents.docx import DocxFormat
from redact.errors import InputError
from redact.findings import Finding, Replacement
from redact.masking import apply

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
  <w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve"> 脚注：数据来自沙溪镇统计站</w:t></w:r></w:p></w:footnote>
</w:footnotes>""".encode()
TEXT_BOX = f"""<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>
  <v:shape id="box1" type="#_x0000_t202" style="width:200pt;height:40pt"><v:textbox><w:txbxContent>
    <w:p><w:r><w:t>文本框：沙溪镇简介</w:t></w:r></w:p>
  </w:txbxContent></v:textbox></v:shape>
</w:pict></w:r>"""
TRACKED_DELETION = f"""<w:del {nsdecls("w")} w:id="91" w:author="审阅人" w:date="2024-01-01T00:00:00Z">
  <w:r><w:delText>删去的沙溪村</w:delText></w:r>
</w:del>"""

PARAGRAPH_TEXTS = [
    "沙溪镇2023年工作总结",  # title line comes first
    "目前沙溪镇农民人均收入稳步增长。",  # split across runs below
    "正文：沙溪镇\t位于江南。",
    "单元格沙溪", "嵌套表格里的沙溪", "页眉沙溪镇人民政府", "首页页眉沙溪", "偶数页页眉沙溪",
    "页脚沙溪镇", "首页页脚沙溪", "偶数页页脚沙溪", "文本框：沙溪镇简介", "删去的沙溪村",
    "脚注：数据来自沙溪镇统计站", "批注：沙溪镇的数字待核",
]


def build_fixture(path: Path) -> None:
    document = docx.Document()
    title = document.add_paragraph("沙溪镇2023年工作总结")
    split = document.add_paragraph()
    first = split.add_run("目前沙")
    first.bold = True
    second = split.add_run("溪镇农民")
    second.italic = True
    second.font.size = Pt(14)
    split.add_run("人均收入稳步增长。")
    tabbed = document.add_paragraph("正文：沙溪镇")
    tabbed.add_run().add_tab()
    tabbed.add_run("位于江南。")

    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "单元格沙溪"
    inner = table.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "嵌套表格里的沙溪"

    section = document.sections[0]
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    section.header.paragraphs[0].text = "页眉沙溪镇人民政府"
    section.first_page_header.paragraphs[0].text = "首页页眉沙溪"
    section.even_page_header.paragraphs[0].text = "偶数页页眉沙溪"
    section.footer.paragraphs[0].text = "页脚沙溪镇"
    section.first_page_footer.paragraphs[0].text = "首页页脚沙溪"
    section.even_page_footer.paragraphs[0].text = "偶数页页脚沙溪"

    anchor = document.add_paragraph("见下框")
    anchor._p.append(parse_xml(TEXT_BOX))
    changed = document.add_paragraph("保留的文字")
    changed._p.append(parse_xml(TRACKED_DELETION))

    noted = document.add_paragraph("详见脚注")
    noted._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="1"/></w:r>'))
    footnotes = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES, document.part.package)
    document.part.relate_to(footnotes, RT.FOOTNOTES)

    document.add_comment(title.runs, text="批注：沙溪镇的数字待核", author="张三", initials="ZS")

    core = document.core_properties
    core.author = "张三"
    core.last_modified_by = "李四"
    core.title = "沙溪镇2023年工作总结"
    core.subject = "沙溪镇"
    core.keywords = "沙溪镇;总结"
    core.comments = "沙溪镇内部"
    core.category = "沙溪镇文件"
    app = next(p for p in document.part.package.iter_parts() if p.partname == "/docProps/app.xml")
    app._blob = (app.blob.replace(b"<Company/>", "<Company>沙溪镇人民政府</Company>".encode())
                 .replace(b"<Manager/>", "<Manager>王五</Manager>".encode()))
    document.save(str(path))


def place(text: str, start: int, end: int) -> Finding:
    return Finding(start=start, end=end, text=text[start:end], label="PLACE", rule_id="test.place",
                   recognizer="test", score=1.0, reason="test")


def mask_all(text: str, needle: str, new: str = "XX") -> list[Replacement]:
    return [Replacement(m.start(), m.end(), new, place(text, m.start(), m.end()))
            for m in re.finditer(re.escape(needle), text)]


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "总结.docx"
    path.parent.mkdir()
    build_fixture(path)
    return path


def test_registered_and_doc_rejected() -> None:
    assert isinstance(format_for(Path("a.DOCX")), DocxFormat)
    with pytest.raises(InputError) as caught:
        format_for(Path("old.doc"))
    assert ".docx" in caught.value.reason


def test_read_covers_every_container(source: Path) -> None:
    document = DocxFormat().read(source)
    assert document.format == "docx"
    assert document.text.split("\n")[0] == "沙溪镇2023年工作总结"
    for expected in PARAGRAPH_TEXTS:
        assert expected in document.text, expected
    # the body comes before headers, footers, footnotes and comments
    assert document.text.index("嵌套表格里的沙溪") < document.text.index("页眉沙溪镇人民政府")
    assert document.text.index("偶数页页脚沙溪") < document.text.index("脚注：") < document.text.index("批注：")


def test_segments_map_every_character(source: Path) -> None:
    document = DocxFormat().read(source)
    segments = document.payload["segments"]
    covered = {i for s in segments for i in range(s.start, s.end)}
    assert covered == {i for i, c in enumerate(document.text) if c != "\n"}  # no w:br in the fixture
    split = document.text.index("目前沙溪镇农民")
    runs = [s for s in segments if s.start < split + 5 and split < s.end]
    assert [document.text[s.start:s.end] for s in runs] == ["目前沙", "溪镇农民"]
    assert runs[0].paragraph == runs[1].paragraph and runs[0].run + 1 == runs[1].run
    tab = next(s for s in segments if document.text[s.start:s.end] == "\t")
    assert not tab.editable


def test_entity_split_across_runs_is_masked_and_formatting_kept(source: Path, tmp_path: Path) -> None:
    document = DocxFormat().read(source)
    start = document.text.index("沙溪镇农民")
    edit = Replacement(start, start + 2, "XX", place(document.text, start, start + 2))
    out = tmp_path / "out.docx"
    DocxFormat().write(document, [edit], out)

    paragraph = next(p for p in docx.Document(str(out)).paragraphs if p.text.startswith("目前"))
    assert paragraph.text == "目前XX镇农民人均收入稳步增长。"
    first, second = paragraph.runs[:2]
    assert (first.text, second.text) == ("目前XX", "镇农民")
    assert first.bold is True and not first.italic
    assert second.italic is True and not second.bold and second.font.size == Pt(14)


def test_masks_every_container(source: Path, tmp_path: Path) -> None:
    document = DocxFormat().read(source)
    edits = mask_all(document.text, "沙溪")
    out = tmp_path / "out.docx"
    DocxFormat().write(document, edits, out)

    again = DocxFormat().read(out)
    assert "沙溪" not in again.text
    assert again.text == apply(document.text, edits)
    assert "\t" in again.text  # the tab run survived


def test_metadata_cleared_and_input_untouched(source: Path, tmp_path: Path) -> None:
    before = source.read_bytes()
    document = DocxFormat().read(source)
    out = tmp_path / "out" / "总结.docx"
    DocxFormat().write(document, mask_all(document.text, "沙溪"), out)
    assert source.read_bytes() == before

    reopened = docx.Document(str(out))
    core = reopened.core_properties
    for name in ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category"):
        assert getattr(core, name) == "", name
    app = next(p for p in reopened.part.package.iter_parts() if p.partname == "/docProps/app.xml")
    assert "沙溪" not in app.blob.decode() and "王五" not in app.blob.decode()
    assert b"<Company" in app.blob


def test_write_is_repeatable(source: Path, tmp_path: Path) -> None:
    document = DocxFormat().read(source)
    DocxFormat().write(document, mask_all(document.text, "沙溪", "AA"), tmp_path / "a.docx")
    DocxFormat().write(document, mask_all(document.text, "沙溪", "BB"), tmp_path / "b.docx")
    assert "AA" in DocxFormat().read(tmp_path / "a.docx").text
    b = DocxFormat().read(tmp_path / "b.docx").text
    assert "BB" in b and "AA" not in b


def test_replacement_spanning_three_runs_and_deletion_only(tmp_path: Path) -> None:
    path = tmp_path / "runs.docx"
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ("甲沙", "溪", "镇乙"):
        paragraph.add_run(piece).underline = True
    document.save(str(path))
    read = DocxFormat().read(path)
    start = read.text.index("沙溪镇")
    edits = [Replacement(start, start + 3, "某地", place(read.text, start, start + 3)),
             Replacement(0, 1, "", place(read.text, 0, 1))]
    DocxFormat().write(read, edits, tmp_path / "out.docx")
    runs = docx.Document(str(tmp_path / "out.docx")).paragraphs[0].runs
    assert [r.text for r in runs] == ["某地", "", "乙"]
    assert all(r.underline for r in runs)


def test_unreadable_files_are_input_errors(tmp_path: Path) -> None:
    renamed = tmp_path / "old.docx"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)  # an OLE (.doc) header
    with pytest.raises(InputError):
        DocxFormat().read(renamed)
    with pytest.raises(InputError):
        DocxFormat().read(tmp_path / "missing.docx")


OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (libreoffice/soffice) is not on PATH")
def test_output_converts_with_libreoffice(source: Path, tmp_path: Path) -> None:
    document = DocxFormat().read(source)
    out = tmp_path / "masked.docx"
    DocxFormat().write(document, mask_all(document.text, "沙溪"), out)
    pdf_dir = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(pdf_dir), str(out)], check=True, capture_output=True, timeout=180)
    pdf = pdf_dir / "masked.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
