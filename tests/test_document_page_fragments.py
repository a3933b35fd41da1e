"""The document page's cached pieces (hub.templating: url_for built once per URL, per_language elements)
stay right when what they depend on changes within one process: the language, the script root, the
reader's role and the figures passed to an element."""

import re

from hub.extensions import db
from hub.models import Rating

from .conftest import login
from .portal_helpers import setup_world, shared_ok, signed_in
from .search_helpers import make_document
from .statements import counted_statements


def _show(client, doc_id: int, **kwargs) -> str:
    response = client.get(f"/documents/{doc_id}", **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_language_gets_its_own_labels_and_links(app, people, login_as):
    doc_id = make_document(people, "报价方案")
    client = login_as("staff")
    for _ in range(2):  # the second round reads the cached fragments
        zh = _show(client, doc_id)
        assert '<html lang="zh-CN">' in zh and "还没有评分。" in zh and ">English</button>" in zh
        en = _show(client, doc_id, query_string={"lang": "en"})
        assert '<html lang="en">' in en and "No ratings yet." in en and ">中文</button>" in en
        assert "还没有评分。" not in en


def test_a_script_root_prefixes_every_cached_url(app, people, login_as):
    doc_id = make_document(people, "交付手册")
    client = login_as("staff")
    plain = _show(client, doc_id)
    mounted = _show(client, doc_id, environ_overrides={"SCRIPT_NAME": "/hub"})
    assert 'href="/static/css/hub.css"' in plain and 'href="/hub/static/css/hub.css"' in mounted
    assert f'href="/hub/documents/{doc_id}/download' in mounted
    # every root-relative link of the mounted page carries the prefix (none comes from the plain page's cache)
    links = re.findall(r'(?:href|action|src|data-[a-z-]+-url)="(/[^"]*)"', mounted)
    assert links and all(link.startswith("/hub/") for link in links), [x for x in links if not x.startswith("/hub/")]
    assert "/hub/" not in _show(client, doc_id)  # and the plain page is still plain after


def test_the_figures_and_the_reader_choose_the_fragment(app, people, login_as):
    doc_id = make_document(people, "价格表")
    staff = login_as("staff")
    html = _show(staff, doc_id)
    assert 'data-mine="0"' in html and 'href="/admin' not in html  # the nav of staff, not admins'
    db.session.add(Rating(document_id=doc_id, user_id=people.ids["staff"], stars=4))
    db.session.commit()
    html = _show(staff, doc_id)
    assert 'data-mine="4"' in html and "<span data-rating-count>1</span>" in html
    assert 'data-dist-count="4">1</span>' in html and 'class="fill w100" data-dist="4"' in html
    admin = app.test_client()
    login(admin, people.emails["admin"])
    html = _show(admin, doc_id)
    assert 'data-mine="0"' in html and 'id="manage"' in html and 'href="/admin' in html


def test_the_page_reads_in_four_statements(app, people, login_as):
    doc_id = make_document(people, "方案")
    client = login_as("staff")
    _show(client, doc_id)
    db.session.expire_all()
    with counted_statements() as statements:
        _show(client, doc_id)
    # sign-in (hub.auth) + the document with its facts and header counts + comments + shares and accounts
    assert len(statements) <= 4 + 1, statements


def test_a_macro_of_the_base_template_hides_no_page_variable(app, client, people):
    """base.html's macros are variables of every page extending it: the portal page's `brand` stays its own."""
    world = setup_world(app, client, people)
    shared_ok(app.test_client(), people, world.docs["shared"], world.X)
    html = signed_in(app, people, "customer").get(f"/portal/documents/{world.docs['shared']}").get_data(as_text=True)
    badge = re.search(r'<span class="portal-initial badge-c(\d+)" aria-hidden="true" data-testid="portal-initial">(.)</span>', html)
    assert badge, html[:3000]
