"""A new user's review of the staff pages: what lists, the viewer, the profile and the sign-in pages say."""

from hub.extensions import db

from .conftest import PASSWORD, csrf_token, login
from .documents_helpers import drain, pdf_bytes, upload, version_of


def add(client, people, data, name, who="staff", dept="A", **fields) -> int:
    response = upload(client, people.auth(who), people.departments[dept], data, name, **fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_lists_show_a_preview_state_only_when_it_needs_attention(app, client, people, login_as):
    """"Preview ready" is the normal case and never shows in a list; queued and failed still do."""
    ready = add(client, people, pdf_bytes(1), "就绪.pdf", title="就绪手册")
    drain(app)
    waiting = add(client, people, pdf_bytes(1), "排队.pdf", title="排队手册")
    failed = add(client, people, pdf_bytes(1), "失败.pdf", title="失败手册")
    broken = version_of(failed)
    broken.preview_state = "failed"  # as a renderer error leaves it
    db.session.commit()
    login_as("staff")
    for path in ("/documents/", f"/departments/{people.departments['A']}"):
        html = client.get(path).get_data(as_text=True)
        assert f'data-preview-doc="{ready}"' not in html and "预览就绪</span>" not in html, path
        assert f'data-preview-doc="{waiting}"' in html and f'data-preview-doc="{failed}"' in html, path
        assert "预览失败" in html, path


def test_document_facts_keep_the_date_and_format_together(app, client, people, login_as):
    add(client, people, pdf_bytes(1), "格式.pdf", title="格式手册")
    login_as("staff")
    html = client.get("/documents/").get_data(as_text=True)
    assert 'class="muted small doc-facts"' in html
    assert " · PDF</span></span>" in html


def test_documents_list_offers_upload_to_the_members_department(app, client, people, login_as):
    login_as("staff")
    html = client.get("/documents/").get_data(as_text=True)
    dept = people.departments["A"]
    assert 'data-testid="upload-action"' in html and "上传文档" in html
    assert f'href="/departments/{dept}?upload=1#documents"' in html
    page = client.get(f"/departments/{dept}?upload=1").get_data(as_text=True)
    assert '<details class="composer" open>' in page


def test_admin_chooses_the_department_to_upload_to(app, client, people, login_as):
    login_as("admin")
    html = client.get("/documents/").get_data(as_text=True)
    assert "上传到哪个部门？" in html
    for dept in people.departments.values():
        assert f'href="/departments/{dept}?upload=1#documents"' in html


def test_staff_without_a_department_get_no_upload_action(app, client):
    from hub.auth import services

    services.create_user("loner@test.hub", "Loner", password=PASSWORD, role="staff", job="sales")
    db.session.commit()
    login(client, "loner@test.hub")
    html = client.get("/documents/").get_data(as_text=True)
    assert "<h1>文档</h1>" in html and 'data-testid="upload-action"' not in html


def test_viewer_page_counter_is_one_sentence(app, client, people, login_as):
    doc_id = add(client, people, pdf_bytes(3), "三页.pdf", title="三页手册")
    drain(app)
    login_as("staff")
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert '第 <b data-current>1</b> / <b data-total>3</b> 页' in html
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'Page <b data-current>1</b> of <b data-total>3</b>' in html


def test_profile_puts_tokens_last_and_folded(app, client, people, login_as):
    login_as("staff")
    html = client.get("/profile").get_data(as_text=True)
    tokens = html.index('data-testid="token-card"')
    assert html.index('id="sign-ins"') < tokens and html.index('data-testid="contributions"') < tokens
    assert '<details class="card token-card" data-testid="token-card">' in html  # folded
    assert "供脚本和系统集成使用" in html


def test_forgot_password_names_the_chinese_brand(client):
    html = client.get("/forgot-password").get_data(as_text=True)
    assert "销售知识枢纽不发送邮件" in html and "Hub 不发送邮件" not in html
