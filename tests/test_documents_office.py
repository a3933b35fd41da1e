"""The warm LibreOffice (kept running, reached over UNO): reused between files, killed when it hangs."""

import http.server
import os
import subprocess
import threading
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from hub.documents import office, office_profile

from .documents_helpers import docx_bytes, drain, pptx_bytes, upload, version_of

pytestmark = pytest.mark.office


@pytest.fixture
def warm(app):
    if not office.uno_available():
        pytest.fail("python3-uno is missing: `make setup` installs it")
    app.config["PREVIEW_WARM_OFFICE"] = True
    yield
    office.shutdown()


def add(client, people, data, name) -> int:
    response = upload(client, people.auth("staff"), people.departments["A"], data, name)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_one_warm_office_converts_several_files(app, client, people, warm):
    """Two Office files are converted by the same running LibreOffice; shutdown stops it."""
    first = add(client, people, docx_bytes(), "a.docx")
    drain(app)
    proc = office.warm_office().proc
    assert proc is not None and alive(proc.pid)
    second = add(client, people, pptx_bytes(2), "b.pptx")
    drain(app)
    assert office.warm_office().proc.pid == proc.pid
    assert version_of(first).preview_state == version_of(second).preview_state == "ready"
    assert version_of(second).page_count == 2
    office.shutdown()
    assert not alive(proc.pid)


def test_a_hanging_warm_conversion_is_killed_and_the_next_file_works(app, client, people, warm):
    """A conversion past its timeout fails with the reason, LibreOffice is killed, and restarts for the next file."""
    add(client, people, docx_bytes(), "warmup.docx")
    drain(app)
    pid = office.warm_office().proc.pid
    app.config["PREVIEW_CONVERT_TIMEOUT"] = 1
    slow = add(client, people, docx_bytes(4000), "long.docx")  # about 4 s of work
    drain(app)
    assert version_of(slow).preview_state == "failed"
    assert not alive(pid)
    app.config["PREVIEW_CONVERT_TIMEOUT"] = 60
    after = add(client, people, docx_bytes(), "after.docx")
    drain(app)
    assert version_of(after).preview_state == "ready"


CRASHING_CLIENT = """import os, signal, sys
count = {count!r}
done = len(os.listdir(count))
if done < {crashes}:
    open(os.path.join(count, str(done)), "w").close()
    os.kill(os.getpid(), signal.SIGSEGV)
os.execv(sys.executable, [sys.executable, {real!r}, *sys.argv[1:]])
"""


@pytest.mark.parametrize(("crashes", "way"), [(1, "warm"), (2, "cold")])
def test_a_crashed_warm_conversion_is_tried_on_a_fresh_office_then_cold(app, client, people, warm, tmp_path,
                                                                        monkeypatch, crashes, way):
    """The UNO client dying of SIGSEGV (seen right after a restart) does not fail the file: a fresh
    LibreOffice gets a second try, then a cold soffice."""
    add(client, people, docx_bytes(), "warmup.docx")
    drain(app)
    first = office.warm_office().proc.pid
    count = tmp_path / "crashes"
    count.mkdir()
    script = tmp_path / "crashing_client.py"
    # Stands in for the crash that cannot be caused on purpose: a real client process killed by SIGSEGV.
    script.write_text(CRASHING_CLIENT.format(count=str(count), crashes=crashes, real=str(office.UNO_SCRIPT)))
    monkeypatch.setattr(office, "UNO_SCRIPT", script)
    ways = []
    real_to_pdf = office.to_pdf
    monkeypatch.setattr(office, "to_pdf", lambda *args: ways.append(real_to_pdf(*args)) or ways[-1])
    doc_id = add(client, people, docx_bytes(), "after.docx")
    drain(app)
    assert version_of(doc_id).preview_state == "ready", version_of(doc_id).preview_error
    assert ways == [way] and len(os.listdir(count)) == crashes
    assert not alive(first)  # the second try ran on a new LibreOffice


def legacy_doc(tmp_path) -> bytes:
    """A Word 97 .doc made by LibreOffice from a DOCX (the format WPS also saves as .wps)."""
    source = tmp_path / "source.docx"
    source.write_bytes(docx_bytes(5))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    return (tmp_path / "source.doc").read_bytes()


RTF = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 Noto Sans CJK SC;}} \f0 \u20135?\u21697?\u20215?\u26684? RTF price list\par}"


@pytest.mark.parametrize("kind", ["wps", "rtf"])
def test_wps_and_rtf_files_are_identified_by_content_and_rendered(app, client, people, tmp_path, kind):
    """A Word 97 file named .wps is a `doc`; an RTF is an `rtf`; both render through LibreOffice."""
    data, name = (legacy_doc(tmp_path), "方案.wps") if kind == "wps" else (RTF, "价格.rtf")
    doc_id = add(client, people, data, name)
    version = version_of(doc_id)
    assert version.file_type == ("doc" if kind == "wps" else "rtf")
    drain(app)
    version = version_of(doc_id)
    assert version.preview_state == "ready", version.preview_error
    text = client.get(f"/api/v1/documents/{doc_id}/text?page=1", headers=people.auth("staff")).get_json()
    assert ("客户服务自动化" if kind == "wps" else "产品价格") in text["pages"][0]["text"]


