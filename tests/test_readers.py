"""Tests for pipeline.ingest.readers and pipeline.ingest.decode.

Real documents are read in place from ../shared (skipped when it is missing); everything
binary (DOCX, PDF, zip bombs, oversized files) is generated in tmp_path.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.ingest.decode import (
    DecodeError,
    decode_bytes,
    html_declared_charset,
    normalise_charset,
    sniff_html_charset,
)
from pipeline.ingest.readers import (
    MAX_BYTES,
    SUPPORTED_SUFFIXES,
    InputError,
    RawDocument,
    iter_files,
    read_bytes,
    read_file,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"

needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared is not present")

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _input_error(reader, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        reader(*args, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- builders


def _make_docx(path: Path) -> Path:
    """Paragraphs, a 3-column table with a vertical merge, a one-column frame, then more text."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于开展安全生产大检查的通知")
    document.add_paragraph("各有关单位：")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate(
        [("任务", "牵头单位", "完成时限"), ("排查燃气管道", "市住建局", "6月底前"), ("", "市应急局", "9月底前")]
    ):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge: "排查燃气管道" spans two rows
    frame = document.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "框内第一段"
    frame.cell(0, 0).add_paragraph("框内第二段")
    run_paragraph = document.add_paragraph("请于")
    run_paragraph.add_run("12月10日前").bold = True
    run_paragraph.add_run("报送。")
    document.add_paragraph("联系人：王喆")
    document.save(path)
    return path


def _make_pdf(path: Path, paragraphs: list[str], **canvas_kwargs) -> Path:
    """A Chinese PDF with reportlab's CID font STSong-Light (no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    story = []
    for text in paragraphs:
        story.append(PageBreak() if text == "\f" else Paragraph(text, style))
    SimpleDocTemplate(str(path), pagesize=A4, **canvas_kwargs).build(story)
    return path


PDF_PARAGRAPHS = [
    "关于做好冬春季火灾防控工作的通知",
    "各区县应急管理局：",
    "一、各单位要于12月31日前完成重点场所消防隐患排查。",
    "二、对排查发现的问题，要建立台账，限期整改到位。",
    "\f",
    "三、请于次年1月10日前报送工作总结。联系人：陈镕。",
]


def _make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _make_zip_bomb(path: Path, size: int) -> Path:
    """A small zip whose word/document.xml inflates to `size` bytes of zeros (streamed)."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _make_pdf(tmp_path_factory.mktemp("pdf") / "zh.pdf", PDF_PARAGRAPHS).read_bytes()


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _make_docx(tmp_path_factory.mktemp("docx") / "zh.docx").read_bytes()


# --------------------------------------------------------------------------- decode


@pytest.mark.parametrize(
    "label", ["gb2312", "GB2312", "gbk", "gb_2312-80", "x-gbk", "GB18030", "cp936"]
)
def test_gb_family_labels_map_to_gb18030(label: str) -> None:
    assert normalise_charset(label) == "gb18030"


def test_unknown_charset_label_is_none() -> None:
    assert normalise_charset("x-no-such-charset") is None
    assert normalise_charset("") is None


def test_declared_gb2312_decodes_gbk_only_characters() -> None:
    data = "总理朱镕基、王喆、李堃".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # why the mapping exists
    assert decode_bytes(data, "gb2312") == ("总理朱镕基、王喆、李堃", "gb18030")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "安全".encode(), "utf-8-sig"),
        ("安全生产\n".encode("utf-16"), "utf-16"),
        ("安全生产\n".encode("utf-32"), "utf-32"),
    ],
)
def test_bom_wins_over_declaration(data: bytes, encoding: str) -> None:
    text, used = decode_bytes(data, "gbk")
    assert used == encoding
    assert text.startswith("安全") and "\ufeff" not in text


def test_undeclared_utf8() -> None:
    assert decode_bytes("各单位要立即整改。".encode()) == ("各单位要立即整改。", "utf-8")


