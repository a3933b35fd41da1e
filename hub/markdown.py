"""Markdown for user content, sanitised with nh3: a small profile for comments, a full one for documents."""

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML in the source is escaped by the renderer; nh3 then drops anything dangerous that remains.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
# Documents are whole texts: tables and strikethrough too; images stay off (the CSP would block remote ones).
_doc_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"]).enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "del", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}}
DOCUMENT_TAGS = ALLOWED_TAGS | {"h1", "h2", "table", "thead", "tbody", "tr", "th", "td", "s"}
DOCUMENT_ATTRIBUTES = ALLOWED_ATTRIBUTES | {
    "ol": {"start"}, **{f"h{n}": {"id"} for n in range(1, 7)},
}
HEADING_PREFIX = "md-"  # heading ids never clash with the page's own ids (no DOM clobbering)
_NOT_SLUG = re.compile(r"[^\w-]+")


def _clean(html: str, tags: set, attributes: dict) -> Markup:
    return Markup(nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    ))


@lru_cache(maxsize=4096)
def _render_cached(source: str) -> Markup:
    return _clean(_md.render(source), ALLOWED_TAGS, ALLOWED_ATTRIBUTES)


def render(source: str) -> Markup:
    """Render Markdown to safe HTML; `javascript:` links and raw tags never survive.

    The same short texts (feed cards, comments) are shown again on every load of a page or a replay,
    and parsing plus sanitising is most of their cost; the answer depends on the text alone, so it is
    kept per process (long texts are not: a document is shown rarely and would crowd the cache).
    """
    source = str(source or "")
    if len(source) > 4000:
        return _clean(_md.render(source), ALLOWED_TAGS, ALLOWED_ATTRIBUTES)
    return _render_cached(source)


def render_document(source: str) -> Markup:
    """Render a Markdown document: all headings (with ids for #links), lists, tables, code; sanitised."""
    tokens = _doc_md.parse(source or "")
    seen: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            slug = _NOT_SLUG.sub("-", tokens[i + 1].content.strip().lower()).strip("-")[:60] or "section"
            seen[slug] = seen.get(slug, 0) + 1
            token.attrSet("id", HEADING_PREFIX + slug + (f"-{seen[slug]}" if seen[slug] > 1 else ""))
    html = _doc_md.renderer.render(tokens, _doc_md.options, {})
    return _clean(html, DOCUMENT_TAGS, DOCUMENT_ATTRIBUTES)
