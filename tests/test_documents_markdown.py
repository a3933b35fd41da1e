"""Markdown documents are shown as Markdown (headings, lists, tables, code), sanitised; the site has a favicon."""

from hub.markdown import render, render_document

from .documents_helpers import drain, upload
from .portal_helpers import shared_ok, signed_in

SOURCE = (
    "# 销售通制造业解决方案\n\n## 经销商管理\n\n- 库存同步\n- 手机审批\n\n"
    "| 工厂 | 产能 |\n|---|---:|\n| 苏州 | 120 |\n\n```\nsync --every 15m\n```\n\n## 经销商管理\n\n"
    "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n"
)


def test_document_profile_keeps_headings_tables_and_code():
    """h1/h2 with ids (unique per heading), lists, a table and a code block survive; nothing executable does."""
    html = str(render_document(SOURCE))
    assert '<h1 id="md-销售通制造业解决方案">销售通制造业解决方案</h1>' in html
    assert '<h2 id="md-经销商管理">' in html and '<h2 id="md-经销商管理-2">' in html
    assert "<li>库存同步</li>" in html and "<table>" in html and "<th>工厂</th>" in html and "<td>苏州</td>" in html
    assert "<pre><code>sync --every 15m\n</code></pre>" in html
    assert "<script" not in html and "<img" not in html and "href=" not in html and "style=" not in html
    assert "&lt;script&gt;" in html  # shown as text


def test_comment_profile_is_unchanged():
    """Comments keep the small tag set: no top-level headings, no tables."""
    html = str(render("# 标题\n\n|a|b|\n|-|-|\n|1|2|"))
    assert "<h1" not in html and "<table" not in html


def test_staff_and_portal_viewers_render_markdown_documents(app, client, people):
    """Both viewers show the .md document as rendered Markdown, not as pre-wrapped text."""
    world_doc = upload(client, people.auth("staff"), people.departments["A"], SOURCE.encode(), "方案.md")
    doc_id = world_doc.get_json()["id"]
    drain(app)
    for who, path in (("staff", f"/documents/{doc_id}"), ("customer", f"/portal/documents/{doc_id}")):
        if who == "customer":
            shared_ok(client, people, doc_id, people.accounts["customer"])
        html = signed_in(app, people, who).get(path).get_data(as_text=True)
        assert '<div class="prose doc-markdown" data-testid="doc-text"><h1 id="md-' in html, who
        assert "<table>" in html and "&lt;script&gt;" in html, who


def test_pages_link_the_favicon(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    icon.close()