@pytest.mark.parametrize("text", ["喆", "镕镕镕", "第一条 ABC 喆", "关于做好汛期安全防范工作的通知"])
def test_undeclared_gbk_is_gb18030_even_when_short(text: str) -> None:
    # charset-normalizer alone answers cp949 for "喆" and big5 for "镕镕镕".
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "latin1", "us-ascii"])
def test_latin_declaration_never_gives_mojibake(declared: str) -> None:
    text = "各地区要立即开展隐患排查，王喆负责。"
    assert decode_bytes(text.encode("gbk"), declared) == (text, "gb18030")


def test_gb_declaration_on_utf8_bytes_gives_utf8() -> None:
    text = "页面已转存为 UTF-8，但 meta 仍写 gb2312。"
    assert decode_bytes(text.encode(), "gb2312") == (text, "utf-8")


def test_truncated_gbk_keeps_chinese() -> None:
    data = ("各单位要于6月底前完成排查整治工作。" * 20).encode("gbk") + "镕".encode("gbk")[:1]
    text, encoding = decode_bytes(data, "gb2312")
    assert encoding == "gb18030"
    assert text.startswith("各单位要于6月底前") and text.count("\ufffd") == 1


@pytest.mark.parametrize("declared", [None, "gb2312"])
def test_short_truncated_gbk_is_not_thai(declared: str | None) -> None:
    # charset-normalizer alone answers cp874 (Thai) for these bytes.
    data = "各单位要于6月底前完成排查。".encode("gbk") + "镕".encode("gbk")[:1]
    assert decode_bytes(data, declared) == ("各单位要于6月底前完成排查。\ufffd", "gb18030")


def test_big5_is_kept() -> None:
    text = "各地區、各部門要立即開展安全生產大檢查，限期整改到位，確保不發生重大事故。"
    assert decode_bytes(text.encode("big5")) == (text, "big5")


def test_random_bytes_are_not_text() -> None:
    noise = random.Random(7).randbytes(4000)
    with pytest.raises(DecodeError):
        decode_bytes(noise)


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<html><head><meta charset="gbk">', "gbk"),
        (b"<meta charset=GB2312 />", "gb2312"),
        (b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=gb2312">', "gb2312"),
        (b"<meta content='text/html;charset=utf-8' http-equiv='Content-Type'>", "utf-8"),
        (b'<?xml version="1.0" encoding="GBK"?><html>', "gbk"),
        (b"<html><head><title>x</title></head>", None),
        (b" " * 5000 + b'<meta charset="gbk">', None),  # only the first 4 KB count
    ],
)
def test_sniff_html_charset(head: bytes, charset: str | None) -> None:
    assert sniff_html_charset(head) == charset


def test_html_header_charset_that_does_not_fit_loses_to_meta() -> None:
    page = '<meta charset="gb2312"><p>王喆</p>'.encode("gbk")
    assert html_declared_charset(page, "utf-8") == "gb2312"
    assert html_declared_charset(page, "iso-8859-1") == "gb2312"
    assert html_declared_charset(page, "gbk") == "gbk"
    assert html_declared_charset(b"<p>ok</p>", None) is None


# --------------------------------------------------------------------------- TXT


def test_raw_document_fields() -> None:
    path = FIXTURES / "gbk-undeclared.txt"
    doc = read_file(path)
    assert isinstance(doc, RawDocument)
    assert doc.source == str(path)
    assert doc.fmt == "txt"
    assert doc.raw_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.encoding == "gb18030"
    assert doc.text.splitlines()[1] == "各乡镇要落实防汛责任制，明确责任人。"
    with pytest.raises(AttributeError):
        doc.text = "x"  # type: ignore[misc]  # frozen


def test_source_is_the_path_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)
    assert read_file("readers/utf8-bom.txt").source == "readers/utf8-bom.txt"


def test_txt_utf8_bom_and_crlf() -> None:
    doc = read_file(FIXTURES / "utf8-bom.txt")
    assert doc.encoding == "utf-8-sig"
    assert doc.text == "各单位要立即开展安全生产大检查。\n限期于月底前报送。\n"


