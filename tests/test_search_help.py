"""The search page helps: Markdown-free snippets, tag matches said, empty pages that offer a way on."""

from hub.departments import services as dept_services
from hub.extensions import db
from hub.models import User
from tests import search_backends
from tests.search_helpers import hits, index_now, make_document

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)


def test_markdown_text_drops_syntax_and_keeps_words():
    """Emphasis, headings, code, links and tables leave their words only; raw tags stay text."""
    from hub.search.plaintext import markdown_text

    source = "## 报价\n\n1. **先讲经销商**，再讲`拜访`\n2. [链接](https://x.example)\n\n| a | b |\n|---|---|\n| 甲 | 乙 |\n\n<b>x</b>"
    text = markdown_text(source)
    for mark in ("**", "##", "`", "](", "|", "https://"):
        assert mark not in text, (mark, text)
    for word in ("报价", "先讲经销商", "拜访", "链接", "甲", "乙", "<b>x</b>"):
        assert word in text


def test_snippets_of_markdown_show_plain_text_with_escaped_highlights(app, people, login_as):
    """A note's `**bold**`, headings and backticks are gone from its snippet; marks and escaping stay."""
    staff = db.session.get(User, people.ids["staff"])
    dept = staff.memberships[0].department
    dept_services.create_post(dept, staff, "演示要点", "## 准备\n\n1. **先讲经销商**管理，`<b>渠道</b>` 再讲拜访")
    db.session.commit()
    make_document(people, "经销商手册", description="**经销商** 的 `要点`", pages=["正文"], file_type="md")
    index_now(app)
    client = login_as("staff")
    page = client.get("/search/?q=经销商").get_data(as_text=True)
    snippets = [part.split("</p>")[0] for part in page.split('class="search-snippet">')[1:]]
    assert len(snippets) == 2, snippets
    for snippet in snippets:
        assert "<mark>经销商</mark>" in snippet
        assert "**" not in snippet and "##" not in snippet and "`" not in snippet
    assert "&lt;b&gt;渠道&lt;/b&gt;" in page  # raw HTML in the source stays escaped text
    body = hits(client, "经销商")
    assert all("**" not in r["snippet_html"] for r in body["results"])


def test_a_hit_found_by_its_tag_says_so(app, people, login_as):
    """A result whose tag the query named shows that tag; one found by its text does not."""
    tagged = make_document(people, "方案一", tags="制造业,CRM", pages=["渠道"])
    make_document(people, "方案二", pages=["制造业 渠道"])
    index_now(app)
    client = login_as("staff")
    for q in ("制造业", "tag:制造业"):
        page = client.get("/search/", query_string={"q": q}).get_data(as_text=True)
        assert page.count('data-testid="tag-match"') == 1, q
        assert "匹配标签" in page
    results = {r["id"]: r for r in hits(client, "tag:crm")["results"]}
    assert results[tagged]["matched_tags"] == ["crm"]


def test_empty_results_page_offers_spelling_pinyin_and_tips_without_a_facet_card(app, people, login_as):
    """Nothing found: no empty filter card; a respelling that finds something, titles by pinyin, tips."""
    make_document(people, "销售通部署指南", pages=["pricing strategy for dealers"])
    index_now(app)
    client = login_as("staff")
    page = client.get("/search/?q=pricng").get_data(as_text=True)
    assert "search-facets" not in page
    assert 'data-testid="search-empty"' in page and "您可以试试" in page
    assert 'data-testid="did-you-mean"' in page and "q=pricing" in page
    page = client.get("/search/?q=xiaoshoutong").get_data(as_text=True)
    assert 'data-testid="suggested"' in page and "销售通部署指南" in page
    page = client.get("/search/?q=zzzqqq").get_data(as_text=True)
    assert "did-you-mean" not in page and "您可以试试" in page


def test_spelling_never_offers_words_the_reader_cannot_see(app, people, login_as):
    """A respelling that only finds a hidden document is not offered."""
    make_document(people, "内部", visibility="department", pages=["confidential margins"])
    index_now(app)
    client = login_as("expert")  # not a member of that department
    page = client.get("/search/?q=confidentail").get_data(as_text=True)
    assert "did-you-mean" not in page and "confidential" not in page


def test_empty_after_filters_offers_clearing_them(app, people, login_as):
    """Found, but the filters left nothing: a button clears them and says how many wait."""
    make_document(people, "报价单", pages=["报价"], category="pricing")
    index_now(app)
    client = login_as("staff")
    page = client.get("/search/?q=报价&category=competitor").get_data(as_text=True)
    assert 'data-testid="clear-filters"' in page and "不加筛选有 1 条结果" in page


def test_any_word_results_are_labelled_above_them(app, people, login_as):
    """When no result holds every word, the list says it shows results with some of them."""
    make_document(people, "报价单", pages=["报价"])
    index_now(app)
    client = login_as("staff")
    page = client.get("/search/?q=报价 火星人").get_data(as_text=True)
    assert 'data-testid="any-words"' in page and "包含其中部分词" in page


def test_facet_labels_match_the_upload_form(app, people, login_as):
    """Category filters use the upload form's words; file types read as on each hit."""
    make_document(people, "竞品对比", pages=["对比"], category="competitor", file_type="docx")
    index_now(app)
    client = login_as("staff")
    page = client.get("/search/?q=对比").get_data(as_text=True)
    assert "竞品分析" in page  # the upload form's "Competitor analysis"
    assert ">DOCX</a>" in page