def test_a_libreoffice_left_by_a_killed_worker_is_stopped(app, client, people, warm):
    """Starting the warm office kills whatever still uses its profile (left by a worker killed hard)."""
    profile = Path(app.config["INSTANCE_DIR"]) / "libreoffice" / "slot-0"
    orphan = subprocess.Popen(["sh", "-c", "sleep 60", profile.as_uri()])
    try:
        doc_id = add(client, people, docx_bytes(), "a.docx")
        drain(app)
        assert orphan.wait(timeout=10) == -9
        assert version_of(doc_id).preview_state == "ready"
    finally:
        if orphan.poll() is None:
            orphan.kill()
            orphan.wait()


def odt_with_macro_and_links(path: Path, marker: Path, port: int) -> None:
    """An ODT whose OnLoad runs a Basic macro writing `marker`, with an image and a section linked over HTTP."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
        '<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" script:event-name="dom:load" '
        'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document" xlink:type="simple"/>'
        '</office:event-listeners></office:scripts><office:body><office:text><text:p>宏与链接</text:p>'
        f'<text:p><draw:frame draw:name="i" svg:width="2cm" svg:height="2cm" text:anchor-type="as-char"><draw:image xlink:href="http://127.0.0.1:{port}/pic.png" '
        'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>'
        f'<text:section text:name="S"><text:section-source xlink:href="http://127.0.0.1:{port}/part.odt" xlink:type="simple"/>'
        '<text:p>old</text:p></text:section></office:text></office:body></office:document-content>'
    )
    basic = 'xmlns:library="http://openoffice.org/2000/library"'
    parts = {
        "content.xml": content,
        "Basic/script-lc.xml": f'<?xml version="1.0" encoding="UTF-8"?><library:libraries {basic} xmlns:xlink="http://www.w3.org/1999/xlink">'
                               '<library:library library:name="Standard" library:link="false"/></library:libraries>',
        "Basic/Standard/script-lb.xml": f'<?xml version="1.0" encoding="UTF-8"?><library:library {basic} library:name="Standard" '
                                        'library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/></library:library>',
        "Basic/Standard/Module1.xml": '<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script" '
                                      f'script:name="Module1" script:language="StarBasic">Sub Main\n Open &quot;{marker}&quot; For Output As #1\n'
                                      ' Print #1, &quot;ran&quot;\n Close #1\nEnd Sub\n</script:module>',
    }
    entries = "".join(f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>' for name in parts)
    parts["META-INF/manifest.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        f"{entries}</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for name, text in parts.items():
            archive.writestr(name, text, zipfile.ZIP_DEFLATED)


@pytest.fixture
def web(tmp_path):
    """A local web server recording what LibreOffice asks it for (there is no other network here)."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server interface
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], asked
    server.shutdown()
    server.server_close()


def profile_settings(profile: Path) -> dict[tuple[str, str], str]:
    ns = "{http://openoffice.org/2001/registry}"
    root = ElementTree.parse(office_profile.settings_file(profile)).getroot()
    return {(item.get(f"{ns}path"), prop.get(f"{ns}name")): prop.findtext("value")
            for item in root for prop in item.findall("prop")}


def test_the_cold_path_runs_no_macro_updates_no_link_and_fetches_nothing(app, tmp_path, web):
    """soffice --convert-to loads "as configured": its profile must say no macros, no link updates, no
    remote content, like the warm path's load options. The same file in a permissive profile fetches its image."""
    port, asked = web
    source, marker = tmp_path / "macro.odt", tmp_path / "macro-ran"
    odt_with_macro_and_links(source, marker, port)
    out = tmp_path / "out.pdf"
    with app.app_context():
        office.cold_convert(source, "odt", out, 60)
    assert out.read_bytes()[:5] == b"%PDF-"
    assert asked == [] and not marker.exists()
    # LibreOffice rewrote the profile on exit; the settings are still there, and set again at each use.
    settings = profile_settings(Path(app.config["INSTANCE_DIR"]) / "libreoffice" / "slot-0")
    for path, name, value in office_profile.SETTINGS:
        assert settings[(f"/org.openoffice.Office.{path}", name)] == value, (path, name)

    permissive = tmp_path / "permissive"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={permissive.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "p"), str(source)],
        check=True, capture_output=True, timeout=120, env=dict(os.environ, HOME=str(permissive)),
    )
    assert "/pic.png" in asked  # so the check above would have seen a fetch


def test_safety_settings_are_restored_in_a_profile_that_lost_them(tmp_path):
    """A profile whose settings were changed (by LibreOffice or by hand) gets them back at the next use."""
    profile = tmp_path / "slot"
    office_profile.settings_file(profile).parent.mkdir(parents=True)
    office_profile.settings_file(profile).write_text(
        office_profile.HEAD + '<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name='
        '"MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>\n<item oor:path="/org.openoffice.Setup/L10N">'
        '<prop oor:name="ooLocale" oor:op="fuse"><value>zh-CN</value></prop></item>\n' + office_profile.TAIL
    )
    office_profile.ensure_settings(profile)
    settings = profile_settings(profile)
    assert settings[("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel")] == "3"
    assert settings[("/org.openoffice.Office.Writer/Content/Update", "Link")] == "0"
    assert settings[("/org.openoffice.Setup/L10N", "ooLocale")] == "zh-CN"
