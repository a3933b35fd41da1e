"""Document pages: the department card with the upload widget, the viewer, downloads, visibility."""

import io

from hub.extensions import db
from hub.models import Document

from .conftest import csrf_token
from .documents_helpers import drain, fetch, pdf_bytes, upload


def add(client, people, data, name, who="staff", dept="A", **fields) -> int:
    response = upload(client, people.auth(who), people.departments[dept], data, name, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_department_page_lists_documents_and_offers_upload_to_members(app, client, people, login_as):
    """Members see the upload widget and the list with states; others see the list only."""
    doc_id = add(client, people, pdf_bytes(1), "产品手册.pdf", title="产品手册")
    drain(app)
    login_as("staff")
    html = client.get(f"/departments/{people.departments['A']}").get_data(as_text=True)
    assert "data-upload" in html and "产品手册" in html and f"/documents/{doc_id}" in html
    assert "/api/v1/documents" in html and "js/documents.js" in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("expert")
    html = client.get(f"/departments/{people.departments['A']}").get_data(as_text=True)
    assert "产品手册" in html and "data-upload" not in html


def test_department_only_documents_are_hidden_from_other_departments(app, client, people, login_as):
    """A `department` document answers 404 everywhere to staff of other departments, and is not listed."""
    doc_id = add(client, people, pdf_bytes(1), "内部价格.pdf", visibility="department", category="pricing")
    drain(app)
    for path in (f"/api/v1/documents/{doc_id}", f"/api/v1/documents/{doc_id}/pages/1",
                 f"/api/v1/documents/{doc_id}/download", f"/api/v1/documents/{doc_id}/text"):
        assert fetch(client, path, people.auth("expert")).status_code == 404, path
        assert fetch(client, path, people.auth("admin")).status_code == 200, path
    listed = client.get("/api/v1/documents", headers=people.auth("expert")).get_json()
    assert listed["total"] == 0
    listed = client.get(f"/api/v1/documents?department_id={people.departments['A']}&category=pricing",
                        headers=people.auth("staff")).get_json()
    assert [d["id"] for d in listed["documents"]] == [doc_id]
    login_as("expert")
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert client.get("/documents/999999").status_code == 404
    assert "内部价格" not in client.get("/documents/").get_data(as_text=True)


def test_viewer_shows_pages_lazily_with_controls(app, client, people, login_as):
    """The viewer page carries the page count, page URL, counter, zoom, jump and a download button."""
    doc_id = add(client, people, pdf_bytes(5), "手册.pdf")
    drain(app)
    login_as("expert")
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'data-page-count="5"' in html and "data-jump" in html and "data-zoom" in html
    assert f"/api/v1/documents/{doc_id}/pages/0?version=1" in html
    assert f"/documents/{doc_id}/download?v=1" in html


def test_text_and_csv_are_shown_escaped(app, client, people, login_as):
    """Uploaded text is shown as escaped text and CSV as a table: markup never becomes live."""
    txt = add(client, people, "注意 <img src=x onerror=alert(1)> 价格".encode(), "note.txt")
    csv = add(client, people, "产品,价格\n<b>智能客服</b>,1000\n".encode(), "p.csv")
    drain(app)
    login_as("staff")
    html = client.get(f"/documents/{txt}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    html = client.get(f"/documents/{csv}").get_data(as_text=True)
    assert "<td>&lt;b&gt;智能客服&lt;/b&gt;</td>" in html


def test_download_is_an_attachment_with_a_clean_name(app, client, people, login_as):
    """The page's download button sends the original as an attachment (never inline)."""
    doc_id = add(client, people, "纯文本".encode(), "说明.txt")
    login_as("staff")
    response = fetch(client, f"/documents/{doc_id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_owner_uploads_a_version_and_deletes_from_the_page(app, client, people, login_as):
    """The viewer's forms add a version and delete the document (CSRF-checked)."""
    doc_id = add(client, people, pdf_bytes(1), "v1.pdf")
    login_as("staff")
    token = csrf_token(client, f"/documents/{doc_id}")
    response = client.post(f"/documents/{doc_id}/versions", content_type="multipart/form-data",
                           data={"csrf_token": token, "file": (io.BytesIO(pdf_bytes(2)), "v2.pdf")})
    assert response.status_code == 302
    db.session.expire_all()
    assert [v.number for v in db.session.get(Document, doc_id).versions] == [1, 2]
    assert client.post(f"/documents/{doc_id}/delete", data={}).status_code == 400
    assert client.post(f"/documents/{doc_id}/delete", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Document, doc_id) is None


def test_index_page_filters_by_category(app, client, people, login_as):
    """The documents list filters by category and shows thumbnails once previews exist."""
    add(client, people, pdf_bytes(1), "a.pdf", title="竞品对比", category="competitor")
    add(client, people, pdf_bytes(1), "b.pdf", title="客户案例", category="case_study")
    drain(app)
    login_as("staff")
    html = client.get("/documents/?category=competitor").get_data(as_text=True)
    assert "竞品对比" in html and "客户案例" not in html and "/thumbnail?version=1" in html


def test_openapi_describes_the_documents_api(client):
    """Every documents endpoint is in the OpenAPI document, upload as multipart."""
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/documents", "/documents/{doc_id}", "/documents/{doc_id}/pages/{number}",
                 "/documents/{doc_id}/text", "/documents/{doc_id}/download", "/documents/{doc_id}/versions"):
        assert path in paths, path
    assert "multipart/form-data" in paths["/documents"]["post"]["requestBody"]["content"]
    assert "delete" in paths["/documents/{doc_id}"]


def test_document_list_totals_hold_on_every_page_and_past_the_end(app, client, people):
    """The total rides on the page's rows: it must be the filtered count on each page, and past the end."""
    from .social_helpers import make_document

    for n in range(5):
        make_document(people, owner="staff", dept="A", title=f"A 文档 {n}")
    for n in range(3):
        make_document(people, owner="expert", dept="B", title=f"B 部门文档 {n}", visibility="department")
    for who, dept, expected in (("staff", None, 5), ("expert", None, 8), ("admin", "B", 3)):
        seen = []
        for page in (1, 2, 3, 9):
            query = f"?per_page=2&page={page}" + (f"&department_id={people.departments[dept]}" if dept else "")
            listed = client.get(f"/api/v1/documents{query}", headers=people.auth(who)).get_json()
            assert listed["total"] == expected, (who, page, listed)
            seen += [d["id"] for d in listed["documents"]]
        assert len(seen) == len(set(seen)) == min(expected, 6), (who, seen)
