"""The warm LibreOffice (kept running, reached over UNO): reused between files, killed when it hangs."""

import subprocess
from pathlib import Path

import pytest

from hub.documents import office

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
