"""Real files for document tests, made on the spot (reportlab, python-docx, python-pptx, openpyxl, Pillow)."""

import io
import struct
import zipfile
import zlib

from hub import jobs
from hub.extensions import db
from hub.models import Document, DocumentVersion


def pdf_bytes(pages: int = 3, title: str = "产品说明书", encrypt: str | None = None) -> bytes:
    """A PDF with Chinese text on every page ("第N页"), optionally protected by a user password."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=StandardEncryption(encrypt) if encrypt else None)
    for n in range(1, pages + 1):
        pdf.setFont("STSong-Light", 22)
        pdf.drawString(72, 760, f"第{n}页 {title}")
        pdf.setFont("STSong-Light", 12)
        for line in range(25):
            pdf.drawString(72, 720 - line * 22, f"智能客服与销售通的价格、竞品和案例，第{line + 1}行。")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def docx_bytes(paragraphs: int = 12) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("智能客服产品白皮书", 0)
    for n in range(paragraphs):
        document.add_paragraph(f"第{n + 1}段：客户服务自动化，降低成本，提升满意度。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(slides: int = 3) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    for n in range(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"竞品分析 第{n + 1}页"
        slide.placeholders[1].text = "我们的优势：部署快，价格透明。"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def xlsx_bytes(rows: int = 30) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["产品", "价格", "折扣"])
    for n in range(rows):
        sheet.append([f"模块{n + 1}", 1000 + n, "九折"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def png_bytes(width: int = 2400, height: int = 1600) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 200)).save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb as Pillow sees it."""
    data = bytearray(png_bytes(8, 8))
    ihdr = 8 + 8  # signature, then length + type of the IHDR chunk
    data[ihdr:ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:ihdr + 13])) & 0xFFFFFFFF
    data[ihdr + 13:ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def zip_bomb_docx() -> bytes:
    """A package that looks like a DOCX but expands a thousandfold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml" PartName="/word/document.xml"/></Types>',
        )
        archive.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


def upload(client, headers, dept_id, data: bytes, name: str, **fields):
    """POST a file to /api/v1/documents; duplicates are let through unless allow_duplicate="false" is given."""
    form = {"file": (io.BytesIO(data), name), "department_id": str(dept_id), "allow_duplicate": "true"} | fields
    return client.post("/api/v1/documents", data=form, headers=headers, content_type="multipart/form-data")


def drain(app) -> int:
    """Run every queued job (and those they queue) with the real worker code."""
    return jobs.run_pending(app)


def version_of(doc_id: int) -> DocumentVersion:
    db.session.expire_all()
    return db.session.get(Document, doc_id).current_version


def fetch(client, url: str, headers=None):
    """GET a file-like answer, read it and close it (send_file keeps the file open until closed)."""
    response = client.get(url, headers=headers or {})
    response.get_data()
    response.close()
    return response
