"""Writes into a shared uploads folder (HUB_UPLOAD_DIR on NFS or similar, several hosts at once).

Every file lands whole: a temp file of this host and pid beside the target, fsynced, renamed over it.
Another process's temp file (of this host or another) is never touched, readers never see half a
file, and the start-up sweep only judges the temp files of its own host by their pid.
"""

import io
import multiprocessing
import os
import subprocess
import time
from pathlib import Path

from PIL import Image

from hub.config import from_environment
from hub.documents import render, storage
from hub.documents.sweep import sweep

from .documents_helpers import pdf_bytes, png_bytes

ROUNDS = 25


def test_upload_and_index_folders_come_from_their_own_settings(tmp_path):
    """HUB_UPLOAD_DIR / HUB_INDEX_DIR move those folders out of the instance, which keeps the rest."""
    shared, index = tmp_path / "nfs" / "uploads", tmp_path / "index"
    config = from_environment({"HUB_INSTANCE": str(tmp_path / "a"), "HUB_UPLOAD_DIR": str(shared),
                               "HUB_INDEX_DIR": str(index)})
    assert config["UPLOAD_DIR"] == str(shared.resolve()) and config["INDEX_DIR"] == str(index.resolve())
    assert config["INSTANCE_DIR"] == str((tmp_path / "a").resolve())
    assert config["SQLALCHEMY_DATABASE_URI"].endswith(str(tmp_path / "a" / "hub.db"))
    plain = from_environment({"HUB_INSTANCE": str(tmp_path / "a"), "HUB_UPLOAD_DIR": ""})
    assert plain["UPLOAD_DIR"] == str((tmp_path / "a" / "uploads").resolve())
    assert plain["INDEX_DIR"] == str((tmp_path / "a" / "search_index").resolve())


def test_temp_names_carry_host_and_pid_and_are_read_back(app):
    prefix = storage.temp_prefix(".tmp")
    assert prefix.startswith(f".tmp-{os.getpid()}@") and prefix.endswith("-")
    pid, host = storage.temp_owner(prefix + "k3j_x9ab.jpg")
    assert pid == os.getpid() and storage.temp_is_local(host)
    assert storage.temp_owner("up-42@web-2.example-abcdefgh") == (42, "web-2.example")
    assert not storage.temp_is_local("web-2.example") or storage.host_tag() == "web-2.example"
    assert storage.temp_owner("up-42-abc") == (42, None)  # written before host names were added
    assert storage.temp_owner("p0001.jpg") is None


def test_a_page_written_while_another_host_writes_it_leaves_that_writer_alone(app):
    """The old fixed temp name `.tmp-p0001.jpg` was shared by every host rendering the page: one host
    truncated and renamed away the other's half-written file. Now each writer has its own."""
    out = storage.preview_dir(7)
    out.mkdir(parents=True)
    theirs = out / ".tmp-p0001.jpg"  # another host, mid-write
    theirs.write_bytes(b"half of another host's page")
    source = out.parent / "source.png"
    source.write_bytes(png_bytes(800, 600))
    page = out / "p0001.jpg"
    render.render_image(source, page)
    assert theirs.read_bytes() == b"half of another host's page"
    with Image.open(page) as image:
        image.load()
        assert image.format == "JPEG"
    assert sorted(p.name for p in out.iterdir()) == [".tmp-p0001.jpg", "p0001.jpg"]


