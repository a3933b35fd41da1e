"""Uploading documents: real type checks, content-addressed storage, limits, permissions, versions."""

import hashlib
import io
import os
from pathlib import Path

import pytest

from hub.extensions import db
from hub.models import Document, DocumentVersion

from .documents_helpers import docx_bytes, fetch, pdf_bytes, plain_zip, upload, zip_bomb_docx


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_pdf_upload_is_stored_by_content_and_queued(app, client, people):
    """A PDF upload answers 201 with ids and a queued preview; the bytes live under their sha256 only."""
    data = pdf_bytes(2)
    response = upload(client, people.auth("staff"), people.departments["A"], data, "报价单.pdf",
                      title="", category="pricing", tags="报价, 2026 ,报价", visibility="department")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["preview"]["state"] == "queued"
    doc = db.session.get(Document, body["id"])
    version = db.session.get(DocumentVersion, body["version_id"])
    assert doc.title == "报价单" and doc.category == "pricing" and doc.visibility == "department"
    assert doc.tags == "报价,2026"
    digest = hashlib.sha256(data).hexdigest()
    assert version.sha256 == digest and version.size == len(data) and version.file_type == "pdf"
    files = stored_files(app)
    assert [p.name for p in files] == [digest]
    assert all("报价" not in str(p) for p in files)


def test_identical_bytes_are_stored_once(app, client, people):
    """Two uploads of the same bytes make two documents but one stored file."""
    data = pdf_bytes(1)
    for name in ("a.pdf", "b.pdf"):
        assert upload(client, people.auth("staff"), people.departments["A"], data, name).status_code == 201
    assert len(stored_files(app)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 2


@pytest.mark.parametrize(
    ("data", "name", "status", "words"),
    [
        (Path("/bin/true").read_bytes(), "合同.docx", 415, "Programs"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "x.pdf", 415, "Web pages"),
        (plain_zip(), "deck.pptx", 415, "zip"),
        (pdf_bytes(1), "report.docx", 415, ".docx"),
        (b"", "empty.pdf", 422, "empty"),
        (b"%PDF-1.4 just a header", "fake.png", 415, ".png"),
        (zip_bomb_docx(), "bomb.docx", 422, "zip bomb"),
    ],
    ids=["exe-as-docx", "html-as-pdf", "zip-as-pptx", "pdf-as-docx", "empty", "pdf-as-png", "zip-bomb"],
)
def test_refused_uploads_name_the_reason_and_leave_nothing(app, client, people, data, name, status, words):
    """Wrong types, lying names, empty files and zip bombs are refused with a reason; no file, no row."""
    form = {"file": (io.BytesIO(data), name), "department_id": str(people.departments["A"])}
    response = client.post("/api/v1/documents?lang=en", data=form, headers=people.auth("staff"),
                           content_type="multipart/form-data")
    assert response.status_code == status, response.get_json()
    assert words in response.get_json()["error"]["message"]
    assert stored_files(app) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0


def test_oversized_file_gets_413(app, client, people):
    """A file over the configured size limit is answered with 413 and leaves no temp file."""
    app.config["DOCUMENT_MAX_BYTES"] = 2_000
    response = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(3), "big.pdf")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert stored_files(app) == []


def test_request_over_max_content_length_gets_json_413(app, client, people):
    """A request body over MAX_CONTENT_LENGTH is refused with a JSON 413, not a dropped connection."""
    app.config["MAX_CONTENT_LENGTH"] = 2_000
    response = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(3), "big.pdf")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_hostile_file_names_are_cleaned(app, client, people):
    """Path parts, control and right-to-left characters never reach the stored name or the download."""
    name = "../../etc/\u202epasswd\x07报告.pdf"
    response = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(1), name)
    assert response.status_code == 201
    version = db.session.get(DocumentVersion, response.get_json()["version_id"])
    assert version.filename == "passwd报告.pdf"
    download = fetch(client, f"/api/v1/documents/{response.get_json()['id']}/download", people.auth("staff"))
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\u202e" not in disposition and ".." not in disposition
    assert download.data[:5] == b"%PDF-"


