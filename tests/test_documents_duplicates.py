"""Duplicate uploads: the department already holds the bytes, so the upload says so and links to them."""

import hashlib
import io
from pathlib import Path

from hub.extensions import db
from hub.models import Document

from .documents_helpers import pdf_bytes
from .documents_helpers import upload as upload_any


def upload(*args, **fields):
    """Upload as the browser does: duplicates are refused unless the caller says otherwise."""
    return upload_any(*args, **({"allow_duplicate": "false"} | fields))


def count_documents() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Document))


def test_same_bytes_in_the_department_answer_409_with_the_document(app, client, people):
    """The second upload of identical bytes is refused with 409, the existing title, its page and the version URL."""
    data = pdf_bytes(1)
    first = upload(client, people.auth("staff"), people.departments["A"], data, "报价单.pdf")
    assert first.status_code == 201
    doc_id = first.get_json()["id"]
    again = upload(client, people.auth("staff"), people.departments["A"], data, "报价单-副本.pdf")
    assert again.status_code == 409, again.get_json()
    error = again.get_json()["error"]
    assert error["code"] == "duplicate" and "报价单" in error["message"]
    assert error["duplicate"] == {
        "id": doc_id, "title": "报价单", "url": f"/documents/{doc_id}",
        "version_url": f"/api/v1/documents/{doc_id}/versions",
    }
    assert count_documents() == 1
    assert not list((Path(app.config["UPLOAD_DIR"]) / "tmp").iterdir())  # the refused upload left nothing behind


def test_upload_anyway_and_add_as_a_version(app, client, people):
    """allow_duplicate=true stores a second document; the named version URL takes the file as a new version."""
    data = pdf_bytes(1)
    doc_id = upload(client, people.auth("staff"), people.departments["A"], data, "a.pdf").get_json()["id"]
    anyway = upload(client, people.auth("staff"), people.departments["A"], data, "b.pdf", allow_duplicate="true")
    assert anyway.status_code == 201 and count_documents() == 2
    version = client.post(f"/api/v1/documents/{doc_id}/versions", data={"file": (io.BytesIO(data), "a.pdf")},
                          headers=people.auth("staff"), content_type="multipart/form-data")
    assert version.status_code == 201
    assert db.session.get(Document, doc_id).current_version.sha256 == hashlib.sha256(data).hexdigest()


def test_other_departments_and_hidden_documents_are_no_duplicates(app, client, people):
    """The same bytes in another department are fine, and a document the uploader may not see is never named."""
    data = pdf_bytes(2)
    hidden = upload(client, people.auth("expert"), people.departments["B"], data, "内部.pdf", visibility="department")
    assert hidden.status_code == 201
    assert upload(client, people.auth("staff"), people.departments["A"], data, "x.pdf").status_code == 201
    shown = upload(client, people.auth("admin"), people.departments["B"], data, "y.pdf")
    assert shown.status_code == 409  # the admin sees the department-only document
    assert shown.get_json()["error"]["duplicate"]["title"] == "内部"


def test_someone_elses_document_is_named_without_a_version_url(app, client, people):
    """A colleague who may not edit the existing document gets its link but no version URL."""
    data = pdf_bytes(3)
    upload(client, people.auth("expert"), people.departments["B"], data, "手册.pdf")
    response = upload(client, people.auth("service"), people.departments["B"], data, "手册.pdf")
    assert response.status_code == 409
    assert response.get_json()["error"]["duplicate"]["version_url"] is None


def test_allow_duplicate_must_be_true_or_false(app, client, people):
    response = upload(client, people.auth("staff"), people.departments["A"], pdf_bytes(1), "a.pdf", allow_duplicate="yes")
    assert response.status_code == 422


def test_the_409_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    answers = spec["paths"]["/documents"]["post"]["responses"]
    assert answers["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/DuplicateError"}
    assert "allow_duplicate" in spec["paths"]["/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
