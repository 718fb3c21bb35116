"""The page and type of an official document (GB/T 9704-2012) in python-docx.

python-docx sets only the Latin font of a run (``w:ascii``/``w:hAnsi``); Word
picks a Chinese glyph's font from ``w:eastAsia``, and a theme font attribute
(``w:eastAsiaTheme``, which python-docx's template puts in the document
defaults) overrides an explicit name. So every run here gets its East Asian
font written into ``w:rFonts`` and the defaults lose their theme attributes —
otherwise Word shows the body in 等线/宋体 whatever the run says. No template
file is read: the default document is reshaped, so nothing is downloaded.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .settings import NoticeSettings

RED = RGBColor(0xE6, 0x00, 0x12)      # the banner's red (GB/T 9704 only asks for red)
THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")
EM_DASH = "—"                         # 一字线, either side of a page number
# The children of w:pPr that the schema (ECMA-376 CT_PPrBase) puts after w:pBdr.
AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
              "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
              "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
              "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
              "w:rPr", "w:sectPr", "w:pPrChange")


def _set_rfonts(rpr, east_asia: str, latin: str) -> None:
    """Explicit fonts for every script class, theme attributes removed so they cannot win."""
    fonts = rpr.get_or_add_rFonts()      # python-docx puts it where the schema wants it
    for attr in THEME_ATTRS:
        key = qn(attr)
        if key in fonts.attrib:
            del fonts.attrib[key]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def style_run(run: Run, east_asia: str, size_pt: float, latin: str | None = None, bold: bool = False,
              color: RGBColor | None = None) -> Run:
    """Font, size, weight and colour of one run, with the East Asian font set where Word reads it."""
    run.font.size = Pt(size_pt)
    run.font.bold = True if bold else None
    if color is not None:
        run.font.color.rgb = color
    _set_rfonts(run._element.get_or_add_rPr(), east_asia, latin or east_asia)
    return run


def _defaults(doc, settings: NoticeSettings) -> None:
    """Body font and size as the document default and the Normal style; Chinese as the East Asian language."""
    fonts, sizes = settings.fonts, settings.sizes
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr, fonts.body, fonts.latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(sizes.body_pt)
    _set_rfonts(normal.element.get_or_add_rPr(), fonts.body, fonts.latin)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(sizes.line_spacing_pt)


def _page(section, settings: NoticeSettings) -> None:
    page = settings.page
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(page.width_mm), Mm(page.height_mm)
    section.top_margin, section.bottom_margin = Mm(page.top_mm), Mm(page.bottom_mm)
    section.left_margin, section.right_margin = Mm(page.left_mm), Mm(page.right_mm)
    section.footer_distance = Mm(page.footer_mm)
    section.header_distance = Mm(min(page.top_mm / 2, 15.0))
    section.gutter = Mm(0)


def _page_field(paragraph: Paragraph, settings: NoticeSettings) -> None:
    """``— PAGE —`` as a Word field, so every page shows its own number."""
    font, size = settings.fonts.page_number, settings.sizes.page_number_pt

    def run(text: str = "") -> Run:
        # 宋体 for the digits too: GB/T 9704 asks for 4号半角宋体阿拉伯数字.
        return style_run(paragraph.add_run(text), font, size, latin=font)

    run(f"{EM_DASH} ")
    begin = run()
    begin._element.append(_fld_char("begin"))
    instr = run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr._element.append(text)
    sep = run()
    sep._element.append(_fld_char("separate"))
    run("1")
    end = run()
    end._element.append(_fld_char("end"))
    run(f" {EM_DASH}")


def _fld_char(kind: str):
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def _footers(doc, section, settings: NoticeSettings) -> None:
    """Page numbers: odd pages right with one character's space, even pages left (GB/T 9704 §7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    indent = Pt(settings.sizes.page_number_pt)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        para.alignment = align
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = indent
        else:
            fmt.left_indent = indent
        _page_field(para, settings)


def new_document(settings: NoticeSettings):
    """An empty A4 document with the official margins, default type and page-number footers."""
    doc = Document()
    _defaults(doc, settings)
    section = doc.sections[0]
    _page(section, settings)
    _footers(doc, section, settings)
    # The default template starts with no paragraph; callers add theirs.
    return doc


def paragraph(doc, text: str = "", *, font: str | None = None, size_pt: float | None = None,
              settings: NoticeSettings, align: WD_ALIGN_PARAGRAPH | None = None, indent_chars: float = 0,
              bold: bool = False, color: RGBColor | None = None, right_indent_chars: float = 0,
              keep_with_next: bool = False) -> Paragraph:
    """One paragraph of one run, indented in characters of its own size (the way Chinese text is indented)."""
    size = size_pt or settings.sizes.body_pt
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    fmt = para.paragraph_format
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    if right_indent_chars:
        fmt.right_indent = Pt(size * right_indent_chars)
    if keep_with_next:
        fmt.keep_with_next = True
    if size > settings.sizes.line_spacing_pt * 0.8:
        # A line taller than the body's exact spacing would be clipped: let it grow.
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(settings.sizes.line_spacing_pt)
    if text:
        style_run(para.add_run(text), font or settings.fonts.body, size, latin=settings.fonts.latin, bold=bold,
                  color=color)
    return para


def add_text(para: Paragraph, text: str, settings: NoticeSettings, *, font: str | None = None,
             size_pt: float | None = None, bold: bool = False) -> Run:
    """Another run in an existing paragraph (a label in 黑体 before body text, say)."""
    return style_run(para.add_run(text), font or settings.fonts.body, size_pt or settings.sizes.body_pt,
                     latin=settings.fonts.latin, bold=bold)


def red_rule(para: Paragraph, width_eighths: int = 12) -> None:
    """A red line under the paragraph, the width of the type area (the banner's 分隔线)."""
    ppr = para._p.get_or_add_pPr()
    # pBdr must stand in its schema place (after numPr, before shd … spacing, ind, jc) or Word
    # calls the file damaged.
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(width_eighths))
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), str(RED))
    borders.append(bottom)
    ppr.insert_element_before(borders, *AFTER_PBDR)


def add_hyperlink(para: Paragraph, url: str, text: str, settings: NoticeSettings,
                  size_pt: float | None = None) -> None:
    """An external link (python-docx has no API for it): a relationship and a ``w:hyperlink`` run."""
    rid = para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    link.append(run)
    para._p.append(link)
    wrapped = Run(run, para)
    wrapped.text = text
    style_run(wrapped, settings.fonts.body, size_pt or settings.sizes.body_pt, latin=settings.fonts.latin,
              color=RGBColor(0x05, 0x63, 0xC1))
    wrapped.font.underline = True
