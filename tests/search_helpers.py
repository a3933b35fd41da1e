"""Helpers for the search tests: records made straight in the database, and running the index jobs."""

from hub import jobs
from hub.extensions import db
from hub.models import Document, DocumentPage, DocumentVersion, Job


def make_document(
    people,
    title,
    dept="A",
    pages=(),
    description="",
    tags="",
    category="product",
    visibility="staff",
    file_type="pdf",
    owner="staff",
):
    """Create a document with a current version whose pages carry `pages` as extracted text."""
    doc = Document(
        department_id=people.departments[dept],
        owner_id=people.ids[owner],
        title=title,
        description=description,
        tags=tags,
        category=category,
        visibility=visibility,
    )
    db.session.add(doc)
    db.session.flush()
    version = DocumentVersion(
        document_id=doc.id,
        number=1,
        uploader_id=people.ids[owner],
        filename=f"{title}.{file_type}",
        sha256="0" * 64,
        size=1,
        mime_type="application/pdf",
        file_type=file_type,
        preview_state="ready",
        pages_ready=len(pages),
        page_count=len(pages),
    )
    db.session.add(version)
    db.session.flush()
    for number, text in enumerate(pages, start=1):
        db.session.add(DocumentPage(version_id=version.id, number=number, text=text))
    doc.current_version_id = version.id
    db.session.commit()
    return doc.id


def index_now(app) -> None:
    """Run the queued background jobs (the indexing ones among them) and fail on any failed job."""
    jobs.run_pending(app)
    failed = db.session.scalars(db.select(Job).where(Job.state == "failed")).all()
    assert not failed, [(j.name, j.error) for j in failed]


def hits(client, q, headers=None, **params):
    response = client.get("/api/v1/search", query_string={"q": q, **params}, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def keys(body) -> set:
    return {(r["kind"], r["id"]) for r in body["results"]}