def test_txt_utf16() -> None:
    doc = read_file(FIXTURES / "utf16.txt")
    assert doc.encoding == "utf-16"
    assert doc.text == "各单位要加强值班值守。\n请于12月10日前报送总结。\n"


def test_txt_newlines_and_page_breaks_normalised(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("第一段\r\n第二段\r第三段\f第四段\u2028第五段".encode())
    assert read_file(path).text.split("\n") == ["第一段", "第二段", "第三段", "第四段", "第五段"]


def test_txt_binary_is_refused() -> None:
    assert _input_error(read_file, FIXTURES / "binary.txt") == "不是文本文件（含二进制内容）"


def test_txt_undecodable_without_nul_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b for b in random.Random(3).randbytes(6000) if b))
    assert _input_error(read_file, path) == "不是文本文件（含二进制内容）"


@pytest.mark.parametrize(
    "content", [b"", b"  \r\n\t \n", "\u3000\u3000\n".encode(), codecs.BOM_UTF8]
)
def test_txt_empty_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _input_error(read_file, path) == "文件为空"


def test_empty_fixture_is_refused() -> None:
    assert _input_error(read_file, FIXTURES / "empty.txt") == "文件为空"


@needs_shared
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_texts(path: Path) -> None:
    doc = read_file(path)
    assert doc.fmt == "txt" and doc.encoding == "utf-8"
    assert "\r" not in doc.text and "\x00" not in doc.text
    original = path.read_text(encoding="utf-8")
    assert doc.text.replace("\n", "") == original.replace("\r", "").replace("\n", "")
    assert "安全" in doc.text


# --------------------------------------------------------------------------- HTML


def test_html_gbk_page_declaring_gb2312() -> None:
    doc = read_file(FIXTURES / "gbk-declared-gb2312.html")
    assert doc.fmt == "html"
    assert doc.encoding == "gb18030"
    assert "王喆、陈镕两位同志牵头" in doc.text
    assert doc.text.startswith("<!DOCTYPE html>\n<html>") and "\r" not in doc.text


def test_html_via_read_bytes_with_header_charset() -> None:
    data = (FIXTURES / "gbk-declared-gb2312.html").read_bytes()
    url = "http://yjj.example.gov.cn/art/2025/1/2/art_1.shtml"
    doc = read_bytes(data, url, content_type="text/html; charset=GBK")
    assert (doc.fmt, doc.encoding) == ("html", "gb18030")
    assert "王喆" in doc.text
    # A wrong server default (utf-8 / ISO-8859-1) falls back to the page's own <meta>.
    for header in ("text/html; charset=utf-8", "text/html; charset=ISO-8859-1", "text/html"):
        assert "陈镕" in read_bytes(data, "http://x.gov.cn/a.jsp?id=1", content_type=header).text


@needs_shared
def test_html_nea_notice() -> None:
    doc = read_file(CORPUS / "nea-dongchun-huozai-2021.html")
    assert (doc.fmt, doc.encoding) == ("html", "utf-8")
    assert "国能综通安全〔2021〕108号" in doc.text
    assert "<p>" in doc.text and "\r" not in doc.text  # markup kept, CRLF normalised


