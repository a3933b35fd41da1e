"""Background previews with real poppler and LibreOffice: first page first, progress, limits, failures."""

import subprocess
from pathlib import Path

import pytest

from hub import jobs
from hub.extensions import db, socketio
from hub.models import DocumentPage, Job

from .conftest import login
from .documents_helpers import (
    docx_bytes,
    drain,
    fetch,
    pdf_bytes,
    png_bytes,
    png_claiming,
    pptx_bytes,
    upload,
    version_of,
    xlsx_bytes,
)


def add(client, people, data, name, who="staff", dept="A", **fields) -> int:
    response = upload(client, people.auth(who), people.departments[dept], data, name, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def page_status(client, people, doc_id, n, who="staff") -> int:
    return fetch(client, f"/api/v1/documents/{doc_id}/pages/{n}", people.auth(who)).status_code


def test_pdf_first_page_shows_before_the_rest(app, client, people):
    """The first job renders page 1 only (servable at once); the queued rest job renders pages 2..N."""
    doc_id = add(client, people, pdf_bytes(20), "手册.pdf")
    assert jobs.run_pending(app, limit=1) == 1
    version = version_of(doc_id)
    assert (version.preview_state, version.pages_ready, version.page_count) == ("rendering", 1, 20)
    assert page_status(client, people, doc_id, 1) == 200
    assert page_status(client, people, doc_id, 2) == 404
    state = client.get(f"/api/v1/documents/{doc_id}", headers=people.auth("staff")).get_json()["preview"]
    assert state == {"state": "rendering", "pages_ready": 1, "page_count": 20, "pages_total": 20, "error": None}
    drain(app)
    version = version_of(doc_id)
    assert (version.preview_state, version.pages_ready) == ("ready", 20)
    page = fetch(client, f"/api/v1/documents/{doc_id}/pages/20", people.auth("staff"))
    assert page.status_code == 200 and page.mimetype == "image/jpeg" and page.data[:2] == b"\xff\xd8"
    text = client.get(f"/api/v1/documents/{doc_id}/text?page=7", headers=people.auth("staff")).get_json()
    assert "第7页" in text["pages"][0]["text"] and text["pages"][0]["page"] == 7
    thumb = fetch(client, f"/api/v1/documents/{doc_id}/thumbnail", people.auth("staff"))
    assert thumb.status_code == 200 and thumb.data[:2] == b"\xff\xd8"


def test_a_new_first_page_jumps_ahead_of_another_documents_rest(app, client, people):
    """A second upload's first page is rendered before the remaining pages of an earlier long PDF."""
    long_id = add(client, people, pdf_bytes(30), "long.pdf")
    jobs.run_pending(app, limit=1)
    short_id = add(client, people, pdf_bytes(2, title="后来的"), "short.pdf")
    jobs.run_pending(app, limit=1)
    assert version_of(short_id).pages_ready == 1
    assert version_of(long_id).pages_ready == 1
    drain(app)
    assert version_of(long_id).preview_state == version_of(short_id).preview_state == "ready"


def test_page_limit_renders_only_the_first_pages(app, client, people):
    """Past PREVIEW_MAX_PAGES only the first pages are rendered; the true total is kept."""
    app.config["PREVIEW_MAX_PAGES"] = 5
    doc_id = add(client, people, pdf_bytes(8), "many.pdf")
    drain(app)
    version = version_of(doc_id)
    assert (version.preview_state, version.page_count, version.pages_total, version.pages_ready) == ("ready", 5, 8, 5)
    assert page_status(client, people, doc_id, 6) == 404


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (pdf_bytes(2, encrypt="secret"), "locked.pdf", "密码"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n" + b"garbage" * 50, "broken.pdf", "损坏"),
        (png_claiming(30_000, 30_000), "bomb.png", "过大"),
    ],
    ids=["encrypted", "corrupt", "decompression-bomb"],
)
def test_unreadable_files_fail_with_a_reason_and_the_queue_goes_on(app, client, people, data, name, reason):
    """Encrypted, corrupt and bomb files end `failed` with a (Chinese) reason; a good file after them still renders."""
    bad = add(client, people, data, name)
    good = add(client, people, pdf_bytes(1), "fine.pdf")
    drain(app)
    preview = client.get(f"/api/v1/documents/{bad}", headers=people.auth("staff")).get_json()["preview"]
    assert preview["state"] == "failed" and reason in preview["error"]
    assert version_of(good).preview_state == "ready"
    assert fetch(client, f"/api/v1/documents/{bad}/download", people.auth("staff")).status_code == 200
    assert {j.state for j in db.session.scalars(db.select(Job).where(Job.name.like("documents.%")))} == {"done"}


