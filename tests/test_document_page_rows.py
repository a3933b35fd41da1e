"""The document page reads its document as plain rows (hub.documents.page), not as ORM objects: it still
shows every version with its uploader, the chosen one, the current one, the department and the owner."""

import re

from sqlalchemy import event

from hub.extensions import db
from hub.models import Department, Document, DocumentVersion, User

from .search_helpers import make_document
from .statements import counted_statements


def _add_version(people, doc_id: int, number: int, uploader: str, current: bool = True) -> None:
    version = DocumentVersion(
        document_id=doc_id, number=number, uploader_id=people.ids[uploader], filename=f"第{number}版.pdf",
        sha256="0" * 64, size=2048, mime_type="application/pdf", file_type="pdf", preview_state="ready",
    )
    db.session.add(version)
    db.session.flush()
    if current:
        db.session.get(Document, doc_id).current_version_id = version.id
    db.session.commit()


def test_the_page_lists_the_versions_with_their_uploaders_and_shows_the_chosen_one(app, people, login_as):
    doc_id = make_document(people, "报价方案", owner="staff", tags="报价,制造")
    _add_version(people, doc_id, 2, "expert")
    _add_version(people, doc_id, 3, "admin", current=False)  # a newer version that is not the current one
    client = login_as("staff")

    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    versions = re.search(r'<section class="card" id="versions">.*?</section>', html, re.S).group(0)
    rows = re.findall(r'<li class="list-row">(.*?)</li>', versions, re.S)
    assert [re.search(r"第 (\d) 版", row).group(1) for row in rows] == ["3", "2", "1"]  # newest first
    assert "第3版.pdf · Admin" in rows[0] and "第2版.pdf · Expert" in rows[1] and "报价方案.pdf · Staff" in rows[2]
    assert "<b>第 2 版</b>" in rows[1]  # the current version, not the highest number
    assert 'data-version-number="2"' in html and "第2版.pdf · 2.0 KB" in html
    assert '<span class="tag">报价</span><span class="tag">制造</span>' in html
    department = db.session.get(Department, people.departments["A"]).name
    assert f">{department}</a>" in html and " · Staff · " in html  # the crumb and the owner

    html = client.get(f"/documents/{doc_id}?v=3").get_data(as_text=True)
    assert 'data-version-number="3"' in html and "<b>第 3 版</b>" in html
    assert client.get(f"/documents/{doc_id}?v=9").status_code == 404
    assert client.get(f"/documents/{doc_id + 100}").status_code == 404


def test_a_department_document_stays_hidden_from_other_departments(app, people, login_as):
    doc_id = make_document(people, "内部材料", dept="A", visibility="department")
    assert login_as("expert").get(f"/documents/{doc_id}").status_code == 404


def test_the_page_loads_no_orm_document_and_reads_a_text_in_five_statements(app, people, login_as):
    doc_id = make_document(people, "说明", file_type="txt", pages=("第一页的文字 <b>", "第二页"))
    client = login_as("staff")
    client.get(f"/documents/{doc_id}")
    db.session.expire_all()
    loaded = []

    def note(target, _context):
        loaded.append(type(target).__name__)

    for model in (Document, DocumentVersion, Department, User):
        event.listen(model, "load", note)
    try:
        with counted_statements() as statements:
            html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    finally:
        for model in (Document, DocumentVersion, Department, User):
            event.remove(model, "load", note)
    assert '<pre class="doc-text">第一页的文字 &lt;b&gt;</pre>' in html
    assert not [name for name in loaded if name != "User"], loaded  # the reader alone, for the sign-in
    assert len(statements) <= 5, statements  # the four of every document page and the first page's text