@needs_shared
def test_html_guobanfa_notice() -> None:
    doc = read_file(CORPUS / "guobanfa-2004-7-meikuang-tongbao.html")
    assert (doc.fmt, doc.encoding) == ("html", "utf-8")
    assert "国办发〔2004〕7号" in doc.text
    assert "<table" in doc.text


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_tables_in_body_order(tmp_path: Path, docx_bytes: bytes) -> None:
    path = tmp_path / "notice.docx"
    path.write_bytes(docx_bytes)
    doc = read_file(path)
    assert (doc.fmt, doc.encoding) == ("docx", None)
    assert doc.text.split("\n") == [
        "关于开展安全生产大检查的通知",
        "各有关单位：",
        "任务\t牵头单位\t完成时限",
        "排查燃气管道\t市住建局\t6月底前",
        "\t市应急局\t9月底前",  # merged cell not repeated
        "框内第一段",  # one-column table: a frame, its paragraphs stay lines
        "框内第二段",
        "请于12月10日前报送。",
        "联系人：王喆",
    ]


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CRAFTED_BODY = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{_W_NS}" xmlns:mc="{_MC_NS}"><w:body>
<w:sdt><w:sdtContent><w:p><w:r><w:t>目录</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:r><w:t>请</w:t></w:r><w:hyperlink w:anchor="a"><w:r><w:t>点击此处</w:t></w:r></w:hyperlink>
<w:ins w:id="1" w:author="x"><w:r><w:t>新增</w:t></w:r></w:ins>
<w:del w:id="2" w:author="x"><w:r><w:delText>删除</w:delText></w:r></w:del>
<w:r><w:tab/><w:t>完</w:t><w:br/><w:t>次行</w:t></w:r></w:p>
<w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>
</w:txbxContent></w:drawing></mc:Choice>
<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict>
</mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:sectPr/></w:body></w:document>"""


def test_docx_content_controls_links_revisions_and_text_boxes(
    tmp_path: Path, docx_bytes: bytes
) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["word/document.xml"] = _CRAFTED_BODY.encode()
    path = _make_zip(tmp_path / "crafted.docx", members)
    assert read_file(path).text.split("\n") == ["目录", "请点击此处新增\t完", "次行", "锚点", "文本框"]


@needs_shared
@pytest.mark.parametrize("name", ["hunan-gwr-2025", "ningxia-gwr-2025", "sichuan-gwr-2025"])
def test_docx_matches_its_txt(name: str) -> None:
    from_docx = read_file(CORPUS / f"{name}.docx").text.split("\n")
    from_txt = read_file(CORPUS / f"{name}.txt").text.strip("\n").split("\n")
    assert len(from_docx) > 50
    assert difflib.SequenceMatcher(None, from_docx, from_txt, autojunk=False).ratio() > 0.95


def test_docx_truncated(tmp_path: Path, docx_bytes: bytes) -> None:
    for keep in (len(docx_bytes) // 2, len(docx_bytes) - 10):
        path = tmp_path / f"cut{keep}.docx"
        path.write_bytes(docx_bytes[:keep])
        assert _input_error(read_file, path) == "DOCX 文件已损坏或不完整"


def test_docx_corrupt_member(tmp_path: Path, docx_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:200]  # broken XML
    path = _make_zip(tmp_path / "broken.docx", members)
    assert _input_error(read_file, path) == "DOCX 文件已损坏或不完整"


def test_docx_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("这不是 Word 文件", encoding="utf-8")
    assert _input_error(read_file, path) == "DOCX 文件已损坏或不完整"


def test_docx_zip_without_document_xml(tmp_path: Path) -> None:
    path = _make_zip(tmp_path / "sheet.docx", {"xl/workbook.xml": b"<workbook/>"})
    assert _input_error(read_file, path) == "不是有效的 DOCX 文件（缺少 word/document.xml）"


def test_docx_old_doc_or_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert _input_error(read_file, path) == "不是 DOCX 文件（可能是旧版 .doc 格式或已加密）"


def test_docx_zip_bomb_total_size(tmp_path: Path) -> None:
    path = _make_zip_bomb(tmp_path / "bomb.docx", 300 * 1024 * 1024)
    assert path.stat().st_size < 1024 * 1024
    assert _input_error(read_file, path) == "疑似压缩炸弹（解压后过大）"


def test_docx_zip_bomb_ratio(tmp_path: Path) -> None:
    path = _make_zip_bomb(tmp_path / "ratio.docx", 20 * 1024 * 1024)  # under 200 MB, ratio ~1000
    assert _input_error(read_file, path) == "疑似压缩炸弹（解压后过大）"


def test_docx_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    assert _input_error(read_file, path) == "DOCX 中没有文字"


# --------------------------------------------------------------------------- PDF


def test_pdf_chinese_text_in_order(tmp_path: Path, pdf_bytes: bytes) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf_bytes)
    doc = read_file(path)
    assert (doc.fmt, doc.encoding) == ("pdf", None)
    assert _nospace(doc.text) == _nospace("".join(PDF_PARAGRAPHS))
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    assert lines[0] == "关于做好冬春季火灾防控工作的通知"
    assert lines[-1] == "三、请于次年1月10日前报送工作总结。联系人：陈镕。"
    assert "\f" not in doc.text


def test_pdf_keeps_line_structure(tmp_path: Path) -> None:
    long_paragraph = "各地区、各有关部门要立即开展安全生产大检查，" * 8
    path = _make_pdf(tmp_path / "long.pdf", [long_paragraph, "结束。"])
    lines = [line for line in read_file(path).text.split("\n") if line.strip()]
    assert len(lines) >= 4  # hard line breaks kept; the cleaner re-flows them
    assert _nospace("".join(lines)) == _nospace(long_paragraph + "结束。")


def _canvas_pdf(path: Path, draw) -> Path:
    """A one-page PDF drawn by hand with the STSong-Light CID font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    drawing = canvas.Canvas(str(path))
    drawing.setFont("STSong-Light", 12)
    draw(drawing)
    drawing.showPage()
    drawing.save()
    return path


