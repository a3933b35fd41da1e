"""Text uploads: whatever decodes as text under a text name is text, whatever libmagic calls it.

libmagic names Markdown with code `application/javascript`, `text/x-java` and the like, and man pages
`text/x-tex`; those are accepted. Binary data, HTML and SVG under their own names stay refused.
"""

import io
from pathlib import Path

import magic
import pytest

from .documents_helpers import drain, fetch, png_bytes, upload, version_of
from .search_helpers import hits, index_now, keys

FENCES = {
    # Docs sites' Markdown opens with the imports of their tab widgets.
    "js": "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\nconst x = 1;\n",
    "python": "#!/usr/bin/env python3\nimport os\nimport sys\n\ndef main():\n    print(sys.argv)\n",
    "java": "public class Main {\n    public static void main(String[] args) {\n"
            "        System.out.println(\"hi\");\n    }\n}\n",
    "c": "#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n    printf(\"hi\\n\");\n    return 0;\n}\n",
}

MAN_PAGE = (
    '.\\" Man page for hubctl\n.TH HUBCTL 1 "2024-05-01" "hub 1.0" "User Commands"\n'
    ".SH NAME\nhubctl \\- 管理知识库服务\n.SH SYNOPSIS\n.B hubctl\n[\\fB\\-v\\fR]\n"
    ".SH DESCRIPTION\n\\fBhubctl\\fP 启动与停止服务。\n.TP\n.B \\-v\n显示版本。\n"
)


def markdown(lang: str, title: str = "Setup notes") -> str:
    # Code first, as in READMEs that open with an example: that is what libmagic goes by.
    return f"```{lang}\n{FENCES[lang]}```\n\n# {title}\n\nRun the example above.\n"


def add(client, people, data: bytes, name: str):
    return upload(client, people.auth("staff"), people.departments["A"], data, name)


def text_of(client, people, doc_id: int) -> str:
    body = client.get(f"/api/v1/documents/{doc_id}/text", headers=people.auth("staff")).get_json()
    return body["pages"][0]["text"]


@pytest.mark.parametrize("lang", sorted(FENCES))
def test_markdown_with_fenced_code_is_accepted(app, client, people, lang):
    """Markdown whose code block makes libmagic say JavaScript, Python, Java or C is still Markdown."""
    data = markdown(lang).encode()
    assert not magic.from_buffer(data, mime=True).startswith(("text/plain", "text/markdown"))  # the trap
    response = add(client, people, data, "README.md")
    assert response.status_code == 201, response.get_json()
    doc_id = response.get_json()["id"]
    assert version_of(doc_id).file_type == "md"
    drain(app)
    assert FENCES[lang].splitlines()[1] in text_of(client, people, doc_id)


def test_a_man_page_is_accepted_as_text(app, client, people):
    """roff source (libmagic: troff or TeX) named .txt is plain text."""
    data = MAN_PAGE.encode()
    assert magic.from_buffer(data, mime=True) != "text/plain"
    response = add(client, people, data, "hubctl.1.txt")
    assert response.status_code == 201, response.get_json()
    assert version_of(response.get_json()["id"]).file_type == "txt"


def test_gbk_chinese_text_is_shown_and_found_as_utf8(app, client, people):
    """A GBK-encoded Chinese Markdown file with code is accepted; its text reads right and is searchable."""
    body = markdown("python", "部署说明：华东区客户服务器迁移步骤") + "迁移前请备份数据库，并通知客户经理。\n"
    data = body.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    response = add(client, people, data, "部署说明.md")
    assert response.status_code == 201, response.get_json()
    doc_id = response.get_json()["id"]
    index_now(app)
    version = version_of(doc_id)
    assert version.preview_state == "ready" and version.file_type == "md"
    assert "华东区客户服务器迁移步骤" in text_of(client, people, doc_id)
    assert "\ufffd" not in text_of(client, people, doc_id)
    assert ("document", doc_id) in keys(hits(client, "备份数据库", headers=people.auth("staff")))


def test_html_named_txt_is_plain_text_and_never_served_as_html(app, client, people):
    """An HTML page named .txt is text: shown escaped, downloaded as a text/plain attachment."""
    data = b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"
    response = add(client, people, data, "page.txt")
    assert response.status_code == 201, response.get_json()
    doc_id = response.get_json()["id"]
    assert version_of(doc_id).mime_type == "text/plain"
    download = fetch(client, f"/api/v1/documents/{doc_id}/download", people.auth("staff"))
    assert download.headers["Content-Type"].startswith("text/plain")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (png_bytes(40, 30), "notes.txt", ".txt"),
        (bytes(range(256)) * 64, "data.txt", "not accepted"),
        (Path("/bin/true").read_bytes(), "readme", "Programs"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "page.html", "Web pages"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", "Web pages"),
        (markdown("js").encode(), "app.js", "not accepted"),
    ],
    ids=["png-as-txt", "binary-as-txt", "program-without-name", "html", "svg", "js-under-its-own-name"],
)
def test_binary_and_markup_stay_refused(app, client, people, data, name, words):
    """Bytes that are no text, and web pages or SVG under their own names, are still refused."""
    form = {"file": (io.BytesIO(data), name), "department_id": str(people.departments["A"])}
    response = client.post("/api/v1/documents?lang=en", data=form, headers=people.auth("staff"),
                           content_type="multipart/form-data")
    assert response.status_code == 415, response.get_json()
    assert words in response.get_json()["error"]["message"]
