"""Real office files for the demo library, written at load time from plain content (no binary in the repository).

A document is a list of blocks: ("h1" | "h2" | "p", text), ("list", [items]), ("table", [rows]); a deck is
a list of slides (title, [bullets] or [rows]); a workbook a list of sheets (name, [rows]). The first row of
a table is its header.
"""

from __future__ import annotations

from pathlib import Path

CJK_FONT = "STSong-Light"  # Adobe's CID font: reportlab knows it without a font file; poppler maps it
OFFICE_FONT = "Noto Sans CJK SC"  # installed on the machine, so LibreOffice's previews show real glyphs


def write_pdf(path: Path, title: str, blocks: list) -> None:
    """A multi-page A4 PDF with headings, paragraphs, bullet lists and ruled tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    styles = {
        "h1": ParagraphStyle("h1", fontName=CJK_FONT, fontSize=20, leading=28, spaceAfter=10,
                             textColor=colors.HexColor("#1d4e89")),
        "h2": ParagraphStyle("h2", fontName=CJK_FONT, fontSize=14, leading=20, spaceBefore=10, spaceAfter=6,
                             textColor=colors.HexColor("#1d4e89")),
        "p": ParagraphStyle("p", fontName=CJK_FONT, fontSize=10.5, leading=17, spaceAfter=6, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=CJK_FONT, fontSize=9.5, leading=14, wordWrap="CJK"),
    }
    story = []
    for kind, content in blocks:
        if kind in ("h1", "h2", "p"):
            story.append(Paragraph(_escape(content), styles[kind]))
        elif kind == "list":
            story.append(ListFlowable(
                [ListItem(Paragraph(_escape(item), styles["p"]), leftIndent=12) for item in content],
                bulletType="bullet", start="•", leftIndent=12,
            ))
        elif kind == "table":
            rows = [[Paragraph(_escape(str(cell)), styles["cell"]) for cell in row] for row in content]
            table = Table(rows, repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa9bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story += [table, Spacer(1, 8)]
    SimpleDocTemplate(str(path), pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=18 * mm, bottomMargin=18 * mm).build(story)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_docx(path: Path, title: str, blocks: list) -> None:
    """A Word document with real heading styles, bullets and a table style."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = document.styles[style_name]
        style.font.name = OFFICE_FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), OFFICE_FONT)
    document.core_properties.title = title
    for kind, content in blocks:
        if kind == "h1":
            document.add_heading(content, 0)
        elif kind == "h2":
            document.add_heading(content, 1)
        elif kind == "p":
            document.add_paragraph(content)
        elif kind == "list":
            for item in content:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            table = document.add_table(rows=0, cols=len(content[0]))
            table.style = "Light Grid Accent 1"
            for row in content:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = str(value)
    document.save(path)


def write_pptx(path: Path, title: str, slides: list) -> None:
    """A 16:9 deck: a title slide, then one slide per entry (bullets, or a table when given rows)."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    _band(cover, Inches(7.5))
    cover.shapes.title.text = title
    cover.placeholders[1].text = "云帆科技 · 内部销售资料"
    for shape, top, size in ((cover.shapes.title, 2.4, 44), (cover.placeholders[1], 4.2, 22)):
        shape.left, shape.top, shape.width, shape.height = Inches(0.8), Inches(top), Inches(11.7), Inches(1.4)
        _font(shape.text_frame, Pt(size), white=True)
    for heading, content in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[5] if _is_table(content) else deck.slide_layouts[1])
        _band(slide, Inches(1.25))
        slide.shapes.title.text = heading
        head = slide.shapes.title
        head.left, head.top, head.width, head.height = Inches(0.6), Inches(0.15), Inches(12.1), Inches(0.95)
        _font(head.text_frame, Pt(30), white=True)
        if _is_table(content):
            rows, cols = len(content), len(content[0])
            shape = slide.shapes.add_table(rows, cols, Inches(0.6), Inches(1.8), Inches(12.1), Inches(0.6) * rows)
            for r, row in enumerate(content):
                for c, value in enumerate(row):
                    cell = shape.table.cell(r, c)
                    cell.text = str(value)
                    _font(cell.text_frame, Pt(18))
        else:
            body = slide.placeholders[1]
            body.left, body.top, body.width, body.height = Inches(0.8), Inches(1.8), Inches(11.7), Inches(5.0)
            frame = body.text_frame
            frame.text = content[0]
            for line in content[1:]:
                frame.add_paragraph().text = line
            _font(frame, Pt(24))
    deck.save(path)


def _is_table(content: list) -> bool:
    return bool(content) and isinstance(content[0], (list, tuple))


def _band(slide, height) -> None:
    """The deck's blue header band (the whole slide on the cover), behind the title."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(13.333), height)
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor(0x1D, 0x4E, 0x89)
    band.line.fill.background()
    slide.shapes._spTree.remove(band._element)
    slide.shapes._spTree.insert(2, band._element)  # first in z-order, so the title stays on top


def _font(frame, size, white: bool = False) -> None:
    from pptx.dml.color import RGBColor

    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = size
            run.font.name = OFFICE_FONT
            if white:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def write_xlsx(path: Path, title: str, sheets: list) -> None:
    """A workbook with a bold, filled header row, sensible column widths and frozen headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    line = Side(style="thin", color="9AA9BD")

    book = Workbook()
    book.properties.title = title
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for row in sheet.iter_rows():
            for cell in row:
                cell.border = Border(left=line, right=line, top=line, bottom=line)
                cell.alignment = Alignment(vertical="center", wrap_text=True)
                cell.font = Font(name=OFFICE_FONT)
                if isinstance(cell.value, (int, float)):
                    cell.number_format = "#,##0"
        for cell in sheet[1]:
            cell.font = Font(bold=True, name=OFFICE_FONT)
            cell.fill = PatternFill("solid", fgColor="DCE6F2")
        for column in sheet.columns:
            longest = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(6 + longest * 2, 48)
        sheet.freeze_panes = "A2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToHeight = 0
    book.save(path)


WRITERS = {"pdf": write_pdf, "docx": write_docx, "pptx": write_pptx, "xlsx": write_xlsx}


def write(folder: Path, filename: str, kind: str, title: str, content: list) -> Path:
    """Write one demo file into `folder` and return its path."""
    path = folder / filename
    WRITERS[kind](path, title, content)
    return path