def test_pdf_spaced_characters_and_middle_dot(tmp_path: Path) -> None:
    # Why pypdf: pdfminer.six drops "·" and splits spaced-out Chinese into "各 地 区 …".
    def draw(drawing) -> None:
        line = drawing.beginText(72, 700)
        line.setFont("STSong-Light", 12)
        line.setCharSpace(3)
        line.textLine("各地区要吸取自贡“7·17”重大事故教训。")
        drawing.drawText(line)

    text = read_file(_canvas_pdf(tmp_path / "spaced.pdf", draw)).text
    assert text.strip() == "各地区要吸取自贡“7·17”重大事故教训。"


def test_pdf_reading_order_not_stream_order(tmp_path: Path) -> None:
    lines = ["标题：关于隐患排查的通知", "一、各单位要立即开展排查。", "二、于六月底前报送。"]

    def draw(drawing) -> None:
        for i in reversed(range(len(lines))):  # drawn bottom-up
            drawing.drawString(72, 760 - 30 * i, lines[i])

    text = read_file(_canvas_pdf(tmp_path / "order.pdf", draw)).text
    assert [line.strip() for line in text.split("\n") if line.strip()] == lines


def test_pdf_table_row_stays_on_one_line(tmp_path: Path) -> None:
    def draw(drawing) -> None:
        for i, (task, unit) in enumerate([("排查燃气管道", "市住建局"), ("整治电动车充电", "市消防救援支队")]):
            drawing.drawString(60, 760 - 20 * i, task)
            drawing.drawString(330, 760 - 20 * i, unit)

    text = read_file(_canvas_pdf(tmp_path / "table.pdf", draw)).text
    assert text.split("\n") == ["排查燃气管道\t市住建局", "整治电动车充电\t市消防救援支队"]