def test_upload_needs_department_membership(app, client, people):
    """Staff upload only to their own departments (admins anywhere); customers never reach the API."""
    data = pdf_bytes(1)
    assert upload(client, people.auth("staff"), people.departments["B"], data, "x.pdf").status_code == 403
    assert upload(client, people.auth("admin"), people.departments["B"], data, "x.pdf").status_code == 201
    assert upload(client, people.auth("customer"), people.departments["A"], data, "x.pdf").status_code == 403
    assert upload(client, people.auth("staff"), 9999, data, "x.pdf").status_code == 422


def test_bad_fields_are_422(app, client, people):
    """Unknown category or visibility and a missing file are 422, with nothing stored."""
    auth, dept = people.auth("staff"), people.departments["A"]
    assert upload(client, auth, dept, pdf_bytes(1), "x.pdf", category="secret").status_code == 422
    assert upload(client, auth, dept, pdf_bytes(1), "x.pdf", visibility="world").status_code == 422
    assert upload(client, auth, dept, pdf_bytes(1), "x.pdf", title="长" * 201).status_code == 422
    response = client.post("/api/v1/documents", data={"department_id": str(dept)}, headers=auth,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert stored_files(app) == []


def test_versions_history_and_owner_rule(app, client, people):
    """The owner adds version 2 (it becomes current); another staff member may not; history lists both."""
    created = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(1), "v1.pdf").get_json()
    doc_id = created["id"]
    refused = client.post(f"/api/v1/documents/{doc_id}/versions", headers=people.auth("expert"),
                          data={"file": (io.BytesIO(docx_bytes()), "v2.docx")},
                          content_type="multipart/form-data")
    assert refused.status_code == 403
    added = client.post(f"/api/v1/documents/{doc_id}/versions", headers=people.auth("staff"),
                        data={"file": (io.BytesIO(docx_bytes()), "v2.docx")},
                        content_type="multipart/form-data")
    assert added.status_code == 201, added.get_json()
    doc = client.get(f"/api/v1/documents/{doc_id}", headers=people.auth("staff")).get_json()
    assert [v["number"] for v in doc["versions"]] == [2, 1]
    assert doc["version_id"] == added.get_json()["version_id"] and doc["file_type"] == "docx"
    first = fetch(client, f"/api/v1/documents/{doc_id}/download?version=1", people.auth("staff"))
    assert first.data[:5] == b"%PDF-"


def test_delete_removes_rows_and_unused_files(app, client, people):
    """Deleting (owner or admin) removes versions, pages and files no other document uses."""
    shared = pdf_bytes(1)
    keep = upload(client, people.auth("staff"), people.departments["A"], shared, "keep.pdf").get_json()["id"]
    gone = upload(client, people.auth("staff"), people.departments["A"], shared, "gone.pdf").get_json()["id"]
    client.post(f"/api/v1/documents/{gone}/versions", headers=people.auth("staff"),
                data={"file": (io.BytesIO(docx_bytes()), "v2.docx")}, content_type="multipart/form-data")
    assert client.delete(f"/api/v1/documents/{gone}", headers=people.auth("expert")).status_code == 403
    assert client.delete(f"/api/v1/documents/{gone}", headers=people.auth("staff")).status_code == 204
    assert client.get(f"/api/v1/documents/{gone}", headers=people.auth("staff")).status_code == 404
    assert [p.name for p in stored_files(app)] == [hashlib.sha256(shared).hexdigest()]
    assert client.delete(f"/api/v1/documents/{keep}", headers=people.auth("admin")).status_code == 204
    assert stored_files(app) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(DocumentVersion)) == 0
    assert not os.listdir(Path(app.config["UPLOAD_DIR"]) / "tmp")
