"""The warm LibreOffice (kept running, reached over UNO): reused between files, killed when it hangs."""

import pytest

from hub.documents import office

from .documents_helpers import docx_bytes, drain, pptx_bytes, upload, version_of, xlsx_bytes

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
    slow = add(client, people, xlsx_bytes(60_000), "huge.xlsx")
    drain(app)
    assert version_of(slow).preview_state == "failed"
    assert not alive(pid)
    app.config["PREVIEW_CONVERT_TIMEOUT"] = 60
    after = add(client, people, docx_bytes(), "after.docx")
    drain(app)
    assert version_of(after).preview_state == "ready"
