"""Operations: health checks, production start-up guards, backup and restore."""

import json

import pytest
from sqlalchemy import func, select

from hub import create_app
from hub.extensions import db


def test_healthz_reports_every_part(client):
    """/healthz answers 200 with the database, index, job queue and disk checks."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "index", "jobs", "disk"}


def test_healthz_fails_when_redis_is_unreachable(app, client):
    """A configured but unreachable Redis turns /healthz into a 503 naming the job queue."""
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["jobs"]["ok"] is False


def production_config(instance, **extra):
    return {
        "TESTING": True,
        "PRODUCTION": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'p.db'}",
        "INSTANCE_DIR": str(instance), "UPLOAD_DIR": str(instance / "u"), "INDEX_DIR": str(instance / "i"),
    } | extra


def test_production_refuses_the_development_key(instance, capsys):
    """Production start-up stops with a clear message while the secret key is the development one."""
    with pytest.raises(SystemExit):
        create_app(production_config(instance))
    assert "HUB_SECRET_KEY" in capsys.readouterr().err


def test_production_refuses_an_unreachable_database(instance, capsys):
    """Production start-up stops with a clear message when the database cannot be reached."""
    config = production_config(instance, SECRET_KEY="x" * 32, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(SystemExit):
        create_app(config)
    assert "database is unreachable" in capsys.readouterr().err


def test_production_refuses_an_unreachable_redis(instance, capsys):
    """Production start-up stops with a clear message when the configured Redis cannot be reached."""
    config = production_config(instance, SECRET_KEY="x" * 32, REDIS_URL="redis://127.0.0.1:1/0")
    with pytest.raises(SystemExit):
        create_app(config)
    assert "Redis" in capsys.readouterr().err


def test_production_serves_static_files_compressed_and_cached(instance):
    """In production, static files carry long cache headers and come gzip-compressed when asked."""
    import shutil
    import subprocess
    import sys

    from hub.config import ROOT

    static = instance / "static"  # compress a copy: the work tree keeps no stale .gz files
    shutil.copytree(ROOT / "static" / "css", static / "css")
    subprocess.run([sys.executable, "-m", "whitenoise.compress", str(static)], check=True, capture_output=True)
    app = create_app(production_config(instance, SECRET_KEY="x" * 32, STATIC_DIR=str(static)))
    client = app.test_client()
    response = client.get("/static/css/hub.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]
    assert response.headers.get("Content-Encoding") == "gzip"
    response.close()


def api_snapshot(client, headers) -> dict:
    """What the API shows of an instance, for comparing two of them."""
    snapshot = {"departments": client.get("/api/v1/departments", headers=headers).get_json()}
    for dept in snapshot["departments"]["departments"]:
        snapshot[f"dept{dept['id']}"] = client.get(f"/api/v1/departments/{dept['id']}", headers=headers).get_json()
        snapshot[f"posts{dept['id']}"] = client.get(f"/api/v1/departments/{dept['id']}/posts", headers=headers).get_json()
        for q in snapshot[f"dept{dept['id']}"]["questions"]:
            snapshot[f"q{q['id']}"] = client.get(f"/api/v1/questions/{q['id']}", headers=headers).get_json()
    snapshot["documents"] = client.get("/api/v1/documents", headers=headers).get_json()
    for doc in snapshot["documents"]["documents"]:
        for part in ("", "/rating", "/comments", "/shares"):
            snapshot[f"doc{doc['id']}{part}"] = client.get(f"/api/v1/documents/{doc['id']}{part}", headers=headers).get_json()
    snapshot["customers"] = client.get("/api/v1/customers", headers=headers).get_json()
    for account in snapshot["customers"]["customers"]:
        snapshot[f"feed{account['id']}"] = client.get(f"/api/v1/customers/{account['id']}/events?after=0", headers=headers).get_json()
    return snapshot


def _differences(a, b, path=""):
    """Yield the paths where two JSON values differ, to name what a restore lost."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() | b.keys():
            yield from _differences(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {a!r} != {b!r}"


def test_backup_then_restore_gives_the_same_instance(app, client, tmp_path):
    """A backup restored into an empty instance shows the same data through the API, and row counts match."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    token = runner.invoke(args=["users", "token", "admin@yunfan.demo"]).output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    before = api_snapshot(client, headers)
    assert before["customers"]["customers"] and any(before[k].get("events") for k in before if k.startswith("feed"))
    assert any(before[k].get("shares") for k in before if k.endswith("/shares"))  # the demo shares documents
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}

    result = runner.invoke(args=["backup", str(tmp_path / "bk")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "bk" / "manifest.json").read_text())
    assert manifest["tables"]["questions"] == counts["questions"]
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code != 0  # never over an old backup

    target = tmp_path / "restored"
    other = create_app({
        "TESTING": True, "SECRET_KEY": "t",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{target / 'hub.db'}",
        "INSTANCE_DIR": str(target), "UPLOAD_DIR": str(target / "uploads"), "INDEX_DIR": str(target / "index"),
    })
    with other.app_context():
        restored = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "bk")])
        assert restored.exit_code == 0, restored.output
        assert {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables} == counts
        after = api_snapshot(other.test_client(), headers)
        again = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "bk")])
        assert again.exit_code != 0 and "not empty" in again.output
        db.session.remove()
        db.engine.dispose()
    changed = sorted(_differences(before, after))
    assert changed == []


def test_healthz_counts_the_whoosh_index(app, client, people):
    """Under Whoosh (the default) the index check names its backend and counts the index's documents."""
    from whoosh import index as whoosh_index

    from tests.search_helpers import index_now, make_document

    make_document(people, "健康检查", pages=["索引"])
    index_now(app)
    ix = whoosh_index.open_dir(app.config["INDEX_DIR"])
    expected = ix.doc_count()
    ix.close()
    checks = client.get("/healthz").get_json()["checks"]
    assert expected > 0 and checks["index"] == {"ok": True, "backend": "whoosh", "documents": expected}