def test_image_is_downscaled_to_one_page(app, client, people):
    """An image becomes one JPEG page no larger than the page limit, with a thumbnail."""
    doc_id = add(client, people, png_bytes(3000, 2000), "photo.png")
    drain(app)
    version = version_of(doc_id)
    page = db.session.scalar(db.select(DocumentPage).where(DocumentPage.version_id == version.id))
    assert version.preview_state == "ready" and version.page_count == 1
    assert max(page.width, page.height) <= 1400
    assert page_status(client, people, doc_id, 1) == 200


def test_text_formats_keep_their_text(app, client, people):
    """Plain text, Markdown and CSV are ready at once, with their (GB18030 or UTF-8) text stored."""
    ids = [
        add(client, people, "会议纪要：下周拜访客户".encode("gb18030"), "纪要.txt"),
        add(client, people, "# 标题\n\n正文 <script>x</script>".encode(), "说明.md"),
        add(client, people, "产品,价格\n智能客服,1000\n".encode(), "价格.csv"),
    ]
    drain(app)
    texts = [client.get(f"/api/v1/documents/{i}/text", headers=people.auth("staff")).get_json() for i in ids]
    assert "拜访客户" in texts[0]["pages"][0]["text"]
    assert "<script>" in texts[1]["pages"][0]["text"]
    assert all(version_of(i).preview_state == "ready" for i in ids)


def test_progress_reaches_the_document_room(app, client, people):
    """Readers in room doc:<id> receive `preview` events up to `ready`, without asking."""
    login(client, people.emails["staff"])
    doc_id = add(client, people, pdf_bytes(3), "live.pdf")
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.is_connected()
    ack = sio.emit("join", {"document_id": doc_id}, callback=True)
    assert ack["ok"] is True
    drain(app)
    events = [e["args"][0] for e in sio.get_received() if e["name"] == "preview"]
    assert [e["state"] for e in events][-1] == "ready"
    assert events[-1]["pages_ready"] == 3 and events[-1]["document_id"] == doc_id
    assert any(e["state"] == "rendering" and e["pages_ready"] == 1 for e in events)
    sio.disconnect()


def test_admin_retries_a_failed_preview(app, client, people):
    """Only admins retry a failed preview; the retried job runs again from the start."""
    doc_id = add(client, people, pdf_bytes(1, encrypt="pw"), "locked.pdf")
    drain(app)
    assert client.post(f"/api/v1/documents/{doc_id}/versions/1/retry", headers=people.auth("staff")).status_code == 403
    response = client.post(f"/api/v1/documents/{doc_id}/versions/1/retry", headers=people.auth("admin"))
    assert response.status_code == 200 and response.get_json()["state"] == "queued"
    drain(app)
    assert version_of(doc_id).preview_state == "failed"
    runs = db.session.scalars(db.select(Job).where(Job.name == "documents.preview")).all()
    assert [j.state for j in runs] == ["done", "done"]


@pytest.mark.office
def test_docx_converts_with_cjk_fonts_and_text(app, client, people):
    """A Chinese DOCX is converted by LibreOffice with a real CJK font embedded; its text is kept."""
    doc_id = add(client, people, docx_bytes(40), "白皮书.docx")
    drain(app)
    version = version_of(doc_id)
    assert version.preview_state == "ready", version.preview_error
    assert version.page_count >= 1 and version.pages_ready == version.page_count
    converted = Path(app.config["UPLOAD_DIR"]) / "previews" / str(version.id) / "converted.pdf"
    fonts = subprocess.run(["pdffonts", str(converted)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    text = client.get(f"/api/v1/documents/{doc_id}/text?page=1", headers=people.auth("staff")).get_json()
    assert "智能客服产品白皮书" in text["pages"][0]["text"]


@pytest.mark.office
@pytest.mark.parametrize(("maker", "name"), [(pptx_bytes, "竞品.pptx"), (xlsx_bytes, "价格表.xlsx")])
def test_presentations_and_sheets_render(app, client, people, maker, name):
    """PPTX and XLSX files become rendered pages through LibreOffice."""
    doc_id = add(client, people, maker(), name)
    drain(app)
    version = version_of(doc_id)
    assert version.preview_state == "ready", version.preview_error
    assert page_status(client, people, doc_id, 1) == 200


@pytest.mark.office
def test_hanging_conversion_is_killed(app, client, people):
    """A conversion past its timeout is stopped (no soffice left running) and the preview fails with why."""
    app.config["PREVIEW_CONVERT_TIMEOUT"] = 0.3
    doc_id = add(client, people, docx_bytes(), "slow.docx")
    drain(app)
    version = version_of(doc_id)
    assert version.preview_state == "failed"
    instance = app.config["INSTANCE_DIR"]
    leftovers = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if instance.encode() in cmdline.read_bytes():
                leftovers.append(cmdline)
        except OSError:
            continue
    assert leftovers == []