def test_write_atomic_replaces_whole_and_leaves_no_temp_on_failure(app):
    target = storage.root() / "portal" / "logos" / "1-abc.png"
    storage.write_atomic(target, b"first")
    storage.write_atomic(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    try:
        storage.write_atomic(target, "not bytes")  # the write itself fails
    except TypeError:
        pass
    assert target.read_bytes() == b"second, longer"
    assert [p.name for p in target.parent.iterdir()] == ["1-abc.png"]


def _render_many(upload_dir: str, source: str, target: str, rounds: int) -> None:
    from hub import create_app

    app = create_app({"TESTING": True, "UPLOAD_DIR": upload_dir, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        for _ in range(rounds):
            render.render_image(Path(source), Path(target))
            render.make_thumbnail(Path(target), Path(target).with_name("thumb.jpg"))


def _whole_jpeg(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")


def test_two_processes_rendering_one_page_at_once_both_succeed_and_readers_see_whole_files(app):
    """Two real processes (two hosts on one shared folder) render the same version's page and thumbnail
    over and over, while this one reads them: every render succeeds and every read is a whole JPEG."""
    out = storage.preview_dir(9)
    out.mkdir(parents=True)
    source = out.parent / "source.png"
    source.write_bytes(png_bytes(1200, 900))
    page = out / "p0001.jpg"
    render.render_image(source, page)
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_render_many, args=(str(storage.root()), str(source), str(page), ROUNDS))
               for _ in range(2)]
    for writer in writers:
        writer.start()
    reads = 0
    while any(w.is_alive() for w in writers) or reads == 0:
        for path in (page, out / "thumb.jpg"):
            if path.exists():
                assert _whole_jpeg(path), f"read half a file: {path.name}"
                reads += 1
        time.sleep(0.005)
    for writer in writers:
        writer.join()
    assert [w.exitcode for w in writers] == [0, 0]
    assert sorted(p.name for p in out.iterdir()) == ["p0001.jpg", "thumb.jpg"]  # no temp left behind


def test_rendered_pdf_pages_land_whole_and_leave_no_work_folder(app):
    pdf = storage.root() / "doc.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(pdf_bytes(2, title="共享"))
    out = storage.preview_dir(11)
    out.mkdir(parents=True)
    (out / "p0001.jpg").write_bytes(b"an older render")
    pages = render.render_pdf_pages(pdf, 1, 2, out)
    assert sorted(pages) == [1, 2] and all(_whole_jpeg(p) for p in pages.values())
    assert sorted(p.name for p in out.iterdir()) == ["p0001.jpg", "p0002.jpg"]


def test_sweep_judges_only_its_own_hosts_temp_files_by_pid(app):
    """A dead pid means an orphan only on this host: the same number on another host sharing the folder
    may be a live upload there, so its temp file stays (until it is a day old)."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    root = storage.root()
    (root / "tmp").mkdir(parents=True)
    mine = root / "tmp" / f"up-{dead.pid}@{storage.host_tag()}-abc12345"
    theirs = root / "tmp" / f"up-{dead.pid}@another-host.example-abc12345"
    live = root / "tmp" / f"{storage.temp_prefix('up')}def67890"
    preview_dir = storage.preview_dir(3)
    preview_dir.mkdir(parents=True)
    stale_page = preview_dir / f".tmp-{dead.pid}@{storage.host_tag()}-xyz.jpg"
    stale_render = preview_dir / f".render-{dead.pid}@{storage.host_tag()}-q1w2e3r4"
    (stale_render / "pg-1.jpg").parent.mkdir()
    (stale_render / "pg-1.jpg").write_bytes(b"half a page")
    page = preview_dir / "p0001.jpg"
    for path in (mine, theirs, live, stale_page, page):
        path.write_bytes(b"in flight")
    removed = sweep(min_age=3600)  # the young preview folder itself stays
    assert not mine.exists() and not stale_page.exists() and not stale_render.exists()
    assert theirs.exists() and live.exists() and page.exists()
    assert removed["tmp"] == 3


def test_a_logo_lands_whole_next_to_another_hosts_temp_file(app, people):
    """branding.save_logo goes through write_atomic: another writer's temp file in portal/logos stays."""
    from werkzeug.datastructures import FileStorage

    from hub.extensions import db
    from hub.models import CustomerAccount
    from hub.portal import branding

    logos = storage.root() / "portal" / "logos"
    logos.mkdir(parents=True)
    theirs = logos / ".tmp-77@another-host-abcdefgh.png"
    theirs.write_bytes(b"another host, mid-write")
    account = db.session.get(CustomerAccount, people.accounts["customer"])
    row = branding.save_logo(account, FileStorage(io.BytesIO(png_bytes(640, 480)), "logo.png"))
    with Image.open(storage.resolve(row.logo_path)) as image:
        image.load()
        assert image.format == "PNG" and max(image.size) == 320
    assert theirs.read_bytes() == b"another host, mid-write"
    assert sorted(p.name for p in logos.iterdir()) == sorted([theirs.name, Path(row.logo_path).name])
