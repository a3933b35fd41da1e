"""Markdown turned into the plain text a reader sees, for snippets: no `**`, `##`, backticks or link targets.

Works on markdown-it tokens rather than on rendered HTML, so nothing is ever parsed back from markup:
the words come out as plain text and the highlighter escapes them like any other text.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt

# The richer of the two profiles pages render with (tables, strikethrough), so their syntax goes too.
# Raw HTML stays off: a `<b>` someone typed is text, shown escaped, as on the page itself.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])

# Block tokens whose end starts a new line of text (cells of a table are kept apart by a space).
_BREAK_AFTER = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "tr_close", "hr"}


def _inline_text(children) -> str:
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":  # its description is what a reader would take from it
            parts.append(_inline_text(child.children))
    return "".join(parts)


@functools.lru_cache(maxsize=256)
def markdown_text(source: str) -> str:
    """Return the text of a Markdown source without its syntax (blocks kept on their own lines)."""
    if not source:
        return ""
    out = []
    for token in _parser.parse(source):
        if token.type == "inline":
            out.append(_inline_text(token.children))
        elif token.type in ("fence", "code_block", "html_block"):
            out.append(token.content.rstrip("\n") + "\n")
        elif token.type in ("th_close", "td_close"):
            out.append(" ")
        elif token.type in _BREAK_AFTER:
            out.append("\n")
    return "".join(out).strip()