def test_pdf_truncated(tmp_path: Path, pdf_bytes: bytes) -> None:
    for keep in (len(pdf_bytes) // 2, len(pdf_bytes) - 10):
        path = tmp_path / f"cut{keep}.pdf"
        path.write_bytes(pdf_bytes[:keep])
        assert _input_error(read_file, path) == "PDF 文件已损坏或不完整"


def test_pdf_garbage_body(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    assert _input_error(read_file, path) == "PDF 文件已损坏或不完整"


def test_pdf_without_header(tmp_path: Path) -> None:
    path = tmp_path / "error-page.pdf"
    path.write_text("<html><body>404 页面不存在</body></html>", encoding="utf-8")
    assert _input_error(read_file, path) == "不是有效的 PDF 文件（缺少 %PDF- 文件头）"


def test_pdf_scanned_without_text(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    drawing = canvas.Canvas(str(path))
    drawing.rect(72, 72, 300, 500, fill=1)  # stands in for a page image
    drawing.showPage()
    drawing.save()
    assert _input_error(read_file, path) == "PDF 中没有可提取的文字（可能是扫描件）"


def test_pdf_encrypted(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = StandardEncryption("user-secret", ownerPassword="owner-secret")
    path = _make_pdf(tmp_path / "locked.pdf", PDF_PARAGRAPHS[:2], encrypt=locked)
    assert _input_error(read_file, path) == "PDF 已加密"


def test_pdf_copy_protected_only_is_read(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    protected = StandardEncryption("", ownerPassword="owner-secret", canCopy=0)
    path = _make_pdf(tmp_path / "protected.pdf", PDF_PARAGRAPHS[:2], encrypt=protected)
    assert "各区县应急管理局" in read_file(path).text


# --------------------------------------------------------------------------- files and limits


def test_missing_file() -> None:
    assert _input_error(read_file, FIXTURES / "no-such-file.txt") == "文件不存在"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert _input_error(read_file, folder) == "不是普通文件（可能是文件夹）"


@pytest.mark.parametrize(
    ("name", "shown"), [("a.xyz", ".xyz"), ("a.DOC", ".doc"), ("README", "（无扩展名）")]
)
def test_unsupported_suffix(tmp_path: Path, name: str, shown: str) -> None:
    path = tmp_path / name
    path.write_text("内容", encoding="utf-8")
    assert _input_error(read_file, path) == f"不支持的文件类型：{shown}"


def test_uppercase_suffix_is_supported(tmp_path: Path) -> None:
    path = tmp_path / "NOTICE.TXT"
    path.write_text("通知正文", encoding="utf-8")
    assert read_file(path).fmt == "txt"


def test_too_large_file_is_refused_from_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: no disk used
    opened: list[object] = []
    real_open = Path.open
    def spy_open(self: Path, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy_open)
    assert _input_error(read_file, path) == "文件过大（超过 50 MB）"
    assert opened == []  # refused before a single byte was read


def test_read_bytes_too_large() -> None:
    data = b" " * (MAX_BYTES + 1)
    assert _input_error(read_bytes, data, "http://x.gov.cn/a.txt") == "文件过大（超过 50 MB）"


def test_supported_suffixes_contract() -> None:
    assert SUPPORTED_SUFFIXES == {
        ".txt": "txt", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf",
        ".md": "md", ".markdown": "md",
    }
    assert MAX_BYTES == 50 * 1024 * 1024


# --------------------------------------------------------------------------- read_bytes formats


def test_read_bytes_sniffs_pdf_and_docx(pdf_bytes: bytes, docx_bytes: bytes) -> None:
    url = "http://yjj.example.gov.cn/download.jsp?id=42"
    assert read_bytes(pdf_bytes, url, content_type="application/octet-stream").fmt == "pdf"
    assert read_bytes(docx_bytes, url).fmt == "docx"
    assert read_bytes(pdf_bytes, url + ".html", content_type="text/html").fmt == "pdf"  # magic wins


def test_read_bytes_content_type_and_suffix(docx_bytes: bytes) -> None:
    text = "各单位要立即整改。".encode()
    plain = "text/plain; charset=utf-8"
    assert read_bytes(text, "http://x.gov.cn/a", content_type=plain).fmt == "txt"
    assert read_bytes(text, "http://x.gov.cn/files/a.txt?v=1").fmt == "txt"
    assert read_bytes(b"<p>x</p>", "http://x.gov.cn/art.htm").fmt == "html"
    assert read_bytes(docx_bytes, "http://x.gov.cn/f", content_type=DOCX_MIME).fmt == "docx"
    assert read_bytes(text, "http://x.gov.cn/a", fmt="htm").fmt == "html"


def test_read_bytes_sniffs_html_and_text() -> None:
    page = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>通知</body></html>".encode()
    assert read_bytes(page, "http://x.gov.cn/art/1.shtml").fmt == "html"
    assert read_bytes(b"  <table><tr><td>x</td></tr></table>", "http://x.gov.cn/frag").fmt == "html"
    assert read_bytes(page, "http://x.gov.cn/a", content_type="text/plain").fmt == "html"
    assert read_bytes("通知正文".encode(), "http://x.gov.cn/a").fmt == "txt"


def test_read_bytes_claimed_pdf_that_is_an_error_page() -> None:
    page = "<html><body>访问出错</body></html>".encode()
    assert _input_error(read_bytes, page, "http://x.gov.cn/a.pdf") == "不是有效的 PDF 文件（缺少 %PDF- 文件头）"
    message = _input_error(read_bytes, page, "http://x/a", content_type="application/pdf")
    assert message.startswith("不是有效的 PDF")


@pytest.mark.parametrize(
    ("source", "content_type", "shown"),
    [
        ("http://x.gov.cn/a", "image/png", "image/png"),
        ("http://x.gov.cn/a", "application/msword", "application/msword"),
        ("http://x.gov.cn/files/a.doc", None, ".doc"),
        ("http://x.gov.cn/files/a.xls", "application/octet-stream", ".xls"),
    ],
)
def test_read_bytes_unsupported(source: str, content_type: str | None, shown: str) -> None:
    message = _input_error(read_bytes, b"\xd0\xcf\x11\xe0 data", source, content_type=content_type)
    assert message == f"不支持的文件类型：{shown}"


def test_read_bytes_unknown_fmt() -> None:
    assert _input_error(read_bytes, b"x", "a", fmt="ofd") == "不支持的文件类型：ofd"


# --------------------------------------------------------------------------- iter_files


def test_iter_files(tmp_path: Path) -> None:
    names = ["b.txt", "a/z.pdf", "a/b/c.docx", "notes.xyz"]
    names += [".hidden.txt", ".git/x.txt", "a/~$c.docx"]  # skipped
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    listed = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert listed == ["a/b/c.docx", "a/z.pdf", "b.txt", "notes.xyz"]
    # files as given (even missing ones) pass through once, in argument order
    given = [tmp_path / "b.txt", tmp_path / "missing.txt", tmp_path, str(tmp_path / "b.txt")]
    again = list(iter_files(given))
    assert again[:2] == [tmp_path / "b.txt", tmp_path / "missing.txt"]
    assert len(again) == 5
    assert list(iter_files([tmp_path])) == list(iter_files([tmp_path]))


@needs_shared
def test_iter_files_then_read_corpus() -> None:
    files = list(iter_files([CORPUS]))
    assert [p.name for p in files] == sorted(p.name for p in files)
    readable = [p for p in files if p.suffix in SUPPORTED_SUFFIXES]
    assert "INDEX.md" not in [p.name for p in files]  # a folder's Markdown notes are not documents
    assert len(readable) == len(files)
    for path in readable:
        assert read_file(path).text.strip()


def test_markdown_document_is_read_as_text(tmp_path: Path) -> None:
    """A document site's Markdown (front matter, HTML fragments over several lines, entities)."""
    page = tmp_path / "notice.md"
    page.write_text("---\nlang: 'zh-cn'\n---\n**泰安市安委会办公室** \n\n<div style=\"font-family:'仿宋';\n"
                    "color:red\">文件</div>\n\n## 关于抓好整改工作的通知\n&emsp;&emsp;各县市区要建立工作台账。\n",
                    encoding="utf-8")
    text = read_file(page).text
    assert text.splitlines() == ["泰安市安委会办公室", "", "", "文件", "", "", "关于抓好整改工作的通知",
                                 "各县市区要建立工作台账。"]
    assert list(iter_files([tmp_path])) == []  # read when named, never picked up from a folder
